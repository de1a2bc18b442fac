"""What the organizers' awards page shows of a `results.services.review.Review` at any size (reads over it, no
query): the figures of each group and of the whole edition for the summary, the proposal's rows of the chosen groups
through its filters (with an award or without, tied, stored differing from the proposal, a search), and the stored
awards in the page's order, the view paging both (`results.paging.page_of`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.text import normalize_search
from competitions.models import Entry
from results.models import Award
from results.services.review import Review, ReviewGroup, ReviewRow

__all__ = [
    "ROW_FILTERS",
    "GroupCount",
    "entry_group",
    "group_counts",
    "review_rows",
    "row_matches",
    "sections",
    "stored_order",
    "stored_rows",
]


#: The filters of the proposal's rows: with an award (proposed or stored), without, tied, stored differing from the
#: proposal.
ROW_FILTERS = ("awarded", "unawarded", "ties", "differs")


@dataclass
class GroupCount:
    """A group's figures for the summary above the awards page: its entries in the ranking round, those with a
    score, the awards the plan proposes and those stored per tier code, and its ties (those at a quota boundary
    apart)."""

    key: object
    name: str
    entries: int = 0
    scored: int = 0
    proposed: dict[str, int] = field(default_factory=dict)
    stored: dict[str, int] = field(default_factory=dict)
    ties: int = 0
    boundary_ties: int = 0


def entry_group(entry: Entry | None, scope: str):
    """The ranking group an entry falls in under the plan's scope (`results.services.scores.group_of` for an
    entry rather than its score)."""
    if entry is None:
        return None
    if scope == "field":
        return entry.field_id
    if scope == "age_group":
        return entry.age_group_id
    return None


def group_counts(data: Review) -> tuple[list[GroupCount], GroupCount]:
    """Each group's figures and the whole edition's (stored awards to an entry of no shown group count in the
    whole edition only; prizes to a unit too)."""
    counts = []
    by_key = {}
    for group in data.groups:
        c = GroupCount(group.key, group.name, entries=len(group.rows))
        for row in group.rows:
            if row.score.score is not None:
                c.scored += 1
            if row.proposed:
                c.proposed[row.proposed] = c.proposed.get(row.proposed, 0) + 1
        c.ties = len(group.ties)
        c.boundary_ties = sum(1 for t in group.ties if t.boundary)
        counts.append(c)
        by_key[group.key] = c
    total = GroupCount(None, "", entries=sum(c.entries for c in counts), scored=sum(c.scored for c in counts))
    total.ties = sum(c.ties for c in counts)
    total.boundary_ties = sum(c.boundary_ties for c in counts)
    for c in counts:
        for code, n in c.proposed.items():
            total.proposed[code] = total.proposed.get(code, 0) + n
    for award in data.stored:
        total.stored[award.tier_code] = total.stored.get(award.tier_code, 0) + 1
        if award.entry_id is None:
            continue
        c = by_key.get(entry_group(award.entry, data.plan.scope))
        if c is not None:
            c.stored[award.tier_code] = c.stored.get(award.tier_code, 0) + 1
    return counts, total


def _row_text(row: ReviewRow) -> str:
    s = row.score
    return normalize_search(f"{s.code} {s.title} {s.unit_name}")


def row_matches(data: Review, row: ReviewRow, show: str) -> bool:
    """Whether a proposal's row passes the filter `show` (one of `ROW_FILTERS`, or "" for every row)."""
    if show == "awarded":
        return bool(row.proposed or row.stored)
    if show == "unawarded":
        return not (row.proposed or row.stored)
    if show == "ties":
        return row.ranked is not None and row.ranked.tied
    if show == "differs":
        return bool(data.stored) and row.differs
    return True


def review_rows(data: Review, keys, show: str = "", q: str = "") -> list[tuple[ReviewGroup, ReviewRow]]:
    """The proposal's rows of the groups `keys` (None: every group), in the page's order (group, rank), that pass
    the filter `show` and whose code, title or unit holds the search `q` (diacritics and case ignored)."""
    folded = normalize_search(q or "")
    out = []
    for group in data.groups:
        if keys is not None and group.key not in keys:
            continue
        for row in group.rows:
            if row_matches(data, row, show) and (not folded or folded in _row_text(row)):
                out.append((group, row))
    return out


def sections(items: list[tuple[ReviewGroup, ReviewRow]]) -> list[tuple[ReviewGroup, list[ReviewRow]]]:
    """Consecutive rows of one group together, for a page of `review_rows`."""
    out: list[tuple[ReviewGroup, list[ReviewRow]]] = []
    for group, row in items:
        if out and out[-1][0] is group:
            out[-1][1].append(row)
        else:
            out.append((group, [row]))
    return out


def stored_order(data: Review) -> list[Award]:
    """The stored awards in the page's order: by the plan's tiers, rank, entries before units, holder."""
    tier_position = {t.code: t.position for t in data.plan.tiers}
    return sorted(
        data.stored,
        key=lambda a: (
            tier_position.get(a.tier_code, len(tier_position)),
            a.rank if a.rank is not None else 10**9,
            a.entry_id is None,
            a.holder_label,
            a.id,
        ),
    )


def stored_rows(data: Review, keys, q: str = "") -> list[Award]:
    """The stored awards (`stored_order`) of entries in the groups `keys` (None: all of them; prizes to a unit are
    in every group's list), whose entry's code or title, unit or author holds the search `q`."""
    folded = normalize_search(q or "")
    out = []
    for award in stored_order(data):
        if keys is not None and award.entry_id is not None and entry_group(award.entry, data.plan.scope) not in keys:
            continue
        if folded:
            entry = award.entry
            text = " ".join(
                [
                    (entry.code or "") if entry else "",
                    entry.title if entry else "",
                    award.unit_name or "",
                    award.person.full_name if award.person else "",
                ]
            )
            if folded not in normalize_search(text):
                continue
        out.append(award)
    return out
