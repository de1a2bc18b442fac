"""Organisations, administrative units and the organisation's own settings."""

from flask import Blueprint

bp = Blueprint("orgs", __name__, url_prefix="/admin")

from app.orgs import views  # noqa: E402,F401
