"""A prepared export's page (how far it is, refreshed until it is ready) and its download, for the account that
asked for it alone; a failed one can be asked for again from its page (a POST: CSRF as every form's)."""

from __future__ import annotations

from flask import abort, redirect, render_template, send_file, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.accounts.permissions import login_required
from app.exports import content_disposition
from app.jobs import bp, service

#: Why a job failed, as its page says it.
ERRORS = {
    "gone": _l("What this export was asked for no longer exists (it was deleted in the meantime)."),
    "stopped": _l("The preparation stopped before it finished (the server may have restarted). Prepare it again."),
    "not_started": _l("The server could not start preparing it. Try again in a moment."),
    "missing": _l("The file is no longer on the server. Prepare it again."),
    "failed": _l("Preparing it failed. Try again; if it fails again, tell the system administrator."),
}
#: Seconds between two looks of the page at an export being prepared.
REFRESH_SECONDS = 3


def _mine_or_404(job_id: int):
    found = service.for_account(job_id, current_user)
    if found is None:
        abort(404)
    return found[0]


@bp.route("/<int:job_id>")
@login_required
def status(job_id: int):
    job = _mine_or_404(job_id)
    state = service.state(job)
    error = ERRORS.get(service.error_code(job), ERRORS["failed"]) if state == "failed" else None
    return render_template(
        "jobs/status.html",
        job=job,
        state=state,
        error=error,
        refresh=REFRESH_SECONDS if state in service.UNFINISHED else None,
    )


@bp.route("/<int:job_id>/download")
@login_required
def download(job_id: int):
    job = _mine_or_404(job_id)
    if service.state(job) != "done":
        abort(404)
    response = send_file(
        service.file_path(job), mimetype=job.mimetype, as_attachment=True, download_name=job.filename, max_age=0
    )
    response.headers["Content-Disposition"] = content_disposition(job.filename)
    response.headers["Cache-Control"] = "private, no-store"  # exports hold personal data
    return response


@bp.route("/<int:job_id>/again", methods=["POST"])
@login_required
def again(job_id: int):
    job = _mine_or_404(job_id)
    fresh = service.request_export(
        job.kind,
        dict(job.params),
        filename=job.filename,
        mimetype=job.mimetype,
        back_url=job.back_url,
        by=current_user,
    )
    return redirect(url_for("jobs.status", job_id=fresh.id))
