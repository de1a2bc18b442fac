"""Results: ranking and awards, the approving decision, frozen publication, certificates and exports."""

from flask import Blueprint

bp = Blueprint("results", __name__, url_prefix="/results")

# Imported for their routes.
import results.views.certificates  # noqa: E402
import results.views.exports  # noqa: E402
import results.views.manage_awards  # noqa: E402
import results.views.public  # noqa: E402,F401
from results import models  # noqa: E402,F401  (models: tables known to Alembic)
