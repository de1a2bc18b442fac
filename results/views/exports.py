"""Organizers download the scoring workbook of each round (XLSX) and its scores as CSV."""

from __future__ import annotations

from flask import render_template
from sqlalchemy import select

from app.accounts.permissions import require
from app.exports import send_csv, send_xlsx
from app.extensions import db
from judging.models import Round
from results import bp
from results.services import workbook
from results.views.loaders import contest_or_404, round_or_404


def _filename(round_: Round, extension: str) -> str:
    contest = round_.contest
    return f"Bảng điểm - {round_.name} - {contest.code_prefix} {contest.year}.{extension}"


@bp.route("/manage/<int:contest_id>/exports")
@require("manage_contest", scope=lambda contest_id: contest_or_404(contest_id))
def exports(contest_id: int):
    """The edition's rounds, each with its workbook and CSV."""
    contest = contest_or_404(contest_id)
    rounds = db.session.scalars(select(Round).where(Round.contest_id == contest.id).order_by(Round.position))
    return render_template("results/manage/exports.html", contest=contest, rounds=list(rounds))


@bp.route("/manage/rounds/<int:round_id>/workbook.xlsx")
@require("manage_contest", scope=lambda round_id: round_or_404(round_id))
def round_workbook(round_id: int):
    """The round's scoring workbook: a sheet per field, the score sheets, conflicts and reopenings."""
    round_ = round_or_404(round_id)
    return send_xlsx(workbook.round_xlsx(round_), _filename(round_, "xlsx"))


@bp.route("/manage/rounds/<int:round_id>/scores.csv")
@require("manage_contest", scope=lambda round_id: round_or_404(round_id))
def round_scores_csv(round_id: int):
    """Every judge's scores in the round, one row per judge and entry (UTF-8 with BOM for Excel)."""
    round_ = round_or_404(round_id)
    return send_csv(workbook.round_csv(round_), _filename(round_, "csv"))
