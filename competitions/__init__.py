"""Contests: editions set up from presets, fields, required documents, online registration and screening."""

from flask import Blueprint

bp = Blueprint("competitions", __name__, url_prefix="/contests")

from competitions import labels, models  # noqa: E402,F401  (models: tables known to Alembic)

bp.record_once(labels.init_app)
from competitions.views import imports, manage_contests, manage_entries, public  # noqa: E402,F401
