"""The audit log: who did what to which record, when, with the values before and after."""

from flask import Blueprint

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")

from app.audit import views  # noqa: E402,F401
