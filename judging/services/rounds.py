"""Rounds and their rubrics."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select

from app.audit.service import record, snapshot
from app.extensions import db
from competitions.models import Contest, Entry
from judging.aggregation import CriterionSpec
from judging.models import (
    ROUND_KINDS,
    ROUND_METHODS,
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


#: What `update_round` changes (the organizers' settings page); `kind`, `position` and `status` are not settings.
ROUND_SETTINGS = (
    "name",
    "judges_per_entry",
    "blind",
    "method",
    "normalise",
    "min_sheets",
    "divergence_threshold",
    "advance_top_n",
    "advance_min_score",
    "deadline",
)
#: Fixed once the round has been opened for scoring: judges were assigned for this many judges per entry, and
#: have seen (or not seen) the authors.
FIXED_ONCE_OPENED = ("judges_per_entry", "blind")
#: The ranges numeric settings must fall in (both ends included).
SETTING_RANGES = {
    "judges_per_entry": (1, 20),
    "min_sheets": (2, 1000),
    "divergence_threshold": (Decimal("0.01"), Decimal(1000)),
    "advance_top_n": (1, 100000),
    "advance_min_score": (Decimal(0), Decimal(1000)),
}


def _checked_setting(name: str, value):
    """The value to store for setting `name`, or `JudgingError("bad_setting", name)`."""
    if name == "name":
        value = " ".join(str(value or "").split())
        if not value or len(value) > 255:
            raise JudgingError("bad_setting", name)
        return value
    if name in ("blind", "normalise"):
        return bool(value)
    if name == "method":
        if value not in ROUND_METHODS:
            raise JudgingError("bad_setting", name)
        return value
    if name == "deadline":
        if value is not None and not isinstance(value, datetime):
            raise JudgingError("bad_setting", name)
        return value
    if value is None:
        if name in ("advance_top_n", "advance_min_score"):
            return None
        raise JudgingError("bad_setting", name)
    low, high = SETTING_RANGES[name]
    if isinstance(value, bool | float):
        raise JudgingError("bad_setting", name)
    places = Decimal("0.01") if isinstance(low, Decimal) else Decimal(1)
    try:
        number = Decimal(value)
        exact = number.is_finite() and number == number.quantize(places)
    except (TypeError, ValueError, ArithmeticError) as exc:
        raise JudgingError("bad_setting", name) from exc
    if not exact:
        raise JudgingError("bad_setting", name)
    value = number if isinstance(low, Decimal) else int(number)
    if not low <= value <= high:
        raise JudgingError("bad_setting", name)
    return value


def update_round(round_: Round, values: Mapping[str, object], *, by) -> list[str]:
    """Change the round's settings given in `values` (names of `ROUND_SETTINGS`; the deadline a naive UTC
    datetime); returns the names that changed, audited as one "round.update" (nothing recorded when none did).

    Every value is checked before any is stored (`bad_setting`, detail the setting's name). Judges per entry and
    blind judging are fixed once the round has left set-up (`round_started`, detail the setting's name)."""
    unknown = sorted(set(values) - set(ROUND_SETTINGS))
    if unknown:
        raise JudgingError("bad_setting", unknown[0])
    checked = {name: _checked_setting(name, value) for name, value in values.items()}
    changed = [name for name in ROUND_SETTINGS if name in checked and checked[name] != getattr(round_, name)]
    if round_.status != "setup":
        for name in FIXED_ONCE_OPENED:
            if name in changed:
                raise JudgingError("round_started", name)
    if not changed:
        return []
    before = snapshot(round_, changed)
    for name in changed:
        setattr(round_, name, checked[name])
    db.session.flush()
    record(
        "round.update",
        round_,
        before=before,
        after=snapshot(round_, changed),
        summary=", ".join(changed),
        actor=by,
    )
    return changed


#: The status steps of a round: opened for scoring, closed, reopened.
ROUND_TRANSITIONS = {"setup": ("scoring",), "scoring": ("closed",), "closed": ("scoring",)}


def round_entry_count(round_: Round) -> int:
    return db.session.scalar(select(func.count(RoundEntry.id)).where(RoundEntry.round_id == round_.id)) or 0


def round_status_problems(round_: Round, target: str) -> list[str]:
    """What stands in the way of moving the round to `target` (error codes; empty when it may move): a round is
    opened for scoring with a rubric and at least one entry."""
    if target not in ROUND_TRANSITIONS.get(round_.status, ()):
        return ["bad_transition"]
    problems = []
    if target == "scoring" and round_.status == "setup":
        if not round_.criteria:
            problems.append("empty_rubric")
        if not round_entry_count(round_):
            problems.append("no_entries")
    return problems


def change_round_status(round_: Round, target: str, *, by) -> None:
    """Open the round for scoring, close it, or reopen it (audited "round.status"); refused with the first of
    `round_status_problems`."""
    problems = round_status_problems(round_, target)
    if problems:
        raise JudgingError(problems[0], problems)
    before = round_.status
    round_.status = target
    db.session.flush()
    record(
        "round.status",
        round_,
        before={"status": before},
        after={"status": target},
        summary=f"{before} → {target}",
        actor=by,
    )
