"""Organizers assign judges to a round's entries (a preview of the automatic assignment, saved only as
previewed; by hand; taken back), follow the round's progress, remind judges with missing sheets, and look at
(and reopen) one score sheet. Blind rounds hide nothing from organizers."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import func, select

from app.accounts.models import User
from app.accounts.permissions import require
from app.audit.labels import register_labels
from app.extensions import db
from app.text import normalize_search
from competitions.models import Entry
from judging import assignment as assigning
from judging import bp, services
from judging.assign_forms import AssignmentFilters, ManualAssignForm, ReopenForm, SavePlanForm
from judging.messages import error_message
from judging.models import Assignment, Conflict, Panel, PanelField, Round, RoundEntry, ScoreSheet
from judging.services import JudgingError
from judging.services import assignment_pages as pages
from judging.views.loaders import assignment_or_404, round_or_404, sheet_or_404
from results.paging import ListPage, page_of

register_labels(
    {
        "round.assign": _l("Saved the automatic assignment of a round"),
        "assignment.create": _l("Assigned a judge to an entry"),
        "assignment.delete": _l("Took an entry back from a judge"),
        "sheet.reopen": _l("Reopened a score sheet"),
        "round.remind": _l("Reminded judges of their missing score sheets"),
    },
    {"judging_assignments": _l("Assignment"), "score_sheets": _l("Score sheet")},
)

#: Why an entry cannot get all its judges, in words.
UNMET_REASONS = {
    "panel_too_small": _l("The sub-panel has fewer judges than each entry needs."),
    "conflicts": _l("Too many judges of the sub-panel have a conflict of interest with this entry."),
    "balance": _l("Giving it more judges would unbalance the judges' loads."),
    services.NO_PANEL: _l("No sub-panel judges this entry's field."),
}

ASSIGNMENT_SOURCE_LABELS = {"auto": _l("automatic"), "manual": _l("by hand"), "rescore": _l("re-scoring")}


def plan_fingerprint(round_: Round, plan: assigning.Result) -> str:
    """A short hash of what the plan would add to the round: the preview names it, the save checks it."""
    data = json.dumps([round_.id, sorted(plan.added)], separators=(",", ":"))
    return hashlib.sha256(data.encode()).hexdigest()[:32]


# --- The assignment board ----------------------------------------------------------------------------------

#: Entries a page of the board lists.
ENTRIES_PER_PAGE = 50

#: Entries the report of those that cannot get all their judges names at most (the rest are counted).
UNMET_LISTED = 50

ENTRY_STATUS_LABELS = {
    "short": _l("Fewer judges than wanted"),
    "adding": _l("Judges to add in the preview"),
    "unmet": _l("Cannot get all their judges"),
    "complete": _l("All their judges assigned"),
}


@dataclass
class EntryRow:
    entry: Entry
    fact: pages.EntryFact
    current: list[Assignment] = field(default_factory=list)
    adding: list[User] = field(default_factory=list)

    @property
    def unmet_text(self) -> str:
        return str(UNMET_REASONS.get(self.fact.unmet, self.fact.unmet)) if self.fact.unmet else ""


@dataclass
class JudgeRow:
    judge: User
    now: int
    adding: int

    @property
    def after(self) -> int:
        return self.now + self.adding


@dataclass
class UnmetRow:
    entry: Entry
    panel: Panel | None
    needed: int
    assigned: int
    reason: str
    conflicts: list[Conflict] = field(default_factory=list)

    @property
    def reason_text(self) -> str:
        return str(UNMET_REASONS.get(self.reason, self.reason))


@dataclass
class Crossed:
    """A stored assignment that crosses a conflict of interest in force: to settle before planning."""

    assignment: Assignment
    conflicts: list[Conflict]


@dataclass
class AssignmentBoard:
    """The round in numbers (every sub-panel, `facts`), and what the filters keep: the sub-panel shown (`shown`,
    None: all of them) with its judges' loads, and one page of the entries with their judges."""

    round: Round
    facts: pages.RoundAssignmentFacts
    plan: assigning.Result | None
    fingerprint: str
    shown: pages.PanelSummary | None
    judges: list[JudgeRow]
    rows: ListPage  # of EntryRow
    unmet: list[UnmetRow]
    unmet_reasons: dict[str, int]
    crossed: list[Crossed]
    crossed_total: int

    @property
    def adding(self) -> int:
        return len(self.plan.added) if self.plan is not None else 0

    @property
    def unmet_total(self) -> int:
        return len(self.plan.unmet) if self.plan is not None else 0

    @property
    def panels(self) -> list[pages.PanelSummary]:
        return self.facts.panels


def _shown_panel(facts: pages.RoundAssignmentFacts, filters: AssignmentFilters) -> pages.PanelSummary | None:
    """The sub-panel the filters show (None: all): the one asked for, else the first one."""
    if filters.panel == "all" or not facts.panels:
        return None
    return facts.panel(filters.panel) or (facts.panels[0] if not filters.panel else None)


def _kept(facts, filters: AssignmentFilters, shown, round_: Round, plan) -> list[pages.EntryFact]:
    """The entries the filters keep, in code order."""
    k = round_.judges_per_entry
    kept = facts.entries
    if shown is not None:
        panel_id = shown.panel.id if shown.panel is not None else None
        kept = [e for e in kept if e.panel_id == panel_id]
    status = filters.status
    if status == "short":
        kept = [e for e in kept if e.in_round and e.stored < k]
    elif status == "adding":
        kept = [e for e in kept if e.adding]
    elif status == "unmet":
        kept = [e for e in kept if e.unmet]
    elif status == "complete":
        kept = [e for e in kept if e.stored >= k]
    if filters.judge_id is not None:
        mine = pages.entries_of_judges(round_, [filters.judge_id], plan)
        kept = [e for e in kept if e.id in mine]
    if filters.q:
        found = pages.search_entries(round_, filters.q, plan)
        kept = [e for e in kept if e.id in found]
    return kept


def assignment_board(round_: Round, filters: AssignmentFilters) -> AssignmentBoard:
    """The round's counts, its automatic plan's preview (nothing written), and the page of entries the filters
    keep, in a fixed number of queries whatever the round's size."""
    crossed: list[Crossed] = []
    crossed_total = 0
    data = pages.round_data(round_)
    try:
        plan = pages.plan(round_, data)
    except ValueError:
        plan = None
        found, crossed_total = pages.crossed_assignments(round_)
        crossed = [Crossed(a, conflicts) for a, conflicts in found]
    facts = pages.round_facts(round_, data, plan)
    shown = _shown_panel(facts, filters)
    judges = []
    if shown is not None:
        judges = [JudgeRow(u, facts.loads.get(u.id, 0), facts.adding.get(u.id, 0)) for u in shown.judges]
    listed = page_of(_kept(facts, filters, shown, round_, plan), filters.page, ENTRIES_PER_PAGE)

    unmet_facts = []
    unmet_reasons: dict[str, int] = {}
    if plan is not None:
        for u in plan.unmet:
            unmet_reasons[u.reason] = unmet_reasons.get(u.reason, 0) + 1
        unmet_facts = list(plan.unmet[:UNMET_LISTED])
    wanted = {e.id for e in listed.items} | {u.entry_id for u in unmet_facts}
    entries = pages.entries_by_id(wanted)
    current = pages.assignments_of(round_, {e.id for e in listed.items})
    planned: dict[int, list[User]] = {}
    if plan is not None:
        on_page = {e.id for e in listed.items if e.adding}
        for judge_id, entry_id in plan.added:
            if entry_id in on_page:
                planned.setdefault(entry_id, []).append(facts.users[judge_id])
    rows = [
        EntryRow(
            entries[e.id],
            e,
            current.get(e.id, []),
            sorted(planned.get(e.id, []), key=lambda u: (u.sort_name, u.id)),
        )
        for e in listed.items
    ]

    unmet: list[UnmetRow] = []
    if unmet_facts:
        panel_by_id = {p.panel.id: p.panel for p in facts.panels if p.panel is not None}
        blocked = pages.conflicts_in_force(
            round_.contest_id, {u.entry_id for u in unmet_facts if u.reason == "conflicts"}
        )
        for u in unmet_facts:
            panel = panel_by_id.get(u.panel_id) if u.panel_id is not None else None
            conflicts = []
            if panel is not None and u.reason == "conflicts":
                conflicts = [c for m in panel.members for c in blocked.get((m.user_id, u.entry_id), [])]
            unmet.append(UnmetRow(entries[u.entry_id], panel, u.needed, u.assigned, u.reason, conflicts))

    return AssignmentBoard(
        round=round_,
        facts=facts,
        plan=plan,
        fingerprint=plan_fingerprint(round_, plan) if plan is not None else "",
        shown=shown,
        judges=judges,
        rows=ListPage(rows, listed.page, listed.per_page, listed.total),
        unmet=unmet,
        unmet_reasons=unmet_reasons,
        crossed=crossed,
        crossed_total=crossed_total,
    )


def _offer(form: ManualAssignForm, board: AssignmentBoard, chosen: Entry | None) -> None:
    """The manual form's lists: the entries of the page shown (and the one chosen), and the judges of the
    sub-panel shown (all sub-panels' when all are shown), with their sub-panel."""
    entries = [row.entry for row in board.rows.items]
    if chosen is not None and chosen not in entries:
        entries.insert(0, chosen)
    form.entry_id.choices = [("", _("— choose an entry —"))] + [
        (e.id, f"{e.code or '#' + str(e.id)} — {e.title}") for e in entries
    ]
    groups = [board.shown] if board.shown is not None else board.panels
    form.judge_id.choices = [("", _("— choose a judge —"))] + [
        (judge.id, f"{judge.full_name} ({pb.panel.name})")
        for pb in groups
        if pb.panel is not None
        for judge in pb.judges
    ]


def _filters() -> AssignmentFilters:
    return AssignmentFilters.from_args(request.args, pages.ENTRY_STATUSES)


def _render_assignment(round_: Round, *, manual: ManualAssignForm | None = None, stale: bool = False):
    """The page, also after a refusal (status 200: the refusal is said beside its field or at the top, what was
    typed is kept)."""
    filters = _filters()
    if manual is None:
        manual = ManualAssignForm(formdata=None)
        chosen_id = request.args.get("entry", type=int)
        if chosen_id is not None:
            manual.entry_id.data = chosen_id
    else:
        chosen_id = manual.entry_id.data if isinstance(manual.entry_id.data, int) else None
    board = assignment_board(round_, filters)
    chosen = db.session.get(Entry, chosen_id) if chosen_id is not None else None  # on the page: no query
    _offer(manual, board, chosen)
    save_form = SavePlanForm(formdata=None, fingerprint=board.fingerprint)
    return render_template(
        "judging/manage/assignment.html",
        round=round_,
        contest=round_.contest,
        board=board,
        filters=filters,
        statuses={k: str(v) for k, v in ENTRY_STATUS_LABELS.items()},
        unmet_labels={k: str(v) for k, v in UNMET_REASONS.items()},
        save_form=save_form,
        manual=manual,
        stale=stale,
        source_labels={k: str(v) for k, v in ASSIGNMENT_SOURCE_LABELS.items()},
    )


def _entry_url(round_id: int, entry: Entry, contest_id: int) -> str:
    """The board showing one entry (its sub-panel, found by its code), at its row."""
    panel_id = (
        db.session.scalar(
            select(PanelField.panel_id).where(
                PanelField.contest_id == contest_id, PanelField.field_id == entry.field_id
            )
        )
        if entry.field_id is not None
        else None
    )
    return url_for(
        "judging.round_assignment",
        round_id=round_id,
        panel=panel_id or "all",
        q=entry.code or None,
        _anchor=f"entry-{entry.id}",
    )


@bp.route("/manage/rounds/<int:round_id>/assignment", methods=["GET", "POST"])
@require("manage_contest", scope=lambda round_id: round_or_404(round_id))
def round_assignment(round_id: int):
    """The round's assignments and the automatic plan's preview; POST saves the plan previewed, and only it: if
    the plan recomputed now differs (someone changed assignments, panels or conflicts), the new one is shown."""
    round_ = round_or_404(round_id)
    if request.method == "GET":
        return _render_assignment(round_)
    form = SavePlanForm()
    if not form.validate_on_submit():
        flash(_("Nothing was saved: look at the preview and save it again."), "warning")
        return _render_assignment(round_)
    try:
        plan = pages.plan(round_, pages.round_data(round_))
    except ValueError:
        flash(_("Nothing was saved: some assignments cross a conflict of interest (see below)."), "danger")
        return _render_assignment(round_)
    if plan_fingerprint(round_, plan) != form.fingerprint.data:
        return _render_assignment(round_, stale=True)
    if not plan.added:
        flash(_("The automatic assignment has nothing to add."), "info")
        return redirect(url_for("judging.round_assignment", round_id=round_.id))
    added = services.save_assignment(round_, plan, by=current_user)
    db.session.commit()
    flash(ngettext("%(num)d assignment saved.", "%(num)d assignments saved.", added), "success")
    return redirect(url_for("judging.round_assignment", round_id=round_.id))


#: Which field of the manual form a refusal is about.
_ENTRY_REFUSALS = ("not_in_round", "no_panel")


def _entry_chosen(round_: Round, form: ManualAssignForm) -> Entry | None:
    """The entry named by its code (any case), else chosen from the list; None (with the error beside the
    field) when it is not an entry of the round."""
    in_round = select(Entry).join(RoundEntry, RoundEntry.entry_id == Entry.id).where(RoundEntry.round_id == round_.id)
    code = form.entry_code.data or ""
    if code:
        entry = db.session.scalar(in_round.where(func.upper(Entry.code) == code.upper()))
        if entry is None:
            form.entry_code.errors.append(_("No entry of this round has the code %(code)s.", code=code))
        return entry
    if form.entry_id.data is None:
        form.entry_id.errors.append(_("Type an entry's code or choose the entry."))
        return None
    entry = db.session.scalar(in_round.where(Entry.id == form.entry_id.data))
    if entry is None:
        form.entry_id.errors.append(str(error_message(JudgingError("not_in_round"))))
    return entry


@bp.route("/manage/rounds/<int:round_id>/assignment/manual", methods=["POST"])
@require("manage_contest", scope=lambda round_id: round_or_404(round_id))
def round_assign_manual(round_id: int):
    """Give one entry of the round to one judge of its sub-panel; refusals come back beside their field."""
    round_ = round_or_404(round_id)
    form = ManualAssignForm()
    form.entry_id.choices = form.judge_id.choices = []  # offered again when the page is shown
    if form.validate_on_submit():
        entry = _entry_chosen(round_, form)
        judge = db.session.get(User, form.judge_id.data) if form.judge_id.data is not None else None
        if judge is None and form.judge_id.data is not None:
            form.judge_id.errors.append(str(error_message(JudgingError("unknown_user"))))
        if entry is not None and judge is not None:
            try:
                services.assign_manually(round_, entry, judge, by=current_user)
            except JudgingError as exc:
                db.session.rollback()
                target = (
                    (form.entry_code if form.entry_code.data else form.entry_id)
                    if exc.code in _ENTRY_REFUSALS
                    else form.judge_id
                )
                target.errors.append(error_message(exc))
            else:
                db.session.commit()
                flash(
                    _("%(judge)s now judges %(code)s.", judge=judge.full_name, code=entry.code or entry.title),
                    "success",
                )
                return redirect(_entry_url(round_.id, entry, round_.contest_id))
    return _render_assignment(round_, manual=form)


@bp.route("/manage/assignments/<int:assignment_id>/delete", methods=["POST"])
@require("manage_contest", scope=lambda assignment_id: assignment_or_404(assignment_id))
def assignment_delete(assignment_id: int):
    """Take an entry back from a judge (a draft sheet goes with it); refused once the sheet is submitted."""
    assignment = assignment_or_404(assignment_id)
    round_id, entry, judge = assignment.round_id, assignment.entry, assignment.judge
    contest_id = assignment.round.contest_id
    try:
        services.unassign(assignment, by=current_user)
    except JudgingError as exc:
        db.session.rollback()
        flash(error_message(exc), "danger")
    else:
        db.session.commit()
        flash(
            _("%(code)s was taken back from %(judge)s.", code=entry.code or entry.title, judge=judge.full_name),
            "success",
        )
    return redirect(_entry_url(round_id, entry, contest_id))


# --- Progress ----------------------------------------------------------------------------------------------


#: Judges a page of the progress board lists; entries still missing sheets it names (the most behind first).
JUDGES_PER_PAGE = 50
MISSING_LISTED = 50

JUDGE_STATUS_LABELS = {
    "behind": _l("With sheets not submitted"),
    "done": _l("All their sheets submitted"),
    "idle": _l("No entry to judge"),
}


def _judge_rows(progress, filters: AssignmentFilters):
    """The sub-panel shown (None: all) and the judges the filters keep."""
    groups = progress.panels
    keys = {(str(g.panel.id) if g.panel is not None else "none"): g for g in groups}
    shown = None
    if filters.panel != "all" and groups:
        shown = keys.get(filters.panel) or (groups[0] if not filters.panel else None)
    rows = [row for g in ([shown] if shown is not None else groups) for row in g.judges]
    if filters.status == "behind":
        rows = [r for r in rows if r.counts.missing]
    elif filters.status == "done":
        rows = [r for r in rows if r.counts.expected and not r.counts.missing]
    elif filters.status == "idle":
        rows = [r for r in rows if not r.counts.expected]
    words = normalize_search(filters.q).split()
    if words:
        rows = [r for r in rows if all(w in normalize_search(r.judge.full_name) for w in words)]
    return shown, rows


@bp.route("/manage/rounds/<int:round_id>/progress")
@require("manage_contest", scope=lambda round_id: round_or_404(round_id))
def round_progress(round_id: int):
    """Sheets expected, not started, drafted and submitted per round and sub-panel; one sub-panel's judges (or
    all), filtered and a page at a time; the entries most behind; divergent entries; reminders."""
    round_ = round_or_404(round_id)
    progress = services.round_progress(round_, limit=MISSING_LISTED)
    filters = AssignmentFilters.from_args(request.args, tuple(JUDGE_STATUS_LABELS))
    shown, rows = _judge_rows(progress, filters)
    return render_template(
        "judging/manage/progress.html",
        round=round_,
        contest=round_.contest,
        progress=progress,
        filters=filters,
        shown=shown,
        judges=page_of(rows, filters.page, JUDGES_PER_PAGE),
        statuses={k: str(v) for k, v in JUDGE_STATUS_LABELS.items()},
    )


@bp.route("/manage/rounds/<int:round_id>/remind", methods=["POST"])
@require("manage_contest", scope=lambda round_id: round_or_404(round_id))
def round_remind(round_id: int):
    """Mail every judge with sheets not submitted (each in their language)."""
    round_ = round_or_404(round_id)
    if round_.status != "scoring":
        flash(_("Judges can be reminded only while the round is open for scoring."), "warning")
        return redirect(url_for("judging.round_progress", round_id=round_.id))
    mailed = services.remind_judges(round_, by=current_user)
    db.session.commit()
    if mailed:
        flash(ngettext("%(num)d judge has been reminded.", "%(num)d judges have been reminded.", mailed), "success")
    else:
        flash(_("No judge has sheets missing: nobody was reminded."), "info")
    return redirect(url_for("judging.round_progress", round_id=round_.id))


# --- One score sheet ---------------------------------------------------------------------------------------


def _sheet_scope(sheet_id: int) -> Assignment:
    return sheet_or_404(sheet_id).assignment


def _render_sheet(sheet: ScoreSheet, form: ReopenForm | None = None):
    assignment = sheet.assignment
    round_ = assignment.round
    values = {s.criterion_id: s.value for s in sheet.scores}
    return render_template(
        "judging/manage/progress_sheet.html",
        sheet=sheet,
        assignment=assignment,
        entry=assignment.entry,
        judge=assignment.judge,
        round=round_,
        contest=round_.contest,
        rows=[(c, values.get(c.id)) for c in round_.criteria],
        history=services.sheet_history(sheet),
        form=form or ReopenForm(formdata=None),
        source_labels={k: str(v) for k, v in ASSIGNMENT_SOURCE_LABELS.items()},
    )


@bp.route("/manage/sheets/<int:sheet_id>")
@require("manage_contest", scope=_sheet_scope)
def sheet_view(sheet_id: int):
    """One judge's sheet as the organizers see it: scores, comment, status, and its submissions and reopenings."""
    return _render_sheet(sheet_or_404(sheet_id))


@bp.route("/manage/sheets/<int:sheet_id>/reopen", methods=["POST"])
@require("manage_contest", scope=_sheet_scope)
def sheet_reopen(sheet_id: int):
    """Give a submitted sheet back to its judge, with a written reason that the judge receives by mail."""
    sheet = sheet_or_404(sheet_id)
    if sheet.assignment.round.status != "scoring":
        flash(_("A sheet can be reopened only while its round is open for scoring."), "warning")
        return redirect(url_for("judging.sheet_view", sheet_id=sheet_id))
    form = ReopenForm()
    if form.validate_on_submit():
        try:
            services.reopen_and_notify(sheet, form.reason.data or "", by=current_user)
        except JudgingError as exc:
            db.session.rollback()
            if exc.code != "reason_required":
                flash(error_message(exc), "danger")
                return redirect(url_for("judging.sheet_view", sheet_id=sheet_id))
            form.reason.errors.append(error_message(exc))
        else:
            db.session.commit()
            flash(
                _("The sheet is reopened; %(judge)s has been told by email.", judge=sheet.assignment.judge.full_name),
                "success",
            )
            return redirect(url_for("judging.sheet_view", sheet_id=sheet_id))
    return _render_sheet(sheet, form)
