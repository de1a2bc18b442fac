"""Creating and changing events, and naming their check-in staff. Each function records the audit log and
flushes; the view commits once."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy import or_, select

from app.accounts import services as accounts
from app.accounts.models import RoleGrant, User
from app.accounts.roles import CHECKIN, grants_allow
from app.audit.service import record, snapshot
from app.extensions import db
from app.orgs.models import descendant_ids
from events.models.events import Event

AUDITED = (
    "kind",
    "title",
    "venue",
    "starts_at",
    "ends_at",
    "capacity",
    "contest_id",
    "campaign_id",
    "is_public",
    "registration_opens_at",
    "registration_closes_at",
    "status",
    "organisation_id",
)


@dataclass
class EventInput:
    """What an organizer types for an event (times already in UTC)."""

    organisation_id: int
    kind: str
    title: str
    starts_at: datetime
    ends_at: datetime | None = None
    description: str = ""
    venue: str = ""
    capacity: int | None = None
    contest_id: int | None = None
    campaign_id: int | None = None
    is_public: bool = False
    registration_opens_at: datetime | None = None
    registration_closes_at: datetime | None = None
    status: str = "draft"

    @classmethod
    def of(cls, event: Event) -> EventInput:
        return cls(**{f.name: getattr(event, f.name) for f in fields(cls)})


def create_event(data: EventInput, *, by: User) -> Event:
    event = Event(created_by_id=by.id, **vars(data))
    db.session.add(event)
    db.session.flush()
    record("event.create", event, after=snapshot(event, AUDITED), actor=by, summary=event.title)
    return event


def update_event(event: Event, data: EventInput, *, by: User) -> None:
    """Change an event; a larger capacity moves people up from the waiting list."""
    from events.services.registration import promote_waitlist

    before = snapshot(event, AUDITED)
    for name, value in vars(data).items():
        setattr(event, name, value)
    db.session.flush()
    after = snapshot(event, AUDITED)
    if before != after:
        changed = sorted(k for k in after if before[k] != after[k])
        record("event.update", event, before=before, after=after, actor=by, summary=", ".join(changed))
    promote_waitlist(event, by=by)


def managed_events(user: User) -> list[Event]:
    """The events `user` manages: all of them for an unscoped organizer, else those of the bodies (and below) and
    events they are granted; newest first. One query per level of bodies, then one."""
    grants = [g for g in user.grants if grants_allow([g], "manage_event")]
    query = select(Event).order_by(Event.starts_at.desc(), Event.id.desc())
    if any(g.scope is None for g in grants):
        return list(db.session.scalars(query))
    org_ids: set[int] = set()
    event_ids: set[int] = set()
    for grant in grants:
        if grant.scope_type == "organisation":
            org_ids |= descendant_ids(grant.scope_id)
        elif grant.scope_type == "event":
            event_ids.add(grant.scope_id)
    if not org_ids and not event_ids:
        return []
    return list(db.session.scalars(query.where(or_(Event.organisation_id.in_(org_ids), Event.id.in_(event_ids)))))


# --- check-in staff -------------------------------------------------------------------------------------------


def staff_grants(event: Event) -> list[RoleGrant]:
    """The check-in grants for this event only, people in Vietnamese name order (one query)."""
    query = (
        select(RoleGrant)
        .join(User, User.id == RoleGrant.user_id)
        .where(RoleGrant.role == CHECKIN, RoleGrant.scope_type == "event", RoleGrant.scope_id == event.id)
        .order_by(User.sort_name, User.id)
    )
    return list(db.session.scalars(query))


def add_staff(event: Event, user: User, *, by: User) -> RoleGrant | None:
    """Give `user` the check-in capability for this event only; None when they already hold it."""
    grant = accounts.grant_role(user, CHECKIN, by=by, scope_type="event", scope_id=event.id)
    if grant is not None:
        record("event.staff_add", event, after={"user_id": user.id, "email": user.email}, actor=by, summary=user.email)
    return grant


def remove_staff(event: Event, grant: RoleGrant, *, by: User) -> None:
    if (grant.role, grant.scope_type, grant.scope_id) != (CHECKIN, "event", event.id):
        raise ValueError("not a check-in grant of this event")
    email = grant.user.email
    record("event.staff_remove", event, before={"user_id": grant.user_id, "email": email}, actor=by, summary=email)
    accounts.revoke_role(grant, by=by)
