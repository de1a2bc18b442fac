"""Reports: the organizers' dashboard and the annual report (page, XLSX and PDF), read from the other packages'
records of data of record. Nothing imports reports."""

from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/reports")

import reports.views  # noqa: E402,F401  (routes)
