"""The sub-panels of the judging council: their fields, judges and head."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.models import User
from app.accounts.permissions import require
from app.accounts.services import holders
from app.extensions import db
from competitions.models import Contest
from judging import bp, services
from judging.messages import error_message
from judging.models import Panel
from judging.services import JudgingError
from judging.setup_forms import PanelForm
from judging.views.loaders import contest_or_404, panel_or_404
from judging.views.manage_setup.common import contest_scope, refused_archived, uncovered_fields

#: Which field of the sub-panel form a refusal of `save_panel` is about.
PANEL_ERROR_FIELDS = {
    "missing_name": "name",
    "unknown_field": "field_ids",
    "field_taken": "field_ids",
    "unknown_user": "member_ids",
    "not_a_judge": "member_ids",
    "member_taken": "member_ids",
    "head_not_member": "head_id",
}


@bp.route("/manage/<int:contest_id>/panels")
@require("manage_contest", scope=contest_scope)
def panels(contest_id: int):
    """The sub-panels with their fields, judges and head; fields no sub-panel judges and judges on none."""
    contest = contest_or_404(contest_id)
    found = services.contest_panels(contest)
    seated = {m.user_id for p in found for m in p.members}
    return render_template(
        "judging/manage/panels.html",
        contest=contest,
        panels=found,
        uncovered=uncovered_fields(contest, found),
        unseated=[u for u in holders("judge", contest) if u.id not in seated],
    )


def _panel_page(contest: Contest, panel: Panel | None):
    """The form of a new (or this) sub-panel: the contest's fields, fields on another sub-panel shown taken; the
    judges of the contest (and the panel's own members), those on another sub-panel shown taken."""
    others = [p for p in services.contest_panels(contest) if panel is None or p.id != panel.id]
    taken_fields = {f.field_id: p.name for p in others for f in p.fields}
    seated = {m.user_id: p.name for p in others for m in p.members}
    judges = holders("judge", contest)
    known = {u.id for u in judges}
    if panel is not None:
        judges += [m.user for m in panel.members if m.user_id not in known]
    if panel is not None and request.method == "GET":
        data = {"name": panel.name, "field_ids": panel.field_ids, "member_ids": panel.member_ids}
        form = PanelForm(data=data | {"head_id": panel.head_id})
    else:
        form = PanelForm()
    form.setup(contest.fields, judges)

    def render(status: int = 200):
        return render_template(
            "judging/manage/panel_form.html",
            contest=contest,
            panel=panel,
            form=form,
            judges=judges,
            fields=contest.fields,
            taken_fields=taken_fields,
            seated=seated,
        ), status

    if request.method == "GET":
        return render()
    if refused_archived(contest):
        return redirect(url_for("judging.panels", contest_id=contest.id))
    if not form.validate_on_submit():
        return render(400)
    try:
        saved = services.save_panel(
            contest,
            form.name.data,
            form.field_ids.data or [],
            form.member_ids.data or [],
            form.head_id.data,
            by=current_user,
            panel=panel,
        )
    except JudgingError as exc:
        field = form[PANEL_ERROR_FIELDS.get(exc.code, "name")]
        field.errors = [*field.errors, _panel_error(exc, contest, judges)]
        return render(400)
    db.session.commit()
    flash(_("The sub-panel “%(name)s” has been saved.", name=saved.name), "success")
    return redirect(url_for("judging.panels", contest_id=contest.id))


def _panel_error(exc: JudgingError, contest: Contest, judges: list[User]) -> str:
    """The refusal, naming the fields or judges it is about."""
    ids = exc.detail if isinstance(exc.detail, list) else [exc.detail]
    names = {f.id: f.name for f in contest.fields} if exc.code == "field_taken" else {u.id: u.full_name for u in judges}
    named = [names[i] for i in ids if i in names] if exc.code in ("field_taken", "not_a_judge", "member_taken") else []
    return f"{error_message(exc)} ({', '.join(named)})" if named else error_message(exc)


@bp.route("/manage/<int:contest_id>/panels/new", methods=["GET", "POST"])
@require("manage_contest", scope=contest_scope)
def panel_new(contest_id: int):
    return _panel_page(contest_or_404(contest_id), None)


@bp.route("/manage/panels/<int:panel_id>/edit", methods=["GET", "POST"])
@require("manage_contest", scope=lambda panel_id: panel_or_404(panel_id))
def panel_edit(panel_id: int):
    panel = panel_or_404(panel_id)
    return _panel_page(panel.contest, panel)
