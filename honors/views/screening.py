"""The Secretariat's dossier pages: a campaign's dossiers with filters and counts, one dossier, and its screening."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.permissions import require
from app.extensions import db
from app.forms import options
from honors import bp
from honors.eligibility import can_screen, checklist_problems
from honors.forms import ActionForm, FilterForm, ScreenForm
from honors.messages import DOSSIER_STATUS_LABELS, problem_messages
from honors.models.campaigns import DOSSIER_STATUSES
from honors.services import dossiers as service
from honors.services import screening
from honors.services.common import HonorsError
from honors.views.loaders import campaign_or_404, managed_dossier_or_404

PER_PAGE = 50


def _filter_form(campaign) -> FilterForm:
    form = FilterForm(request.args)
    form.status.choices = options([("", _("All statuses"))] + [(s, DOSSIER_STATUS_LABELS[s]) for s in DOSSIER_STATUSES])
    form.body_id.choices = options([("", _("All bodies"))] + [(b.id, b.name) for b in campaign.bodies])
    form.category_id.choices = options([("", _("All categories"))] + [(c.id, c.name) for c in campaign.categories])
    form.validate()
    return form


@bp.route("/manage/<int:campaign_id>/dossiers")
@require("manage_campaign")
def manage_dossiers(campaign_id: int):
    campaign = campaign_or_404(campaign_id)
    form = _filter_form(campaign)
    filters = service.DossierFilters(
        status=form.status.data if not form.status.errors else "",
        body_id=form.body_id.data if not form.body_id.errors else None,
        category_id=form.category_id.data if not form.category_id.errors else None,
        q=form.q.data or "",
    )
    page = db.paginate(service.dossier_query(campaign, filters), per_page=PER_PAGE, error_out=False)
    return render_template(
        "honors/manage/dossiers.html",
        campaign=campaign,
        form=form,
        page=page,
        counts=service.status_counts(campaign),
        filtered=any((filters.status, filters.body_id, filters.category_id, filters.q)),
    )


def render_dossier(dossier, *, screen_form: ScreenForm | None = None):
    """A dossier as the Secretariat sees it, with its screening form (status 200 after a refusal)."""
    if screen_form is None:
        screen_form = ScreenForm(formdata=None)
        if dossier.status in ("eligible", "ineligible"):
            screen_form.decision.data = dossier.status
            screen_form.reason.data = dossier.screening_reason
    answers = {a.item_id: a.answer for a in dossier.answers}
    return render_template(
        "honors/manage/dossier.html",
        campaign=dossier.campaign,
        dossier=dossier,
        screen_form=screen_form,
        action_form=ActionForm(),
        can_screen=can_screen(dossier.status, dossier.campaign.status),
        missing=set(checklist_problems([(i.id, i.required) for i in dossier.campaign.checklist], answers)),
    )


@bp.route("/manage/dossiers/<int:dossier_id>")
@require("manage_campaign")
def manage_dossier(dossier_id: int):
    return render_dossier(managed_dossier_or_404(dossier_id))


@bp.route("/manage/dossiers/<int:dossier_id>/screen", methods=["POST"])
@require("manage_campaign")
def manage_screen(dossier_id: int):
    dossier = managed_dossier_or_404(dossier_id)
    form = ScreenForm()
    if not form.validate_on_submit():
        return render_dossier(dossier, screen_form=form)
    try:
        screening.screen(dossier, form.decision.data == "eligible", form.reason.data or "", by=current_user)
    except HonorsError as error:
        target = form.reason if error.problems == ["reason_required"] else form.decision
        target.errors = problem_messages(error.problems, dossier.campaign)
        return render_dossier(dossier, screen_form=form)
    flash(_("The finding on %(name)s has been recorded.", name=dossier.full_name), "success")
    return redirect(url_for("honors.manage_dossiers", campaign_id=dossier.campaign_id, status="submitted"))


@bp.route("/manage/dossiers/<int:dossier_id>/reopen", methods=["POST"])
@require("manage_campaign")
def manage_reopen(dossier_id: int):
    dossier = managed_dossier_or_404(dossier_id)
    if ActionForm().validate_on_submit():
        try:
            screening.reopen(dossier, by=current_user)
        except HonorsError as error:
            for message in problem_messages(error.problems, dossier.campaign):
                flash(message, "danger")
        else:
            flash(_("The dossier awaits screening again."), "info")
    return redirect(url_for("honors.manage_dossier", dossier_id=dossier.id))
