"""Events: ceremonies, exhibitions, presentations and dialogue meetings, their invitees, QR passes and the
check-in console at the door."""

from flask import Blueprint

bp = Blueprint("events", __name__, url_prefix="/events")

# Imported for their routes.
import events.views.console  # noqa: E402
import events.views.invitees  # noqa: E402
import events.views.manage  # noqa: E402
import events.views.passes  # noqa: E402
import events.views.public  # noqa: E402
import events.views.questions  # noqa: E402,F401
from events import models  # noqa: E402,F401  (models: tables known to Alembic)
from events.views import api as checkin_api  # noqa: E402
from events.views import navigation  # noqa: E402

bp.record_once(navigation.init_app)
bp.record_once(checkin_api.init_app)
