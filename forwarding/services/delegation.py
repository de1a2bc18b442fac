"""The delegation to a level outside this system (the national contest): entries an edition sends on, each a
forward with no destination edition (`to_contest_id` None) naming the outside level. Nothing moves: the entry stays
in the edition, and the delegation's exports (registration sheet, dossiers) are made from it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.audit.service import record
from app.extensions import db
from app.timefmt import utcnow
from competitions.models import Contest, Entry
from forwarding.models import BASES, Forward
from forwarding.rules import Problem
from forwarding.services._common import ForwardingError, actor_id
from forwarding.services.forwards import withdraw_forward
from forwarding.services.lower import LowerResult, lower_results

#: What the national level is called by default, per kind of contest (data the organizers may change).
EXTERNAL_LEVELS = {
    "innovation": "Hội thi Sáng tạo kỹ thuật toàn quốc",
    "youth": "Cuộc thi Sáng tạo dành cho thanh thiếu niên nhi đồng toàn quốc",
}
MAX_LEVEL = 120


def delegation_query(contest: Contest):
    """The forwards in force from `contest` to the outside level."""
    return select(Forward).where(
        Forward.from_contest_id == contest.id, Forward.to_contest_id.is_(None), Forward.withdrawn_at.is_(None)
    )


def delegation(contest: Contest) -> list[Forward]:
    """The edition's delegation: its forwards in force to the outside level, with their entries, people and
    documents loaded (a bounded number of queries), by field and code."""
    forwards = db.session.scalars(
        delegation_query(contest).options(
            selectinload(Forward.entry).selectinload(Entry.people),
            selectinload(Forward.entry).selectinload(Entry.documents),
        )
    ).all()
    positions = {f.id: f.position for f in contest.fields}
    return sorted(forwards, key=lambda f: (positions.get(f.entry.field_id, 10**6), f.entry.code or "", f.entry_id))


@dataclass(frozen=True)
class DelegationCandidate:
    entry: Entry
    result: LowerResult
    delegated: bool


def delegation_candidates(contest: Contest) -> list[DelegationCandidate]:
    """The edition's eligible entries with their result in it and whether they are in the delegation already."""
    entries = db.session.scalars(
        select(Entry).where(Entry.contest_id == contest.id, Entry.status == "eligible").order_by(Entry.code, Entry.id)
    ).all()
    results = lower_results(contest) if entries else {}
    delegated = set(db.session.scalars(delegation_query(contest).with_only_columns(Forward.entry_id)))
    positions = {f.id: f.position for f in contest.fields}
    rows = [DelegationCandidate(e, results.get(e.id, LowerResult()), e.id in delegated) for e in entries]
    rows.sort(
        key=lambda r: (
            positions.get(r.entry.field_id, 10**6),
            r.result.award_position is None,
            r.result.award_position or 0,
            r.entry.code or "",
        )
    )
    return rows


def add_to_delegation(
    contest: Contest,
    entries: list[Entry],
    external_level: str,
    basis: str,
    *,
    by,
    results: dict[int, LowerResult] | None = None,
) -> list[Forward]:
    """Put eligible entries of `contest` into its delegation to `external_level` (an edition with a parent forwards
    to its parent instead); refused whole otherwise. Audited "entry.delegate" on each entry, with its result
    (`results`: the edition's `lower_results` when the caller has them already, worked out otherwise)."""
    if basis not in BASES:
        raise ValueError(basis)
    level = " ".join((external_level or "").split())
    unique = list({e.id: e for e in entries}.values())
    problems: list[Problem] = []
    if contest.parent_id is not None:
        raise ForwardingError("has_parent")
    if not level:
        problems.append(Problem("level_required"))
    elif len(level) > MAX_LEVEL:
        problems.append(Problem("level_too_long"))
    if not unique:
        problems.append(Problem("nothing_chosen"))
    delegated = set(db.session.scalars(delegation_query(contest).with_only_columns(Forward.entry_id)))
    checks = (
        ("not_in_child", lambda e: e.contest_id != contest.id),
        ("already_forwarded", lambda e: e.contest_id == contest.id and e.id in delegated),
        ("not_eligible", lambda e: e.contest_id == contest.id and e.id not in delegated and e.status != "eligible"),
    )
    for code, failing in checks:
        codes = tuple(e.code or "" for e in unique if failing(e))
        if codes:
            problems.append(Problem(code, codes))
    if problems:
        raise ForwardingError(problems)
    if results is None:
        results = lower_results(contest)
    now = utcnow()
    made = []
    for entry in unique:
        lower = results.get(entry.id, LowerResult()).as_record()
        forward = Forward(
            entry=entry,
            from_contest_id=contest.id,
            to_contest_id=None,
            external_level=level,
            basis=basis,
            from_seq=entry.seq,
            from_status=entry.status,
            from_field_id=entry.field_id,
            from_age_group_id=entry.age_group_id,
            from_document_types={},
            lower_result=lower,
            forwarded_at=now,
            forwarded_by_id=actor_id(by),
        )
        db.session.add(forward)
        db.session.flush()
        record(
            "entry.delegate",
            entry,
            after={"external_level": level, "basis": basis, "lower_result": lower, "forward_id": forward.id},
            summary=f"{contest.name} → {level}",
            actor=by,
        )
        made.append(forward)
    return made


def remove_from_delegation(forward: Forward, reason: str, *, by) -> None:
    """Take an entry out of the delegation, with a reason; audited "entry.delegate_remove"."""
    if forward.to_contest_id is not None:
        raise ValueError("not a delegation forward")
    withdraw_forward(forward, reason, by=by)
