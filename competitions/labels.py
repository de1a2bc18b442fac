"""How contest values are named on screen (statuses, levels, accepted file kinds)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

ENTRY_STATUS_LABELS = {
    "draft": _l("Draft"),
    "submitted": _l("Submitted"),
    "returned": _l("Returned for changes"),
    "eligible": _l("Eligible"),
    "ineligible": _l("Not eligible"),
    "withdrawn": _l("Withdrawn"),
}
CONTEST_STATUS_LABELS = {
    "draft": _l("Being prepared"),
    "open": _l("Open"),
    "closed": _l("Registration closed"),
    "judging": _l("Judging"),
    "results": _l("Results"),
    "archived": _l("Archived"),
}
LEVEL_LABELS = {"school": _l("School or commune"), "provincial": _l("Provincial"), "national": _l("National")}
KIND_LABELS = {"innovation": _l("Technical Innovation Contest"), "youth": _l("Youth and Children's Creativity Contest")}
GROUP_LABELS = {
    "pdf": "PDF",
    "word": "Word",
    "excel": "Excel",
    "powerpoint": "PowerPoint",
    "image": _l("images"),
    "video": _l("video"),
    "text": _l("text"),
    "zip": "ZIP",
}


def accepted_label(document_type) -> str:
    return ", ".join(str(GROUP_LABELS.get(g, g)) for g in document_type.accepted_groups)


def init_app(state) -> None:
    """Template globals, registered when the blueprint is."""
    env = state.app.jinja_env
    env.globals["entry_status_label"] = lambda s: str(ENTRY_STATUS_LABELS.get(s, s))
    env.globals["contest_status_label"] = lambda s: str(CONTEST_STATUS_LABELS.get(s, s))
    env.globals["level_label"] = lambda s: str(LEVEL_LABELS.get(s, s))
    env.globals["contest_kind_label"] = lambda s: str(KIND_LABELS.get(s, s))
    env.globals["accepted_label"] = accepted_label
