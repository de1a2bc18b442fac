"""Organizers: the council's ballot (open, close, who has voted — never what in a secret ballot — and the results
per nominee), the tally minutes (page and PDF), the exports, the publication of honorees and their certificates."""

from __future__ import annotations

import io
import re
import zipfile

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from app.accounts.permissions import require
from app.exports import ascii_filename, send_csv, send_download, send_xlsx, write_csv, write_xlsx
from app.extensions import db
from app.forms import options
from app.pdf import send_pdf
from app.timefmt import local_to_utc
from honors import bp
from honors.ballot_forms import (
    BALLOT_ERRORS,
    CERTIFICATE_ERRORS,
    CHOICE_LABELS,
    CONFLICT_LABELS,
    OUTCOME_LABELS,
    PUBLICATION_ERRORS,
    ActionForm,
    OpenBallotForm,
    PublishForm,
    RevokeForm,
)
from honors.documents import certificate_pdf, minutes_pdf
from honors.models.ballots import HonorCertificate
from honors.services import ballot_results as readers
from honors.services import ballots as service
from honors.services import certificates as certificate_service
from honors.services import exports
from honors.services import publication as publication_service
from honors.views.labels import register_campaign_tab
from honors.views.loaders import campaign_or_404

register_campaign_tab(lambda c: ("ballot", url_for("honors.manage_ballot", campaign_id=c.id), _l("Council ballot")))
register_campaign_tab(
    lambda c: (
        ("publication", url_for("honors.manage_publication", campaign_id=c.id), _l("Honorees"))
        if c.status in ("closed", "published")
        else None
    )
)

#: Organizers of any campaign get in; the view then finds the campaign among theirs, or 404 (honors.views.loaders).
manage = require("manage_campaign")


def _ballot_or_404(campaign):
    ballot = service.close_if_due(service.ballot_of(campaign))
    if ballot is None or ballot.status == "draft":
        abort(404)
    return ballot


def _stem(campaign) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_filename(campaign.name)).strip("-") or f"campaign-{campaign.id}"


# --- the ballot -----------------------------------------------------------------------------------------------------


def _ballot_page(campaign, form: OpenBallotForm | None = None, status: int = 200):
    ballot = service.close_if_due(service.ballot_of(campaign))
    members = service.council_members(campaign)
    nominees = service.nominees(campaign)
    opened = ballot is not None and ballot.status != "draft"
    progress = readers.progress(ballot, members, [d.id for d in nominees]) if opened else None
    result = readers.results(ballot) if opened else None
    return render_template(
        "honors/ballot/manage.html",
        campaign=campaign,
        ballot=ballot,
        members=members,
        nominees=nominees,
        progress=progress,
        result=result,
        open_form=form or OpenBallotForm(formdata=None),
        action_form=ActionForm(formdata=None),
    ), status


@bp.route("/manage/<int:campaign_id>/ballot")
@manage
def manage_ballot(campaign_id: int):
    return _ballot_page(campaign_or_404(campaign_id))


@bp.route("/manage/<int:campaign_id>/ballot/open", methods=["POST"])
@manage
def manage_ballot_open(campaign_id: int):
    """Open the ballot (now or from a time, until a time or until closed); refusals come back beside the form."""
    campaign = campaign_or_404(campaign_id)
    form = OpenBallotForm()
    if form.validate_on_submit():
        opens_at = local_to_utc(form.opens_at.data) if form.opens_at.data else None
        closes_at = local_to_utc(form.closes_at.data) if form.closes_at.data else None
        try:
            service.open_ballot(campaign, opens_at=opens_at, closes_at=closes_at, by=current_user)
        except service.BallotError as error:
            db.session.rollback()
            field = form.closes_at if error.code == "bad_times" else form.opens_at
            field.errors = [*field.errors, str(BALLOT_ERRORS[error.code])]
        else:
            flash(_("The ballot is open."), "success")
            return redirect(url_for("honors.manage_ballot", campaign_id=campaign.id))
    return _ballot_page(campaign, form)


@bp.route("/manage/<int:campaign_id>/ballot/close", methods=["POST"])
@manage
def manage_ballot_close(campaign_id: int):
    campaign = campaign_or_404(campaign_id)
    form = ActionForm()
    ballot = service.ballot_of(campaign)
    if not form.validate_on_submit():
        flash(_("The form has expired. Please reload the page and submit it again."), "danger")
    elif ballot is None:
        flash(str(BALLOT_ERRORS["not_open"]), "danger")
    else:
        try:
            service.close_ballot(ballot, by=current_user, reason="organizer")
        except service.BallotError as error:
            db.session.rollback()
            flash(str(BALLOT_ERRORS[error.code]), "danger")
        else:
            flash(_("The ballot is closed."), "success")
    return redirect(url_for("honors.manage_ballot", campaign_id=campaign.id))


@bp.route("/manage/<int:campaign_id>/ballot/minutes")
@manage
def manage_minutes(campaign_id: int):
    """The tally minutes as a printable page."""
    campaign = campaign_or_404(campaign_id)
    ballot = _ballot_or_404(campaign)
    return render_template("honors/ballot/minutes.html", campaign=campaign, minutes=readers.minutes(ballot))


@bp.route("/manage/<int:campaign_id>/ballot/minutes.pdf")
@manage
def manage_minutes_pdf(campaign_id: int):
    campaign = campaign_or_404(campaign_id)
    ballot = _ballot_or_404(campaign)
    return send_pdf(minutes_pdf(readers.minutes(ballot)), f"Biên bản kiểm phiếu - {campaign.name}.pdf")


# --- exports --------------------------------------------------------------------------------------------------------


@bp.route("/manage/<int:campaign_id>/export/dossiers.<any(xlsx, csv):fmt>")
@manage
def manage_export_dossiers(campaign_id: int, fmt: str):
    """Every dossier of the campaign (with the nominees' contact details: organizers only)."""
    campaign = campaign_or_404(campaign_id)
    sheet = exports.dossier_sheet(campaign)
    name = f"{_('Dossiers')} - {campaign.name}.{fmt}"
    if fmt == "xlsx":
        return send_xlsx(write_xlsx([sheet]), name)
    return send_csv(write_csv(sheet.columns, sheet.rows), name)


@bp.route("/manage/<int:campaign_id>/export/ballot.<any(xlsx, csv):fmt>")
@manage
def manage_export_results(campaign_id: int, fmt: str):
    """The ballot's results: counts per nominee; each member's vote in an open ballot only."""
    campaign = campaign_or_404(campaign_id)
    ballot = _ballot_or_404(campaign)
    sheets = exports.result_sheets(readers.results(ballot), OUTCOME_LABELS, CHOICE_LABELS, CONFLICT_LABELS)
    name = f"{_('Ballot results')} - {campaign.name}.{fmt}"
    if fmt == "xlsx":
        return send_xlsx(write_xlsx(sheets), name)
    return send_csv(write_csv(sheets[0].columns, sheets[0].rows), name)


# --- publication ----------------------------------------------------------------------------------------------------


def _publication_page(campaign, form: PublishForm | None = None):
    ballot = service.ballot_of(campaign)
    published = publication_service.honor_list(campaign)
    result = readers.results(ballot) if ballot is not None and ballot.status == "closed" else None
    form = form or PublishForm(formdata=None)
    tied = result.tally.tied_at_cut if result else []
    dossiers = {d.id: d for d in result.dossiers} if result else {}
    form.tied.choices = options((n.key, dossiers[n.key].display_name) for n in tied)
    return render_template(
        "honors/ballot/publication.html",
        campaign=campaign,
        ballot=ballot,
        published=published,
        result=result,
        form=form,
        tied=tied,
        honored=[dossiers[n.key] for n in result.tally.honored] if result else [],
        seats=result.tally.seats_left_for_tied if result else 0,
    )


@bp.route("/manage/<int:campaign_id>/publication")
@manage
def manage_publication(campaign_id: int):
    return _publication_page(campaign_or_404(campaign_id))


@bp.route("/manage/<int:campaign_id>/publication", methods=["POST"])
@manage
def manage_publish(campaign_id: int):
    """Publish the honoree list; a refusal comes back beside its field with what was chosen and typed."""
    campaign = campaign_or_404(campaign_id)
    form = PublishForm()
    _publication_page(campaign, form)  # fills the choices the form validates against
    if form.validate_on_submit():
        try:
            publication_service.publish(
                campaign, by=current_user, chosen_tied=form.tied.data, tie_note=form.tie_note.data
            )
        except publication_service.PublicationError as error:
            db.session.rollback()
            field = form.tie_note if error.code == "tie_note_required" else form.tied
            field.errors = [*field.errors, str(PUBLICATION_ERRORS[error.code])]
        else:
            flash(_("The honoree list is published."), "success")
            return redirect(url_for("honors.manage_publication", campaign_id=campaign.id))
    return _publication_page(campaign, form)


# --- certificates ---------------------------------------------------------------------------------------------------


def _verify_url(certificate: HonorCertificate) -> str:
    return url_for("honors.verify", token=certificate.token, _external=True)


def _certificate_or_404(certificate_id: int) -> HonorCertificate:
    certificate = db.session.get(HonorCertificate, certificate_id)
    if certificate is None or not current_user.can("manage_campaign", certificate.campaign):
        abort(404)
    return certificate


def _file_stem(certificate: HonorCertificate) -> str:
    name = re.sub(r"[^A-Za-z0-9]+", "-", ascii_filename(certificate.holder_name)).strip("-")
    return "-".join(p for p in (certificate.number.replace("/", "-"), name) if p)


@bp.route("/manage/<int:campaign_id>/certificates")
@manage
def manage_certificates(campaign_id: int):
    campaign = campaign_or_404(campaign_id)
    return render_template(
        "honors/ballot/certificates.html",
        campaign=campaign,
        published=publication_service.honor_list(campaign),
        certificates=certificate_service.certificates_of(campaign),
        pending=len(certificate_service.pending(campaign)),
        action_form=ActionForm(formdata=None),
        revoke_form=RevokeForm(formdata=None),
    )


@bp.route("/manage/<int:campaign_id>/certificates/issue", methods=["POST"])
@manage
def manage_certificates_issue(campaign_id: int):
    campaign = campaign_or_404(campaign_id)
    if not ActionForm().validate_on_submit():
        flash(_("The form has expired. Please reload the page and submit it again."), "danger")
        return redirect(url_for("honors.manage_certificates", campaign_id=campaign.id))
    try:
        issued = certificate_service.issue(campaign, by=current_user)
    except certificate_service.HonorCertificateError as error:
        db.session.rollback()
        flash(str(CERTIFICATE_ERRORS[error.code]), "danger")
    else:
        if issued:
            flash(ngettext("%(num)d certificate issued.", "%(num)d certificates issued.", issued), "success")
        else:
            flash(_("Every honoree already has a certificate."), "info")
    return redirect(url_for("honors.manage_certificates", campaign_id=campaign.id))


@bp.route("/manage/honor-certificates/<int:certificate_id>/revoke", methods=["POST"])
@manage
def manage_certificate_revoke(certificate_id: int):
    certificate = _certificate_or_404(certificate_id)
    form = RevokeForm()
    if form.validate_on_submit():
        try:
            certificate_service.revoke(certificate, form.reason.data, by=current_user)
        except certificate_service.HonorCertificateError as error:
            db.session.rollback()
            form.reason.errors = [*form.reason.errors, str(CERTIFICATE_ERRORS[error.code])]
        else:
            flash(_("Certificate %(number)s has been revoked.", number=certificate.number), "success")
            return redirect(url_for("honors.manage_certificates", campaign_id=certificate.campaign_id))
    return render_template(
        "honors/ballot/revoke.html", certificate=certificate, campaign=certificate.campaign, form=form
    )


@bp.route("/manage/honor-certificates/<int:certificate_id>.pdf")
@manage
def manage_certificate_pdf(certificate_id: int):
    certificate = _certificate_or_404(certificate_id)
    data = certificate_pdf(certificate_service.printable([certificate], _verify_url))
    return send_pdf(data, f"{_file_stem(certificate)}.pdf")


@bp.route("/manage/<int:campaign_id>/certificates.<any(pdf, zip):fmt>")
@manage
def manage_certificates_bundle(campaign_id: int, fmt: str):
    """Every valid certificate: one PDF (a page each), or a ZIP of one PDF each."""
    campaign = campaign_or_404(campaign_id)
    found = certificate_service.certificates_of(campaign, valid_only=True)
    if not found:
        flash(_("There is no valid certificate to download yet."), "info")
        return redirect(url_for("honors.manage_certificates", campaign_id=campaign.id))
    data = certificate_pdf(
        certificate_service.printable(found, _verify_url), title=f"Giấy chứng nhận - {campaign.name}"
    )
    name = f"Giấy chứng nhận - {campaign.name}.{fmt}"
    if fmt == "pdf":
        return send_pdf(data, name)
    from app.certificates import split_pages

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for certificate, page in zip(found, split_pages(data), strict=True):
            archive.writestr(f"{_file_stem(certificate)}.pdf", page)
    response = send_download(buffer.getvalue(), name, "application/zip")
    response.headers["Cache-Control"] = "private, no-store"
    return response
