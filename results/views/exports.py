"""Organizers download the scoring workbook of each round (XLSX) and its scores as CSV. A national round's
workbook takes half a minute and 600 MB to build, longer than a request may last: each is prepared by a
process of its own (`app.jobs`), and its page offers the file once it is ready."""

from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from app.accounts.permissions import require
from app.exports import CSV_MIMETYPE, XLSX_MIMETYPE
from app.extensions import db
from app.jobs import service as jobs
from judging.models import Round
from results import bp
from results.services import workbook
from results.views.loaders import contest_or_404, round_or_404


def _filename(round_: Round, extension: str) -> str:
    contest = round_.contest
    return f"Bảng điểm - {round_.name} - {contest.code_prefix} {contest.year}.{extension}"


def _round(params: dict) -> Round:
    round_ = db.session.get(Round, params.get("round_id"))
    if round_ is None:
        raise LookupError(f"no round {params.get('round_id')}")
    return round_


def _may_export(account, params: dict) -> bool:
    try:
        return account.can("manage_contest", _round(params))
    except LookupError:
        return False


WORKBOOK = jobs.register(
    jobs.ExportKind("results.round_workbook", lambda params: workbook.round_xlsx(_round(params)), _may_export)
)
SCORES_CSV = jobs.register(
    jobs.ExportKind("results.round_scores_csv", lambda params: workbook.round_csv(_round(params)), _may_export)
)


@bp.route("/manage/<int:contest_id>/exports")
@require("manage_contest", scope=lambda contest_id: contest_or_404(contest_id))
def exports(contest_id: int):
    """The edition's rounds, each with its workbook and CSV, and the files the organizer prepared lately."""
    contest = contest_or_404(contest_id)
    rounds = list(db.session.scalars(select(Round).where(Round.contest_id == contest.id).order_by(Round.position)))
    ids = {round_.id for round_ in rounds}
    recent = jobs.recent(current_user, (WORKBOOK.name, SCORES_CSV.name), lambda p: p.get("round_id") in ids)
    prepared = [(job, jobs.state(job)) for job in recent]
    return render_template("results/manage/exports.html", contest=contest, rounds=rounds, prepared=prepared)


def _prepare(round_: Round, kind: jobs.ExportKind, extension: str, mimetype: str):
    job = jobs.request_export(
        kind.name,
        {"round_id": round_.id},
        filename=_filename(round_, extension),
        mimetype=mimetype,
        back_url=url_for("results.exports", contest_id=round_.contest_id),
        by=current_user,
    )
    return redirect(url_for("jobs.status", job_id=job.id))


@bp.route("/manage/rounds/<int:round_id>/workbook", methods=["POST"])
@require("manage_contest", scope=lambda round_id: round_or_404(round_id))
def round_workbook(round_id: int):
    """Prepare the round's scoring workbook: a sheet per field, the score sheets, conflicts and reopenings."""
    return _prepare(round_or_404(round_id), WORKBOOK, "xlsx", XLSX_MIMETYPE)


@bp.route("/manage/rounds/<int:round_id>/scores-csv", methods=["POST"])
@require("manage_contest", scope=lambda round_id: round_or_404(round_id))
def round_scores_csv(round_id: int):
    """Prepare every judge's scores in the round, one row per judge and entry (UTF-8 with BOM for Excel)."""
    return _prepare(round_or_404(round_id), SCORES_CSV, "csv", CSV_MIMETYPE)
