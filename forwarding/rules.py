"""Pure forwarding rules: may a child edition forward these entries to its parent now, and may a forward be
withdrawn. No Flask, no database: the services gather the facts and ask.

A parent edition opens a window (`opens_at`, `closes_at`, naive UTC) for its children to forward entries, and
gives each child a quota: the child's own when the parent's organizers set one, else the parent's default (None
for either means no limit). Only eligible entries still in the child and not already forwarded go; a batch that
does not fit in what is left of the quota is refused whole (the organizers choose, not the order of the list).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

#: Where a parent's forwarding window stands.
WINDOW_STATES = ("unset", "not_yet", "open", "closed")


def window_state(opens_at: datetime | None, closes_at: datetime | None, now: datetime) -> str:
    """ "unset" while the parent has set neither end, "not_yet" before `opens_at`, "closed" after `closes_at`
    (the closing minute itself still counts), "open" otherwise. An open end is no limit on that side."""
    if opens_at is None and closes_at is None:
        return "unset"
    if opens_at is not None and now < opens_at:
        return "not_yet"
    if closes_at is not None and now > closes_at:
        return "closed"
    return "open"


def quota_for(child_quota: int | None, parent_default: int | None) -> int | None:
    """The child's quota at its parent: its own when set (0 included: it may forward nothing), else the
    parent's default; None is no limit."""
    return child_quota if child_quota is not None else parent_default


def quota_left(quota: int | None, used: int) -> int | None:
    """How many more entries the child may forward (never below 0), or None without a limit."""
    return None if quota is None else max(quota - used, 0)


@dataclass(frozen=True)
class Candidate:
    """What the rules need of one entry the child's organizers chose."""

    entry_id: int
    code: str
    status: str
    #: The entry is (still) an entry of the child edition.
    in_child: bool = True
    #: A forward of the entry from this child is in force already.
    forwarded: bool = False
    #: Its field, age group and documents' types all have their match in the parent.
    mappable: bool = True


@dataclass(frozen=True)
class Problem:
    """Why (part of) a forward or a withdrawal is refused: `code`, and the entry codes concerned (if any)."""

    code: str
    codes: tuple[str, ...] = ()
    #: For "quota": the quota and what is left of it.
    quota: int | None = None
    left: int | None = None


def forward_problems(
    candidates: Iterable[Candidate],
    *,
    has_parent: bool,
    window: str,
    quota: int | None,
    used: int,
) -> list[Problem]:
    """Everything that stands in the way of forwarding `candidates` now (empty: they may go).

    In this order: no parent edition ("no_parent"), the window ("window_unset", "window_not_yet",
    "window_closed"), nothing chosen ("nothing_chosen"), entries not of the child ("not_in_child"), already
    forwarded ("already_forwarded"), not eligible ("not_eligible"), a field, age group or document type without its
    match in the parent ("unmapped"), then the quota ("quota": more chosen than what is left)."""
    chosen = list(candidates)
    if not has_parent:
        return [Problem("no_parent")]
    if window != "open":
        return [Problem(f"window_{window}")]
    if not chosen:
        return [Problem("nothing_chosen")]
    problems: list[Problem] = []
    checks = (
        ("not_in_child", lambda c: not c.in_child),
        ("already_forwarded", lambda c: c.in_child and c.forwarded),
        ("not_eligible", lambda c: c.in_child and not c.forwarded and c.status != "eligible"),
        ("unmapped", lambda c: c.in_child and not c.forwarded and c.status == "eligible" and not c.mappable),
    )
    for code, failing in checks:
        codes = tuple(c.code for c in chosen if failing(c))
        if codes:
            problems.append(Problem(code, codes))
    left = quota_left(quota, used)
    if left is not None and len({c.entry_id for c in chosen}) > left:
        problems.append(Problem("quota", quota=quota, left=left))
    return problems


def withdraw_problems(
    *,
    active: bool,
    external: bool,
    window: str,
    entry_in_target: bool,
    in_target_round: bool,
    entry_status: str,
) -> list[Problem]:
    """What stands in the way of withdrawing a forward (empty: it may be withdrawn).

    A forward already withdrawn stays so ("already_withdrawn"). A forward out of the system (the national
    delegation) may be removed at any time. A forward to the parent may be withdrawn while the parent's window has
    not closed ("window_closed"), while the entry is still in the parent ("moved_on": not forwarded further up), in
    none of the parent's judging rounds ("in_round") and not withdrawn by its contestant ("entry_withdrawn")."""
    if not active:
        return [Problem("already_withdrawn")]
    if external:
        return []
    problems: list[Problem] = []
    if window == "closed":
        problems.append(Problem("window_closed"))
    if not entry_in_target:
        problems.append(Problem("moved_on"))
    elif in_target_round:
        problems.append(Problem("in_round"))
    if entry_in_target and entry_status == "withdrawn":
        problems.append(Problem("entry_withdrawn"))
    return problems


@dataclass(frozen=True)
class Ranking:
    """An entry as the choice by rank or award sees it."""

    entry_id: int
    code: str
    rank: int | None
    score: object = None
    #: The position of its best award tier (0 the highest), None without an award.
    award_position: int | None = None


def top_ranked(items: Iterable[Ranking], n: int) -> list[int]:
    """The ids of the `n` best-ranked entries: by rank within their group (so the best of each field come first),
    then by higher score, then by code; entries without a rank are never chosen."""
    ranked = [i for i in items if i.rank is not None]
    ranked.sort(key=lambda i: (i.rank, -(i.score or 0), i.code))
    return [i.entry_id for i in ranked[: max(n, 0)]]


def awarded_from(items: Iterable[Ranking], position: int | None = None) -> list[int]:
    """The ids of the awarded entries, best award first: every one (`position` None), or those whose best award
    is at `position` or higher (a lower number)."""
    chosen = [i for i in items if i.award_position is not None and (position is None or i.award_position <= position)]
    chosen.sort(key=lambda i: (i.award_position, i.rank if i.rank is not None else 10**9, i.code))
    return [i.entry_id for i in chosen]
