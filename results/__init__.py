"""Results: ranking and awards, the approving decision, frozen publication, certificates and exports."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from competitions.navigation import register_contest_tab

bp = Blueprint("results", __name__, url_prefix="/results")

# Imported for their routes.
import results.views.certificates  # noqa: E402
import results.views.exports  # noqa: E402
import results.views.manage_awards  # noqa: E402
import results.views.public  # noqa: E402,F401
from results import models  # noqa: E402,F401  (models: tables known to Alembic)

# The "Results" tab of the edition's set-up pages (competitions links it without importing results).
bp.record_once(lambda state: register_contest_tab("results", _l("Contest results"), "results.awards"))
