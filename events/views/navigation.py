"""What templates ask of events: whether the signed-in account holds a pass ("My passes" in the menu), and the
labels of the events' values (kinds, roles, statuses)."""

from __future__ import annotations

from flask import g
from flask_login import current_user


def has_event_passes() -> bool:
    """Whether the signed-in account holds a valid pass (asked once per request, only when the menu is drawn)."""
    if not current_user.is_authenticated:
        return False
    if "has_event_passes" not in g:
        from events.services.passes import has_passes

        g.has_event_passes = has_passes(current_user)
    return g.has_event_passes


def init_app(state) -> None:
    state.app.jinja_env.globals["has_event_passes"] = has_event_passes
    state.app.jinja_env.globals.update(label_globals())


def _labeller(labels: dict):
    return lambda value: str(labels.get(value, value))


def label_globals() -> dict:
    from events import forms

    return {
        "event_kind_label": _labeller(forms.KIND_LABELS),
        "event_status_label": _labeller(forms.EVENT_STATUS_LABELS),
        "invitee_role_label": _labeller(forms.ROLE_LABELS),
        "invitee_status_label": _labeller(forms.INVITEE_STATUS_LABELS),
        "invitee_source_label": _labeller(forms.SOURCE_LABELS),
        "question_kind_label": _labeller(forms.QUESTION_KIND_LABELS),
        "question_status_label": _labeller(forms.QUESTION_STATUS_LABELS),
    }
