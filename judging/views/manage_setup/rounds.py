"""A contest's rounds; a round's settings, rubric, entries and status."""

from __future__ import annotations

from decimal import Decimal

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import func, select

from app.accounts.permissions import require
from app.extensions import db
from app.forms import reordered, row_indices
from app.timefmt import local_to_utc, to_local
from competitions.presets import PRESETS
from competitions.setup_forms import StatusForm
from judging import bp, services
from judging.labels import ROUND_STATUS_LABELS
from judging.messages import error_message
from judging.models import ROUND_KINDS, Conflict, Round, RoundEntry
from judging.services import JudgingError
from judging.setup_forms import (
    NewRoundForm,
    RoundSettingsForm,
    RubricForm,
    blank_row,
    preset_rows,
    rubric_rows,
)
from judging.views.loaders import contest_or_404, round_or_404
from judging.views.manage_setup.common import contest_scope, refused_archived, round_scope, uncovered_fields

#: What a round's status button says, and the question asked before it acts.
ROUND_TRANSITION_LABELS = {
    ("setup", "scoring"): (
        _l("Open for scoring"),
        _l("Open the round for scoring? Judges see their entries; judges per entry and blind judging become fixed."),
    ),
    ("scoring", "closed"): (_l("Close the round"), _l("Close the round? Judges can no longer save or submit sheets.")),
    ("closed", "scoring"): (_l("Reopen the round"), _l("Reopen the round for scoring?")),
}
#: The rubric rows a round holds at most.
MAX_CRITERIA = 30


@bp.route("/manage/<int:contest_id>")
@require("manage_contest", scope=contest_scope)
def manage_contest(contest_id: int):
    """The contest's rounds with their entries counted (one grouped query), buttons creating a round, and a
    summary of its sub-panels and conflicts of interest."""
    contest = contest_or_404(contest_id)
    rounds = list(
        db.session.scalars(select(Round).where(Round.contest_id == contest.id).order_by(Round.position, Round.id))
    )
    entry_counts = dict(
        db.session.execute(
            select(RoundEntry.round_id, func.count(RoundEntry.id))
            .where(RoundEntry.round_id.in_(select(Round.id).where(Round.contest_id == contest.id)))
            .group_by(RoundEntry.round_id)
        ).all()
    )
    panels = services.contest_panels(contest)
    active, lifted = db.session.execute(
        select(
            func.count(Conflict.id).filter(Conflict.lifted_at.is_(None)),
            func.count(Conflict.id).filter(Conflict.lifted_at.is_not(None)),
        ).where(Conflict.contest_id == contest.id)
    ).one()
    return render_template(
        "judging/manage/contest.html",
        contest=contest,
        rounds=rounds,
        entry_counts=entry_counts,
        panels=panels,
        uncovered=uncovered_fields(contest, panels),
        conflict_counts={"active": active or 0, "lifted": lifted or 0},
        new_round_form=NewRoundForm(),
        kinds=ROUND_KINDS,
    )


@bp.route("/manage/<int:contest_id>/rounds/new", methods=["POST"])
@require("manage_contest", scope=contest_scope)
def round_new(contest_id: int):
    """A new preliminary or final round, with the preset's defaults and the edition's criteria as its rubric."""
    contest = contest_or_404(contest_id)
    if refused_archived(contest):
        return redirect(url_for("judging.manage_contest", contest_id=contest.id))
    form = NewRoundForm()
    if not form.validate_on_submit() or form.kind.data not in ROUND_KINDS:
        flash(_("Choose a preliminary or a final round."), "danger")
        return redirect(url_for("judging.manage_contest", contest_id=contest.id))
    round_ = services.create_round(contest, form.kind.data, by=current_user)
    db.session.commit()
    flash(_("The round “%(name)s” has been created: check its settings and rubric.", name=round_.name), "success")
    return redirect(url_for("judging.round_settings", round_id=round_.id))


# --- A round: settings, rubric, entries, status -------------------------------------------------------------


def _previous_round(round_: Round) -> Round | None:
    """The round of the contest before this one (its advancing entries fill this one)."""
    return db.session.scalar(
        select(Round)
        .where(Round.contest_id == round_.contest_id, Round.position < round_.position)
        .order_by(Round.position.desc())
        .limit(1)
    )


def _settings_data(round_: Round) -> dict:
    data = {name: getattr(round_, name) for name in services.ROUND_SETTINGS}
    if data["deadline"] is not None:
        data["deadline"] = to_local(data["deadline"]).replace(tzinfo=None)
    return data


def _locked_settings(round_: Round) -> tuple[str, ...]:
    """Settings shown but not editable: fixed once the round has been opened for scoring."""
    return ("judges_per_entry", "blind") if round_.status != "setup" else ()


def _transitions(round_: Round) -> list[dict]:
    """The status buttons of the round, with what stands in the way of each."""
    result = []
    for target in services.ROUND_TRANSITIONS.get(round_.status, ()):
        label, question = ROUND_TRANSITION_LABELS[(round_.status, target)]
        problems = services.round_status_problems(round_, target)
        result.append(
            {
                "target": target,
                "label": label,
                "confirm": question,
                "problems": [error_message(JudgingError(p)) for p in problems],
            }
        )
    return result


def _render_round(round_: Round, form: RoundSettingsForm, rubric=None, *, rubric_errors=None, general=(), status=200):
    editable = services.rubric_editable(round_)
    if rubric is None and editable:
        rubric = RubricForm(formdata=None, data={"rows": rubric_rows(round_.criteria)})
    total = None
    if rubric is not None:
        points = [sub.form.max_points.data for sub in rubric.rows]
        total = sum((p for p in points if p is not None and 0 < p <= 1000), 0)
    previous = _previous_round(round_)
    return render_template(
        "judging/manage/round_settings.html",
        contest=round_.contest,
        round=round_,
        form=form,
        locked=_locked_settings(round_),
        rubric=rubric if editable else None,
        rubric_errors=rubric_errors or {},
        general=list(general),
        total=total,
        max_rows=MAX_CRITERIA,
        presets=PRESETS,
        locked_reason=None if editable else error_message(JudgingError("rubric_locked")),
        entry_count=services.round_entry_count(round_),
        previous=previous,
        transitions=_transitions(round_),
        status_form=StatusForm(),
    ), status


@bp.route("/manage/rounds/<int:round_id>/settings", methods=["GET", "POST"])
@require("manage_contest", scope=round_scope)
def round_settings(round_id: int):
    """The round's settings (validated beside each field, the deadline in Vietnam time), its rubric, its entries
    and its status."""
    round_ = round_or_404(round_id)
    if request.method == "GET":
        return _render_round(round_, RoundSettingsForm(data=_settings_data(round_)))
    if refused_archived(round_.contest):
        return redirect(url_for("judging.round_settings", round_id=round_.id))
    form = RoundSettingsForm()
    for name in _locked_settings(round_):
        if name not in request.form:  # a disabled input sends nothing: the stored value stays
            form[name].validators = ()
            form[name].data = getattr(round_, name)
    if not form.validate_on_submit():
        return _render_round(round_, form, status=400)
    values = {name: form[name].data for name in services.ROUND_SETTINGS}
    if values["deadline"] is not None:
        values["deadline"] = local_to_utc(values["deadline"])
    try:
        changed = services.update_round(round_, values, by=current_user)
    except JudgingError as exc:
        name = exc.detail if exc.detail in services.ROUND_SETTINGS else "name"
        form[name].errors = [*form[name].errors, error_message(exc)]
        return _render_round(round_, form, status=400)
    db.session.commit()
    if changed:
        flash(_("The round's settings have been saved."), "success")
    else:
        flash(_("Nothing has changed."), "info")
    return redirect(url_for("judging.round_settings", round_id=round_.id))


@bp.route("/manage/rounds/<int:round_id>/rubric", methods=["POST"])
@require("manage_contest", scope=round_scope)
def round_rubric(round_id: int):
    """The rubric's rows: add, remove and move rows or load a preset's criteria (on the page only), then save
    them all. Refused once a score exists."""
    round_ = round_or_404(round_id)
    back = url_for("judging.round_settings", round_id=round_.id, _anchor="rubric")
    if refused_archived(round_.contest):
        return redirect(back)
    if not services.rubric_editable(round_):
        flash(error_message(JudgingError("rubric_locked")), "danger")
        return redirect(back)
    settings = RoundSettingsForm(formdata=None, data=_settings_data(round_))
    formdata = request.form
    indices = row_indices(formdata)
    verb, _sep, arg = (formdata.get("action") or "save").partition("-")
    position = indices.index(int(arg)) if arg.isdigit() and int(arg) in indices else None

    if verb == "preset":
        if arg not in PRESETS:
            abort(400)
        flash(_("The preset's criteria are on the page: save the rubric to keep them."), "info")
        return _render_round(round_, settings, RubricForm(formdata=None, data={"rows": preset_rows(arg)}))
    if verb in ("add", "remove", "up", "down"):
        order = list(indices)
        if verb == "remove" and position is not None:
            order.pop(position)
        elif verb == "up" and position:
            order[position - 1], order[position] = order[position], order[position - 1]
        elif verb == "down" and position is not None and position + 1 < len(order):
            order[position + 1], order[position] = order[position], order[position + 1]
        rubric = RubricForm(formdata=reordered(formdata, order))
        if verb == "add" and len(rubric.rows) < MAX_CRITERIA:
            rubric.rows.append_entry({"weight": Decimal(1), "step": "0.5"})
        return _render_round(round_, settings, rubric)

    rubric = RubricForm(formdata=reordered(formdata, [i for i in indices if not blank_row(formdata, i)]))
    valid = rubric.validate()
    general = []
    if not rubric.rows:
        general.append(error_message(JudgingError("empty_rubric")))
    elif len(rubric.rows) > MAX_CRITERIA:
        general.append(_("A rubric holds at most %(n)d criteria.", n=MAX_CRITERIA))
    if not valid or general:
        return _render_round(round_, settings, rubric, general=general, status=400)
    rows = [
        {
            "name": sub.form.name.data,
            "description": sub.form.description.data or "",
            "max_points": sub.form.max_points.data,
            "weight": sub.form.weight.data,
            "step": sub.form.step.data,
        }
        for sub in rubric.rows
    ]
    try:
        services.replace_rubric(round_, rows, by=current_user)
    except JudgingError as exc:
        row_errors = {exc.detail: error_message(exc)} if exc.code == "bad_criterion" else {}
        general = [] if row_errors else [error_message(exc)]
        return _render_round(round_, settings, rubric, rubric_errors=row_errors, general=general, status=400)
    db.session.commit()
    flash(_("The rubric has been saved."), "success")
    return redirect(back)


@bp.route("/manage/rounds/<int:round_id>/entries/add", methods=["POST"])
@require("manage_contest", scope=round_scope)
def round_entries_add(round_id: int):
    """Every eligible entry of the contest not yet in the round joins it (the first round of a contest; later
    rounds take the entries advancing from the one before)."""
    round_ = round_or_404(round_id)
    back = url_for("judging.round_settings", round_id=round_.id)
    if refused_archived(round_.contest):
        return redirect(back)
    if round_.status == "closed":
        flash(_("The round is closed: reopen it to add entries."), "warning")
        return redirect(back)
    if _previous_round(round_) is not None:
        flash(_("The entries of this round are the ones advancing from the round before."), "warning")
        return redirect(back)
    added = services.add_eligible_entries(round_, by=current_user)
    db.session.commit()
    if added:
        flash(
            ngettext(
                "%(num)d eligible entry has been added to the round.",
                "%(num)d eligible entries have been added to the round.",
                added,
            ),
            "success",
        )
    else:
        flash(_("Every eligible entry is in the round already."), "info")
    return redirect(back)


@bp.route("/manage/rounds/<int:round_id>/status", methods=["POST"])
@require("manage_contest", scope=round_scope)
def round_status(round_id: int):
    """Open the round for scoring (with a rubric and entries), close it, reopen it."""
    round_ = round_or_404(round_id)
    back = url_for("judging.round_settings", round_id=round_.id)
    if refused_archived(round_.contest):
        return redirect(back)
    form = StatusForm()
    target = (form.status.data or "") if form.validate_on_submit() else ""
    before = round_.status
    try:
        services.change_round_status(round_, target, by=current_user)
    except JudgingError as exc:
        for problem in exc.detail if isinstance(exc.detail, list) else [exc.code]:
            flash(error_message(JudgingError(problem)), "danger")
        return redirect(back)
    db.session.commit()
    flash(
        _(
            "The round has moved from “%(before)s” to “%(after)s”.",
            before=ROUND_STATUS_LABELS[before],
            after=ROUND_STATUS_LABELS[target],
        ),
        "success",
    )
    return redirect(back)
