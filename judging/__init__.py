"""Judging: rubrics, rounds, panels, conflicts, assignment, scores and aggregation."""

from flask import Blueprint

bp = Blueprint("judging", __name__, url_prefix="/judging")

# Imported for their routes.
import judging.views.judge  # noqa: E402
import judging.views.manage_assign  # noqa: E402
import judging.views.manage_results  # noqa: E402
import judging.views.manage_setup  # noqa: E402,F401
from judging import labels, models  # noqa: E402,F401  (models: tables known to Alembic)

bp.record_once(labels.init_app)
