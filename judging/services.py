"""State changes of judging: rounds and rubrics, sub-panels, conflicts of interest, assignment of judges,
score sheets.

Each records the audit log; the caller (a view) commits once — except `submit_sheet_once`, which commits itself
so that two simultaneous submissions of one sheet store one result. Refusals raise `JudgingError` (a `ValueError`)
whose `code` says why, for the view to word (see `ERROR_CODES`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from app.accounts.models import User
from app.audit.service import record, snapshot
from app.extensions import db
from app.timefmt import utcnow
from competitions.models import Contest, Entry
from judging import assignment as assigning
from judging import conflicts as detecting
from judging.aggregation import CriterionSpec, score_problem, sheet_total
from judging.models import (
    CONFLICT_SOURCES,
    ROUND_KINDS,
    Assignment,
    Conflict,
    Panel,
    PanelField,
    PanelMember,
    Round,
    RoundEntry,
    RubricCriterion,
    Score,
    ScoreSheet,
)

ROUND_FIELDS = (
    "contest_id",
    "kind",
    "name",
    "position",
    "judges_per_entry",
    "blind",
    "method",
    "normalise",
    "min_sheets",
    "divergence_threshold",
    "advance_top_n",
    "advance_min_score",
    "status",
)
CRITERION_FIELDS = ("name", "description", "max_points", "weight", "step", "position")
PANEL_FIELDS = ("contest_id", "name", "head_id", "field_ids", "member_ids")
CONFLICT_FIELDS = ("contest_id", "judge_id", "entry_id", "kind", "note", "source", "lifted_at", "lift_reason")
ASSIGNMENT_FIELDS = ("round_id", "entry_id", "judge_id", "source")

ROUND_NAMES = {"preliminary": "Vòng sơ khảo", "final": "Vòng chung khảo"}
JUDGES_PER_ENTRY = {"preliminary": 2, "final": 3}

#: Why a judging change was refused (`JudgingError.code`).
ERROR_CODES = (
    "unknown_kind",  # a round kind, conflict kind or source not known
    "rubric_locked",  # a score exists for one of the round's criteria
    "empty_rubric",  # a rubric needs at least one criterion
    "bad_criterion",  # a criterion without a name, or with a non-positive maximum or step, a negative weight
    "missing_name",  # a panel needs a name
    "unknown_field",  # a field of another contest
    "field_taken",  # a field already judged by another panel of the contest
    "unknown_user",  # no such account
    "not_a_judge",  # the account holds no judge role for the contest
    "member_taken",  # the judge already sits on another panel of the contest
    "head_not_member",  # the head of a panel must be one of its members
    "missing_reason",  # lifting a conflict needs a reason
    "already_lifted",  # the conflict was lifted already
    "not_in_round",  # the entry does not take part in the round
    "no_panel",  # the entry's field is judged by no panel
    "not_on_panel",  # the judge is not on the panel of the entry's field
    "conflict",  # an active conflict of interest between the judge and the entry
    "already_assigned",  # the judge already has the entry in the round
    "sheet_submitted",  # the judge has submitted their score sheet
    "sheet_locked",  # the score sheet is submitted: reopen it first
    "sheet_incomplete",  # a criterion has no valid score: the sheet cannot be submitted
    "sheet_not_submitted",  # only a submitted sheet can be reopened
    "reason_required",  # reopening a sheet needs a written reason
)

#: `assignment.Unmet.reason` for an entry whose field no panel judges (added here, around the pure module).
NO_PANEL = "no_panel"


class JudgingError(ValueError):
    """A judging change the rules do not allow; `code` is one of `ERROR_CODES`, `detail` what it is about."""

    def __init__(self, code: str, detail: object = None) -> None:
        super().__init__(code if detail is None else f"{code}: {detail}")
        self.code = code
        self.detail = detail


def _id(user) -> int | None:
    return getattr(user, "id", None)


# --- Rounds and rubrics -----------------------------------------------------------------------------------


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
        db.session.add(RoundEntry(round_id=round_.id, entry_id=entry_id, added_by_id=_id(by)))
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


# --- Panels -----------------------------------------------------------------------------------------------


def save_panel(
    contest: Contest,
    name: str,
    field_ids: Iterable[int],
    member_ids: Iterable[int],
    head_id: int | None,
    *,
    by,
    panel: Panel | None = None,
) -> Panel:
    """Create (or, given `panel`, update) a sub-panel with its fields, judges and head.

    Its fields must belong to the contest and be on no other panel of it; its members must hold the judge role
    for the contest (or everywhere) and sit on no other panel of it (a judge judges in one sub-panel); the head
    is one of the members.
    """
    name = " ".join((name or "").split())
    if not name:
        raise JudgingError("missing_name")
    field_ids = list(dict.fromkeys(int(f) for f in field_ids))
    member_ids = list(dict.fromkeys(int(m) for m in member_ids))
    own = {f.id for f in contest.fields}
    unknown = [f for f in field_ids if f not in own]
    if unknown:
        raise JudgingError("unknown_field", unknown)
    others = select(Panel.id).where(Panel.contest_id == contest.id)
    if panel is not None:
        others = others.where(Panel.id != panel.id)
    taken = set(db.session.scalars(select(PanelField.field_id).where(PanelField.panel_id.in_(others))))
    if taken.intersection(field_ids):
        raise JudgingError("field_taken", sorted(taken.intersection(field_ids)))
    for user_id in member_ids:
        user = db.session.get(User, user_id)
        if user is None:
            raise JudgingError("unknown_user", user_id)
        if not user.can("judge", contest):
            raise JudgingError("not_a_judge", user_id)
    seated = set(db.session.scalars(select(PanelMember.user_id).where(PanelMember.panel_id.in_(others))))
    if seated.intersection(member_ids):
        raise JudgingError("member_taken", sorted(seated.intersection(member_ids)))
    if head_id is not None and head_id not in member_ids:
        raise JudgingError("head_not_member", head_id)

    before = None
    if panel is None:
        panel = Panel(contest_id=contest.id, name=name)
        db.session.add(panel)
    else:
        before = snapshot(panel, PANEL_FIELDS)
    panel.name = name
    panel.head_id = head_id
    # Keep the rows that stay (the unit of work inserts before it deletes: re-adding a row would clash).
    panel.fields = [pf for pf in panel.fields if pf.field_id in field_ids] + [
        PanelField(contest_id=contest.id, field_id=f) for f in field_ids if f not in panel.field_ids
    ]
    panel.members = [pm for pm in panel.members if pm.user_id in member_ids] + [
        PanelMember(user_id=m) for m in member_ids if m not in panel.member_ids
    ]
    db.session.flush()
    action = "panel.create" if before is None else "panel.update"
    record(action, panel, before=before, after=snapshot(panel, PANEL_FIELDS), summary=name, actor=by)
    return panel


def contest_panels(contest: Contest) -> list[Panel]:
    return list(
        db.session.scalars(
            select(Panel)
            .where(Panel.contest_id == contest.id)
            .options(selectinload(Panel.fields), selectinload(Panel.members))
            .order_by(Panel.id)
        )
    )


# --- Conflicts of interest --------------------------------------------------------------------------------


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
                created_by_id=_id(by),
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
            created_by_id=_id(actor),
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
    conflict.lifted_by_id = _id(by)
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


# --- Assignment -------------------------------------------------------------------------------------------


def _field_panels(contest_id: int) -> dict[int, int]:
    """field_id -> panel_id for the contest."""
    query = select(PanelField.field_id, PanelField.panel_id).where(PanelField.contest_id == contest_id)
    return dict(db.session.execute(query).all())


def _existing_pairs(round_: Round) -> set[tuple[int, int]]:
    return set(
        db.session.execute(select(Assignment.judge_id, Assignment.entry_id).where(Assignment.round_id == round_.id))
    )


def plan_assignment(round_: Round) -> assigning.Result:
    """What `assignment.assign` proposes for the round (nothing is written): each entry of the round gets
    `judges_per_entry` judges of its field's panel, conflicts in force avoided, current assignments kept.

    Entries whose field no panel judges are listed in `unmet` too, with reason `NO_PANEL` and panel_id None.
    Raises `ValueError` when a current assignment is a conflict in force (to settle first).
    """
    k = round_.judges_per_entry
    field_panel = _field_panels(round_.contest_id)
    round_entries = db.session.execute(
        select(Entry.id, Entry.field_id)
        .join(RoundEntry, RoundEntry.entry_id == Entry.id)
        .where(RoundEntry.round_id == round_.id)
        .order_by(Entry.id)
    )
    existing = _existing_pairs(round_)
    have: dict[int, int] = {}
    for _judge_id, entry_id in existing:
        have[entry_id] = have.get(entry_id, 0) + 1
    slots: list[assigning.Slot] = []
    no_panel: list[assigning.Unmet] = []
    for entry_id, field_id in round_entries:
        panel_id = field_panel.get(field_id) if field_id is not None else None
        if panel_id is not None:
            slots.append(assigning.Slot(entry_id, panel_id))
        elif have.get(entry_id, 0) < k:
            no_panel.append(assigning.Unmet(entry_id, None, k, have.get(entry_id, 0), NO_PANEL))  # type: ignore[arg-type]
    judges = [
        assigning.PanelJudge(user_id, panel_id)
        for user_id, panel_id in db.session.execute(
            select(PanelMember.user_id, PanelMember.panel_id)
            .join(Panel, Panel.id == PanelMember.panel_id)
            .where(Panel.contest_id == round_.contest_id)
            .order_by(PanelMember.user_id)
        )
    ]
    result = assigning.assign(slots, judges, k, conflicts=active_conflicts(round_.contest_id), existing=existing)
    if not no_panel:
        return result
    unmet = tuple(sorted(result.unmet + tuple(no_panel), key=lambda u: u.entry_id))
    return dataclasses.replace(result, unmet=unmet)


def save_assignment(round_: Round, result: assigning.Result, *, by) -> int:
    """Store the pairs `result` adds (those not stored meanwhile) as automatic assignments; returns how many."""
    existing = _existing_pairs(round_)
    pairs = sorted(p for p in result.added if p not in existing)
    for judge_id, entry_id in pairs:
        db.session.add(
            Assignment(round_id=round_.id, entry_id=entry_id, judge_id=judge_id, source="auto", created_by_id=_id(by))
        )
    db.session.flush()
    record(
        "round.assign",
        round_,
        after={"added": len(pairs), "unmet": [u.entry_id for u in result.unmet]},
        summary=str(len(pairs)),
        actor=by,
    )
    return len(pairs)


def assign_manually(round_: Round, entry: Entry, judge: User, *, by) -> Assignment:
    """Give `judge` the `entry` in the round by hand: the entry must be in the round, the judge on the panel of
    its field and free of any conflict in force with it."""
    in_round = db.session.scalar(
        select(RoundEntry.id).where(RoundEntry.round_id == round_.id, RoundEntry.entry_id == entry.id)
    )
    if in_round is None:
        raise JudgingError("not_in_round", entry.id)
    panel_id = _field_panels(round_.contest_id).get(entry.field_id) if entry.field_id is not None else None
    if panel_id is None:
        raise JudgingError("no_panel", entry.id)
    on_panel = db.session.scalar(
        select(PanelMember.id).where(PanelMember.panel_id == panel_id, PanelMember.user_id == judge.id)
    )
    if on_panel is None:
        raise JudgingError("not_on_panel", judge.id)
    if (judge.id, entry.id) in active_conflicts(round_.contest_id):
        raise JudgingError("conflict", (judge.id, entry.id))
    if (judge.id, entry.id) in _existing_pairs(round_):
        raise JudgingError("already_assigned", (judge.id, entry.id))
    assignment = Assignment(
        round_id=round_.id, entry_id=entry.id, judge_id=judge.id, source="manual", created_by_id=_id(by)
    )
    db.session.add(assignment)
    db.session.flush()
    record("assignment.create", assignment, after=snapshot(assignment, ASSIGNMENT_FIELDS), actor=by)
    return assignment


def unassign(assignment: Assignment, *, by) -> None:
    """Take an entry back from a judge; refused once their score sheet is submitted (a draft goes with it)."""
    if assignment.sheet is not None and assignment.sheet.status == "submitted":
        raise JudgingError("sheet_submitted", assignment.id)
    record("assignment.delete", assignment, before=snapshot(assignment, ASSIGNMENT_FIELDS), actor=by)
    db.session.delete(assignment)
    db.session.flush()


# --- Score sheets -----------------------------------------------------------------------------------------

SHEET_FIELDS = ("assignment_id", "status", "comment", "total", "submitted_at", "reopened_at", "reopened_by_id")
CENT = Decimal("0.01")


def _sheet_criteria(sheet: ScoreSheet) -> list[RubricCriterion]:
    return list(sheet.assignment.round.criteria)


def _sheet_values(sheet: ScoreSheet) -> dict[int, Decimal]:
    return {s.criterion_id: s.value for s in sheet.scores}


def _sheet_snapshot(sheet: ScoreSheet) -> dict:
    return snapshot(sheet, SHEET_FIELDS) | {"scores": {str(k): str(v) for k, v in _sheet_values(sheet).items()}}


def sheet_for(assignment: Assignment) -> ScoreSheet:
    """The assignment's score sheet, created as an empty draft (and flushed) when it has none yet."""
    if assignment.sheet is None:
        assignment.sheet = ScoreSheet(status="draft", comment="")
        db.session.flush()
    return assignment.sheet


def save_sheet(sheet: ScoreSheet, values: Mapping[int, Decimal | None], comment: str, *, by) -> dict[int, str]:
    """Save a draft: `values` maps criterion ids of the sheet's round to a score, or None for "not scored yet" (an
    existing score for it is removed); criteria left out of `values` keep their score.

    Each value is checked with `aggregation.score_problem` against its criterion; when any is invalid nothing is
    written and `{criterion_id: problem}` is returned ("negative", "above_max", "off_step", or "unknown_criterion"
    for an id not in the rubric). Returns {} once saved. Refused (`sheet_locked`) when the sheet is submitted.
    """
    if sheet.submitted:
        raise JudgingError("sheet_locked", sheet.id)
    criteria = {c.id: c for c in _sheet_criteria(sheet)}
    problems: dict[int, str] = {}
    for criterion_id, value in values.items():
        criterion = criteria.get(criterion_id)
        if criterion is None:
            problems[criterion_id] = "unknown_criterion"
        elif value is not None:
            problem = score_problem(value, criterion.spec())
            if problem is not None:
                problems[criterion_id] = problem
    if problems:
        return problems

    before = _sheet_snapshot(sheet)
    existing = {s.criterion_id: s for s in sheet.scores}
    for criterion_id, value in values.items():
        score = existing.get(criterion_id)
        if value is None:
            if score is not None:
                sheet.scores.remove(score)
        elif score is None:
            sheet.scores.append(Score(criterion_id=criterion_id, value=value))
        else:
            score.value = value
    sheet.comment = (comment or "").strip()
    db.session.flush()
    record("sheet.save", sheet, before=before, after=_sheet_snapshot(sheet), actor=by)
    return {}


def submit_sheet(sheet: ScoreSheet, *, by) -> None:
    """Submit a sheet: every criterion of the round needs a valid score (else `sheet_incomplete`, with the
    problems); the total is `aggregation.sheet_total` rounded to 0.01 half up. Refused (`sheet_locked`) when the
    sheet is already submitted. The `version` column makes a concurrent second submit fail at flush
    (`StaleDataError`); see `submit_sheet_once`."""
    if sheet.submitted:
        raise JudgingError("sheet_locked", sheet.id)
    criteria = _sheet_criteria(sheet)
    values = _sheet_values(sheet)
    problems = {c.id: problem for c in criteria if (problem := score_problem(values.get(c.id), c.spec())) is not None}
    if problems or not criteria:
        raise JudgingError("sheet_incomplete", problems)
    before = _sheet_snapshot(sheet)
    specs = [c.spec() for c in criteria]
    sheet.total = sheet_total({c.id: values[c.id] for c in criteria}, specs).quantize(CENT, rounding=ROUND_HALF_UP)
    sheet.status = "submitted"
    sheet.submitted_at = utcnow()
    db.session.flush()
    record("sheet.submit", sheet, before=before, after=_sheet_snapshot(sheet), summary=str(sheet.total), actor=by)


def reopen_sheet(sheet: ScoreSheet, reason: str, *, by) -> None:
    """Organizers give a submitted sheet back to its judge, with a written reason (`reason_required`): it becomes a
    draft again, its total cleared (scores kept), `reopened_at`/`reopened_by` recorded."""
    reason = (reason or "").strip()
    if not reason:
        raise JudgingError("reason_required")
    if not sheet.submitted:
        raise JudgingError("sheet_not_submitted", sheet.id)
    before = _sheet_snapshot(sheet)
    sheet.status = "draft"
    sheet.total = None
    sheet.reopened_at = utcnow()
    sheet.reopened_by_id = _id(by)
    db.session.flush()
    record("sheet.reopen", sheet, before=before, after=_sheet_snapshot(sheet), summary=reason, actor=by)


def _lost_race(exc: OperationalError) -> bool:
    """SQLite serialises writers: a writer that cannot get the write lock fails with "database is locked"."""
    return db.engine.dialect.name == "sqlite" and "locked" in str(exc.orig).lower()


def submit_sheet_once(sheet_id: int, *, by) -> bool:
    """Load the sheet, submit it and COMMIT (unlike the other services: this is the unit of work of the submit
    button, safe against a double click or two tabs). Returns True when this call stored the submission.

    Returns False, after rolling back, when the sheet was already submitted, or when another writer won the race:
    the `version` column (`version_id_col`) makes the stale writer's UPDATE match no row, so SQLAlchemy raises
    `StaleDataError` at flush (PostgreSQL: the second UPDATE waits for the first to commit, then finds the version
    changed); on SQLite the loser may instead fail to get the write lock ("database is locked"
    `OperationalError`), which means the same. Other refusals (`sheet_incomplete`) and errors are raised after
    rolling back.
    """
    try:
        sheet = db.session.get(ScoreSheet, sheet_id, populate_existing=True)
        if sheet is None:
            raise LookupError(f"no score sheet {sheet_id}")
        if sheet.submitted:
            db.session.rollback()
            return False
        submit_sheet(sheet, by=by)
        db.session.commit()
        return True
    except StaleDataError:
        db.session.rollback()
        return False
    except JudgingError as exc:
        db.session.rollback()
        if exc.code == "sheet_locked":
            return False
        raise
    except OperationalError as exc:
        db.session.rollback()
        if _lost_race(exc):
            return False
        raise
    except BaseException:
        db.session.rollback()
        raise
