"""Organizers set up contest editions: the editions they manage and a new edition from a preset (`index`), an
edition's settings, status and the rules a child edition takes from its parent (`settings`), and its lists: fields,
age groups, required documents, default criteria (`lists`).

An organizer scoped to an organisation manages the editions of that body and of the bodies below it, and the child
editions of the editions they manage; another body's edition answers 404 to them (it does not exist for them), while
accounts that organize nothing get 403.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.audit.labels import register_labels

register_labels(
    {
        "contest.create": _l("Created a contest edition"),
        "contest.update": _l("Changed a contest edition's settings"),
        "contest.status": _l("Changed a contest edition's status"),
        "contest.fields.update": _l("Changed a contest edition's fields"),
        "contest.age_groups.update": _l("Changed a contest edition's age groups"),
        "contest.document_types.update": _l("Changed a contest edition's required documents"),
        "contest.criteria.update": _l("Changed a contest edition's criteria"),
        "contest.inherit": _l("Changed the rules a child edition takes from its parent"),
    },
    {"contests": _l("Contest edition")},
)

# Imported for their routes (endpoint names: competitions.manage_index, setup_new, setup_settings, setup_status,
# setup_inherit, setup_fields, setup_age_groups, setup_documents, setup_criteria).
from competitions.views.manage_contests import index, lists, settings  # noqa: E402,F401
