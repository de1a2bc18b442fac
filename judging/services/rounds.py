"""Rounds and their rubrics."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from sqlalchemy import func, select

from app.audit.service import record, snapshot
from app.extensions import db
from competitions.models import Contest, Entry
from judging.aggregation import CriterionSpec
from judging.models import (
    ROUND_KINDS,
    Round,
    RoundEntry,
    RubricCriterion,
    Score,
)
from judging.services._common import (
    CRITERION_FIELDS,
    JUDGES_PER_ENTRY,
    ROUND_FIELDS,
    ROUND_NAMES,
    JudgingError,
    actor_id,
)


def _criteria_snapshot(round_: Round) -> list[dict]:
    return [snapshot(c, CRITERION_FIELDS) for c in round_.criteria]


def create_round(contest: Contest, kind: str, *, by) -> Round:
    """A new round in setup, after the contest's existing ones, its rubric copied from the edition's criteria."""
    if kind not in ROUND_KINDS:
        raise JudgingError("unknown_kind", kind)
    last = db.session.scalar(select(func.max(Round.position)).where(Round.contest_id == contest.id))
    round_ = Round(
        contest_id=contest.id,
        kind=kind,
        name=ROUND_NAMES[kind],
        position=0 if last is None else last + 1,
        judges_per_entry=JUDGES_PER_ENTRY[kind],
        status="setup",
    )
    round_.criteria = [
        RubricCriterion(
            name=c.name,
            description=c.description,
            max_points=c.max_points,
            weight=c.weight if c.weight is not None else Decimal(1),
            step=c.step if c.step is not None else Decimal("0.5"),
            position=i,
        )
        for i, c in enumerate(contest.criteria)
    ]
    db.session.add(round_)
    db.session.flush()
    after = snapshot(round_, ROUND_FIELDS) | {"criteria": _criteria_snapshot(round_)}
    record("round.create", round_, after=after, summary=kind, actor=by)
    return round_


def add_eligible_entries(round_: Round, *, by) -> int:
    """Add every eligible entry of the contest not yet in the round; returns how many were added."""
    already = select(RoundEntry.entry_id).where(RoundEntry.round_id == round_.id)
    entry_ids = list(
        db.session.scalars(
            select(Entry.id)
            .where(Entry.contest_id == round_.contest_id, Entry.status == "eligible", Entry.id.not_in(already))
            .order_by(Entry.id)
        )
    )
    for entry_id in entry_ids:
        db.session.add(RoundEntry(round_id=round_.id, entry_id=entry_id, added_by_id=actor_id(by)))
    if entry_ids:
        db.session.flush()
        record("round.add_entries", round_, after={"entry_ids": entry_ids}, summary=str(len(entry_ids)), actor=by)
    return len(entry_ids)


def rubric_editable(round_: Round) -> bool:
    """True while no score exists for any criterion of the round's rubric."""
    scored = db.session.scalar(
        select(Score.id)
        .join(RubricCriterion, Score.criterion_id == RubricCriterion.id)
        .where(RubricCriterion.round_id == round_.id)
        .limit(1)
    )
    return scored is None


def _value(row, name: str, default=None):
    if isinstance(row, Mapping):
        return row.get(name, default)
    return getattr(row, name, default)


def replace_rubric(round_: Round, criteria_rows: Sequence, *, by) -> None:
    """Replace the round's rubric by `criteria_rows` (mappings or objects with name, description, max_points,
    weight, step), in that order. Refused once a score exists (`rubric_locked`)."""
    if not rubric_editable(round_):
        raise JudgingError("rubric_locked")
    if not criteria_rows:
        raise JudgingError("empty_rubric")
    new = []
    for i, row in enumerate(criteria_rows):
        name = (_value(row, "name") or "").strip()
        try:
            max_points = Decimal(_value(row, "max_points"))
            weight = Decimal(_value(row, "weight", None) or 1)
            step = Decimal(_value(row, "step", None) or "0.5")
            CriterionSpec(id=i, max_points=max_points, weight=weight, step=step)
        except (TypeError, ArithmeticError, ValueError) as exc:
            raise JudgingError("bad_criterion", i) from exc
        if not name:
            raise JudgingError("bad_criterion", i)
        new.append(
            RubricCriterion(
                name=name,
                description=(_value(row, "description") or "").strip(),
                max_points=max_points,
                weight=weight,
                step=step,
                position=i,
            )
        )
    before = _criteria_snapshot(round_)
    round_.criteria = new
    db.session.flush()
    record(
        "round.rubric",
        round_,
        before={"criteria": before},
        after={"criteria": _criteria_snapshot(round_)},
        actor=by,
    )
