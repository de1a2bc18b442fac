"""How a scoped grant is named on screen; each package that owns a scope type registers its namer."""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import lazy_gettext as _l

SCOPE_TYPE_LABELS = {
    "organisation": _l("Organisation"),
    "contest": _l("Contest"),
    "campaign": _l("Campaign"),
    "event": _l("Event"),
}

#: scope type -> function giving a record's name from its id (None when it no longer exists).
SCOPE_NAMERS: dict[str, Callable[[int], str | None]] = {}


def register_scope_namer(scope_type: str, namer: Callable[[int], str | None]) -> None:
    SCOPE_NAMERS[scope_type] = namer


def scope_label(grant) -> str:
    """ "Organisation: Huyện Bù Đăng union" for a scoped grant, "" for one that holds everywhere."""
    if not grant.scope_type:
        return ""
    kind = str(SCOPE_TYPE_LABELS.get(grant.scope_type, grant.scope_type))
    namer = SCOPE_NAMERS.get(grant.scope_type)
    name = namer(grant.scope_id) if namer else None
    return f"{kind}: {name or '#' + str(grant.scope_id)}"
