"""Forwarding entries from a child edition to its parent, and withdrawing a forward.

A forward MOVES the entry (the same row: its authors, documents and their files, audit history, and the child's
rounds, sheets and awards keep pointing at it) into the parent: its contest, field, age group and documents' types
become the parent's matching ones (linked by `parent_id`), it loses its number in the child (codes are unique across
the system, so it keeps its code) and awaits the parent's screening. What it was in the child stays in the
`Forward` row, and a withdrawal puts every bit of it back. Each change is audited on the entry; the caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.audit.service import record, snapshot
from app.extensions import db
from app.timefmt import utcnow
from competitions.models import Contest, DocumentType, Entry
from forwarding import rules
from forwarding.models import BASES, Forward
from forwarding.rules import Problem
from forwarding.services._common import ENTRY_MOVE_FIELDS, FORWARDING_FIELDS, ForwardingError, actor_id
from forwarding.services.lower import LowerResult, lower_results
from judging.models import Round, RoundEntry


@dataclass(frozen=True)
class Placement:
    """Where an entry of the child lands in the parent: its field, age group and each document's type."""

    field_id: int | None
    age_group_id: int | None
    document_types: dict[int, int | None]


def placement_in(parent: Contest, entry: Entry) -> Placement | None:
    """The parent's field, age group and document types matching the entry's (through their `parent_id`), or None
    when one of them has no match in the parent (a list the child added to itself)."""
    fields = {f.id for f in parent.fields}
    groups = {a.id for a in parent.age_groups}
    types = {d.id for d in parent.document_types}
    field_id = age_group_id = None
    if entry.field_id is not None:
        field_id = entry.field.parent_id if entry.field is not None else None
        if field_id not in fields:
            return None
    if entry.age_group_id is not None:
        age_group_id = entry.age_group.parent_id if entry.age_group is not None else None
        if age_group_id not in groups:
            return None
    documents: dict[int, int | None] = {}
    for doc in entry.documents:
        if doc.document_type_id is None:
            documents[doc.id] = None
            continue
        target = doc.document_type.parent_id if doc.document_type is not None else None
        if target not in types:
            return None
        documents[doc.id] = target
    return Placement(field_id, age_group_id, documents)


# --- Where a child stands ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ForwardingState:
    """A child edition's forwarding now: its parent, the parent's window, its quota, used and left."""

    parent: Contest | None
    window: str
    opens_at: datetime | None
    closes_at: datetime | None
    quota: int | None
    used: int

    @property
    def left(self) -> int | None:
        return rules.quota_left(self.quota, self.used)

    @property
    def open(self) -> bool:
        return self.parent is not None and self.window == "open"


def active_forwards_query(child: Contest):
    """The forwards in force from `child` to its parent."""
    return select(Forward).where(
        Forward.from_contest_id == child.id,
        Forward.to_contest_id == child.parent_id,
        Forward.to_contest_id.is_not(None),
        Forward.withdrawn_at.is_(None),
    )


def forwarding_state(child: Contest, now: datetime | None = None) -> ForwardingState:
    parent = child.parent
    if parent is None:
        return ForwardingState(None, "unset", None, None, None, 0)
    used = db.session.scalar(select(func.count()).select_from(active_forwards_query(child).subquery())) or 0
    return ForwardingState(
        parent,
        rules.window_state(parent.forward_opens_at, parent.forward_closes_at, now or utcnow()),
        parent.forward_opens_at,
        parent.forward_closes_at,
        rules.quota_for(child.quota_at_parent, parent.forward_quota),
        used,
    )


@dataclass(frozen=True)
class CandidateRow:
    """An eligible entry of the child with its result there; `placement` None when it cannot go to the parent."""

    entry: Entry
    result: LowerResult
    placement: Placement | None

    @property
    def ranking(self) -> rules.Ranking:
        return rules.Ranking(
            self.entry.id, self.entry.code or "", self.result.rank, self.result.score, self.result.award_position
        )


def candidates(child: Contest) -> list[CandidateRow]:
    """The child's eligible entries (those still in it: a forwarded entry has moved), by field and code, with their
    rank, score and award in the child. A bounded number of queries."""
    entries = db.session.scalars(
        select(Entry)
        .where(Entry.contest_id == child.id, Entry.status == "eligible")
        .options(selectinload(Entry.documents))
        .order_by(Entry.code, Entry.id)
    ).all()
    results = lower_results(child) if entries else {}
    parent = child.parent
    positions = {f.id: f.position for f in child.fields}
    rows = [
        CandidateRow(e, results.get(e.id, LowerResult()), placement_in(parent, e) if parent is not None else None)
        for e in entries
    ]
    rows.sort(key=lambda r: (positions.get(r.entry.field_id, 10**6), r.result.rank or 10**6, r.entry.code or ""))
    return rows


# --- Forwarding ------------------------------------------------------------------------------------------------


def forward_entries(
    child: Contest, entries: list[Entry], basis: str, *, by, now: datetime | None = None
) -> list[Forward]:
    """Forward `entries` of `child` to its parent, within the parent's window and the child's quota; refused whole
    (ForwardingError with every reason) otherwise. Each entry moves into the parent awaiting its screening, its
    result in the child kept with the forward; audited "entry.forward" on the entry."""
    if basis not in BASES:
        raise ValueError(basis)
    now = now or utcnow()
    state = forwarding_state(child, now)
    parent = state.parent
    forwarded = set(db.session.scalars(active_forwards_query(child).with_only_columns(Forward.entry_id)))
    unique = list({e.id: e for e in entries}.values())
    placements = {e.id: placement_in(parent, e) if parent is not None else None for e in unique}
    chosen = [
        rules.Candidate(
            e.id,
            e.code or "",
            e.status,
            in_child=e.contest_id == child.id,
            forwarded=e.id in forwarded,
            mappable=placements[e.id] is not None,
        )
        for e in unique
    ]
    problems = rules.forward_problems(
        chosen, has_parent=parent is not None, window=state.window, quota=state.quota, used=state.used
    )
    if problems:
        raise ForwardingError(problems)
    assert parent is not None  # forward_problems said "no_parent" otherwise
    results = lower_results(child)
    made = []
    for entry in unique:
        placement = placements[entry.id]
        assert placement is not None
        lower = results.get(entry.id, LowerResult()).as_record()
        lower["screening"] = {
            "note": entry.screening_note,
            "by": entry.screened_by_id,
            "at": entry.screened_at.isoformat() if entry.screened_at else None,
        }
        forward = Forward(
            entry=entry,
            from_contest_id=child.id,
            to_contest_id=parent.id,
            basis=basis,
            from_seq=entry.seq,
            from_status=entry.status,
            from_field_id=entry.field_id,
            from_age_group_id=entry.age_group_id,
            from_document_types={str(d.id): d.document_type_id for d in entry.documents},
            lower_result=lower,
            forwarded_at=now,
            forwarded_by_id=actor_id(by),
        )
        db.session.add(forward)
        before = snapshot(entry, ENTRY_MOVE_FIELDS)
        entry.contest = parent
        entry.seq = None
        entry.status = "submitted"
        entry.field_id = placement.field_id
        entry.age_group_id = placement.age_group_id
        entry.screening_note = ""
        entry.screened_by_id = None
        entry.screened_at = None
        for doc in entry.documents:
            doc.document_type_id = placement.document_types.get(doc.id)
        db.session.flush()
        record(
            "entry.forward",
            entry,
            before=before,
            after=snapshot(entry, ENTRY_MOVE_FIELDS)
            | {"basis": basis, "lower_result": lower, "forward_id": forward.id},
            summary=f"{child.name} → {parent.name}",
            actor=by,
        )
        made.append(forward)
    return made


# --- Withdrawing ---------------------------------------------------------------------------------------------


def in_round(contest_id: int, entry_ids) -> set[int]:
    """Which of `entry_ids` are in a judging round of `contest_id` (one query)."""
    ids = list(entry_ids)
    if not ids:
        return set()
    return set(
        db.session.scalars(
            select(RoundEntry.entry_id)
            .join(Round, Round.id == RoundEntry.round_id)
            .where(Round.contest_id == contest_id, RoundEntry.entry_id.in_(ids))
            .distinct()
        )
    )


def withdraw_problems(forward: Forward, *, in_target_round: bool | None = None, now: datetime | None = None):
    """What stands in the way of withdrawing `forward` now (`forwarding.rules.withdraw_problems`); `in_target_round`
    may be given when the caller already knows it (a list asks for all its rows in one query)."""
    entry = forward.entry
    external = forward.to_contest_id is None
    window = "unset"
    if not external and forward.to_contest is not None:
        target = forward.to_contest
        window = rules.window_state(target.forward_opens_at, target.forward_closes_at, now or utcnow())
    if in_target_round is None:
        in_target_round = not external and entry.id in in_round(forward.to_contest_id, [entry.id])
    return rules.withdraw_problems(
        active=forward.active,
        external=external,
        window=window,
        entry_in_target=external or entry.contest_id == forward.to_contest_id,
        in_target_round=bool(in_target_round),
        entry_status=entry.status,
    )


def _child_type(child: Contest, parent_type_id: int | None) -> int | None:
    """The child's document type matching a parent's (for a document added while the entry was in the parent)."""
    if parent_type_id is None:
        return None
    return db.session.scalar(
        select(DocumentType.id).where(DocumentType.contest_id == child.id, DocumentType.parent_id == parent_type_id)
    )


def withdraw_forward(forward: Forward, reason: str, *, by, now: datetime | None = None) -> None:
    """Withdraw a forward with a reason: a forward to the parent puts the entry back into the child exactly as it
    was (number, status, field, age group, documents' types, screening), allowed until the parent's window closes
    and while the entry is in none of the parent's rounds; audited "entry.forward_withdraw". A forward out of the
    system (the national delegation) is simply ended; audited "entry.delegate_remove"."""
    reason = (reason or "").strip()
    now = now or utcnow()
    problems = withdraw_problems(forward, now=now)
    if not reason:
        problems = [*problems, Problem("reason_required")]
    if problems:
        raise ForwardingError(problems)
    entry = forward.entry
    external = forward.to_contest_id is None
    before = snapshot(entry, ENTRY_MOVE_FIELDS)
    if not external:
        child = forward.from_contest
        screening = (forward.lower_result or {}).get("screening") or {}
        entry.contest = child
        entry.seq = forward.from_seq
        entry.status = forward.from_status or "eligible"
        entry.field_id = forward.from_field_id
        entry.age_group_id = forward.from_age_group_id
        entry.screening_note = screening.get("note") or ""
        entry.screened_by_id = screening.get("by")
        entry.screened_at = datetime.fromisoformat(screening["at"]) if screening.get("at") else None
        kept = forward.from_document_types or {}
        for doc in entry.documents:
            key = str(doc.id)
            doc.document_type_id = kept[key] if key in kept else _child_type(child, doc.document_type_id)
    forward.withdrawn_at = now
    forward.withdrawn_by_id = actor_id(by)
    forward.withdraw_reason = reason
    db.session.flush()
    record(
        "entry.delegate_remove" if external else "entry.forward_withdraw",
        entry,
        before=before,
        after=snapshot(entry, ENTRY_MOVE_FIELDS) | {"forward_id": forward.id, "reason": reason},
        summary=reason,
        actor=by,
    )


# --- The parent's settings -----------------------------------------------------------------------------------


def set_forwarding(
    parent: Contest, *, opens_at: datetime | None, closes_at: datetime | None, quota: int | None, by
) -> bool:
    """The parent's forwarding window (naive UTC) and default quota per child (None: no limit); audited
    "contest.forwarding". Returns whether anything changed."""
    if opens_at is not None and closes_at is not None and closes_at <= opens_at:
        raise ForwardingError("window_order")
    if quota is not None and quota < 0:
        raise ForwardingError("bad_quota")
    before = snapshot(parent, FORWARDING_FIELDS)
    parent.forward_opens_at, parent.forward_closes_at, parent.forward_quota = opens_at, closes_at, quota
    after = snapshot(parent, FORWARDING_FIELDS)
    if after == before:
        return False
    record("contest.forwarding", parent, before=before, after=after, actor=by)
    return True


def set_child_quota(child: Contest, quota: int | None, *, by) -> bool:
    """A child's own quota at its parent (None: the parent's default); audited "contest.quota_at_parent". Returns
    whether it changed."""
    if child.parent_id is None:
        raise ForwardingError("no_parent")
    if quota is not None and quota < 0:
        raise ForwardingError("bad_quota")
    if child.quota_at_parent == quota:
        return False
    before = snapshot(child, ("quota_at_parent",))
    child.quota_at_parent = quota
    record("contest.quota_at_parent", child, before=before, after=snapshot(child, ("quota_at_parent",)), actor=by)
    return True
