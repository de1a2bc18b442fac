"""Multi-level contests: a child edition's organizers forward their best entries to the parent edition (and a
provincial edition prepares its delegation to the national contest); the parent follows its children."""

from flask import Blueprint

bp = Blueprint("forwarding", __name__, url_prefix="/forwarding")

from forwarding import models  # noqa: E402,F401  (models: tables known to Alembic)
