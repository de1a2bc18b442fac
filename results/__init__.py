"""Results: ranking and awards, the approving decision, frozen publication, certificates and exports."""

from flask import Blueprint

bp = Blueprint("results", __name__, url_prefix="/results")

from results import models  # noqa: E402,F401  (models: tables known to Alembic)
