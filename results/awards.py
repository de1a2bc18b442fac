"""Pure award rules: tiers allocated top-down within quotas, special prizes with a rule, team ranking of units.

No Flask, no database. Allocation works on the output of `results.ranking.rank` (one group per field when quotas
are per field, a single group when they are overall).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import groupby

from results.ranking import Ranked

FIRST, SECOND, THIRD, ENCOURAGEMENT = "first", "second", "third", "encouragement"
TIERS = (FIRST, SECOND, THIRD, ENCOURAGEMENT)


@dataclass(frozen=True)
class Tier:
    """An award tier: its code, how many it may go to in a group (None: no limit), and the lowest score it may go
    to (None: any)."""

    code: str
    quota: int | None
    min_score: Decimal | None = None


@dataclass(frozen=True)
class Allocation:
    """The tier proposed for each entry (entries with no award are absent), and the entries of each tie that
    straddled a quota boundary: the Board must decide between them (`results.ranking.BOARD`)."""

    awards: dict[int, str]
    boundary_ties: tuple[tuple[int, ...], ...] = ()


def allocate(ranked: Sequence[Ranked], tiers: Sequence[Tier]) -> Allocation:
    """Give awards top-down within each group of `ranked`: entries in rank order take the highest tier, from the
    current one down, that still has room and whose minimum score they reach; a tier may stay empty (nobody reaches
    its minimum, or a quota of 0), and an entry below every remaining minimum gets nothing, as does every entry
    after the last tier is full.

    Entries sharing a rank are never split: a tie that does not fit in the room left in a tier is given the next
    tier down that has room for all of it, and is reported in `boundary_ties` so that the Board can decide (a
    recorded Board order, the last link of the ranking chain, separates the tie and the allocation runs again).
    A tier such a tie could not enter is closed to everyone ranked lower: an entry never gets a higher tier than
    an entry ranked above it. A quota is never exceeded.
    """
    awards: dict[int, str] = {}
    boundary: list[tuple[int, ...]] = []
    by_group: dict[Hashable, list[Ranked]] = {}
    for r in ranked:
        by_group.setdefault(r.group, []).append(r)
    for members in by_group.values():
        members = sorted(members, key=lambda r: (r.rank, r.entry_id))
        used = [0] * len(tiers)
        level = 0
        for _rank, grouped in groupby(members, key=lambda r: r.rank):
            if level >= len(tiers):
                break
            tie = list(grouped)
            tie_ids = tuple(m.entry_id for m in tie)
            score = tie[0].score
            while level < len(tiers):
                tier = tiers[level]
                room = None if tier.quota is None else tier.quota - used[level]
                if tier.min_score is not None and score < tier.min_score:
                    level += 1  # lower scores cannot reach it either
                elif room is not None and room < len(tie):
                    if room > 0 and tie_ids not in boundary:
                        boundary.append(tie_ids)
                    level += 1  # closed: nobody ranked lower takes what this tie could not
                else:
                    for m in tie:
                        awards[m.entry_id] = tier.code
                    used[level] += len(tie)
                    break
    return Allocation(awards=awards, boundary_ties=tuple(boundary))


# --- special prizes --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Author:
    entry_id: int
    person_id: int
    birth_date: date | None


def youngest_authors(authors: Iterable[Author]) -> list[Author]:
    """The author(s) born last (several when born on the same day); authors without a birth date are not counted."""
    dated = [a for a in authors if a.birth_date is not None]
    if not dated:
        return []
    latest = max(a.birth_date for a in dated)  # type: ignore[type-var]
    return sorted((a for a in dated if a.birth_date == latest), key=lambda a: (a.entry_id, a.person_id))


def oldest_authors(authors: Iterable[Author]) -> list[Author]:
    """The author(s) born first (several when born on the same day); authors without a birth date are not counted."""
    dated = [a for a in authors if a.birth_date is not None]
    if not dated:
        return []
    earliest = min(a.birth_date for a in dated)  # type: ignore[type-var]
    return sorted((a for a in dated if a.birth_date == earliest), key=lambda a: (a.entry_id, a.person_id))


def units_with_most(entries_by_unit: Mapping[str, int]) -> list[str]:
    """The unit(s) with the most entries (finalists, say), all of them when several share the highest count;
    nobody when no unit has any."""
    best = max(entries_by_unit.values(), default=0)
    if best <= 0:
        return []
    return sorted(unit for unit, count in entries_by_unit.items() if count == best)


# --- team ranking ----------------------------------------------------------------------------------------------

#: Points a unit earns per award of each tier, by default (configurable per edition).
DEFAULT_TEAM_POINTS = {FIRST: 4, SECOND: 3, THIRD: 2, ENCOURAGEMENT: 1}


@dataclass(frozen=True)
class TeamRow:
    unit: str
    rank: int
    points: int
    counts: tuple[int, ...]  # awards per tier, in the order of `tiers`
    entries: int


def team_ranking(
    awarded: Iterable[tuple[str, str | None]],
    tiers: Sequence[str] = TIERS,
    points: Mapping[str, int] | None = None,
) -> list[TeamRow]:
    """Rank schools or units by their entries' results: `awarded` holds (unit, tier or None) for every entry of the
    edition that counts. A unit's points are the sum of its awards' points; ties are broken by more awards of the
    higher tiers in turn (more First, then more Second...), then by more entries; units equal on all of these share
    a rank (1, 2, 2, 4) and are listed by name."""
    points = DEFAULT_TEAM_POINTS if points is None else points
    table: dict[str, list[int]] = {}
    entries: dict[str, int] = {}
    for unit, tier in awarded:
        counts = table.setdefault(unit, [0] * len(tiers))
        entries[unit] = entries.get(unit, 0) + 1
        if tier in tiers:
            counts[tiers.index(tier)] += 1
    rows = []
    for unit, counts in table.items():
        total = sum(points.get(t, 0) * n for t, n in zip(tiers, counts, strict=True))
        rows.append((unit, total, tuple(counts), entries[unit]))
    rows.sort(key=lambda r: (-r[1], tuple(-n for n in r[2]), -r[3], r[0]))
    out: list[TeamRow] = []
    for i, (unit, total, counts, n) in enumerate(rows):
        same = out and (out[-1].points, out[-1].counts, out[-1].entries) == (total, counts, n)
        out.append(TeamRow(unit, out[-1].rank if same else i + 1, total, counts, n))
    return out
