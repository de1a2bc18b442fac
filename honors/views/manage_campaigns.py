"""Organizers set up campaigns: the list, a new campaign, its overview and stages, its settings, its categories and
checklist."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.permissions import require
from app.forms import options
from app.timefmt import local_to_utc, to_local, utcnow
from honors import bp
from honors.eligibility import window_problem
from honors.forms import ActionForm, CampaignForm, ListsForm, lines
from honors.messages import move_label, problem_messages
from honors.models.campaigns import CAMPAIGN_TRANSITIONS
from honors.services import campaigns as service
from honors.services import dossiers as dossier_service
from honors.services.campaigns import CampaignSettings
from honors.services.common import HonorsError
from honors.views.loaders import campaign_or_404, managed_campaigns, organising_bodies

TIMES = ("opens_at", "closes_at")


@bp.route("/manage/")
@require("manage_campaign")
def manage_index():
    campaigns = managed_campaigns()
    return render_template("honors/manage/index.html", campaigns=campaigns)


def _settings(form: CampaignForm) -> CampaignSettings:
    values = {name: getattr(form, name).data for name in CampaignSettings.__dataclass_fields__}
    for name in TIMES:
        if values[name] is not None:
            values[name] = local_to_utc(values[name])
    if values["quorum_mode"] != "count":
        values["quorum_count"] = None
    return CampaignSettings(**values)


#: Which field a refused setting is shown beside.
PROBLEM_FIELDS = {
    "window_order": "closes_at",
    "quorum_share": "quorum_numerator",
    "quorum_count": "quorum_count",
    "pass_share": "pass_numerator",
    "rules_locked": "quorum_mode",
}


def _refused(form: CampaignForm, error: HonorsError, campaign=None) -> None:
    """Show the service's refusal beside the field concerned (the form keeps what was typed)."""
    for code, message in zip(error.problems, problem_messages(error.problems, campaign), strict=True):
        field = getattr(form, PROBLEM_FIELDS.get(code, "name"))
        field.errors = [*field.errors, message]


@bp.route("/manage/new", methods=["GET", "POST"])
@require("manage_campaign")
def manage_new():
    bodies = organising_bodies()
    form = CampaignForm()
    form.organisation_id.choices = options([("", _("Choose..."))] + [(o.id, o.name) for o in bodies])
    if request.method == "GET" and len(bodies) == 1:
        form.organisation_id.data = bodies[0].id
    if form.validate_on_submit():
        try:
            campaign = service.create_campaign(form.organisation_id.data, _settings(form), by=current_user)
        except HonorsError as error:
            _refused(form, error)
        else:
            flash(_("The campaign “%(name)s” has been created.", name=campaign.name), "success")
            return redirect(url_for("honors.manage_campaign", campaign_id=campaign.id))
    return render_template("honors/manage/campaign_form.html", form=form, campaign=None)


@bp.route("/manage/<int:campaign_id>")
@require("manage_campaign")
def manage_campaign(campaign_id: int):
    campaign = campaign_or_404(campaign_id)
    return render_template(
        "honors/manage/campaign.html",
        campaign=campaign,
        counts=dossier_service.status_counts(campaign),
        members=service.council_members(campaign),
        moves=[(target, move_label(campaign.status, target)) for target in CAMPAIGN_TRANSITIONS[campaign.status]],
        window=window_problem(campaign.opens_at, campaign.closes_at, utcnow()),
        action_form=ActionForm(),
    )


@bp.route("/manage/<int:campaign_id>/status", methods=["POST"])
@require("manage_campaign")
def manage_move(campaign_id: int):
    campaign = campaign_or_404(campaign_id)
    if ActionForm().validate_on_submit():
        try:
            service.move_campaign(campaign, request.form.get("target", ""), by=current_user)
        except HonorsError as error:
            for message in problem_messages(error.problems, campaign):
                flash(message, "danger")
        else:
            flash(_("The campaign has moved on."), "success")
    return redirect(url_for("honors.manage_campaign", campaign_id=campaign.id))


@bp.route("/manage/<int:campaign_id>/settings", methods=["GET", "POST"])
@require("manage_campaign")
def manage_settings(campaign_id: int):
    campaign = campaign_or_404(campaign_id)
    form = CampaignForm(obj=None if request.method == "POST" else campaign)
    form.organisation_id.choices = options([(campaign.organisation_id, campaign.organisation.name)])
    if request.method == "GET":
        for name in TIMES:
            value = getattr(campaign, name)
            getattr(form, name).data = to_local(value).replace(tzinfo=None) if value else None
    else:
        form.organisation_id.data = campaign.organisation_id
    if form.validate_on_submit():
        try:
            service.update_campaign(campaign, _settings(form), by=current_user)
        except HonorsError as error:
            _refused(form, error, campaign)
        else:
            flash(_("The campaign's settings have been saved."), "success")
            return redirect(url_for("honors.manage_campaign", campaign_id=campaign.id))
    return render_template("honors/manage/campaign_form.html", form=form, campaign=campaign)


@bp.route("/manage/<int:campaign_id>/lists", methods=["GET", "POST"])
@require("manage_campaign")
def manage_lists(campaign_id: int):
    campaign = campaign_or_404(campaign_id)
    form = ListsForm()
    if request.method == "GET":
        form.categories.data = "\n".join(c.name for c in campaign.categories)
        form.required_items.data = "\n".join(i.text for i in campaign.checklist if i.required)
        form.optional_items.data = "\n".join(i.text for i in campaign.checklist if not i.required)
    if form.validate_on_submit():
        checklist = [(t, True) for t in lines(form.required_items.data)]
        checklist += [(t, False) for t in lines(form.optional_items.data)]
        service.set_lists(campaign, lines(form.categories.data), checklist, by=current_user)
        flash(_("The categories and the checklist have been saved."), "success")
        return redirect(url_for("honors.manage_lists", campaign_id=campaign.id))
    return render_template("honors/manage/lists.html", form=form, campaign=campaign)
