"""Public self-registration with a capacity and a waiting list, and moving people up when places free.

The event's row is locked (PostgreSQL) while a place is given, so that two people registering at once never both
take the last place."""

from __future__ import annotations

from sqlalchemy import func, select

from app.accounts.models import User
from app.audit.service import record
from app.extensions import db
from app.timefmt import utcnow
from events import rules
from events.models.events import ATTENDING_STATUSES, Event, Invitee
from events.services import passes
from events.services.invitees import PersonIn


class RegistrationError(ValueError):
    """Registration refused: `code` is "closed", "not_yet", "not_public" or "already"."""

    def __init__(self, code: str, invitee: Invitee | None = None):
        super().__init__(code)
        self.code = code
        self.invitee = invitee


def window_state(event: Event) -> str:
    """'open', 'not_yet', 'closed' for self-registration, or 'not_public' (invitation only, or not published)."""
    if not event.is_public or event.status != "published":
        return "not_public"
    closes = event.registration_closes_at or event.starts_at
    return rules.Window(event.registration_opens_at, closes).state(utcnow())


def holding(event: Event) -> int:
    return db.session.scalar(
        select(func.count(Invitee.id)).where(Invitee.event_id == event.id, Invitee.status.in_(ATTENDING_STATUSES))
    )


def _lock(event: Event) -> None:
    db.session.execute(select(Event.id).where(Event.id == event.id).with_for_update())


def _last_position(event: Event) -> int:
    return (
        db.session.scalar(
            select(func.max(Invitee.waitlist_position)).where(
                Invitee.event_id == event.id, Invitee.status == "waitlisted"
            )
        )
        or 0
    )


def register(event: Event, person: PersonIn, *, user: User | None) -> Invitee:
    """Register someone for a public event: a place (and a pass, mailed) while there is one, else the next place
    on the waiting list. Someone already invited or registered is refused ("already"); someone who had cancelled
    registers again."""
    state = window_state(event)
    if state != "open":
        raise RegistrationError(state)
    _lock(event)
    person.role = "registrant"
    existing = db.session.scalar(select(Invitee).where(Invitee.event_id == event.id, Invitee.dedupe_key == person.key))
    if existing is not None and existing.status != "cancelled":
        raise RegistrationError("already", existing)
    admitted = rules.admits(event.capacity, holding(event))  # counted before this person's row is flushed
    position = None if admitted else _last_position(event) + 1
    if existing is None:
        invitee = Invitee(event_id=event.id, dedupe_key=person.key, source="self_registration", role="registrant")
        db.session.add(invitee)
    else:
        invitee = existing
    invitee.email = rules.normalise_email(person.email)
    invitee.phone = person.phone
    invitee.unit = person.unit
    invitee.birth_date = person.birth_date
    invitee.user_id = user.id if user is not None else invitee.user_id
    invitee.set_name(person.full_name)
    invitee.status = "registered" if admitted else "waitlisted"
    invitee.waitlist_position = position
    db.session.flush()
    record(
        "event.register",
        invitee,
        after={"status": invitee.status, "waitlist_position": invitee.waitlist_position},
        actor=user or invitee.email,
        summary=invitee.full_name,
    )
    if invitee.status == "registered":
        passes.send_invitation(invitee, by=user)
    else:
        _mail_waitlisted(invitee)
    return invitee


def _mail_waitlisted(invitee: Invitee) -> None:
    from flask_babel import lazy_gettext as _l

    from app.mail.service import send_templated

    if invitee.email:
        send_templated(
            invitee.email,
            getattr(invitee.user, "locale", None),
            _l("Waiting list: %(title)s", title=invitee.event.title),
            "emails/event_waitlisted.txt",
            invitee=invitee,
            event=invitee.event,
        )


def promote_waitlist(event: Event, *, by: User | None) -> list[Invitee]:
    """Move people up from the waiting list, first come first served, while places are free; each gets a pass by
    mail. The remaining positions are closed up (1..n)."""
    waiting = list(
        db.session.scalars(
            select(Invitee)
            .where(Invitee.event_id == event.id, Invitee.status == "waitlisted")
            .order_by(Invitee.waitlist_position, Invitee.id)
        )
    )
    if not waiting:
        return []
    _lock(event)
    n = rules.to_promote(event.capacity, holding(event), len(waiting))
    promoted, rest = waiting[:n], waiting[n:]
    for invitee in promoted:
        invitee.status, invitee.waitlist_position = "registered", None
        db.session.flush()
        record("event.promote", invitee, after={"status": "registered"}, actor=by, summary=invitee.full_name)
        passes.send_invitation(invitee, by=by)
    for invitee, position in zip(rest, rules.renumber([i.waitlist_position for i in rest]), strict=True):
        invitee.waitlist_position = position
    db.session.flush()
    return promoted
