"""The records judging URLs name, or 404; used by `require(..., scope=...)` and by the views."""

from __future__ import annotations

from flask import abort

from app.extensions import db
from competitions.models import Contest, Entry
from judging.models import Assignment, Conflict, Panel, Round, ScoreSheet


def contest_or_404(contest_id: int) -> Contest:
    return db.session.get(Contest, contest_id) or abort(404)


def round_or_404(round_id: int) -> Round:
    return db.session.get(Round, round_id) or abort(404)


def panel_or_404(panel_id: int) -> Panel:
    return db.session.get(Panel, panel_id) or abort(404)


def conflict_or_404(conflict_id: int) -> Conflict:
    return db.session.get(Conflict, conflict_id) or abort(404)


def assignment_or_404(assignment_id: int) -> Assignment:
    return db.session.get(Assignment, assignment_id) or abort(404)


def sheet_or_404(sheet_id: int) -> ScoreSheet:
    return db.session.get(ScoreSheet, sheet_id) or abort(404)


def entry_or_404(entry_id: int) -> Entry:
    return db.session.get(Entry, entry_id) or abort(404)
