"""Score sheets: drafts, submission (safe against a double submit), reopening."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from sqlalchemy import Integer, bindparam, exists, func, insert, select, update
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import joinedload, lazyload, selectinload
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

from app.audit import service as audit
from app.audit.models import AuditEntry
from app.audit.service import record, snapshot
from app.extensions import db
from app.reads import column_rows
from app.timefmt import utcnow
from judging.aggregation import score_problem, sheet_total
from judging.models import (
    Assignment,
    Round,
    RubricCriterion,
    Score,
    ScoreSheet,
)
from judging.services._common import (
    JudgingError,
    actor_id,
)

SHEET_FIELDS = ("assignment_id", "status", "comment", "total", "submitted_at", "reopened_at", "reopened_by_id")
CENT = Decimal("0.01")


def _sheet_criteria(sheet: ScoreSheet) -> list[RubricCriterion]:
    return list(sheet.assignment.round.criteria)


def _require_scoring(sheet: ScoreSheet) -> None:
    """Sheets change only while their round is scoring (`round_not_scoring` in setup or once closed)."""
    if sheet.assignment.round.status != "scoring":
        raise JudgingError("round_not_scoring", sheet.assignment.round_id)


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


def score_problems(criteria: Iterable[RubricCriterion], values: Mapping[int, Decimal | None]) -> dict[int, str]:
    """The rubric's refusals of the scores typed, `{criterion_id: problem}`: each value checked with
    `aggregation.score_problem` against its criterion ("negative", "above_max", "off_step"), "unknown_criterion"
    for an id not in `criteria`; None (not scored yet) is no problem here."""
    by_id = {c.id: c for c in criteria}
    problems: dict[int, str] = {}
    for criterion_id, value in values.items():
        criterion = by_id.get(criterion_id)
        if criterion is None:
            problems[criterion_id] = "unknown_criterion"
        elif value is not None:
            problem = score_problem(value, criterion.spec())
            if problem is not None:
                problems[criterion_id] = problem
    return problems


def save_sheet(sheet: ScoreSheet, values: Mapping[int, Decimal | None], comment: str, *, by) -> dict[int, str]:
    """Save a draft: `values` maps criterion ids of the sheet's round to a score, or None for "not scored yet" (an
    existing score for it is removed); criteria left out of `values` keep their score.

    When any value is refused (`score_problems`) nothing is written and `{criterion_id: problem}` is returned.
    Returns {} once saved. Refused (`sheet_locked`) when the sheet is submitted, and (`round_not_scoring`) when its
    round is not scoring (in setup, or closed). A draft loaded before another writer saved or submitted it fails
    with `StaleDataError` (the `version` column), and changes nothing.
    """
    if sheet.submitted:
        raise JudgingError("sheet_locked", sheet.id)
    _require_scoring(sheet)
    problems = score_problems(_sheet_criteria(sheet), values)
    if problems:
        return problems
    before = _sheet_snapshot(sheet)
    columns = {"comment": (comment or "").strip(), "updated_at": utcnow()}
    _write(sheet, columns, values, "sheet.save", before=before, actor=by)
    return {}


def _write(sheet: ScoreSheet, columns: dict, values: Mapping[int, Decimal | None], action: str, **details) -> None:
    """Write the sheet's `columns` and the scores in `values` (None removes one), with the audit entry `action`
    (`details` as `audit.write`'s; its `after` is the sheet as written). On PostgreSQL, when every value is a new
    value of a score already there (a draft saved before), all in one statement (`_write_at_once`)."""
    existing = {s.criterion_id: s for s in sheet.scores}
    changed = [
        (existing[criterion_id], value)
        for criterion_id, value in values.items()
        if criterion_id in existing and value is not None and existing[criterion_id].value != value
    ]
    if _in_one_statement() and all(value is not None and k in existing for k, value in values.items()):
        _write_at_once(sheet, columns, changed, action, **details)
        return
    # The sheet's row first, always, so that its `version` check stops a writer that loaded the draft before
    # another one saved or submitted it before any score is touched (changing only scores would not touch the row,
    # and would slip past the lock).
    _write_sheet(sheet, **columns)
    for criterion_id, value in values.items():
        score = existing.get(criterion_id)
        if value is None:
            if score is not None:
                sheet.scores.remove(score)
        elif score is None:
            sheet.scores.append(Score(criterion_id=criterion_id, value=value))
    if changed:  # one executemany, the loaded scores kept in step (nothing left for the unit of work)
        db.session.execute(_score_update(), [{"score_id": score.id, "new_value": value} for score, value in changed])
        for score, value in changed:
            set_committed_value(score, "value", value)
    db.session.flush()  # scores added or removed
    audit.write(action, sheet, after=_sheet_snapshot(sheet), **details)


def _in_one_statement() -> bool:
    """Whether a sheet's writes go in one statement (`_write_at_once`): on PostgreSQL."""
    return db.session.get_bind().dialect.name == "postgresql"


def _write_at_once(sheet: ScoreSheet, values: dict, changed: list[tuple[Score, Decimal]], action: str, **details):
    """PostgreSQL: what `_write_sheet`, the `changed` scores' UPDATE and `audit.write(action, ...)` write one after
    the other, in one statement (`_sheet_statement`: data-modifying CTEs, the scores and the entry written only when
    the row was, guarded by its `version`); the entry's `after` is the sheet as written. `StaleDataError` when
    another writer changed the row since it was read: then nothing is written, and the caller rolls back (which
    expires the sheet, changed here beforehand)."""
    db.session.flush()  # whatever else is pending goes first, as before
    version = sheet.version
    # The loaded records as written, for the entry's `after` (and kept so: nothing left for the next flush).
    for name, value in (values | {"version": version + 1}).items():
        set_committed_value(sheet, name, value)
    for score, value in changed:
        set_committed_value(score, "value", value)
    entry = audit.entry_values(action, sheet, after=_sheet_snapshot(sheet), **details)
    # Bound under names no column of the sheets or scores has (an UPDATE sets the columns its parameters name).
    params = values | {f"entry_{name}": value for name, value in (entry | {"created_at": utcnow()}).items()}
    params |= {"written_sheet_id": sheet.id, "old_version": version, "new_version": version + 1}
    params |= {"score_ids": [s.id for s, _v in changed], "score_values": [v for _s, v in changed]}
    if column_rows(_sheet_statement(tuple(values), bool(changed)), params).first() is None:
        raise StaleDataError(f"score sheet {sheet.id}: version {version} was changed by another writer")


@cache
def _sheet_statement(columns: tuple[str, ...], with_scores: bool):
    """PostgreSQL: the sheet's row (its `columns` and version, where the version is still the one read), the
    changed scores (`score_ids`, `score_values`) and the audit entry in one statement; it answers the sheet's id,
    or no row when the version had changed (then nothing was written). Built once per shape; values bound at each
    execution."""
    sheets, scores, entries = ScoreSheet.__table__, Score.__table__, AuditEntry.__table__
    written = (
        update(sheets)
        .where(sheets.c.id == bindparam("written_sheet_id"), sheets.c.version == bindparam("old_version"))
        .values({name: bindparam(name, type_=sheets.c[name].type) for name in columns})
        .values(version=bindparam("new_version"))
        .returning(sheets.c.id)
        .cte("written")
    )
    entry_columns = [c for c in entries.c if c.name != "id"]
    audited = (
        insert(entries)
        .from_select(
            [c.name for c in entry_columns],
            select(*(bindparam(f"entry_{c.name}", type_=c.type) for c in entry_columns)).select_from(written),
        )
        .cte("audited")
    )
    statement = select(written.c.id).add_cte(audited)
    if with_scores:
        given = (
            func.unnest(
                bindparam("score_ids", type_=postgresql.ARRAY(Integer)),
                bindparam("score_values", type_=postgresql.ARRAY(scores.c.value.type)),
            )
            .table_valued("id", "value")
            .render_derived(name="given")
        )
        rescored = (
            update(scores)
            .where(scores.c.id == given.c.id, exists(select(written.c.id)))
            .values(value=given.c.value)
            .cte("rescored")
        )
        statement = statement.add_cte(rescored)
    return statement


def _write_sheet(sheet: ScoreSheet, **values) -> None:
    """Write `values` to the sheet's row in one UPDATE guarded by its `version`, as the unit of work's flush would
    (`StaleDataError` when another writer changed the row since it was read: no row matches), without its
    bookkeeping; the loaded record is kept in step, as if read so (nothing is left for the next flush)."""
    db.session.flush()  # whatever else is pending goes first, as before
    version = sheet.version
    sheets = ScoreSheet.__table__
    result = db.session.execute(
        update(sheets).where(sheets.c.id == sheet.id, sheets.c.version == version).values(version=version + 1, **values)
    )
    if result.rowcount != 1:
        raise StaleDataError(f"score sheet {sheet.id}: version {version} was changed by another writer")
    for name, value in (values | {"version": version + 1}).items():
        set_committed_value(sheet, name, value)


@cache
def _score_update():
    scores = Score.__table__
    return update(scores).where(scores.c.id == bindparam("score_id")).values(value=bindparam("new_value"))


def submit_sheet(
    sheet: ScoreSheet,
    *,
    by,
    scores: Mapping[int, Decimal | None] | None = None,
    comment: str | None = None,
) -> None:
    """Submit a sheet, with the `scores` and `comment` typed when given (as `save_sheet` takes them), all written
    at once with one audit entry ("sheet.submit": before as stored, after as submitted): every criterion of the
    round needs a valid score (else `sheet_incomplete`, with the problems, and nothing written); the total is
    `aggregation.sheet_total` rounded to 0.01 half up. Refused (`sheet_locked`) when the sheet is already
    submitted, and (`round_not_scoring`) when its round is not scoring. The `version` column makes a concurrent
    second submit fail (`StaleDataError`); see `submit_sheet_once`."""
    if sheet.submitted:
        raise JudgingError("sheet_locked", sheet.id)
    _require_scoring(sheet)
    criteria = _sheet_criteria(sheet)
    typed = dict(scores or {})
    problems = score_problems(criteria, typed)
    values = _sheet_values(sheet) | typed
    for c in criteria:  # each score as it would be submitted, unless typed and checked above
        unchecked = c.id not in problems and typed.get(c.id) is None
        if unchecked and (problem := score_problem(values.get(c.id), c.spec())) is not None:
            problems[c.id] = problem
    if problems or not criteria:
        raise JudgingError("sheet_incomplete", problems)
    before = _sheet_snapshot(sheet)
    specs = [c.spec() for c in criteria]
    total = sheet_total({c.id: values[c.id] for c in criteria}, specs).quantize(CENT, rounding=ROUND_HALF_UP)
    now = utcnow()
    columns = {"total": total, "status": "submitted", "submitted_at": now, "updated_at": now}
    if comment is not None:
        columns["comment"] = comment.strip()
    _write(sheet, columns, typed, "sheet.submit", before=before, summary=str(total), actor=by)


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
    sheet.reopened_by_id = actor_id(by)
    db.session.flush()
    record("sheet.reopen", sheet, before=before, after=_sheet_snapshot(sheet), summary=reason, actor=by)


def _lost_race(exc: OperationalError) -> bool:
    """SQLite serialises writers: a writer that cannot get the write lock fails with "database is locked"."""
    return db.engine.dialect.name == "sqlite" and "locked" in str(exc.orig).lower()


def _fresh_sheet(sheet_id: int) -> ScoreSheet | None:
    """The sheet as stored now, with what submitting it reads (its round's status and rubric, its scores) loaded
    at once: three queries, whatever the size of the round."""
    return db.session.scalar(
        select(ScoreSheet)
        .where(ScoreSheet.id == sheet_id)
        .options(
            joinedload(ScoreSheet.assignment).options(
                joinedload(Assignment.round).selectinload(Round.criteria),
                lazyload(Assignment.entry),
                lazyload(Assignment.judge),
            ),
            selectinload(ScoreSheet.scores),
        )
        .execution_options(populate_existing=True)
    )


def submit_sheet_once(
    sheet: int | ScoreSheet,
    *,
    by,
    scores: Mapping[int, Decimal | None] | None = None,
    comment: str | None = None,
) -> bool:
    """Submit the sheet, with the `scores` and `comment` typed when given (see `submit_sheet`), and COMMIT (unlike
    the other services: this is the unit of work of the submit button, safe against a double click or two tabs):
    one transaction, so that a crash leaves the sheet as it was, or submitted with every score. Returns True when
    this call stored the submission.

    `sheet` is the sheet's id (the sheet is then read fresh from the database), or a sheet this transaction has
    read (a view's read of the judge's assignment), used as it is, without reading it again.

    Returns False, after rolling back, when the sheet was already submitted, or when another writer won the race:
    the `version` column makes the stale writer's UPDATE match no row (`StaleDataError`; PostgreSQL: the second
    UPDATE waits for the first to commit, then finds the version changed); on SQLite the loser may instead fail to
    get the write lock ("database is locked" `OperationalError`), which means the same. Other refusals
    (`sheet_incomplete`) and errors are raised after rolling back.
    """
    try:
        if isinstance(sheet, int):
            sheet_id, sheet = sheet, _fresh_sheet(sheet)
            if sheet is None:
                raise LookupError(f"no score sheet {sheet_id}")
        if sheet.submitted:
            db.session.rollback()
            return False
        submit_sheet(sheet, by=by, scores=scores, comment=comment)
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
