"""Contests: editions set up from presets, fields, required documents, online registration and screening."""

from flask import Blueprint

bp = Blueprint("competitions", __name__, url_prefix="/contests")

from competitions import labels, models, navigation  # noqa: E402,F401  (models: tables known to Alembic)

bp.record_once(labels.init_app)
bp.record_once(navigation.init_app)
# Imported for their routes; bound under views.* so that `competitions.imports` stays the import rules module.
import competitions.views.imports  # noqa: E402
import competitions.views.manage_contests  # noqa: E402
import competitions.views.manage_entries  # noqa: E402
import competitions.views.public  # noqa: E402,F401
