"""Organizers set judging up: a contest's rounds, a round's settings, rubric, entries and status (`rounds`), the
sub-panels of the judging council (`panels`), and conflicts of interest, found automatically, added, lifted with a
reason (`conflicts`).

Every page needs `manage_contest` for the contest: an organizer of another body gets 403. An archived edition
is read-only."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.audit.labels import register_labels
from competitions.navigation import register_contest_tab
from judging import bp

register_labels(
    {
        "round.create": _l("Created a judging round"),
        "round.update": _l("Changed a judging round's settings"),
        "round.rubric": _l("Changed a judging round's rubric"),
        "round.status": _l("Changed a judging round's status"),
        "round.add_entries": _l("Added entries to a judging round"),
        "panel.create": _l("Created a sub-panel"),
        "panel.update": _l("Changed a sub-panel"),
        "conflicts.detect": _l("Looked for conflicts of interest"),
        "conflict.declare": _l("Recorded a conflict of interest"),
        "conflict.lift": _l("Lifted a conflict of interest"),
    },
    {
        "judging_rounds": _l("Judging round"),
        "judging_panels": _l("Sub-panel"),
        "judging_conflicts": _l("Conflict of interest"),
    },
)

bp.record_once(lambda state: register_contest_tab("judging", _l("Judging"), "judging.manage_contest"))

# Imported for their routes.
from judging.views.manage_setup import conflicts, panels, rounds  # noqa: E402,F401
