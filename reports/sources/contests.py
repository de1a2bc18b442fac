"""The contests' part of the annual report: editions held, entries, finalists and prizes by field, unit, locality,
youth age group and school level, prizes by name, and the years' trend. What each counts is `reports.tally`'s rule:
submitted entries from the entries table, finalists and prizes from each edition's latest PUBLISHED results.

Counting takes seconds at national scale (50,000 entries, a 6 MB snapshot), so each worker remembers the counts and
the tables made of them (`app.remembered`) under a key read again at every view, in six queries whatever the number
of entries: the editions, their fields, their age groups, the administrative units (plain rows), the id and hash of
each edition's latest publication (a publication is never changed: a correction is a new version) and the stamp of
the entries table (which changes with any change to an entry). When that key changes, the tables are made again in
six more queries at most: the units' labels, the grouped entries of the year, the entries per edition of every
year, the latest snapshots and the published entries' localities (two)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.extensions import db
from app.orgs.models import AdministrativeUnit
from app.remembered import Remembered, rows_stamp
from app.table_versions import versioned, versions
from app.text import text_key
from competitions.entry_forms import ACTIVE_STATUSES
from competitions.labels import CONTEST_STATUS_LABELS, KIND_LABELS, LEVEL_LABELS
from competitions.models import CONTEST_KINDS, AgeGroup, Contest, Entry, Field
from reports.classify import SCHOOL_LEVELS, Unit
from reports.labels import NOT_RECORDED, SCHOOL_LEVEL_LABELS
from reports.scope import visible_contests
from reports.sources import AnnualContext
from reports.tables import Chart, Table, bar_of
from reports.tally import AnnualTally, Edition, EntryGroup, YearCounts, counts_row, tally, trend
from results import snapshot as snap
from results.models import Publication

#: Rows a bar chart shows at most (the table lists them all).
CHART_ROWS = 15


def years(user) -> set[int]:
    return {c.year for c in visible_contests(user)}


def submitted():
    """Entries that were submitted: not drafts, not withdrawn (what the entries table counts by default)."""
    return Entry.status.in_(ACTIVE_STATUSES) & Entry.submitted_at.is_not(None)


@dataclass(frozen=True)
class Latest:
    """An edition's latest published version: the row's id, the version number and the payload's hash."""

    id: int
    version: int
    content_hash: str


def latest_publications(contest_ids: list[int]) -> dict[int, Latest]:
    """The latest publication of each edition that has one, without its payload (one query)."""
    if not contest_ids:
        return {}
    latest = (
        select(Publication.contest_id, func.max(Publication.version).label("version"))
        .where(Publication.contest_id.in_(contest_ids))
        .group_by(Publication.contest_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Publication.contest_id, Publication.id, Publication.version, Publication.content_hash).join(
            latest, (latest.c.contest_id == Publication.contest_id) & (latest.c.version == Publication.version)
        )
    )
    return {contest_id: Latest(pid, version, digest) for contest_id, pid, version, digest in rows}


def snapshots_of(latest: Mapping[int, Latest]) -> dict[int, dict[str, Any]]:
    """The snapshots of the publications `latest` names, by edition id (one query); unreadable payloads are
    skipped."""
    if not latest:
        return {}
    rows = db.session.execute(
        select(Publication.contest_id, Publication.payload).where(Publication.id.in_([p.id for p in latest.values()]))
    )
    out = {}
    for contest_id, payload in rows:
        try:
            data = snap.load(payload)
        except ValueError:
            continue
        if data.get("format") == snap.FORMAT:
            out[contest_id] = data
    return out


#: What a unit's label and successor are made of (`AdministrativeUnit.label`): read as plain rows at every view
#: (a few milliseconds for the country's units, where their objects with their labels take ten times longer).
UNIT_COLUMNS = (
    AdministrativeUnit.id,
    AdministrativeUnit.kind,
    AdministrativeUnit.name,
    AdministrativeUnit.parent_id,
    AdministrativeUnit.valid_to,
    AdministrativeUnit.successor_id,
)


def units_stamp() -> tuple:
    """The administrative units as plain rows (one query): the same rows, the same labels and successors."""
    return tuple(map(tuple, db.session.execute(select(*UNIT_COLUMNS).order_by(AdministrativeUnit.id))))


#: The tables whose every change the figures' key must see beyond the editions' own rows.
STAMPED_TABLES = versioned(("entries", "administrative_units"))


def data_stamp() -> tuple:
    """What changes whenever an entry or an administrative unit does: the two tables' versions on PostgreSQL (one
    primary-key lookup), elsewhere the units' rows and the entries' `rows_stamp` (a scan of the entries)."""
    found = versions(STAMPED_TABLES)
    return found if found is not None else (units_stamp(), rows_stamp(Entry))


def _units() -> dict[int, Unit]:
    return {
        u.id: Unit(u.id, u.label, u.successor_id)
        for u in db.session.scalars(select(AdministrativeUnit).order_by(AdministrativeUnit.id))
    }


def editions_of(contests: list[Contest]) -> dict[int, Edition]:
    """The editions with their fields' and age groups' names (two queries)."""
    ids = [c.id for c in contests]
    fields: dict[int, dict[int, str]] = {}
    groups: dict[int, dict[int, str]] = {}
    if ids:
        for contest_id, field_id, name in db.session.execute(
            select(Field.contest_id, Field.id, Field.name).where(Field.contest_id.in_(ids)).order_by(Field.position)
        ):
            fields.setdefault(contest_id, {})[field_id] = name
        for contest_id, group_id, name in db.session.execute(
            select(AgeGroup.contest_id, AgeGroup.id, AgeGroup.name)
            .where(AgeGroup.contest_id.in_(ids))
            .order_by(AgeGroup.position)
        ):
            groups.setdefault(contest_id, {})[group_id] = name
    return {
        c.id: Edition(
            id=c.id,
            name=c.name,
            kind=c.kind,
            year=c.year,
            level=c.level,
            organisation=c.organisation.name if c.organisation else "",
            status=c.status,
            fields=fields.get(c.id, {}),
            age_groups=groups.get(c.id, {}),
        )
        for c in contests
    }


@dataclass(frozen=True)
class Figures:
    """The counts of a year (`reports.tally`): the year's tally, the trend up to the year, and the editions whose
    latest payload is a snapshot this code reads (an unreadable one counts as not published)."""

    counts: AnnualTally
    trend: dict[int, YearCounts]
    readable: frozenset[int]


#: Figures by what they were counted from (see the module's docstring): a few reports (years, scopes) per worker.
remembered: Remembered[Figures] = Remembered(16)
#: The tables made of them, by the figures' key and what the tables show besides (names, labels, language, links).
remembered_tables: Remembered[list[Table]] = Remembered(16)


def _edition_key(e: Edition) -> tuple:
    """All an edition says, hashable (its fields and age groups are dicts)."""
    names = (tuple(e.fields.items()), tuple(e.age_groups.items()))
    return (e.id, e.name, e.kind, e.year, e.level, e.organisation, e.status, *names)


def annual(context: AnnualContext) -> list[Table]:
    everything = visible_contests(context.user)
    editions = editions_of([c for c in everything if c.year == context.year])
    # The trend runs up to the report's year: a report of 2025 compares with the years before, not after.
    all_editions = [Edition(c.id, c.name, c.kind, c.year) for c in everything if c.year <= context.year]
    latest = latest_publications([e.id for e in all_editions])
    key = (
        context.successors,
        tuple(_edition_key(e) for e in editions.values()),
        tuple((e.id, e.year) for e in all_editions),
        tuple(sorted(latest.items())),
        data_stamp(),
    )

    def make() -> list[Table]:
        units = _units()
        figures = remembered.get(
            key, lambda: count(editions, all_editions, latest, units, successors=context.successors)
        )
        return tables(context, editions, latest, units, figures)

    return remembered_tables.get((key, context.year, str(get_locale()), request.script_root), make)


def tables(
    context: AnnualContext,
    editions: Mapping[int, Edition],
    latest: Mapping[int, Latest],
    units: Mapping[int, Unit],
    figures: Figures,
) -> list[Table]:
    counts = figures.counts
    versions = {i: latest[i].version for i in editions if i in figures.readable}
    return [
        _contests_table(context, editions, counts, versions),
        _fields_table(context, editions, counts),
        _units_table(context, counts),
        _localities_table(context, counts, units),
        _age_groups_table(context, editions, counts),
        _school_levels_table(context, counts),
        _prizes_table(context, counts),
        _trend_table(context, figures.trend),
    ]


def count(
    editions: Mapping[int, Edition],
    all_editions: list[Edition],
    latest: Mapping[int, Latest],
    units: Mapping[int, Unit],
    *,
    successors: bool,
) -> Figures:
    """Count the year's figures: `editions` those of the year, `all_editions` those up to the year (the trend),
    `latest` their latest publications (five queries at most)."""
    ids = list(editions)
    groups = []
    if ids:
        groups = [
            EntryGroup(*row)
            for row in db.session.execute(
                select(
                    Entry.contest_id,
                    Entry.field_id,
                    Entry.age_group_id,
                    Entry.unit_name,
                    Entry.admin_unit_id,
                    func.count(Entry.id),
                )
                .where(Entry.contest_id.in_(ids), submitted())
                .group_by(Entry.contest_id, Entry.field_id, Entry.age_group_id, Entry.unit_name, Entry.admin_unit_id)
            )
        ]
    entry_counts: dict[int, int] = {}
    if all_editions:
        entry_counts = dict(
            db.session.execute(
                select(Entry.contest_id, func.count(Entry.id))
                .where(Entry.contest_id.in_([e.id for e in all_editions]), submitted())
                .group_by(Entry.contest_id)
            ).all()
        )
    published = snapshots_of(latest)
    year_published = {i: published[i] for i in ids if i in published}
    counts = tally(editions, groups, year_published, published_localities(year_published), units, successors=successors)
    return Figures(counts, trend(all_editions, entry_counts, published), frozenset(published))


def published_localities(snapshots: Mapping[int, Mapping[str, Any]]) -> dict[int, int | None]:
    """The recorded locality of each entry of `snapshots` (the snapshot names it, the entry holds its unit's id):
    read by edition rather than by id (19,200 ids would be as many parameters), then by id for those that left
    their edition since (forwarded); two queries at most."""
    wanted = {e["id"] for snapshot in snapshots.values() for e in snapshot.get("entries", [])}
    if not wanted:
        return {}
    found = {
        entry_id: unit_id
        for entry_id, unit_id in db.session.execute(
            select(Entry.id, Entry.admin_unit_id).where(Entry.contest_id.in_(list(snapshots)))
        )
        if entry_id in wanted
    }
    if missing := wanted - found.keys():
        found |= dict(db.session.execute(select(Entry.id, Entry.admin_unit_id).where(Entry.id.in_(missing))).all())
    return found


def _headers(first: str, *more: str) -> tuple[str, ...]:
    return (first, *more, _("Entries"), _("Finalists"), _("Prizes"), _("Special prizes"))


def _contests_table(
    context: AnnualContext, editions: Mapping[int, Edition], counts: AnnualTally, versions: Mapping[int, int]
) -> Table:
    rows, links = [], []
    for edition in sorted(editions.values(), key=lambda e: (CONTEST_KINDS.index(e.kind), text_key(e.name), e.id)):
        version = versions.get(edition.id)
        rows.append(
            (
                edition.name,
                str(LEVEL_LABELS.get(edition.level, edition.level)),
                edition.organisation,
                str(CONTEST_STATUS_LABELS.get(edition.status, edition.status)),
                _("Version %(version)s", version=version) if version else _("Not published"),
                *counts_row(counts.contests.get(edition.id)),
            )
        )
        links.append(
            url_for("results.public", contest_id=edition.id)
            if version
            else url_for("competitions.manage_entries", contest_id=edition.id)
        )
    total = counts.total()
    headers = _headers(_("Edition"), _("Level"), _("Organising body"), _("Stage"), _("Published results"))
    return Table(
        key="contests",
        section=_("Contests"),
        title=_("Contests held in %(year)s", year=context.year),
        note=_(
            "Editions of the year. Entries: entries submitted (not drafts, not withdrawn), counted in the edition "
            "they belong to now. Finalists and prizes: from the latest published results of each edition; an "
            "edition not published yet has none."
        ),
        headers=headers,
        rows=tuple(rows),
        links=tuple(links),
        total=(_("All editions"), "", "", "", "", *counts_row(total)) if rows else None,
        chart=bar_of(rows, 0, (5, 6, 7), headers[5:8]) if rows else None,
        minor=(1, 2, 3),
    )


def _fields_table(context: AnnualContext, editions: Mapping[int, Edition], counts: AnnualTally) -> Table:
    position: dict[tuple[str, str], int] = {}
    for edition in editions.values():
        for i, name in enumerate(edition.fields.values()):
            position.setdefault((edition.kind, name), i)
    keys = sorted(
        counts.fields,
        key=lambda k: (CONTEST_KINDS.index(k[0]) if k[0] in CONTEST_KINDS else 99, k[1] == "", position.get(k, 99)),
    )
    rows = tuple(
        (str(KIND_LABELS.get(kind, kind)), name or str(NOT_RECORDED), *counts_row(counts.fields[(kind, name)]))
        for kind, name in keys
    )
    headers = _headers(_("Contest"), _("Field"))
    return Table(
        key="fields",
        section=_("Contests"),
        title=_("Entries, finalists and prizes by field, %(year)s", year=context.year),
        note=_(
            "Submitted entries of the year's editions by their field; finalists and prizes from the published "
            "results, by the field the results list them in. Fields of the same name in editions of the same "
            "contest are added up."
        ),
        headers=headers,
        rows=rows,
        chart=bar_of(rows[:CHART_ROWS], 1, (2, 4), (headers[2], headers[4])) if rows else None,
    )


def _units_table(context: AnnualContext, counts: AnnualTally) -> Table:
    keys = sorted(counts.units, key=lambda k: (-counts.units[k].entries, -counts.units[k].prizes, k == "", text_key(k)))
    rows = tuple((unit or str(NOT_RECORDED), *counts_row(counts.units[unit])) for unit in keys)
    headers = _headers(_("Unit"))
    return Table(
        key="units",
        section=_("Contests"),
        title=_("Entries and prizes by unit, %(year)s", year=context.year),
        note=_(
            "The unit of each entry: the organisation that entered it, else its lead author's unit, as written on "
            "the entry (entries) and in the published results (finalists and prizes). Most entries first."
        ),
        headers=headers,
        rows=rows,
        chart=bar_of(rows[:CHART_ROWS], 0, (1, 3), (headers[1], headers[3])) if rows else None,
    )


def _localities_table(context: AnnualContext, counts: AnnualTally, units: Mapping[int, Unit]) -> Table:
    def name(key: int | None) -> str:
        return units[key].label if key in units else str(NOT_RECORDED)

    keys = sorted(counts.localities, key=lambda k: (k is None, text_key(name(k))))
    rows = tuple((name(k), *counts_row(counts.localities[k])) for k in keys)
    headers = _headers(_("Locality"))
    if context.successors:
        note = _(
            "The locality of each entry's lead author as recorded on the entry, counted under the unit that now "
            "stands for it (districts abolished on 1/7/2025 under the commune or ward that succeeded them)."
        )
    else:
        note = _(
            "The locality of each entry's lead author as recorded on the entry: the administrative unit as it "
            "was at the time, with its name of the time."
        )
    return Table(
        key="localities",
        section=_("Contests"),
        title=_("Entries and prizes by locality, %(year)s", year=context.year),
        note=note,
        headers=headers,
        rows=rows,
        chart=bar_of(rows[:CHART_ROWS], 0, (1, 3), (headers[1], headers[3])) if rows else None,
    )


def _age_groups_table(context: AnnualContext, editions: Mapping[int, Edition], counts: AnnualTally) -> Table:
    position: dict[str, int] = {}
    for edition in editions.values():
        for i, name in enumerate(edition.age_groups.values()):
            position.setdefault(name, i)
    keys = sorted(counts.age_groups, key=lambda k: (k == "", position.get(k, 99), text_key(k)))
    rows = tuple((k or str(NOT_RECORDED), *counts_row(counts.age_groups[k])) for k in keys)
    headers = _headers(_("Age group"))
    return Table(
        key="age_groups",
        section=_("Contests"),
        title=_("Youth entries by age group, %(year)s", year=context.year),
        note=_(
            "Youth and Children's Creativity editions only: submitted entries by the age group (or school level) "
            "they entered in; finalists and prizes from the published results."
        ),
        headers=headers,
        rows=rows,
        chart=bar_of(rows, 0, (1, 3), (headers[1], headers[3])) if rows else None,
    )


def _school_levels_table(context: AnnualContext, counts: AnnualTally) -> Table:
    keys = [level for level in SCHOOL_LEVELS if level in counts.school_levels]
    rows = tuple((str(SCHOOL_LEVEL_LABELS[k]), *counts_row(counts.school_levels[k])) for k in keys)
    headers = _headers(_("School level"))
    return Table(
        key="school_levels",
        section=_("Contests"),
        title=_("Youth entries by school level, %(year)s", year=context.year),
        note=_(
            "Youth and Children's Creativity editions only: entries by the level of the school named as their "
            "unit (Tiểu học, THCS, THPT in the school's name; a school of several levels apart)."
        ),
        headers=headers,
        rows=rows,
        chart=bar_of(rows, 0, (1, 3), (headers[1], headers[3])) if rows else None,
    )


def _prizes_table(context: AnnualContext, counts: AnnualTally) -> Table:
    keys = sorted(counts.prize_names, key=lambda k: (-counts.prize_names[k], text_key(k)))
    rows = tuple((k or str(NOT_RECORDED), counts.prize_names[k]) for k in keys)
    return Table(
        key="prizes",
        section=_("Contests"),
        title=_("Prizes awarded in %(year)s", year=context.year),
        note=_("Every award of the latest published results of the year's editions, ranked and special, by name."),
        headers=(_("Prize"), _("Number awarded")),
        rows=rows,
        total=(_("All prizes"), sum(counts.prize_names.values())) if rows else None,
    )


def _trend_table(context: AnnualContext, years_counts) -> Table:
    rows = tuple((str(y), c.editions, c.entries, c.finalists, c.prizes) for y, c in years_counts.items())
    headers = (_("Year"), _("Editions"), _("Entries"), _("Finalists"), _("Prizes"))
    chart = None
    if rows:
        from reports.charts import Series

        chart = Chart(
            "line",
            tuple(r[0] for r in rows),
            tuple(Series(headers[i], tuple(int(r[i]) for r in rows)) for i in (2, 3, 4)),
        )
    return Table(
        key="trend",
        section=_("Contests"),
        title=_("Contests over the years"),
        note=_(
            "Every year up to this one with editions you can see, counted as the tables above count: submitted "
            "entries, and finalists and prizes from published results."
        ),
        headers=headers,
        rows=rows,
        chart=chart,
    )
