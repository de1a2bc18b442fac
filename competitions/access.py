"""Who may see and change an entry. Other packages add viewers (judging adds an entry's assigned judges)."""

from __future__ import annotations

from collections.abc import Callable

from competitions.models import Entry

#: Extra rules "may this account read this entry and its documents?", registered by later packages.
ENTRY_VIEWERS: list[Callable[[object, Entry], bool]] = []


def register_entry_viewer(rule: Callable[[object, Entry], bool]) -> None:
    ENTRY_VIEWERS.append(rule)


def is_owner(user, entry: Entry) -> bool:
    return bool(user.is_authenticated and entry.owner_id == user.id)


def is_author(user, entry: Entry) -> bool:
    """An author of the entry with an account of the same email (co-authors follow the entry, read-only)."""
    email = (getattr(user, "email", "") or "").lower()
    return bool(user.is_authenticated and email and any(p.email == email for p in entry.authors))


def can_manage(user, entry_or_contest) -> bool:
    return bool(user.is_authenticated and user.can("manage_contest", entry_or_contest))


def can_view(user, entry: Entry) -> bool:
    """The entry's owner and its other authors, the contest's organizers, and whoever a later package lets in."""
    if not user.is_authenticated:
        return False
    return (
        is_owner(user, entry)
        or is_author(user, entry)
        or can_manage(user, entry)
        or any(rule(user, entry) for rule in ENTRY_VIEWERS)
    )
