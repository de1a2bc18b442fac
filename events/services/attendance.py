"""Who came: live counts for the organizers (invited, checked in, by role), the attendance list and its export, the
door's name search, and the passes used twice while a console was offline. Reads only; each list costs a fixed
number of queries whatever the number of invitees."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import aliased, contains_eager, joinedload

from app.exports import Column, Sheet, write_csv, write_xlsx
from app.extensions import db
from app.search import where_matches
from events.checkin import Outcome
from events.forms import ROLE_LABELS
from events.models.checkin import CheckIn, ScanLog
from events.models.events import ATTENDING_STATUSES, INVITEE_ROLES, Event, Invitee, Pass

#: Most people the door's name search lists.
SEARCH_LIMIT = 20


def role_label(role: str) -> str:
    """How a role is named on the door's screen, in the counts and in the export (the events forms' labels)."""
    return str(ROLE_LABELS.get(role, role))


@dataclass(frozen=True)
class RoleCount:
    role: str
    invited: int
    checked_in: int

    @property
    def label(self) -> str:
        return role_label(self.role)


@dataclass(frozen=True)
class Counts:
    invited: int
    checked_in: int
    by_role: list[RoleCount]

    def as_json(self) -> dict:
        return {
            "invited": self.invited,
            "checked_in": self.checked_in,
            "by_role": [
                {"role": r.role, "label": r.label, "invited": r.invited, "checked_in": r.checked_in}
                for r in self.by_role
            ],
        }


def _live_join():
    return and_(CheckIn.invitee_id == Invitee.id, CheckIn.undone_at.is_(None))


def counts(event: Event) -> Counts:
    """Invited (those holding a place: invited or registered) and checked in (live check-ins, whatever the person's
    status since), per role in the order of `INVITEE_ROLES`; one query."""
    attending = Invitee.status.in_(ATTENDING_STATUSES)
    rows = db.session.execute(
        select(
            Invitee.role,
            func.count(case((attending, 1))),
            func.count(CheckIn.id),
        )
        .outerjoin(CheckIn, _live_join())
        .where(Invitee.event_id == event.id)
        .group_by(Invitee.role)
    ).all()
    order = {role: i for i, role in enumerate(INVITEE_ROLES)}
    by_role = sorted(
        (RoleCount(role, invited, checked) for role, invited, checked in rows if invited or checked),
        key=lambda r: (order.get(r.role, len(order)), r.role),
    )
    return Counts(
        invited=sum(r.invited for r in by_role), checked_in=sum(r.checked_in for r in by_role), by_role=by_role
    )


@dataclass(frozen=True)
class Attendee:
    invitee: Invitee
    check_in: CheckIn | None


def attendance(event: Event, *, only_checked_in: bool = False) -> list[Attendee]:
    """Everyone holding a place or checked in, in Vietnamese name order, with their live check-in; one query."""
    query = (
        select(Invitee, CheckIn)
        .outerjoin(CheckIn, _live_join())
        .where(Invitee.event_id == event.id)
        .order_by(Invitee.sort_name, Invitee.id)
    )
    if only_checked_in:
        query = query.where(CheckIn.id.is_not(None))
    else:
        query = query.where((Invitee.status.in_(ATTENDING_STATUSES)) | (CheckIn.id.is_not(None)))
    return [Attendee(invitee, check_in) for invitee, check_in in db.session.execute(query).all()]


def search(event: Event, text: str, limit: int = SEARCH_LIMIT) -> list[Attendee]:
    """Invitees of the event whose name, unit or e-mail holds every word of `text`, ignoring diacritics and case
    ("nguyen van an" and "NGUYỄN" find "Nguyễn Văn Ân"; "đ" is "d"); with their live check-in. One query."""
    if not (text or "").strip():
        return []
    query = (
        select(Invitee, CheckIn)
        .outerjoin(CheckIn, _live_join())
        .where(Invitee.event_id == event.id)
        .order_by(Invitee.sort_name, Invitee.id)
        .limit(limit)
    )
    query = where_matches(query, Invitee.search_name, text)
    return [Attendee(invitee, check_in) for invitee, check_in in db.session.execute(query).all()]


@dataclass(frozen=True)
class DoubleUse:
    """A person let in, then scanned again by a console that was offline (so it let them in too)."""

    invitee: Invitee
    first: CheckIn | None
    offline_scans: list[ScanLog]


def offline_double_uses(event: Event) -> list[DoubleUse]:
    """Passes used twice while a console was offline: offline scans answered "already" on replay, grouped by
    person with the check-in they met; in name order. One query."""
    scans = db.session.scalars(
        select(ScanLog)
        .join(ScanLog.invitee)
        .options(contains_eager(ScanLog.invitee), joinedload(ScanLog.check_in))
        .where(ScanLog.event_id == event.id, ScanLog.offline.is_(True), ScanLog.outcome == Outcome.ALREADY.value)
        .order_by(Invitee.sort_name, Invitee.id, ScanLog.client_at, ScanLog.id)
    ).all()
    grouped: dict[int, DoubleUse] = {}
    for scan in scans:
        use = grouped.setdefault(scan.invitee_id, DoubleUse(scan.invitee, scan.check_in, []))
        use.offline_scans.append(scan)
    return list(grouped.values())


def door_events(grants) -> list[Event]:
    """The events a check-in staff member keeps the door of, from their grants (role `checkin` scoped to an event;
    unscoped: every event), cancelled ones left out, soonest first; one query."""
    query = select(Event).where(Event.status != "cancelled").order_by(Event.starts_at.desc(), Event.id.desc())
    mine = [g for g in grants if g.role == "checkin" and g.is_well_formed]
    if not any(g.scope is None for g in mine):
        ids = [g.scope_id for g in mine if g.scope_type == "event"]
        if not ids:
            return []
        query = query.where(Event.id.in_(ids))
    return list(db.session.scalars(query.limit(100)))


def recent_check_ins(event: Event, limit: int = 20) -> list[CheckIn]:
    """The latest check-ins at the door, live or undone (the console's list, with undo); one query."""
    return list(
        db.session.scalars(
            select(CheckIn)
            .options(joinedload(CheckIn.invitee))
            .where(CheckIn.event_id == event.id)
            .order_by(CheckIn.checked_in_at.desc(), CheckIn.id.desc())
            .limit(limit)
        )
    )


def roster(event: Event) -> list[tuple[str, Invitee, bool]]:
    """(token, invitee, checked in) of every valid pass of the event, for a console to keep while offline."""
    live = aliased(CheckIn)
    rows = db.session.execute(
        select(Pass.token, Invitee, live.id)
        .join(Invitee, Pass.invitee_id == Invitee.id)
        .outerjoin(live, and_(live.invitee_id == Invitee.id, live.undone_at.is_(None)))
        .where(Pass.event_id == event.id, Pass.revoked_at.is_(None), Invitee.status.in_(ATTENDING_STATUSES))
    ).all()
    return [(token, invitee, check_in_id is not None) for token, invitee, check_in_id in rows]


# --- Export ------------------------------------------------------------------------------------------------------


def _when(row: Attendee) -> datetime | None:
    return row.check_in.when if row.check_in else None


def export_columns() -> list[Column]:
    def yes(flag: bool) -> str:
        return str(_l("Yes")) if flag else ""

    return [
        Column(lambda r: r.invitee.full_name, str(_l("Full name"))),
        Column(lambda r: r.invitee.unit, str(_l("Unit"))),
        Column(lambda r: role_label(r.invitee.role), str(_l("Role at the event"))),
        Column(lambda r: str(_l("Yes")) if r.check_in else str(_l("No")), str(_l("Present"))),
        Column(_when, str(_l("Checked in at"))),
        Column(lambda r: r.check_in.by_name if r.check_in else "", str(_l("Checked in by"))),
        Column(lambda r: r.check_in.device_id if r.check_in else "", str(_l("Device"))),
        Column(lambda r: yes(bool(r.check_in and r.check_in.offline)), str(_l("Scanned offline"))),
    ]


def attendance_xlsx(event: Event) -> bytes:
    return write_xlsx([Sheet(title=str(_l("Attendance")), columns=export_columns(), rows=attendance(event))])


def attendance_csv(event: Event) -> bytes:
    return write_csv(export_columns(), attendance(event))
