"""The records judging URLs name, or 404; used by `require(..., scope=...)` and by the views."""

from __future__ import annotations

from app.extensions import db
from competitions.models import Contest, Entry
from judging.models import Assignment, Conflict, Panel, Round, ScoreSheet


def contest_or_404(contest_id: int) -> Contest:
    return db.get_or_404(Contest, contest_id)


def round_or_404(round_id: int) -> Round:
    return db.get_or_404(Round, round_id)


def panel_or_404(panel_id: int) -> Panel:
    return db.get_or_404(Panel, panel_id)


def conflict_or_404(conflict_id: int) -> Conflict:
    return db.get_or_404(Conflict, conflict_id)


def assignment_or_404(assignment_id: int) -> Assignment:
    return db.get_or_404(Assignment, assignment_id)


def sheet_or_404(sheet_id: int) -> ScoreSheet:
    return db.get_or_404(ScoreSheet, sheet_id)


def entry_or_404(entry_id: int) -> Entry:
    return db.get_or_404(Entry, entry_id)
