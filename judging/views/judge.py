"""Judges: their assignments with progress, the score sheet of an assigned entry (draft, submission, locked after),
the entry's documents (in blind rounds under generic names, their metadata stripped), and the conflicts of interest
they declare.

Every page about an assignment answers 404 unless the assignment is the signed-in judge's own, in a round that is
scoring or closed: a judge never learns that other assignments exist. In a blind round nothing names the entry's
people, units or localities; otherwise the authors' names and units are shown, never their personal details."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import Select, and_, bindparam, select
from sqlalchemy.orm import contains_eager, joinedload, lazyload
from sqlalchemy.orm.exc import StaleDataError

from app.accounts.permissions import require
from app.audit.labels import register_labels
from app.docmeta import MetadataError, strip_metadata
from app.extensions import db
from app.uploads import KINDS, send_stored, stored_path
from competitions.models import Contest, Entry, EntryDocument
from judging import bp, services
from judging.aggregation import score_problem
from judging.judge_forms import ConflictForm, SheetForm, score_name, sheet_form
from judging.messages import error_message, score_message
from judging.models import Assignment, Round, RubricCriterion, Score, ScoreSheet
from judging.services import JudgingError
from judging.services.declarations import declare_conflict_on_assignment

#: What judges do here; "conflict.declare" and "assignment.delete" (a declared conflict takes the entry back) are
#: named by `manage_setup` and `manage_assign`, which record them too, and so are the record types.
register_labels(
    {
        "sheet.save": _l("Saved a score sheet"),
        "sheet.submit": _l("Submitted a score sheet"),
    }
)

#: Rounds whose assignments judges see: scoring, and closed (read-only). Rounds being set up stay hidden.
VISIBLE_STATUSES = ("scoring", "closed")
CENT = Decimal("0.01")


# --- My assignments ----------------------------------------------------------------------------------------------


@dataclass
class RoundGroup:
    round: Round
    assignments: list[Assignment] = field(default_factory=list)

    @property
    def submitted(self) -> int:
        return sum(1 for a in self.assignments if a.sheet is not None and a.sheet.submitted)

    @property
    def total(self) -> int:
        return len(self.assignments)


@dataclass
class ContestGroup:
    contest: Contest
    rounds: list[RoundGroup] = field(default_factory=list)


def _grouped(assignments: list[Assignment]) -> list[ContestGroup]:
    contests: dict[int, ContestGroup] = {}
    rounds: dict[int, RoundGroup] = {}
    for a in assignments:
        group = contests.get(a.round.contest_id)
        if group is None:
            group = contests[a.round.contest_id] = ContestGroup(a.round.contest)
        round_group = rounds.get(a.round_id)
        if round_group is None:
            round_group = rounds[a.round_id] = RoundGroup(a.round)
            group.rounds.append(round_group)
        round_group.assignments.append(a)
    return list(contests.values())


@bp.route("/")
@require("judge")
def my_assignments():
    """The signed-in judge's entries, by contest and round, with the state of each sheet and the progress."""
    assignments = list(
        db.session.scalars(
            select(Assignment)
            .join(Round, Round.id == Assignment.round_id)
            .join(Entry, Entry.id == Assignment.entry_id)
            .where(Assignment.judge_id == current_user.id, Round.status.in_(VISIBLE_STATUSES))
            .options(
                contains_eager(Assignment.round),
                contains_eager(Assignment.entry),
                joinedload(Assignment.sheet),
                lazyload(Assignment.judge),
            )
            .order_by(Round.contest_id.desc(), Round.position, Round.id, Entry.seq, Entry.id)
        ).unique()
    )
    allowed: dict[int, bool] = {}  # the judge role may be held for some contests only
    mine = []
    for a in assignments:
        if a.round.contest_id not in allowed:
            allowed[a.round.contest_id] = current_user.can("judge", a.round)
        if allowed[a.round.contest_id]:
            mine.append(a)
    return render_template("judging/judge/my_assignments.html", groups=_grouped(mine))


# --- One assignment ----------------------------------------------------------------------------------------------


def _my_assignment(assignment_id: int, *, scoring: bool = False) -> Assignment:
    """The signed-in judge's assignment with what its pages show (or, `scoring`, what a save or submit reads), or
    404 (also for a round being set up)."""
    query = _scoring_query() if scoring else _page_query()
    assignment = db.session.execute(query, {"assignment_id": assignment_id}).unique().scalar_one_or_none()
    if (
        assignment is None
        or assignment.judge_id != current_user.id
        or assignment.round.status not in VISIBLE_STATUSES
        or not _judges(assignment.round)
    ):
        abort(404)
    return assignment


# The queries are built once per process, on first use: building their loader options at import would configure
# every mapper known so far, before the other domains' models are imported. The assignment's id is bound at each
# execution.
@cache
def _page_query() -> Select:
    """What the sheet's page shows: the round with its rubric, the sheet with its scores, the entry with its
    documents."""
    return (
        select(Assignment)
        .where(Assignment.id == bindparam("assignment_id"))
        .options(
            joinedload(Assignment.round).selectinload(Round.criteria),
            joinedload(Assignment.sheet).selectinload(ScoreSheet.scores),
            joinedload(Assignment.entry).selectinload(Entry.documents),
            lazyload(Assignment.judge),
        )
    )


@cache
def _scoring_query() -> Select:
    """What saving or submitting the sheet reads, in one query of one row per criterion: the round (its status)
    with its rubric, and the sheet with the score of each criterion beside it (joining the scores to the sheet
    alone would repeat every score on every criterion's row); not the entry, read only when the form is shown
    again with its problems, nor the round's contest with its organising bodies, read only when the judge's grants
    do not name the contest itself (see `_judges`). A sheet's scores are of its round's criteria (`save_sheet`
    refuses any other)."""
    return (
        select(Assignment)
        .where(Assignment.id == bindparam("assignment_id"))
        .join(Assignment.round)
        .outerjoin(Round.criteria)
        .outerjoin(Assignment.sheet)
        .outerjoin(Score, and_(Score.sheet_id == ScoreSheet.id, Score.criterion_id == RubricCriterion.id))
        .options(
            contains_eager(Assignment.round).options(contains_eager(Round.criteria), lazyload(Round.contest)),
            contains_eager(Assignment.sheet).contains_eager(ScoreSheet.scores),
            lazyload(Assignment.entry),
            lazyload(Assignment.judge),
        )
        .order_by(RubricCriterion.position, RubricCriterion.id)
    )


def _judges(round_: Round) -> bool:
    """Whether the signed-in account may judge in `round_`: asked first of the round's contest alone (a judge's
    grant names it), then of every scope the contest lists (its organising bodies, a parent edition), which may
    read the contest. The same answer as `can("judge", round_)`, whose scopes start with the contest's own."""
    return current_user.can("judge", [("contest", round_.contest_id)]) or current_user.can("judge", round_)


def _generic_name(entry: Entry, position: int, document: EntryDocument) -> str:
    """A blind round's name for the entry's document number `position` (from 1): `<code>-tai-lieu-<n>.<ext>`."""
    kind = KINDS.get(document.kind)
    extension = kind.extensions[0] if kind is not None else ""
    return f"{entry.code or f'bai-{entry.id}'}-tai-lieu-{position}{extension}"


def _document_names(assignment: Assignment) -> list[tuple[EntryDocument, str]]:
    entry = assignment.entry
    if assignment.round.blind:
        return [(d, _generic_name(entry, i, d)) for i, d in enumerate(entry.documents, start=1)]
    return [(d, d.original_name) for d in entry.documents]


def _people(assignment: Assignment) -> list[tuple[str, str]]:
    """(name, unit) of the entry's authors, shown in rounds that are not blind; nothing in blind rounds."""
    if assignment.round.blind:
        return []
    return [(p.full_name, p.unit) for p in assignment.entry.authors]


def _running_total(criteria: list[RubricCriterion], values: dict[int, Decimal | None]) -> Decimal | None:
    """The total of the scores given so far on the rubric's scale (as `aggregation.sheet_total` once complete)."""
    given = [(c, values.get(c.id)) for c in criteria]
    given = [(c, v) for c, v in given if v is not None and Decimal(0) <= v <= c.max_points]
    if not given:
        return None
    specs = [c.spec() for c in criteria]
    weighted_max = sum((s.weight * s.max_points for s in specs), Decimal(0))
    if weighted_max == 0:
        return None
    scale = sum((s.max_points for s in specs), Decimal(0))
    weighted = sum((c.spec().weight * v for c, v in given), Decimal(0))
    return (weighted * scale / weighted_max).quantize(CENT, rounding=ROUND_HALF_UP)


def _stored_values(sheet: ScoreSheet | None) -> dict[int, Decimal]:
    return {s.criterion_id: s.value for s in sheet.scores} if sheet is not None else {}


def _stored_form(assignment: Assignment) -> SheetForm:
    sheet = assignment.sheet
    data: dict[str, object] = {"comment": sheet.comment if sheet is not None else ""}
    data |= {score_name(k): v for k, v in _stored_values(sheet).items()}
    return sheet_form(assignment.round.criteria, formdata=None, data=data)


def _show(assignment: Assignment, form: SheetForm | None = None, conflict_form: ConflictForm | None = None):
    """The sheet page; a form refused is shown again as typed, its problems beside the fields (status 200: the
    page answered as asked, and a phone's browser logs no failed request)."""
    round_ = assignment.round
    sheet = assignment.sheet
    form = form or _stored_form(assignment)
    if sheet is not None and sheet.submitted:
        total = sheet.total
    else:
        total = _running_total(list(round_.criteria), form.values())
    return render_template(
        "judging/judge/sheet.html",
        assignment=assignment,
        entry=assignment.entry,
        round=round_,
        contest=round_.contest,
        sheet=sheet,
        form=form,
        conflict_form=conflict_form or ConflictForm(prefix="conflict", formdata=None),
        conflict_open=conflict_form is not None,
        documents=_document_names(assignment),
        people=_people(assignment),
        entering_organisation="" if round_.blind else assignment.entry.entering_organisation,
        stored=_stored_values(sheet),
        total=total,
        locked=sheet is not None and sheet.submitted,
        scoring=round_.status == "scoring",
    )


def _beside_fields(form: SheetForm, problems: dict[int, str]) -> None:
    """Each rubric problem beside its criterion's field (in the field's errors)."""
    criteria = {c.id: c for c in form.criteria}
    for criterion_id, problem in problems.items():
        criterion = criteria.get(criterion_id)
        if criterion is None:
            continue
        form[score_name(criterion_id)].errors = [
            *form[score_name(criterion_id)].errors,
            score_message(problem, max_points=criterion.max_points, step=criterion.step),
        ]


def _rubric_problems(form: SheetForm) -> dict[int, str]:
    """The rubric's refusals of the numbers typed (for a form refused for other reasons, nothing saved)."""
    problems = {}
    for criterion, field_ in form.score_fields():
        if field_.data is not None and not field_.errors:
            problem = score_problem(field_.data, criterion.spec())
            if problem is not None:
                problems[criterion.id] = problem
    return problems


def _back(assignment_id: int):
    return redirect(url_for("judging.sheet", assignment_id=assignment_id))


@bp.route("/assignments/<int:assignment_id>", methods=["GET", "POST"])
@require("judge")
def sheet(assignment_id: int):
    """The entry and the judge's score sheet: save a draft, or submit (then locked until the organizers reopen)."""
    if request.method == "GET":
        return _show(_my_assignment(assignment_id))
    return _save_or_submit(_my_assignment(assignment_id, scoring=True))


def _save_or_submit(assignment: Assignment):
    """Save the draft, or submit: a sheet with every criterion scored is written and submitted in one transaction
    (a crash leaves it as it was: the page keeps what was typed, see static/js/score_sheet.js); asked to submit with
    criteria left empty, the draft is saved and the empty fields are pointed out."""
    assignment_id = assignment.id
    form = sheet_form(assignment.round.criteria)
    stored = assignment.sheet
    if stored is not None and stored.submitted:
        if form.submit.data:  # a second click, or a second tab: the first submission counted
            flash(_("This score sheet was already submitted."), "info")
        else:
            flash(error_message(JudgingError("sheet_locked")), "warning")
        return _back(assignment_id)
    if assignment.round.status != "scoring":
        flash(error_message(JudgingError("round_not_scoring")), "warning")
        return _back(assignment_id)
    if not form.validate_on_submit():
        _beside_fields(form, _rubric_problems(form))  # what else is wrong, said at once
        return _show(assignment, form)
    values, comment = form.values(), form.comment.data or ""
    if form.submit.data and all(v is not None for v in values.values()):
        return _submit(assignment, form, values, comment)
    try:
        problems = services.save_sheet(services.sheet_for(assignment), values, comment, by=current_user)
        if problems:
            db.session.rollback()
            _beside_fields(form, problems)
            return _show(assignment, form)
        db.session.commit()
    except StaleDataError:  # another tab saved or submitted the sheet meanwhile
        db.session.rollback()
        return _after_race(assignment_id, submitting=bool(form.submit.data))
    except JudgingError as exc:  # submitted, or the round closed, meanwhile
        db.session.rollback()
        flash(error_message(exc), "warning")
        return _back(assignment_id)
    if not form.submit.data:
        flash(_("Your draft has been saved."), "success")
        return _back(assignment_id)
    _beside_fields(form, {criterion_id: "missing" for criterion_id, v in values.items() if v is None})
    flash(_("Your draft has been saved, but it cannot be submitted yet: score every criterion."), "warning")
    return _show(_my_assignment(assignment_id), form)


def _submit(assignment: Assignment, form: SheetForm, values: dict, comment: str):
    """The typed scores and comment written and the sheet submitted, in one transaction."""
    assignment_id = assignment.id
    try:
        stored_now = services.submit_sheet_once(
            services.sheet_for(assignment), by=current_user, scores=values, comment=comment
        )
    except JudgingError as exc:  # nothing written (rolled back)
        if exc.code != "sheet_incomplete":  # the round closed meanwhile
            flash(error_message(exc), "warning")
            return _back(assignment_id)
        _beside_fields(form, exc.detail or {})  # a score the rubric refuses
        return _show(_my_assignment(assignment_id), form)
    if not stored_now:  # submitted, or changed, in another tab meanwhile
        return _after_race(assignment_id, submitting=True)
    flash(_("Your score sheet has been submitted."), "success")
    return _back(assignment_id)


def _after_race(assignment_id: int, *, submitting: bool):
    sheet = db.session.scalar(select(ScoreSheet).where(ScoreSheet.assignment_id == assignment_id))
    if sheet is not None and sheet.submitted and submitting:
        flash(_("This score sheet was already submitted."), "info")
    elif sheet is not None and sheet.submitted:
        flash(error_message(JudgingError("sheet_locked")), "warning")
    else:
        flash(_("The score sheet was changed in another window meanwhile: check it and save again."), "warning")
    return _back(assignment_id)


@bp.route("/assignments/<int:assignment_id>/documents/<int:document_id>")
@require("judge")
def document(assignment_id: int, document_id: int):
    """A document of the assigned entry, as a download; in a blind round under a generic name and with its
    metadata (author, company, software...) stripped."""
    assignment = _my_assignment(assignment_id)
    named = {d.id: (d, name) for d, name in _document_names(assignment)}
    if document_id not in named:
        abort(404)
    document, name = named[document_id]
    folder = f"entries/{document.entry_id}"  # where competitions stores an entry's documents
    if not assignment.round.blind:
        return send_stored(folder, document.stored_name, name, document.mimetype)
    return _send_stripped(folder, document, name, assignment_id)


def _send_stripped(folder: str, document: EntryDocument, name: str, assignment_id: int):
    """The document without its metadata; a file that cannot be cleaned is never served (the judge is told)."""
    try:
        data = stored_path(folder, document.stored_name).read_bytes()
    except (ValueError, FileNotFoundError):
        abort(404)
    kind = KINDS.get(document.kind)
    try:
        data = strip_metadata(data, kind.extensions[0] if kind is not None else "")
    except MetadataError as exc:
        current_app.logger.warning("document %s not served in a blind round: %s", document.id, exc)
        flash(
            _(
                "“%(name)s” cannot be offered in a blind round: its authoring details could not be removed "
                "(the file is damaged, protected by a password or in an old format). Ask the organizers for "
                "another copy.",
                name=name,
            ),
            "warning",
        )
        return _back(assignment_id)
    mimetype = kind.mimetype if kind is not None else "application/octet-stream"
    response = send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.route("/assignments/<int:assignment_id>/conflict", methods=["POST"])
@require("judge")
def declare_conflict(assignment_id: int):
    """The judge declares a conflict of interest with the entry: recorded, the entry taken back, organizers told."""
    assignment = _my_assignment(assignment_id)
    form = ConflictForm(prefix="conflict")
    if not form.validate_on_submit():
        return _show(assignment, conflict_form=form)
    code = assignment.entry.code or ""
    try:
        declare_conflict_on_assignment(assignment, form.kind.data, form.note.data or "", by=current_user)
    except JudgingError as exc:
        db.session.rollback()
        if exc.code == "sheet_submitted":
            flash(
                _(
                    "You have already submitted your score sheet for this entry: ask the organizers to record "
                    "the conflict."
                ),
                "warning",
            )
        else:
            flash(error_message(exc), "warning")
        return _back(assignment_id)
    db.session.commit()
    flash(
        _(
            "Your conflict of interest with entry %(code)s is recorded and the entry taken back from you; "
            "the organizers have been told.",
            code=code,
        ),
        "success",
    )
    return redirect(url_for("judging.my_assignments"))
