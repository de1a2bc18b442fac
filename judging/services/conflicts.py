"""Conflicts of interest: found automatically, declared, lifted with a reason."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.audit.service import record, snapshot
from app.extensions import db
from app.timefmt import utcnow
from competitions.models import Contest, Entry
from judging import conflicts as detecting
from judging.models import (
    CONFLICT_SOURCES,
    Conflict,
    Panel,
    PanelMember,
)
from judging.services._common import (
    CONFLICT_FIELDS,
    JudgingError,
    actor_id,
)


def _judge_info(user: User) -> detecting.JudgeInfo:
    units = (user.organisation.name,) if user.organisation is not None and user.organisation.name else ()
    return detecting.JudgeInfo(id=user.id, full_name=user.full_name, email=user.email, id_number="", units=units)


def _entry_info(entry: Entry) -> detecting.EntryInfo:
    people = tuple(
        detecting.PersonInfo(full_name=p.full_name, email=p.email, id_number=p.id_number, unit=p.unit)
        for p in entry.people
    )
    units = tuple(dict.fromkeys(u for u in (entry.entering_organisation, entry.unit_name) if u))
    return detecting.EntryInfo(id=entry.id, people=people, units=units)


def detect_conflicts(contest: Contest, *, by) -> int:
    """Find the "author" and "same_unit" conflicts between the contest's panel members and its entries (all but
    withdrawn ones) and store the new ones; returns how many were added. A conflict already recorded, lifted or
    not, is left as it is (a lifted conflict stays lifted)."""
    judges = list(
        db.session.scalars(
            select(User)
            .join(PanelMember, PanelMember.user_id == User.id)
            .join(Panel, Panel.id == PanelMember.panel_id)
            .where(Panel.contest_id == contest.id)
            .distinct()
            .order_by(User.id)
        )
    )
    entries = db.session.scalars(
        select(Entry)
        .where(Entry.contest_id == contest.id, Entry.status != "withdrawn")
        .options(selectinload(Entry.people))
        .order_by(Entry.id)
    ).unique()
    found = detecting.detect([_judge_info(u) for u in judges], [_entry_info(e) for e in entries])
    known = set(
        db.session.execute(
            select(Conflict.judge_id, Conflict.entry_id, Conflict.kind).where(Conflict.contest_id == contest.id)
        )
    )
    added = 0
    for c in found:
        if (c.judge_id, c.entry_id, c.kind) in known:
            continue
        db.session.add(
            Conflict(
                contest_id=contest.id,
                judge_id=c.judge_id,
                entry_id=c.entry_id,
                kind=c.kind,
                note=c.detail,
                source="auto",
                created_by_id=actor_id(by),
            )
        )
        known.add((c.judge_id, c.entry_id, c.kind))
        added += 1
    db.session.flush()
    record(
        "conflicts.detect",
        contest,
        after={"added": added, "judges": len(judges)},
        summary=str(added),
        actor=by,
    )
    return added


def declare_conflict(judge: User, entry: Entry, kind: str, note: str, *, source: str, by=None) -> Conflict:
    """Record a conflict declared by the judge (`source="judge"`) or by the organizers (`"organizer"`, `by` the
    organizer). Declaring a conflict already recorded updates its note, and puts it back in force if lifted."""
    if kind not in detecting.CONFLICT_KINDS or source not in CONFLICT_SOURCES:
        raise JudgingError("unknown_kind", (kind, source))
    actor = by if by is not None else (judge if source == "judge" else None)
    conflict = db.session.scalar(
        select(Conflict).where(Conflict.judge_id == judge.id, Conflict.entry_id == entry.id, Conflict.kind == kind)
    )
    note = (note or "").strip()
    if conflict is None:
        conflict = Conflict(
            contest_id=entry.contest_id,
            judge_id=judge.id,
            entry_id=entry.id,
            kind=kind,
            note=note,
            source=source,
            created_by_id=actor_id(actor),
        )
        db.session.add(conflict)
        db.session.flush()
        record("conflict.declare", conflict, after=snapshot(conflict, CONFLICT_FIELDS), summary=kind, actor=actor)
        return conflict
    before = snapshot(conflict, CONFLICT_FIELDS)
    if note:
        conflict.note = note
    conflict.source = source
    conflict.lifted_at = None
    conflict.lifted_by_id = None
    conflict.lift_reason = ""
    record(
        "conflict.declare",
        conflict,
        before=before,
        after=snapshot(conflict, CONFLICT_FIELDS),
        summary=kind,
        actor=actor,
    )
    return conflict


def lift_conflict(conflict: Conflict, reason: str, *, by) -> None:
    """Lift a conflict (the organizers judged it harmless), with a reason; the record stays."""
    reason = (reason or "").strip()
    if not reason:
        raise JudgingError("missing_reason")
    if conflict.lifted_at is not None:
        raise JudgingError("already_lifted")
    before = snapshot(conflict, CONFLICT_FIELDS)
    conflict.lifted_at = utcnow()
    conflict.lifted_by_id = actor_id(by)
    conflict.lift_reason = reason
    record(
        "conflict.lift",
        conflict,
        before=before,
        after=snapshot(conflict, CONFLICT_FIELDS),
        summary=reason,
        actor=by,
    )


def active_conflicts(contest_id: int) -> set[tuple[int, int]]:
    """(judge_id, entry_id) of every conflict in force in the contest."""
    return set(
        db.session.execute(
            select(Conflict.judge_id, Conflict.entry_id).where(
                Conflict.contest_id == contest_id, Conflict.lifted_at.is_(None)
            )
        )
    )
