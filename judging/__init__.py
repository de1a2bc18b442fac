"""Judging: rubrics, rounds, panels, conflicts, assignment, scores and aggregation."""

from flask import Blueprint

bp = Blueprint("judging", __name__, url_prefix="/judging")

from judging import models  # noqa: E402,F401  (models: tables known to Alembic)
