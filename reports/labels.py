"""How the reports name their groups on screen and in downloads."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

SCHOOL_LEVEL_LABELS = {
    "primary": _l("Primary school"),
    "lower_secondary": _l("Lower secondary school"),
    "upper_secondary": _l("Upper secondary school"),
    "multi": _l("School of several levels"),
    "other": _l("Other unit or not stated"),
}
NOT_RECORDED = _l("Not recorded")
NO_DATA = _l("No data for this table")
