"""Prepared downloads: an export too big to build inside a request (a national round's scoring workbook takes
half a minute and 600 MB) is built by a process of its own while the page says how far it is, then
downloaded by the account that asked for it. Domain packages register what can be prepared (`service.register`);
this package knows none of them."""

from flask import Blueprint

bp = Blueprint("jobs", __name__, url_prefix="/exports")

from app.jobs import views  # noqa: E402,F401
