"""Nominating bodies' pages: the campaigns an account nominates in, its body's dossiers and quota, and a dossier
drafted, edited, given evidence files, submitted and withdrawn. Another body's dossiers are 404. Organizers of the
campaign read dossiers and download their files through the same dossier page."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.permissions import login_required, require
from app.extensions import db
from app.forms import options
from app.uploads import UploadError, accept_attribute, expand_accepted, send_stored
from honors import bp
from honors.eligibility import can_edit, can_withdraw, quota_left, submit_problems
from honors.forms import ActionForm, DossierForm, UploadForm, WithdrawForm, checklist_answers
from honors.messages import problem_messages
from honors.models.campaigns import UPLOAD_FOLDER
from honors.services import dossiers as service
from honors.services.common import HonorsError
from honors.services.dossiers import DOSSIER_FIELDS, DossierInput
from honors.views.loaders import dossier_file_or_404, own_body_or_404, own_dossier_or_404, readable_dossier_or_404


@bp.route("/nominate/")
@require("nominate")
def nominate_index():
    bodies = service.nominator_bodies(current_user)
    return render_template("honors/nominate/index.html", bodies=bodies)


@bp.route("/nominate/<int:body_id>")
@require("nominate")
def nominate_body(body_id: int):
    body = own_body_or_404(body_id)
    dossiers = list(db.session.scalars(service.dossier_query(body.campaign, service.DossierFilters(), body_id=body.id)))
    statuses = [d.status for d in dossiers]
    return render_template(
        "honors/nominate/body.html",
        body=body,
        campaign=body.campaign,
        dossiers=dossiers,
        quota=body.effective_quota,
        left=quota_left(body.effective_quota, statuses),
    )


def _dossier_form(campaign, formdata=None, obj=None) -> DossierForm:
    form = DossierForm(formdata=formdata, obj=obj) if formdata is not None else DossierForm(obj=obj)
    form.category_id.choices = options([("", _("Choose..."))] + [(c.id, c.name) for c in campaign.categories])
    return form


def _input(form: DossierForm) -> DossierInput:
    return DossierInput(**{name: getattr(form, name).data for name in DOSSIER_FIELDS})


def render_form(campaign, form: DossierForm, answers: dict, *, dossier=None, body=None):
    """The dossier form, also after a refusal (status 200, each message beside its field, what was typed kept)."""
    return render_template(
        "honors/nominate/dossier_form.html",
        campaign=campaign,
        body=body or dossier.body,
        dossier=dossier,
        form=form,
        answers=answers,
    )


@bp.route("/nominate/<int:body_id>/new", methods=["GET", "POST"])
@require("nominate")
def nominate_new(body_id: int):
    body = own_body_or_404(body_id)
    campaign = body.campaign
    if campaign.status not in ("draft", "nominating"):
        flash(problem_messages(["campaign_not_nominating"])[0], "warning")
        return redirect(url_for("honors.nominate_body", body_id=body.id))
    form = _dossier_form(campaign)
    answers = checklist_answers(request.form, campaign.checklist) if request.method == "POST" else {}
    if form.validate_on_submit():
        try:
            dossier = service.create_dossier(body, _input(form), answers, by=current_user)
        except HonorsError as error:
            form.category_id.errors = problem_messages(error.problems, campaign)
        else:
            flash(_("The draft dossier of %(name)s has been saved.", name=dossier.full_name), "success")
            return redirect(url_for("honors.dossier", dossier_id=dossier.id))
    return render_form(campaign, form, answers, body=body)


@bp.route("/dossiers/<int:dossier_id>/edit", methods=["GET", "POST"])
@require("nominate")
def dossier_edit(dossier_id: int):
    dossier = own_dossier_or_404(dossier_id)
    campaign = dossier.campaign
    if not can_edit(dossier.status, campaign.status):
        flash(problem_messages(["not_editable"])[0], "warning")
        return redirect(url_for("honors.dossier", dossier_id=dossier.id))
    form = _dossier_form(campaign, obj=dossier if request.method == "GET" else None)
    if request.method == "POST":
        answers = checklist_answers(request.form, campaign.checklist)
    else:
        answers = {a.item_id: (a.answer, a.note) for a in dossier.answers}
    if form.validate_on_submit():
        try:
            service.update_dossier(dossier, _input(form), answers, by=current_user)
        except HonorsError as error:
            form.category_id.errors = problem_messages(error.problems, campaign)
        else:
            flash(_("The dossier has been saved."), "success")
            return redirect(url_for("honors.dossier", dossier_id=dossier.id))
    return render_form(campaign, form, answers, dossier=dossier)


@bp.route("/dossiers/<int:dossier_id>")
@login_required
def dossier(dossier_id: int):
    """A dossier for its body's nominators (with their actions) or the campaign's organizers (read only here)."""
    return render_dossier_page(readable_dossier_or_404(dossier_id))


def render_dossier_page(dossier, *, withdraw_form: WithdrawForm | None = None):
    """The dossier page (status 200 after a refused withdrawal, the reason typed kept beside its error)."""
    own = dossier.body.has_nominator(current_user)
    problems = submit_problems(service.submission(dossier)) if own and dossier.status == "draft" else []
    upload_form = UploadForm(formdata=None)
    upload_form.file.render_kw = {"accept": accept_attribute(expand_accepted(service.ACCEPTED_GROUPS))}
    return render_template(
        "honors/nominate/dossier.html",
        dossier=dossier,
        campaign=dossier.campaign,
        own=own,
        editable=own and can_edit(dossier.status, dossier.campaign.status),
        withdrawable=own and can_withdraw(dossier.status, dossier.campaign.status),
        problems=problem_messages(problems, dossier.campaign),
        upload_form=upload_form,
        withdraw_form=withdraw_form or WithdrawForm(formdata=None),
        action_form=ActionForm(),
        limits={"file_mb": service.MAX_FILE_MB, "total_mb": service.MAX_TOTAL_MB, "files": service.MAX_FILES},
    )


@bp.route("/dossiers/<int:dossier_id>/files", methods=["POST"])
@require("nominate")
def dossier_upload(dossier_id: int):
    dossier = own_dossier_or_404(dossier_id)
    form = UploadForm()
    if not form.validate_on_submit():
        abort(400)
    if not form.file.data:
        flash(_("Choose a file to upload."), "warning")
    else:
        try:
            row = service.add_file(dossier, form.file.data, form.label.data or "", by=current_user)
        except UploadError as exc:
            flash(str(exc), "danger")
        except HonorsError as error:
            for message in problem_messages(error.problems, dossier.campaign):
                flash(message, "danger")
        else:
            flash(_("“%(name)s” has been uploaded.", name=row.original_name), "success")
    return redirect(url_for("honors.dossier", dossier_id=dossier.id, _anchor="files"))


@bp.route("/dossiers/<int:dossier_id>/files/<int:file_id>/delete", methods=["POST"])
@require("nominate")
def dossier_file_delete(dossier_id: int, file_id: int):
    dossier = own_dossier_or_404(dossier_id)
    row = dossier_file_or_404(dossier, file_id)
    if ActionForm().validate_on_submit():
        name = row.original_name
        try:
            service.delete_file(row, by=current_user)
        except HonorsError as error:
            for message in problem_messages(error.problems, dossier.campaign):
                flash(message, "danger")
        else:
            flash(_("“%(name)s” has been removed.", name=name), "info")
    return redirect(url_for("honors.dossier", dossier_id=dossier.id, _anchor="files"))


@bp.route("/dossiers/<int:dossier_id>/files/<int:file_id>")
@login_required
def dossier_file(dossier_id: int, file_id: int):
    dossier = readable_dossier_or_404(dossier_id)
    row = dossier_file_or_404(dossier, file_id)
    return send_stored(UPLOAD_FOLDER, row.stored_name, row.original_name, row.mimetype)


@bp.route("/dossiers/<int:dossier_id>/submit", methods=["POST"])
@require("nominate")
def dossier_submit(dossier_id: int):
    dossier = own_dossier_or_404(dossier_id)
    if ActionForm().validate_on_submit():
        try:
            service.submit_dossier(dossier, by=current_user)
        except HonorsError as error:
            for message in problem_messages(error.problems, dossier.campaign):
                flash(message, "danger")
        else:
            flash(_("The dossier of %(name)s has been submitted.", name=dossier.full_name), "success")
    return redirect(url_for("honors.dossier", dossier_id=dossier.id))


@bp.route("/dossiers/<int:dossier_id>/withdraw", methods=["POST"])
@require("nominate")
def dossier_withdraw(dossier_id: int):
    dossier = own_dossier_or_404(dossier_id)
    form = WithdrawForm()
    if form.validate_on_submit():
        try:
            service.withdraw_dossier(dossier, form.reason.data, by=current_user)
        except HonorsError as error:
            for message in problem_messages(error.problems, dossier.campaign):
                flash(message, "danger")
        else:
            flash(_("The dossier has been withdrawn."), "info")
    else:
        return render_dossier_page(dossier, withdraw_form=form)
    return redirect(url_for("honors.dossier", dossier_id=dossier.id))
