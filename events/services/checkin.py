"""Scans at the door: answer each one, log it, let each person in once, undo a check-in, replay an offline queue.

Each scan commits once (its log row, and the check-in when it admits). Two guards make retries and races safe:
the scan log is unique per (event, client nonce), so a retried request gets its first answer back and changes
nothing; and at most one live check-in per invitee is enforced by a partial unique index, so when two staff scan
the same pass at the same instant the database lets one in and the other is answered "already".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app.audit.service import record
from app.extensions import db
from app.timefmt import format_datetime, utcnow
from events import rules
from events.checkin import Outcome, PassState, Prior, QueuedScan, decide, replay_order
from events.models.checkin import SCAN_SOURCES, CheckIn, ScanLog
from events.models.events import Event, Invitee, Pass

#: Longest undo reason kept.
REASON_MAX = 500
#: Most scans one offline batch may carry.
BATCH_MAX = 500


class CheckInError(Exception):
    """A refused change; `code` says why ("reason_required", "reason_too_long", "already_undone")."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Person:
    """The invitee as the door shows them (copied before the commit: answering costs no query after it)."""

    id: int
    name: str
    unit: str
    role: str


@dataclass(frozen=True)
class Met:
    """A check-in as the door shows it: made by this scan, or met by it."""

    id: int
    at: datetime
    by: str
    undone: bool


@dataclass
class ScanAnswer:
    """What the door is told about one scan."""

    nonce: str
    outcome: Outcome
    invitee: Invitee | None = None
    #: The check-in this scan made (checked_in) or met (already).
    check_in: CheckIn | None = None
    #: True when the nonce had been answered before (a retry): nothing changed this time.
    replayed: bool = False
    offline: bool = False
    person: Person | None = None
    met: Met | None = None

    def __post_init__(self) -> None:
        if self.invitee is not None and self.person is None:
            i = self.invitee
            self.person = Person(i.id, i.full_name, i.unit, i.role)
        if self.check_in is not None and self.met is None:
            c = self.check_in
            self.met = Met(c.id, c.when, c.by_name, c.undone_at is not None)


def _prior(check_in: CheckIn | None) -> Prior | None:
    if check_in is None:
        return None
    return Prior(at=check_in.when, by=check_in.by_name)


def _live_check_in(invitee_id: int) -> CheckIn | None:
    return db.session.scalar(
        select(CheckIn).where(CheckIn.invitee_id == invitee_id, CheckIn.undone_at.is_(None)).limit(1)
    )


def _logged(event_id: int, nonce: str) -> ScanLog | None:
    return db.session.scalar(
        select(ScanLog)
        .options(joinedload(ScanLog.invitee), joinedload(ScanLog.check_in))
        .where(ScanLog.event_id == event_id, ScanLog.nonce == nonce)
    )


def _from_log(log: ScanLog) -> ScanAnswer:
    return ScanAnswer(
        nonce=log.nonce,
        outcome=Outcome(log.outcome),
        invitee=log.invitee if log.outcome in (Outcome.CHECKED_IN, Outcome.ALREADY) else None,
        check_in=log.check_in,
        replayed=True,
        offline=log.offline,
    )


def find_pass(code: str | None) -> Pass | None:
    """The pass (valid or revoked) whose token a scanned code holds, with its invitee."""
    token = rules.token_from_scan(code or "")
    if token is None:
        return None
    return db.session.scalar(select(Pass).options(joinedload(Pass.invitee)).where(Pass.token == token))


def _state(pass_: Pass | None, event: Event) -> PassState | None:
    if pass_ is None:
        return None
    # A cancelled or waitlisted invitee holds no place, and a cancelled event admits nobody: such a pass admits
    # nobody even if it was not revoked.
    void = not pass_.invitee.holds_place or (pass_.event_id == event.id and event.status == "cancelled")
    return PassState(event_id=pass_.event_id, revoked=pass_.revoked_at is not None or void)


def _hint(code: str | None) -> str:
    text = "".join(ch for ch in (code or "").strip() if ch.isprintable())
    return (text[:6] + "…") if len(text) > 6 else text


@dataclass
class _Scan:
    event: Event
    nonce: str
    staff: object
    device_id: str = ""
    source: str = "scanner"
    client_at: datetime | None = None
    offline: bool = False
    code: str | None = None
    pass_: Pass | None = None


def _attempt(scan: _Scan) -> ScanAnswer:
    """Decide and write one scan (not committed)."""
    pass_ = scan.pass_
    event = scan.event
    own = pass_ is not None and pass_.event_id == event.id
    prior_check_in = _live_check_in(pass_.invitee_id) if own else None
    decision = decide(_state(pass_, event), event.id, _prior(prior_check_in))
    staff_name = getattr(scan.staff, "full_name", "") or ""
    check_in = prior_check_in
    if decision.admits:
        check_in = CheckIn(
            event_id=event.id,
            invitee_id=pass_.invitee_id,
            pass_id=pass_.id,
            client_at=scan.client_at,
            by_id=getattr(scan.staff, "id", None),
            by_name=staff_name[:120],
            device_id=scan.device_id,
            source=scan.source,
            offline=scan.offline,
        )
        db.session.add(check_in)
        db.session.flush()  # the live check-in index answers here when another staff member was quicker
        record(
            "checkin.create",
            check_in,
            actor=scan.staff,
            after={"invitee_id": pass_.invitee_id, "pass_id": pass_.id, "device": scan.device_id},
            summary=pass_.invitee.full_name,
        )
    invitee = pass_.invitee if own and decision.outcome in (Outcome.CHECKED_IN, Outcome.ALREADY) else None
    db.session.add(
        ScanLog(
            event_id=event.id,
            nonce=scan.nonce,
            client_at=scan.client_at,
            staff_id=getattr(scan.staff, "id", None),
            staff_name=staff_name[:120],
            device_id=scan.device_id,
            source=scan.source,
            offline=scan.offline,
            outcome=decision.outcome.value,
            pass_id=pass_.id if own else None,
            invitee_id=pass_.invitee_id if own else None,
            check_in_id=check_in.id if check_in is not None else None,
            code_hint=_hint(scan.code) if pass_ is None else "",
        )
    )
    db.session.flush()
    return ScanAnswer(
        nonce=scan.nonce, outcome=decision.outcome, invitee=invitee, check_in=check_in, offline=scan.offline
    )


def _run(scan: _Scan, reload) -> ScanAnswer:
    """Answer a scan once per nonce, retrying once after losing a race (then the winner's row is visible)."""
    logged = _logged(scan.event.id, scan.nonce)
    if logged is not None:
        return _from_log(logged)
    for attempt in range(2):
        try:
            answer = _attempt(scan)
            db.session.commit()
            return answer
        except IntegrityError:
            db.session.rollback()
            logged = _logged(scan.event.id, scan.nonce)
            if logged is not None:  # the same nonce was answered meanwhile (a retry racing its original)
                return _from_log(logged)
            if attempt:
                raise
            scan.pass_ = reload()  # the rollback expired it; another check-in of its holder now exists
    raise AssertionError("unreachable")


def _source(source: str) -> str:
    return source if source in SCAN_SOURCES else "scanner"


def scan_code(
    event: Event,
    code: str | None,
    *,
    staff,
    nonce: str,
    device_id: str = "",
    source: str = "scanner",
    client_at: datetime | None = None,
    offline: bool = False,
) -> ScanAnswer:
    """Answer and log what a camera or scanner read at `event`'s door; commits."""
    scan = _Scan(
        event=event,
        nonce=nonce,
        staff=staff,
        device_id=device_id,
        source=_source(source),
        client_at=client_at,
        offline=offline,
        code=code,
        pass_=find_pass(code),
    )
    return _run(scan, lambda: find_pass(code))


def check_in_invitee(event: Event, invitee: Invitee, *, staff, nonce: str, device_id: str = "") -> ScanAnswer:
    """Check in someone found by the name search (their valid pass, else their last revoked one); commits."""

    def pass_of() -> Pass | None:
        passes = db.session.scalars(
            select(Pass).options(joinedload(Pass.invitee)).where(Pass.invitee_id == invitee.id).order_by(Pass.id)
        ).all()
        return next((p for p in passes if p.revoked_at is None), passes[-1] if passes else None)

    scan = _Scan(event=event, nonce=nonce, staff=staff, device_id=device_id, source="search", pass_=pass_of())
    return _run(scan, pass_of)


def undo_check_in(check_in: CheckIn, *, by, reason: str) -> CheckIn:
    """Undo a check-in (the person may then be checked in again); a reason is required. Commits."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise CheckInError("reason_required")
    if len(reason) > REASON_MAX:
        raise CheckInError("reason_too_long")
    if check_in.undone_at is not None:
        raise CheckInError("already_undone")
    check_in.undone_at = utcnow()
    check_in.undone_by_id = getattr(by, "id", None)
    check_in.undo_reason = reason
    record(
        "checkin.undo",
        check_in,
        actor=by,
        before={"checked_in_at": check_in.checked_in_at, "by": check_in.by_name},
        after={"undone_at": check_in.undone_at, "reason": reason},
        summary=check_in.invitee.full_name,
    )
    db.session.commit()
    return check_in


def parse_client_time(value) -> datetime | None:
    """A device's ISO 8601 time as naive UTC (None when missing or unreadable)."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed


@dataclass
class BatchResult:
    answers: list[ScanAnswer]
    #: Answers "already" given now to scans made offline: someone came in twice while the device was offline.
    conflicts: list[ScanAnswer]


def replay_batch(event: Event, scans: Iterable[QueuedScan], *, staff, device_id: str = "") -> BatchResult:
    """Replay a console's offline queue in the device's clock order, each scan idempotent by its nonce (a batch
    sent twice changes nothing the second time). Each scan commits on its own: a batch cut short is resumed."""
    answers = [
        scan_code(
            event,
            item.code,
            staff=staff,
            nonce=item.nonce,
            device_id=device_id,
            source="offline",
            client_at=item.client_at,
            offline=True,
        )
        for item in replay_order(scans)
    ]
    conflicts = [a for a in answers if a.outcome is Outcome.ALREADY and a.offline]
    return BatchResult(answers=answers, conflicts=conflicts)


# --- What the door is told ------------------------------------------------------------------------------------


def headline(outcome: Outcome) -> str:
    return {
        Outcome.CHECKED_IN: _("Checked in"),
        Outcome.ALREADY: _("Already checked in"),
        Outcome.WRONG_EVENT: _("Not for this event"),
        Outcome.REVOKED: _("Pass revoked"),
        Outcome.UNKNOWN: _("Unknown code"),
    }[outcome]


def answer_payload(answer: ScanAnswer, role_label=None) -> dict:
    """An answer as JSON for the console and the API: the outcome, a headline in the reader's language, the person
    (name, unit, role) when the pass is this event's, and for "already" when and by whom they were let in."""
    person, met = answer.person, answer.met
    payload: dict = {
        "nonce": answer.nonce,
        "outcome": answer.outcome.value,
        "message": headline(answer.outcome),
        "replayed": answer.replayed,
        "offline": answer.offline,
        "invitee": None,
        "check_in": None,
    }
    if person is not None:
        payload["invitee"] = {
            "id": person.id,
            "name": person.name,
            "unit": person.unit,
            "role": person.role,
            "role_label": str(role_label(person.role)) if role_label else person.role,
        }
    if met is not None and answer.outcome in (Outcome.CHECKED_IN, Outcome.ALREADY):
        payload["check_in"] = {
            "id": met.id,
            "at": met.at.replace(tzinfo=UTC).isoformat().replace("+00:00", "Z"),
            "at_local": format_datetime(met.at),
            "by": met.by,
            "undone": met.undone,
        }
        if answer.outcome is Outcome.ALREADY:
            payload["detail"] = _("at %(time)s by %(name)s", time=format_datetime(met.at), name=met.by)
    return payload
