"""Events: ceremonies, exhibitions, presentations and dialogue meetings, their invitees, QR passes and the
check-in console at the door."""

from flask import Blueprint

bp = Blueprint("events", __name__, url_prefix="/events")

from events import models  # noqa: E402,F401  (models: tables known to Alembic)
