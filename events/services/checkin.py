"""Scans at the door: answer each one, log it, let each person in once, undo a check-in, replay an offline queue.

A scan costs one query to read everything its answer depends on (the event, the pass with its holder and the
holder's live check-in, and whether its nonce was answered before), then its writes (the check-in with its audit
entry when it admits, and always its log row) and one commit. On PostgreSQL the three writes of a scan that admits
are one statement (`_admission`, data-modifying CTEs), all or nothing by itself: the API and the console run scans
without a transaction (`app.reads.autocommit_session`), each statement committed on its own. SQLite runs the
writes one by one in a transaction.

Two unique indexes make retries and races safe, written as INSERT ... ON CONFLICT DO NOTHING (PostgreSQL and
SQLite alike) so a lost race is a normal answer, not an error:

- at most one live check-in per invitee (a partial unique index): when two staff scan the same pass at the same
  instant the database lets one in, and the other scan finds nothing inserted, reads the winner's check-in and
  answers "already";
- the scan log is unique per (event, client nonce): a retry finds its first answer in the read, and a retry racing
  its original finds its log row taken, rolls back whatever it wrote and answers what the original answered.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import NamedTuple

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import String, and_, bindparam, cast, false, func, literal, select, true
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from sqlalchemy.sql.dml import Insert

from app.audit.models import AuditEntry
from app.audit.service import entry_values, record
from app.extensions import db
from app.reads import column_rows
from app.timefmt import format_datetime, utcnow
from events import rules
from events.checkin import Outcome, PassState, Prior, QueuedScan, decide, replay_order
from events.models.checkin import SCAN_SOURCES, CheckIn, ScanLog
from events.models.events import ATTENDING_STATUSES, Event, Invitee, Pass

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
    """The invitee as the door shows them."""

    id: int
    name: str
    unit: str
    role: str

    @classmethod
    def of(cls, invitee: Invitee) -> Person:
        return cls(invitee.id, invitee.full_name, invitee.unit, invitee.role)


@dataclass(frozen=True)
class Met:
    """A check-in as the door shows it: made by this scan, or met by it."""

    id: int
    at: datetime
    by: str
    undone: bool = False

    @classmethod
    def of(cls, check_in: CheckIn) -> Met:
        return cls(check_in.id, check_in.when, check_in.by_name, check_in.undone_at is not None)


@dataclass(frozen=True)
class ScanAnswer:
    """What the door is told about one scan: plain values, so answering costs no query after the commit."""

    nonce: str
    outcome: Outcome
    #: The holder, when the pass is this event's and admits or admitted them (checked_in, already).
    person: Person | None = None
    #: The check-in this scan made (checked_in) or met (already).
    met: Met | None = None
    #: True when the nonce had been answered before (a retry): nothing changed this time.
    replayed: bool = False
    offline: bool = False

    @property
    def invitee(self) -> Invitee | None:
        """The holder's record, loaded when a caller asks for it (the door's answer needs `person` only)."""
        return db.session.get(Invitee, self.person.id) if self.person is not None else None

    @property
    def check_in(self) -> CheckIn | None:
        """The check-in's record, loaded when a caller asks for it (to undo it, say)."""
        return db.session.get(CheckIn, self.met.id) if self.met is not None else None


@dataclass
class _Scan:
    """One scan to answer: where, what was read (`pass_match` selects its pass), and who, how and when."""

    event_id: int
    nonce: str
    staff: object
    #: How `_resolve` finds the pass: ("token", token), ("id", pass id) or ("none", None).
    pass_match: tuple[str, str | int | None]
    code: str | None = None
    device_id: str = ""
    source: str = "scanner"
    client_at: datetime | None = None
    offline: bool = False

    @property
    def staff_id(self) -> int | None:
        return getattr(self.staff, "id", None)

    @property
    def staff_name(self) -> str:
        return (getattr(self.staff, "full_name", "") or "")[:120]


@cache
def _resolve_statement(match: str):
    """The query `_resolve` runs, built once per way of finding the pass ("token", "id", or "none": what was
    read cannot be a token); its values are bound at each execution."""
    pass_match = {"token": Pass.token == bindparam("token"), "id": Pass.id == bindparam("pass_id"), "none": false()}
    live = and_(CheckIn.invitee_id == Pass.invitee_id, CheckIn.undone_at.is_(None), Pass.event_id == Event.id)
    return (
        select(
            Event.status.label("event_status"),
            ScanLog.id.label("logged_id"),
            Pass.id.label("pass_id"),
            Pass.event_id.label("pass_event_id"),
            Pass.revoked_at,
            Pass.invitee_id,
            Invitee.full_name,
            Invitee.unit,
            Invitee.role,
            Invitee.status.label("invitee_status"),
            CheckIn.id.label("check_in_id"),
            CheckIn.checked_in_at,
            CheckIn.client_at,
            CheckIn.by_name,
        )
        .select_from(Event)
        .outerjoin(ScanLog, and_(ScanLog.event_id == Event.id, ScanLog.nonce == bindparam("nonce")))
        .outerjoin(Pass, pass_match[match])
        .outerjoin(Invitee, Invitee.id == Pass.invitee_id)
        .outerjoin(CheckIn, live)
        .where(Event.id == bindparam("event_id"))
    )


def _resolve(scan: _Scan):
    """Everything the answer to `scan` depends on, in one query (None when the event does not exist): the event's
    status, the scan logged earlier under its nonce, the pass with its holder, and the holder's live check-in (read
    only when the pass is this event's). Each join meets at most one row (unique token, nonce and live check-in)."""
    match, value = scan.pass_match
    params = {"event_id": scan.event_id, "nonce": scan.nonce}
    if match == "token":
        params["token"] = value
    elif match == "id":
        params["pass_id"] = value
    return column_rows(_resolve_statement(match), params).first()


def _state(found, event_id: int) -> PassState | None:
    if found.pass_id is None:
        return None
    # A cancelled or waitlisted invitee holds no place, and a cancelled event admits nobody: such a pass admits
    # nobody even if it was not revoked.
    void = found.invitee_status not in ATTENDING_STATUSES or (
        found.pass_event_id == event_id and found.event_status == "cancelled"
    )
    return PassState(event_id=found.pass_event_id, revoked=found.revoked_at is not None or void)


class _Inserts(NamedTuple):
    check_in: Insert
    log: Insert
    audit: Insert


@cache
def _inserts(dialect: str) -> _Inserts:
    """The scan's INSERTs in `dialect` (PostgreSQL or SQLite), built once: a check-in, skipped when its holder has
    a live one, and a log row, skipped when its nonce is logged (both ON CONFLICT DO NOTHING RETURNING id); the
    check-in's audit entry (a plain INSERT: the session's unit of work costs more than the scan's own writes)."""
    insert = (postgresql if dialect == "postgresql" else sqlite).insert
    check_ins, logs = CheckIn.__table__, ScanLog.__table__
    check_in = (
        insert(check_ins)
        .on_conflict_do_nothing(index_elements=[check_ins.c.invitee_id], index_where=check_ins.c.undone_at.is_(None))
        .returning(check_ins.c.id)
    )
    log = insert(logs).on_conflict_do_nothing(index_elements=[logs.c.event_id, logs.c.nonce]).returning(logs.c.id)
    return _Inserts(check_in, log, insert(AuditEntry.__table__))


def _dialect() -> str:
    return db.session.get_bind().dialect.name


@cache
def _holder_in_first() -> str:
    """The name of the foreign key that fails `_admission` when another scan let the holder in first: its log row's
    check-in was not written."""
    (key,) = ScanLog.__table__.c.check_in_id.foreign_keys
    return key.constraint.name


@cache
def _admission():
    """PostgreSQL: a scan that admits, written in one statement (data-modifying CTEs) instead of three, all or
    nothing: the log row that says "checked_in" (skipped when its nonce is logged), with the id the check-in will
    have (taken from its sequence); the check-in, written only when the log row was (skipped when its holder has a
    live one); and the check-in's audit entry, written only when the check-in was.

    It answers one row (log id, check-in id); no row when the nonce was logged meanwhile (a retry racing its
    original: nothing was written). When another scan let the holder in after this one's read, the log row names a
    check-in that was not written, and the whole statement fails on the log's foreign key (`_holder_in_first`):
    nothing was written either. So the statement needs no transaction around it, and no rollback undoes half of it.
    Its values are bound at each execution (the names of `_admit_at_once`)."""
    check_ins, logs, audit = CheckIn.__table__, ScanLog.__table__, AuditEntry.__table__

    def value(name: str, column):
        return bindparam(name, type_=column.type)

    c, lc, ac = check_ins.c, logs.c, audit.c
    new_id = (
        select(func.nextval(func.pg_get_serial_sequence(check_ins.name, c.id.name)).label("id"))
        .cte("new_id")
        .prefix_with("MATERIALIZED", dialect="postgresql")  # one id, taken once
    )
    log_columns = {
        lc.event_id: value("event_id", lc.event_id),
        lc.nonce: value("nonce", lc.nonce),
        lc.scanned_at: value("now", lc.scanned_at),
        lc.client_at: value("client_at", lc.client_at),
        lc.staff_id: value("staff_id", lc.staff_id),
        lc.staff_name: value("staff_name", lc.staff_name),
        lc.device_id: value("device_id", lc.device_id),
        lc.source: value("source", lc.source),
        lc.offline: value("offline", lc.offline),
        lc.outcome: literal(Outcome.CHECKED_IN.value, lc.outcome.type),
        lc.pass_id: value("pass_id", lc.pass_id),
        lc.invitee_id: value("invitee_id", lc.invitee_id),
        lc.check_in_id: new_id.c.id,
        lc.code_hint: literal("", lc.code_hint.type),
    }
    logged = (
        postgresql.insert(logs)
        .from_select(list(log_columns), select(*log_columns.values()).select_from(new_id))
        .on_conflict_do_nothing(index_elements=[lc.event_id, lc.nonce])
        .returning(lc.id, lc.check_in_id)
        .cte("logged")
    )
    check_in_columns = {
        c.id: logged.c.check_in_id,
        c.event_id: value("event_id", c.event_id),
        c.invitee_id: value("invitee_id", c.invitee_id),
        c.pass_id: value("pass_id", c.pass_id),
        c.checked_in_at: value("now", c.checked_in_at),
        c.client_at: value("client_at", c.client_at),
        c.by_id: value("staff_id", c.by_id),
        c.by_name: value("staff_name", c.by_name),
        c.device_id: value("device_id", c.device_id),
        c.source: value("source", c.source),
        c.offline: value("offline", c.offline),
        c.undo_reason: literal("", c.undo_reason.type),
    }
    checked = (
        postgresql.insert(check_ins)
        .from_select(list(check_in_columns), select(*check_in_columns.values()).select_from(logged))
        .on_conflict_do_nothing(index_elements=[c.invitee_id], index_where=c.undone_at.is_(None))
        .returning(c.id)
        .cte("checked")
    )
    audit_columns = {
        ac.created_at: value("now", ac.created_at),
        ac.actor_id: value("actor_id", ac.actor_id),
        ac.actor_label: value("actor_label", ac.actor_label),
        ac.action: value("action", ac.action),
        ac.object_type: value("object_type", ac.object_type),
        ac.object_id: cast(checked.c.id, String),
        ac.summary: value("summary", ac.summary),
        ac.before: value("before", ac.before),
        ac.after: value("after", ac.after),
        ac.ip: value("ip", ac.ip),
    }
    audited = (
        postgresql.insert(audit)
        .from_select(list(audit_columns), select(*audit_columns.values()).select_from(checked))
        .cte("audited")
    )
    return (
        select(logged.c.id.label("log_id"), checked.c.id.label("check_in_id"))
        .select_from(logged.outerjoin(checked, true()))
        .add_cte(audited)
    )


def _check_in_entry(scan: _Scan, found, check_in_id: int | None) -> dict:
    """The audit entry's values for the check-in `scan` makes (`check_in_id`, when already known)."""
    return entry_values(
        "checkin.create",
        actor=scan.staff,
        object_type=CheckIn.__tablename__,
        object_id=check_in_id,
        after={"invitee_id": found.invitee_id, "pass_id": found.pass_id, "device": scan.device_id},
        summary=found.full_name,
    )


def _admit_at_once(scan: _Scan, found, now: datetime) -> tuple[Outcome, Met] | None:
    """PostgreSQL: let the holder in, log the scan and audit the check-in in one statement (`_admission`), which
    commits on its own when the session runs without a transaction (`app.reads.autocommit_session`). Answers
    (checked_in, the check-in) once written; (already, the live check-in) when another scan let the holder in after
    this one's read (nothing written: the caller logs the scan); None when the nonce was logged meanwhile (nothing
    written)."""
    audit = _check_in_entry(scan, found, None)
    del audit["object_id"]  # the check-in's id, known in the statement only
    values = audit | {
        "event_id": scan.event_id,
        "invitee_id": found.invitee_id,
        "pass_id": found.pass_id,
        "now": now,
        "client_at": scan.client_at,
        "staff_id": scan.staff_id,
        "staff_name": scan.staff_name,
        "device_id": scan.device_id,
        "source": scan.source,
        "offline": scan.offline,
        "nonce": scan.nonce,
    }
    for _attempt in range(2):  # a second time only if the winner's check-in was undone in between
        try:
            row = column_rows(_admission(), values).first()
        except IntegrityError as exc:
            if getattr(getattr(exc.orig, "diag", None), "constraint_name", None) != _holder_in_first():
                raise
            db.session.rollback()  # ends the failed transaction, if the session had one
            winner = _live_check_in(found.invitee_id)
            if winner is not None:
                return Outcome.ALREADY, winner
            continue
        if row is None:
            return None
        return Outcome.CHECKED_IN, Met(row.check_in_id, scan.client_at or now, scan.staff_name)
    raise RuntimeError("a live check-in was neither inserted nor found")


def _live_check_in(invitee_id: int) -> Met | None:
    """The holder's live check-in, read after a concurrent scan let them in first."""
    row = db.session.execute(
        select(CheckIn.id, CheckIn.checked_in_at, CheckIn.client_at, CheckIn.by_name).where(
            CheckIn.invitee_id == invitee_id, CheckIn.undone_at.is_(None)
        )
    ).first()
    return None if row is None else Met(row.id, row.client_at or row.checked_in_at, row.by_name)


def _admit(scan: _Scan, found, now: datetime) -> tuple[Outcome, Met]:
    """Check the holder in, unless another scan did first (then "already" with that check-in; not committed)."""
    values = {
        "event_id": scan.event_id,
        "invitee_id": found.invitee_id,
        "pass_id": found.pass_id,
        "checked_in_at": now,
        "client_at": scan.client_at,
        "by_id": scan.staff_id,
        "by_name": scan.staff_name,
        "device_id": scan.device_id,
        "source": scan.source,
        "offline": scan.offline,
    }
    for _attempt in range(2):  # a second time only if the winner's check-in was undone in between
        inserted = db.session.execute(_inserts(_dialect()).check_in, values).scalar()
        if inserted is not None:
            return Outcome.CHECKED_IN, Met(inserted, scan.client_at or now, scan.staff_name)
        winner = _live_check_in(found.invitee_id)
        if winner is not None:
            return Outcome.ALREADY, winner
    raise RuntimeError("a live check-in was neither inserted nor found")


def _log(scan: _Scan, found, outcome: Outcome, met: Met | None, own: bool, now: datetime) -> bool:
    """Log the scan (not committed); False when its nonce was logged meanwhile by a concurrent request."""
    values = {
        "event_id": scan.event_id,
        "nonce": scan.nonce,
        "scanned_at": now,
        "client_at": scan.client_at,
        "staff_id": scan.staff_id,
        "staff_name": scan.staff_name,
        "device_id": scan.device_id,
        "source": scan.source,
        "offline": scan.offline,
        "outcome": outcome.value,
        "pass_id": found.pass_id if own else None,
        "invitee_id": found.invitee_id if own else None,
        "check_in_id": met.id if met is not None else None,
        "code_hint": _hint(scan.code) if found.pass_id is None else "",
    }
    return db.session.execute(_inserts(_dialect()).log, values).scalar() is not None


def _replayed(event_id: int, nonce: str) -> ScanAnswer:
    """The answer given to the nonce's first request, told again (nothing changes)."""
    log = db.session.scalars(
        select(ScanLog)
        .options(joinedload(ScanLog.invitee), joinedload(ScanLog.check_in))
        .where(ScanLog.event_id == event_id, ScanLog.nonce == nonce)
    ).one()
    outcome = Outcome(log.outcome)
    shows_person = log.invitee is not None and outcome in (Outcome.CHECKED_IN, Outcome.ALREADY)
    return ScanAnswer(
        nonce=log.nonce,
        outcome=outcome,
        person=Person.of(log.invitee) if shows_person else None,
        met=Met.of(log.check_in) if log.check_in is not None else None,
        replayed=True,
        offline=log.offline,
    )


def _hint(code: str | None) -> str:
    text = "".join(ch for ch in (code or "").strip() if ch.isprintable())
    return (text[:6] + "…") if len(text) > 6 else text


def _run(scan: _Scan) -> ScanAnswer | None:
    """Answer, write and commit one scan, once per nonce (None when the event does not exist). On PostgreSQL each
    write is one statement that stands alone (the admission, or the log row), so the scan is whole or not written
    at all whether or not the session runs in a transaction."""
    found = _resolve(scan)
    if found is None:
        return None
    if found.logged_id is not None:
        return _replayed(scan.event_id, scan.nonce)
    own = found.pass_id is not None and found.pass_event_id == scan.event_id
    met = None
    if found.check_in_id is not None:
        met = Met(found.check_in_id, found.client_at or found.checked_in_at, found.by_name)
    prior = Prior(at=met.at, by=met.by) if met is not None else None
    decision = decide(_state(found, scan.event_id), scan.event_id, prior)
    outcome, now = decision.outcome, utcnow()
    if decision.admits and _dialect() == "postgresql":
        admitted = _admit_at_once(scan, found, now)
        if admitted is None:  # a retry racing its original: nothing written, tell the original's answer
            return _replayed(scan.event_id, scan.nonce)
        outcome, met = admitted
        if outcome is Outcome.CHECKED_IN:
            db.session.commit()
            return _answer(scan, found, outcome, met)
        # another scan let the holder in after this one's read: logged below as "already"
    elif decision.admits:
        outcome, met = _admit(scan, found, now)
    if not _log(scan, found, outcome, met, own, now):
        db.session.rollback()  # a retry racing its original: undo this one's check-in, tell the original's answer
        return _replayed(scan.event_id, scan.nonce)
    if outcome is Outcome.CHECKED_IN:  # SQLite: the check-in written by `_admit`
        db.session.execute(_inserts(_dialect()).audit, _check_in_entry(scan, found, met.id))
    db.session.commit()
    return _answer(scan, found, outcome, met)


def _answer(scan: _Scan, found, outcome: Outcome, met: Met | None) -> ScanAnswer:
    own = found.pass_id is not None and found.pass_event_id == scan.event_id
    shows_person = own and outcome in (Outcome.CHECKED_IN, Outcome.ALREADY)
    person = Person(found.invitee_id, found.full_name, found.unit, found.role) if shows_person else None
    return ScanAnswer(nonce=scan.nonce, outcome=outcome, person=person, met=met, offline=scan.offline)


def _source(source: str) -> str:
    return source if source in SCAN_SOURCES else "scanner"


def _by_token(code: str | None) -> tuple[str, str | None]:
    """How `_resolve` finds the pass of what a camera or scanner read (nothing, when it cannot be a token)."""
    token = rules.token_from_scan(code or "")
    return ("token", token) if token is not None else ("none", None)


def scan_at(
    event_id: int,
    code: str | None,
    *,
    staff,
    nonce: str,
    device_id: str = "",
    source: str = "scanner",
    client_at: datetime | None = None,
    offline: bool = False,
) -> ScanAnswer | None:
    """Answer and log what a camera or scanner read at the door of event `event_id`; commits. None when there is
    no such event (the caller checked the staff member's right to its door)."""
    return _run(
        _Scan(
            event_id=event_id,
            nonce=nonce,
            staff=staff,
            pass_match=_by_token(code),
            code=code,
            device_id=device_id,
            source=_source(source),
            client_at=client_at,
            offline=offline,
        )
    )


def scan_code(event: Event, code: str | None, **options) -> ScanAnswer:
    """Answer and log what a camera or scanner read at `event`'s door (options as `scan_at`'s); commits."""
    answer = scan_at(event.id, code, **options)
    assert answer is not None  # the event was loaded, so it exists
    return answer


def check_in_invitee(event: Event, invitee: Invitee, *, staff, nonce: str, device_id: str = "") -> ScanAnswer:
    """Check in someone found by the name search (their valid pass, else their last revoked one); commits."""
    passes = db.session.execute(
        select(Pass.id, Pass.revoked_at).where(Pass.invitee_id == invitee.id).order_by(Pass.id)
    ).all()
    chosen = next((p for p in passes if p.revoked_at is None), passes[-1] if passes else None)
    match = ("id", chosen.id) if chosen is not None else ("none", None)
    answer = _run(_Scan(event_id=event.id, nonce=nonce, staff=staff, pass_match=match, source="search"))
    assert answer is not None
    return answer


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


#: The headline of each outcome (translated when shown: one lookup per answer).
HEADLINES = {
    Outcome.CHECKED_IN: _l("Checked in"),
    Outcome.ALREADY: _l("Already checked in"),
    Outcome.WRONG_EVENT: _l("Not for this event"),
    Outcome.REVOKED: _l("Pass revoked"),
    Outcome.UNKNOWN: _l("Unknown code"),
}


def headline(outcome: Outcome) -> str:
    return str(HEADLINES[outcome])


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
