"""The annual report's counts, from the data of record only:

- **entries**: entries that were submitted (not drafts, not withdrawn), counted from grouped rows of the entries
  table (`EntryGroup`), each in the edition it belongs to now (an entry forwarded to a parent edition counts there);
- **finalists**: the entries scored in the round that ranks an edition's published results (its final round), read
  from the latest published snapshot of each edition (`results.snapshot`);
- **prizes**: the ranked awards of that snapshot (First, Second, Third, Encouragement...); **special prizes** apart
  (a special prize to a unit counts for the edition and the unit only).

An edition never published adds entries and no finalist nor prize. Pure: no Flask, no database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from reports.classify import Unit, locality_key, school_level


@dataclass(frozen=True)
class Edition:
    """A contest edition as the report names it, with its fields' and age groups' names by id."""

    id: int
    name: str
    kind: str
    year: int
    level: str = "provincial"
    organisation: str = ""
    status: str = ""
    fields: Mapping[int, str] = field(default_factory=dict)
    age_groups: Mapping[int, str] = field(default_factory=dict)

    @property
    def is_youth(self) -> bool:
        return self.kind == "youth"


@dataclass(frozen=True)
class EntryGroup:
    """How many submitted entries of an edition share a field, an age group, a unit and a locality."""

    contest_id: int
    field_id: int | None
    age_group_id: int | None
    unit: str
    admin_unit_id: int | None
    count: int


@dataclass
class Counts:
    entries: int = 0
    finalists: int = 0
    prizes: int = 0
    special: int = 0

    def add(self, other: Counts) -> None:
        self.entries += other.entries
        self.finalists += other.finalists
        self.prizes += other.prizes
        self.special += other.special


def counts_row(counts: Counts | None) -> tuple[int, int, int, int]:
    """(entries, finalists, prizes, special prizes), zeros for no counts."""
    c = counts or Counts()
    return c.entries, c.finalists, c.prizes, c.special


@dataclass
class AnnualTally:
    """Counts of one year. Keys: edition id; (contest kind, field name); unit name ("" not recorded); locality id
    (None not recorded); youth editions' age group name and school level (`classify.SCHOOL_LEVELS`); prize name."""

    contests: dict[int, Counts] = field(default_factory=lambda: defaultdict(Counts))
    fields: dict[tuple[str, str], Counts] = field(default_factory=lambda: defaultdict(Counts))
    units: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    localities: dict[int | None, Counts] = field(default_factory=lambda: defaultdict(Counts))
    age_groups: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    school_levels: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    prize_names: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def total(self) -> Counts:
        out = Counts()
        for counts in self.contests.values():
            out.add(counts)
        return out


@dataclass(frozen=True)
class PublishedEntry:
    """An entry of a published snapshot with what it counts for."""

    id: int
    field_id: int | None
    age_group: str
    unit: str
    finalist: bool
    prizes: int
    special: int


def published_entries(snapshot: Mapping[str, Any]) -> list[PublishedEntry]:
    """The snapshot's entries: a finalist when scored in the ranking round (an entry published only for a prize
    given by hand has no score), with its ranked and special prizes."""
    prizes: dict[int, int] = defaultdict(int)
    special: dict[int, int] = defaultdict(int)
    for award in snapshot.get("awards", []):
        if award.get("entry_id") is not None:  # a prize to a unit has no entry (see `unit_prizes`)
            (special if award.get("special") else prizes)[award["entry_id"]] += 1
    return [
        PublishedEntry(
            id=e["id"],
            field_id=e.get("field_id"),
            age_group=e.get("age_group") or "",
            unit=(e.get("unit") or "").strip(),
            finalist=e.get("score") is not None,
            prizes=prizes.get(e["id"], 0),
            special=special.get(e["id"], 0),
        )
        for e in snapshot.get("entries", [])
    ]


def unit_prizes(snapshot: Mapping[str, Any]) -> dict[str, int]:
    """Special prizes given to a unit rather than to an entry (no entry id, the unit's name), per unit name."""
    out: dict[str, int] = defaultdict(int)
    for award in snapshot.get("awards", []):
        if award.get("entry_id") is None:
            out[(award.get("unit") or "").strip()] += 1
    return dict(out)


def tally(
    editions: Mapping[int, Edition],
    groups: Iterable[EntryGroup],
    published: Mapping[int, Mapping[str, Any]],
    entry_units: Mapping[int, int | None],
    units: Mapping[int, Unit],
    *,
    successors: bool = False,
) -> AnnualTally:
    """The year's counts for `editions` (see the module's docstring): `groups` their submitted entries, `published`
    the latest snapshot per edition id, `entry_units` the recorded locality of each published entry (its lead
    author's, from the entries table), `units` the administrative units; `successors` counts each locality under
    the unit that now stands for it."""
    out = AnnualTally()
    for g in groups:
        edition = editions.get(g.contest_id)
        if edition is None:
            continue
        counts = Counts(entries=g.count)
        out.contests[edition.id].add(counts)
        out.fields[(edition.kind, edition.fields.get(g.field_id, "") if g.field_id else "")].add(counts)
        out.units[g.unit.strip()].add(counts)
        out.localities[locality_key(units, g.admin_unit_id, successors=successors)].add(counts)
        if edition.is_youth:
            out.age_groups[edition.age_groups.get(g.age_group_id, "") if g.age_group_id else ""].add(counts)
            out.school_levels[school_level(g.unit)].add(counts)
    for contest_id, snapshot in published.items():
        edition = editions.get(contest_id)
        if edition is None:
            continue
        field_names = {f["id"]: f["name"] for f in snapshot.get("fields", [])}
        for award in snapshot.get("awards", []):
            out.prize_names[award.get("name") or ""] += 1
        for unit, n in unit_prizes(snapshot).items():
            out.contests[edition.id].special += n
            out.units[unit].special += n
        for e in published_entries(snapshot):
            counts = Counts(finalists=int(e.finalist), prizes=e.prizes, special=e.special)
            out.contests[edition.id].add(counts)
            name = field_names.get(e.field_id, edition.fields.get(e.field_id, "")) if e.field_id else ""
            out.fields[(edition.kind, name)].add(counts)
            out.units[e.unit].add(counts)
            out.localities[locality_key(units, entry_units.get(e.id), successors=successors)].add(counts)
            if edition.is_youth:
                out.age_groups[e.age_group].add(counts)
                out.school_levels[school_level(e.unit)].add(counts)
    return out


@dataclass
class YearCounts:
    editions: int = 0
    entries: int = 0
    finalists: int = 0
    prizes: int = 0


def trend(
    editions: Iterable[Edition], entry_counts: Mapping[int, int], published: Mapping[int, Mapping[str, Any]]
) -> dict[int, YearCounts]:
    """Per year (sorted, every year from the first to the last, a year without editions with zeros so that a chart
    spaces the years evenly): editions held, submitted entries, finalists and ranked prizes (as `tally` counts)."""
    years: dict[int, YearCounts] = {}
    for edition in editions:
        row = years.setdefault(edition.year, YearCounts())
        row.editions += 1
        row.entries += entry_counts.get(edition.id, 0)
        snapshot = published.get(edition.id)
        if snapshot is not None:
            for e in published_entries(snapshot):
                row.finalists += int(e.finalist)
                row.prizes += e.prizes
    return every_year(years, YearCounts)


def every_year(by_year: dict, empty) -> dict:
    """`by_year` sorted, with every year between its first and last (`empty()` for the years it lacks)."""
    if by_year:
        for year in range(min(by_year), max(by_year)):
            by_year.setdefault(year, empty())
    return dict(sorted(by_year.items()))
