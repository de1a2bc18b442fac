"""Certificates: organizers issue them for the authors of awarded entries, revoke one with a reason, download one
or all (one PDF, or a ZIP of one PDF each); anyone checks one at its public verification page (rate-limited). And
the official summary of results (biên bản tổng hợp kết quả) as a printable page and a PDF."""

from __future__ import annotations

import io
import re
import zipfile

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from app.accounts.permissions import login_required, require
from app.audit.labels import register_labels
from app.certificates import split_pages
from app.exports import ascii_filename, send_download
from app.extensions import db, limiter
from app.pdf import send_pdf
from competitions.access import is_author, is_owner
from competitions.models import Contest, Entry
from competitions.navigation import register_contest_tab, register_entry_panel
from results import bp
from results.certificate_forms import IssueForm, RevokeForm
from results.documents import certificate_pdf, summary_pdf
from results.models import Certificate
from results.services import certificates as service
from results.services.summary import official_summary
from results.views.loaders import certificate_or_404, contest_or_404, entry_or_404

register_labels(
    {"certificates.issue": _l("Issued certificates"), "certificate.revoke": _l("Revoked a certificate")},
    {"certificates": _l("Certificate")},
)


def _register(state) -> None:
    register_contest_tab("certificates", _l("Certificates"), "results.certificates")
    register_entry_panel("certificates", entry_certificates_panel)


bp.record_once(_register)

ERROR_MESSAGES = {
    "no_decision": _l("Record the decision approving the awards first: each certificate cites its number."),
    "reason_required": _l("Give the reason for revoking the certificate."),
    "reason_too_long": _l("The reason is too long."),
    "already_revoked": _l("This certificate has already been revoked."),
}
STALE_LABELS = {
    service.STALE_AWARD_GONE: _l("The award no longer exists."),
    service.STALE_PRIZE: _l("The prize has changed since."),
    service.STALE_HOLDER: _l("The author's name has changed since."),
    service.STALE_TITLE: _l("The entry's title has changed since."),
}
ZIP_MIMETYPE = "application/zip"


def _verify_limit() -> str:
    return current_app.config["VERIFY_RATE_LIMIT"]


def _verify_url(certificate: Certificate) -> str:
    return url_for("results.verify", token=certificate.token, _external=True)


def _valid_certificates(contest: Contest) -> list[Certificate]:
    return list(
        db.session.scalars(
            select(Certificate)
            .where(Certificate.contest_id == contest.id, Certificate.revoked_at.is_(None))
            .order_by(Certificate.number)
        )
    )


def _file_stem(certificate: Certificate) -> str:
    """ "2026-STKT-0001-Nguyen-Van-An": the number, then the holder's name in ASCII."""
    name = re.sub(r"[^A-Za-z0-9]+", "-", ascii_filename(certificate.holder_name)).strip("-")
    return "-".join(p for p in (certificate.number.replace("/", "-"), name) if p)


def _bundle_name(contest: Contest, extension: str) -> str:
    return f"Giấy chứng nhận - {contest.code_prefix} {contest.year}.{extension}"


# --- the organizers' list ---------------------------------------------------------------------------------------


@bp.route("/manage/<int:contest_id>/certificates")
@require("manage_contest", scope=lambda contest_id: contest_or_404(contest_id))
def certificates(contest_id: int):
    """The edition's certificates (number, holder, prize, entry, status), how many authors still wait for one,
    and the downloads."""
    contest = contest_or_404(contest_id)
    return render_template(
        "results/certificates/index.html",
        contest=contest,
        listing=service.certificate_list(contest),
        issue_form=IssueForm(formdata=None),
        revoke_form=RevokeForm(formdata=None),
        stale_labels=STALE_LABELS,
    )


@bp.route("/manage/<int:contest_id>/certificates/issue", methods=["POST"])
@require("manage_contest", scope=lambda contest_id: contest_or_404(contest_id))
def certificates_issue(contest_id: int):
    """Issue certificates to every author of an awarded entry who has none yet (again: nothing changes)."""
    contest = contest_or_404(contest_id)
    form = IssueForm()
    if not form.validate_on_submit():
        flash(_("The form has expired. Please reload the page and submit it again."), "danger")
        return redirect(url_for("results.certificates", contest_id=contest.id))
    try:
        issued = service.issue_certificates(contest, by=current_user)
    except service.CertificateError as error:
        db.session.rollback()
        flash(str(ERROR_MESSAGES[error.code]), "danger")
        return redirect(url_for("results.certificates", contest_id=contest.id))
    db.session.commit()
    if issued:
        flash(ngettext("%(num)d certificate issued.", "%(num)d certificates issued.", issued), "success")
    else:
        flash(_("Every author of an awarded entry already has a certificate."), "info")
    return redirect(url_for("results.certificates", contest_id=contest.id))


@bp.route("/manage/certificates/<int:certificate_id>/revoke", methods=["POST"])
@require("manage_contest", scope=lambda certificate_id: certificate_or_404(certificate_id))
def certificate_revoke(certificate_id: int):
    """Revoke a certificate with a reason; a missing reason comes back beside its field, with the page."""
    certificate = certificate_or_404(certificate_id)
    form = RevokeForm()
    status = 400
    if form.validate_on_submit():
        try:
            service.revoke_certificate(certificate, form.reason.data, by=current_user)
        except service.CertificateError as error:
            db.session.rollback()
            form.reason.errors = [*form.reason.errors, str(ERROR_MESSAGES[error.code])]
            status = 409 if error.code == "already_revoked" else 400
        else:
            db.session.commit()
            flash(_("Certificate %(number)s has been revoked.", number=certificate.number), "success")
            return redirect(url_for("results.certificates", contest_id=certificate.contest_id))
    return render_template(
        "results/certificates/revoke.html", certificate=certificate, contest=certificate.contest, form=form
    ), status


# --- PDFs and the ZIP ---------------------------------------------------------------------------------------------


@bp.route("/manage/certificates/<int:certificate_id>.pdf", endpoint="certificate_pdf")
@require("manage_contest", scope=lambda certificate_id: certificate_or_404(certificate_id))
def certificate_pdf_view(certificate_id: int):
    """One certificate as PDF (a revoked one says so across its top)."""
    certificate = certificate_or_404(certificate_id)
    data = certificate_pdf(service.printable([certificate], _verify_url))
    return send_pdf(data, f"{_file_stem(certificate)}.pdf")


@bp.route("/manage/<int:contest_id>/certificates.pdf")
@require("manage_contest", scope=lambda contest_id: contest_or_404(contest_id))
def certificates_pdf(contest_id: int):
    """Every valid certificate of the edition in one PDF, a page each, in number order."""
    contest = contest_or_404(contest_id)
    found = _valid_certificates(contest)
    if not found:
        flash(_("There is no valid certificate to download yet."), "info")
        return redirect(url_for("results.certificates", contest_id=contest.id))
    data = certificate_pdf(service.printable(found, _verify_url), title=f"Giấy chứng nhận - {contest.name}")
    return send_pdf(data, _bundle_name(contest, "pdf"))


@bp.route("/manage/<int:contest_id>/certificates.zip")
@require("manage_contest", scope=lambda contest_id: contest_or_404(contest_id))
def certificates_zip(contest_id: int):
    """Every valid certificate of the edition as a ZIP of one PDF each ("2026-STKT-0001-Nguyen-Van-An.pdf")."""
    contest = contest_or_404(contest_id)
    found = _valid_certificates(contest)
    if not found:
        flash(_("There is no valid certificate to download yet."), "info")
        return redirect(url_for("results.certificates", contest_id=contest.id))
    # One document (fonts read once), then one file per page: far faster than a document per certificate.
    pages = split_pages(certificate_pdf(service.printable(found, _verify_url)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for certificate, page in zip(found, pages, strict=True):
            archive.writestr(f"{_file_stem(certificate)}.pdf", page)
    response = send_download(buffer.getvalue(), _bundle_name(contest, "zip"), ZIP_MIMETYPE)
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- contestants, on their entry's page ---------------------------------------------------------------------------


def _entry_certificates(entry: Entry) -> list[Certificate]:
    return list(
        db.session.scalars(
            select(Certificate)
            .where(Certificate.entry_id == entry.id, Certificate.revoked_at.is_(None))
            .order_by(Certificate.number)
        )
    )


def _reads_entry_certificates(entry: Entry) -> bool:
    """The entry's owner and authors, and the edition's organizers."""
    return is_owner(current_user, entry) or is_author(current_user, entry) or current_user.can("manage_contest", entry)


def entry_certificates_panel(entry) -> str:
    """The entry's valid certificates with their PDFs, for its owner and authors (one query; nothing before any
    certificate is issued)."""
    if not current_user.is_authenticated or not (is_owner(current_user, entry) or is_author(current_user, entry)):
        return ""
    found = _entry_certificates(entry)
    if not found:
        return ""
    return render_template("results/certificates/_entry_panel.html", entry=entry, certificates=found)


@bp.route("/entries/<int:entry_id>/certificates/<int:certificate_id>.pdf")
@login_required
def entry_certificate_pdf(entry_id: int, certificate_id: int):
    """A valid certificate of the entry as PDF, for the entry's owner and authors (and its organizers)."""
    entry = entry_or_404(entry_id)
    if not _reads_entry_certificates(entry):
        abort(403)
    certificate = certificate_or_404(certificate_id)
    if certificate.entry_id != entry.id or not certificate.valid:
        abort(404)
    data = certificate_pdf(service.printable([certificate], _verify_url))
    return send_pdf(data, f"{_file_stem(certificate)}.pdf")


# --- the public verification page ---------------------------------------------------------------------------------


@bp.route("/verify/<token>")
@limiter.limit(_verify_limit)
def verify(token: str):
    """Anyone holding a certificate's link (its QR code) sees whether it is valid, revoked (and when), or unknown;
    never more than the certificate itself prints. Rate-limited per address, so tokens cannot be tried in bulk."""
    certificate = service.by_token(token)
    decision = service.decision_of(certificate) if certificate is not None and certificate.valid else None
    response = current_app.make_response(
        (
            render_template("results/certificates/verify.html", certificate=certificate, decision=decision),
            200 if certificate is not None else 404,
        )
    )
    response.headers["Referrer-Policy"] = "no-referrer"  # the address holds the token
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


# --- the official summary -----------------------------------------------------------------------------------------


@bp.route("/manage/<int:contest_id>/summary")
@require("manage_contest", scope=lambda contest_id: contest_or_404(contest_id))
def summary(contest_id: int):
    """The official summary of results as a printable page."""
    contest = contest_or_404(contest_id)
    return render_template("results/summary.html", contest=contest, summary=official_summary(contest))


@bp.route("/manage/<int:contest_id>/summary.pdf", endpoint="summary_pdf")
@require("manage_contest", scope=lambda contest_id: contest_or_404(contest_id))
def summary_pdf_view(contest_id: int):
    """The official summary of results as PDF."""
    contest = contest_or_404(contest_id)
    data = summary_pdf(official_summary(contest))
    return send_pdf(data, f"Biên bản tổng hợp kết quả - {contest.code_prefix} {contest.year}.pdf")
