"""The JSON API under /api/: per-account bearer tokens, and an OpenAPI 3 document generated from the code."""

from flask import Blueprint

from app.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api")
csrf.exempt(bp)  # bearer tokens only, never the session cookie: no cross-site request can act

from app.api import views  # noqa: E402,F401
