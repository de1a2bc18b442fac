"""How judging values are named on screen (round kinds and statuses, methods, conflict kinds, sheet statuses)."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l

ROUND_KIND_LABELS = {"preliminary": _l("Preliminary round"), "final": _l("Final round")}
ROUND_STATUS_LABELS = {"setup": _l("Being set up"), "scoring": _l("Scoring"), "closed": _l("Closed")}
METHOD_LABELS = {
    "mean": _l("Mean of the judges' totals"),
    "median": _l("Median of the judges' totals"),
    "trimmed": _l("Trimmed mean (highest and lowest dropped from 5 judges)"),
}
CONFLICT_KIND_LABELS = {
    "author": _l("Author of the entry"),
    "same_unit": _l("Same unit or school"),
    "family": _l("Family"),
    "other": _l("Other"),
}
CONFLICT_SOURCE_LABELS = {
    "auto": _l("Found automatically"),
    "judge": _l("Declared by the judge"),
    "organizer": _l("Added by the organizers"),
}
SHEET_STATUS_LABELS = {"none": _l("Not started"), "draft": _l("Draft"), "submitted": _l("Submitted")}


def init_app(state) -> None:
    """Template globals, registered when the blueprint is."""
    env = state.app.jinja_env
    env.globals["round_kind_label"] = lambda s: str(ROUND_KIND_LABELS.get(s, s))
    env.globals["round_status_label"] = lambda s: str(ROUND_STATUS_LABELS.get(s, s))
    env.globals["method_label"] = lambda s: str(METHOD_LABELS.get(s, s))
    env.globals["conflict_kind_label"] = lambda s: str(CONFLICT_KIND_LABELS.get(s, s))
    env.globals["conflict_source_label"] = lambda s: str(CONFLICT_SOURCE_LABELS.get(s, s))
    env.globals["sheet_status_label"] = lambda s: str(SHEET_STATUS_LABELS.get(s or "none", s))
    env.globals["endpoint_exists"] = lambda name: name in current_app.view_functions
