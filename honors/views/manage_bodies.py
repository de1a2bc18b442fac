"""Organizers list a campaign's nominating bodies with their quotas and use, add and remove bodies, set a body's own
quota, and name the accounts that nominate for each; and they name the council's members and chair."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.models import User
from app.accounts.permissions import require
from app.accounts.services import find_by_email
from app.forms import options
from honors import bp
from honors.forms import AccountForm, ActionForm, BodyForm, ChairForm, QuotaForm
from honors.messages import problem_messages
from honors.services import campaigns as service
from honors.services import dossiers as dossier_service
from honors.services.common import HonorsError
from honors.views.loaders import (
    body_of_campaign_or_404,
    campaign_or_404,
    nominating_candidates,
    nominator_row_or_404,
)


def _changed(campaign, change: Callable[[], object]) -> bool:
    """Make a change (a service call); a refusal is flashed, each of its problems a message (False)."""
    try:
        change()
    except HonorsError as error:
        for message in problem_messages(error.problems, campaign):
            flash(message, "danger")
        return False
    return True


def _account_added(campaign, form: AccountForm, add: Callable[[User], object]) -> User | None:
    """The account the submitted form names by e-mail, once `add` took it; None when the form is not valid, names
    no account, or the service refused (the message then stands under the e-mail field)."""
    if not form.validate_on_submit():
        return None
    user = find_by_email(form.email.data)
    if user is None:
        form.email.errors = problem_messages(["no_account"])
        return None
    try:
        add(user)
    except HonorsError as error:
        form.email.errors = problem_messages(error.problems, campaign)
        return None
    return user


def _body_choices(campaign):
    return options([("", _("Choose..."))] + [(o.id, o.name) for o in nominating_candidates(campaign)])


def render_bodies(campaign, *, body_form: BodyForm | None = None, account_forms: dict | None = None):
    """The bodies page, also after a refusal (status 200, the message beside its field, what was typed kept)."""
    if body_form is None:
        body_form = BodyForm(formdata=None)
    body_form.organisation_id.choices = _body_choices(campaign)
    return render_template(
        "honors/manage/bodies.html",
        campaign=campaign,
        usage=dossier_service.body_usage(campaign),
        body_form=body_form,
        account_forms=account_forms or {},
        quota_form=QuotaForm(formdata=None),
        action_form=ActionForm(),
    )


@bp.route("/manage/<int:campaign_id>/bodies")
@require("manage_campaign")
def manage_bodies(campaign_id: int):
    return render_bodies(campaign_or_404(campaign_id))


@bp.route("/manage/<int:campaign_id>/bodies/add", methods=["POST"])
@require("manage_campaign")
def manage_body_add(campaign_id: int):
    campaign = campaign_or_404(campaign_id)
    form = BodyForm()
    form.organisation_id.choices = _body_choices(campaign)
    if not form.validate_on_submit():
        return render_bodies(campaign, body_form=form)
    try:
        body = service.add_body(campaign, form.organisation_id.data, form.quota.data, by=current_user)
    except HonorsError as error:
        form.organisation_id.errors = problem_messages(error.problems, campaign)
        return render_bodies(campaign, body_form=form)
    flash(_("“%(name)s” now nominates in the campaign.", name=body.name), "success")
    return redirect(url_for("honors.manage_bodies", campaign_id=campaign.id, _anchor=f"body-{body.id}"))


@bp.route("/manage/<int:campaign_id>/bodies/<int:body_id>/quota", methods=["POST"])
@require("manage_campaign")
def manage_body_quota(campaign_id: int, body_id: int):
    campaign = campaign_or_404(campaign_id)
    body = body_of_campaign_or_404(campaign, body_id)
    form = QuotaForm()
    if form.validate_on_submit():
        service.set_body_quota(body, form.quota.data, by=current_user)
        flash(_("The quota of “%(name)s” has been saved.", name=body.name), "success")
    else:
        for error in form.quota.errors:
            flash(f"{body.name}: {error}", "danger")
    return redirect(url_for("honors.manage_bodies", campaign_id=campaign.id, _anchor=f"body-{body.id}"))


@bp.route("/manage/<int:campaign_id>/bodies/<int:body_id>/remove", methods=["POST"])
@require("manage_campaign")
def manage_body_remove(campaign_id: int, body_id: int):
    campaign = campaign_or_404(campaign_id)
    body = body_of_campaign_or_404(campaign, body_id)
    if ActionForm().validate_on_submit():
        name = body.name
        if _changed(campaign, lambda: service.remove_body(body, by=current_user)):
            flash(_("“%(name)s” no longer nominates in the campaign.", name=name), "info")
    return redirect(url_for("honors.manage_bodies", campaign_id=campaign.id))


@bp.route("/manage/<int:campaign_id>/bodies/<int:body_id>/nominators", methods=["POST"])
@require("manage_campaign")
def manage_nominator_add(campaign_id: int, body_id: int):
    campaign = campaign_or_404(campaign_id)
    body = body_of_campaign_or_404(campaign, body_id)
    form = AccountForm(prefix=f"body{body.id}")
    user = _account_added(campaign, form, lambda user: service.add_nominator(body, user, by=current_user))
    if user is None:
        return render_bodies(campaign, account_forms={body.id: form})
    flash(_("%(name)s now nominates for “%(body)s”.", name=user.full_name, body=body.name), "success")
    return redirect(url_for("honors.manage_bodies", campaign_id=campaign.id, _anchor=f"body-{body.id}"))


@bp.route("/manage/<int:campaign_id>/bodies/<int:body_id>/nominators/<int:row_id>/remove", methods=["POST"])
@require("manage_campaign")
def manage_nominator_remove(campaign_id: int, body_id: int, row_id: int):
    campaign = campaign_or_404(campaign_id)
    body = body_of_campaign_or_404(campaign, body_id)
    row = nominator_row_or_404(body, row_id)
    if ActionForm().validate_on_submit():
        name = row.user.full_name
        service.remove_nominator(row, by=current_user)
        flash(_("%(name)s no longer nominates for “%(body)s”.", name=name, body=body.name), "info")
    return redirect(url_for("honors.manage_bodies", campaign_id=campaign.id, _anchor=f"body-{body.id}"))


# --- The council ---------------------------------------------------------------------------------------------


def render_council(campaign, *, member_form: AccountForm | None = None):
    members = service.council_members(campaign)
    chair_form = ChairForm(formdata=None, user_id=campaign.chair_id)
    chair_form.user_id.choices = options([("", _("No chair yet"))] + [(m.id, m.full_name) for m in members])
    return render_template(
        "honors/manage/council.html",
        campaign=campaign,
        members=members,
        member_form=member_form or AccountForm(formdata=None),
        chair_form=chair_form,
        action_form=ActionForm(),
    )


@bp.route("/manage/<int:campaign_id>/council")
@require("manage_campaign")
def manage_council(campaign_id: int):
    return render_council(campaign_or_404(campaign_id))


@bp.route("/manage/<int:campaign_id>/council/add", methods=["POST"])
@require("manage_campaign")
def manage_council_add(campaign_id: int):
    campaign = campaign_or_404(campaign_id)
    form = AccountForm()
    user = _account_added(campaign, form, lambda user: service.add_council_member(campaign, user, by=current_user))
    if user is None:
        return render_council(campaign, member_form=form)
    flash(_("%(name)s is now on the council.", name=user.full_name), "success")
    return redirect(url_for("honors.manage_council", campaign_id=campaign.id))


@bp.route("/manage/<int:campaign_id>/council/<int:user_id>/remove", methods=["POST"])
@require("manage_campaign")
def manage_council_remove(campaign_id: int, user_id: int):
    campaign = campaign_or_404(campaign_id)
    member = next((m for m in service.council_members(campaign) if m.id == user_id), None)
    if member is None:
        return redirect(url_for("honors.manage_council", campaign_id=campaign.id))
    if ActionForm().validate_on_submit() and _changed(
        campaign, lambda: service.remove_council_member(campaign, member, by=current_user)
    ):
        flash(_("%(name)s is no longer on the council.", name=member.full_name), "info")
    return redirect(url_for("honors.manage_council", campaign_id=campaign.id))


@bp.route("/manage/<int:campaign_id>/council/chair", methods=["POST"])
@require("manage_campaign")
def manage_council_chair(campaign_id: int):
    campaign = campaign_or_404(campaign_id)
    members = service.council_members(campaign)
    form = ChairForm()
    form.user_id.choices = options([("", "")] + [(m.id, m.full_name) for m in members])
    if form.validate_on_submit():
        chair = next((m for m in members if m.id == form.user_id.data), None)
        if _changed(campaign, lambda: service.set_chair(campaign, chair, by=current_user)):
            flash(_("The council's chair has been saved."), "success")
    else:
        flash(_("Choose one of the council's members."), "danger")
    return redirect(url_for("honors.manage_council", campaign_id=campaign.id))
