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
from sqlalchemy.orm import lazyload, selectinload

from app.accounts.models import User
from app.accounts.permissions import require
from app.audit.labels import register_labels
from app.extensions import db
from competitions.models import Entry
from judging import assignment as assigning
from judging import bp, services
from judging.assign_forms import ManualAssignForm, ReopenForm, SavePlanForm
from judging.messages import error_message
from judging.models import Assignment, Conflict, Panel, Round, RoundEntry, ScoreSheet
from judging.services import JudgingError
from judging.views.loaders import assignment_or_404, round_or_404, sheet_or_404

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


@dataclass
class Placed:
    """A stored assignment as the board shows it."""

    id: int
    judge: User
    source: str
    sheet_id: int | None
    sheet_status: str | None


@dataclass
class EntryRow:
    entry: Entry
    current: list[Placed] = field(default_factory=list)
    adding: list[User] = field(default_factory=list)


@dataclass
class JudgeRow:
    judge: User
    now: int
    adding: list[Entry] = field(default_factory=list)

    @property
    def after(self) -> int:
        return self.now + len(self.adding)


@dataclass
class PanelBoard:
    """A sub-panel (None: entries no sub-panel judges, and judges with assignments who sit on none)."""

    panel: Panel | None
    judges: list[JudgeRow] = field(default_factory=list)
    entries: list[EntryRow] = field(default_factory=list)
    unbalanced: bool = False

    @property
    def adding(self) -> int:
        return sum(len(j.adding) for j in self.judges)

    @property
    def loads_now(self) -> tuple[int, int] | None:
        return (min(j.now for j in self.judges), max(j.now for j in self.judges)) if self.judges else None

    @property
    def loads_after(self) -> tuple[int, int] | None:
        return (min(j.after for j in self.judges), max(j.after for j in self.judges)) if self.judges else None


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
    round: Round
    panels: list[PanelBoard]
    unmet: list[UnmetRow]
    plan: assigning.Result | None
    fingerprint: str
    crossed: list[Crossed]
    entries: list[Entry]

    @property
    def adding(self) -> int:
        return len(self.plan.added) if self.plan is not None else 0

    @property
    def assigned(self) -> int:
        return sum(len(row.current) for panel in self.panels for row in panel.entries)


def _conflicts_in_force(contest_id: int, entry_ids) -> dict[tuple[int, int], list[Conflict]]:
    found: dict[tuple[int, int], list[Conflict]] = {}
    if not entry_ids:
        return found
    query = (
        select(Conflict)
        .where(Conflict.contest_id == contest_id, Conflict.lifted_at.is_(None), Conflict.entry_id.in_(entry_ids))
        .options(lazyload(Conflict.entry))
        .order_by(Conflict.id)
    )
    for conflict in db.session.scalars(query):
        found.setdefault((conflict.judge_id, conflict.entry_id), []).append(conflict)
    return found


def assignment_board(round_: Round) -> AssignmentBoard:
    """The round's assignments per sub-panel and entry, and the automatic plan's preview (nothing written), in a
    fixed number of queries whatever the round's size."""
    panels = list(
        db.session.scalars(
            select(Panel)
            .where(Panel.contest_id == round_.contest_id)
            .options(selectinload(Panel.fields), selectinload(Panel.members))
            .order_by(Panel.name, Panel.id)
        )
    )
    field_panel = {pf.field_id: panel for panel in panels for pf in panel.fields}
    entries = list(
        db.session.scalars(
            select(Entry)
            .join(RoundEntry, RoundEntry.entry_id == Entry.id)
            .where(RoundEntry.round_id == round_.id)
            .options(lazyload(Entry.contest), lazyload(Entry.age_group))
            .order_by(Entry.code, Entry.id)
        )
    )
    assignments = list(
        db.session.scalars(
            select(Assignment)
            .where(Assignment.round_id == round_.id)
            .options(lazyload(Assignment.entry), selectinload(Assignment.sheet))
            .order_by(Assignment.id)
        )
    )
    known = {e.id for e in entries}
    strays = {a.entry_id for a in assignments} - known  # assigned, though no longer in the round
    if strays:
        entries += list(
            db.session.scalars(
                select(Entry).where(Entry.id.in_(strays)).options(lazyload(Entry.contest)).order_by(Entry.id)
            )
        )
    entry_by_id = {e.id: e for e in entries}

    boards: dict[int | None, PanelBoard] = {p.id: PanelBoard(p) for p in panels}
    judge_rows: dict[int, JudgeRow] = {}
    users: dict[int, User] = {}
    for panel in panels:
        for member in sorted(panel.members, key=lambda m: (m.user.sort_name, m.user_id)):
            users[member.user_id] = member.user
            judge_rows[member.user_id] = row = JudgeRow(member.user, 0)
            boards[panel.id].judges.append(row)
    entry_rows: dict[int, EntryRow] = {}
    for entry in entries:
        panel = field_panel.get(entry.field_id) if entry.field_id is not None else None
        entry_rows[entry.id] = row = EntryRow(entry)
        boards.setdefault(panel.id if panel else None, PanelBoard(None)).entries.append(row)
    for a in assignments:
        users.setdefault(a.judge_id, a.judge)
        if a.judge_id not in judge_rows:
            judge_rows[a.judge_id] = JudgeRow(a.judge, 0)
            boards.setdefault(None, PanelBoard(None)).judges.append(judge_rows[a.judge_id])
        judge_rows[a.judge_id].now += 1
        sheet = a.sheet
        entry_rows[a.entry_id].current.append(
            Placed(a.id, a.judge, a.source, sheet.id if sheet else None, sheet.status if sheet else None)
        )

    plan: assigning.Result | None
    crossed: list[Crossed] = []
    unmet: list[UnmetRow] = []
    try:
        plan = services.plan_assignment(round_)
    except ValueError:
        plan = None
        clashes = _conflicts_in_force(round_.contest_id, {a.entry_id for a in assignments})
        crossed = [Crossed(a, found) for a in assignments if (found := clashes.get((a.judge_id, a.entry_id)))]
    if plan is not None:
        for judge_id, entry_id in sorted(plan.added):
            judge_rows[judge_id].adding.append(entry_by_id[entry_id])
            entry_rows[entry_id].adding.append(users[judge_id])
        for panel_id in plan.unbalanced:
            boards[panel_id].unbalanced = True
        panel_by_id = {p.id: p for p in panels}
        blocked = _conflicts_in_force(round_.contest_id, {u.entry_id for u in plan.unmet if u.reason == "conflicts"})
        for u in plan.unmet:
            panel = panel_by_id.get(u.panel_id) if u.panel_id is not None else None
            conflicts = []
            if panel is not None and u.reason == "conflicts":
                conflicts = [c for m in panel.members for c in blocked.get((m.user_id, u.entry_id), [])]
            unmet.append(UnmetRow(entry_by_id[u.entry_id], panel, u.needed, u.assigned, u.reason, conflicts))
    for row in entry_rows.values():
        row.current.sort(key=lambda p: (p.judge.sort_name, p.judge.id))
        row.adding.sort(key=lambda u: (u.sort_name, u.id))

    ordered = [boards[p.id] for p in panels]
    if None in boards:
        ordered.append(boards[None])
    return AssignmentBoard(
        round=round_,
        panels=ordered,
        unmet=unmet,
        plan=plan,
        fingerprint=plan_fingerprint(round_, plan) if plan is not None else "",
        crossed=crossed,
        entries=[e for e in entries if e.id in known],
    )


def _offer(form: ManualAssignForm, board: AssignmentBoard) -> None:
    """The manual form's lists: the round's entries, and the judges of the sub-panels (with their panel)."""
    form.entry_id.choices = [("", _("— choose an entry —"))] + [
        (e.id, f"{e.code or '#' + str(e.id)} — {e.title}") for e in board.entries
    ]
    form.judge_id.choices = [("", _("— choose a judge —"))] + [
        (row.judge.id, f"{row.judge.full_name} ({pb.panel.name})")
        for pb in board.panels
        if pb.panel is not None
        for row in pb.judges
    ]


def _render_assignment(round_: Round, *, manual: ManualAssignForm | None = None, stale: bool = False):
    """The page, also after a refusal (status 200: the refusal is said beside its field or at the top, what was
    typed is kept)."""
    board = assignment_board(round_)
    if manual is None:
        manual = ManualAssignForm(formdata=None)
        chosen = request.args.get("entry", type=int)
        if chosen is not None:
            manual.entry_id.data = chosen
    _offer(manual, board)
    save_form = SavePlanForm(formdata=None, fingerprint=board.fingerprint)
    return render_template(
        "judging/manage/assignment.html",
        round=round_,
        contest=round_.contest,
        board=board,
        save_form=save_form,
        manual=manual,
        stale=stale,
        source_labels={k: str(v) for k, v in ASSIGNMENT_SOURCE_LABELS.items()},
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
        plan = services.plan_assignment(round_)
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
                return redirect(url_for("judging.round_assignment", round_id=round_.id, _anchor=f"entry-{entry.id}"))
    return _render_assignment(round_, manual=form)


@bp.route("/manage/assignments/<int:assignment_id>/delete", methods=["POST"])
@require("manage_contest", scope=lambda assignment_id: assignment_or_404(assignment_id))
def assignment_delete(assignment_id: int):
    """Take an entry back from a judge (a draft sheet goes with it); refused once the sheet is submitted."""
    assignment = assignment_or_404(assignment_id)
    round_id, entry, judge = assignment.round_id, assignment.entry, assignment.judge
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
    return redirect(url_for("judging.round_assignment", round_id=round_id, _anchor=f"entry-{entry.id}"))


# --- Progress ----------------------------------------------------------------------------------------------


@bp.route("/manage/rounds/<int:round_id>/progress")
@require("manage_contest", scope=lambda round_id: round_or_404(round_id))
def round_progress(round_id: int):
    """Sheets expected, not started, drafted and submitted per judge, sub-panel and round; entries still
    missing sheets; divergent entries; reminders."""
    round_ = round_or_404(round_id)
    return render_template(
        "judging/manage/progress.html",
        round=round_,
        contest=round_.contest,
        progress=services.round_progress(round_),
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
