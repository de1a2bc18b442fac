"""Multi-level contests: a child edition's organizers forward their best entries to the parent edition (and a
provincial edition prepares its delegation to the national contest); the parent follows its children."""

from flask import Blueprint

bp = Blueprint("forwarding", __name__, url_prefix="/forwarding")

# Imported for their routes.
import forwarding.views.child  # noqa: E402
import forwarding.views.delegation  # noqa: E402
import forwarding.views.parent  # noqa: E402
import forwarding.views.withdraw  # noqa: E402,F401
from forwarding import models  # noqa: E402,F401  (models: tables known to Alembic)
from forwarding.views import panels  # noqa: E402

bp.record_once(panels.init_app)
