"""Mail: through SMTP when configured, otherwise into an outbox an administrator reads in the app."""

from flask import Blueprint

bp = Blueprint("mail", __name__, url_prefix="/admin/outbox")

from app.mail import views  # noqa: E402,F401
