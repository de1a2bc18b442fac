"""Organizers follow the entries of an edition (filters, search, sorting, counts), export them to XLSX and CSV,
and screen them: eligible, not eligible (with the reason) or returned for changes (with what to change)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from types import MappingProxyType

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from flask_sqlalchemy.pagination import Pagination
from markupsafe import Markup
from sqlalchemy import Select, bindparam, case, func, literal, null, select, true, union_all
from sqlalchemy.orm import lazyload, selectinload

from app.accounts.permissions import require
from app.audit.labels import register_labels
from app.audit.models import AuditEntry
from app.choices import Choices
from app.exports import Column, Sheet, ascii_filename, send_csv, send_xlsx, write_csv, write_xlsx
from app.extensions import db
from app.orgs.models import AdministrativeUnit
from app.reads import column_rows
from app.remembered import Remembered
from app.table_versions import versioned
from app.templating import percent
from app.text import text_key
from app.timefmt import utcnow
from competitions import bp, eligibility, services
from competitions.entry_forms import (
    ACTIVE_STATUSES,
    DECISION_LABELS,
    DECISIONS,
    NOTE_REQUIRED,
    PER_PAGE,
    STATUS_ALL,
    EntryFilters,
    ScreeningForm,
)
from competitions.labels import ENTRY_STATUS_LABELS
from competitions.models import ENTRY_STATUSES, Contest, Entry, Field
from competitions.services import TransitionError

#: The entry actions (the contest actions are named by `manage_contests`, which sets contests up).
register_labels(
    {
        "entry.create": _l("Created an entry"),
        "entry.update": _l("Changed an entry"),
        "entry.submit": _l("Submitted an entry"),
        "entry.withdraw": _l("Withdrew an entry"),
        "entry.screen.eligible": _l("Found an entry eligible"),
        "entry.screen.ineligible": _l("Found an entry not eligible"),
        "entry.screen.returned": _l("Returned an entry for changes"),
        "entry.document.upload": _l("Uploaded a document of an entry"),
        "entry.document.delete": _l("Removed a document of an entry"),
        "entry.import": _l("Imported an entry from a paper dossier"),
    },
    {"entries": _l("Entry")},
)

HISTORY_LIMIT = 200


def _contest_or_404(contest_id: int) -> Contest:
    return db.session.get(Contest, contest_id) or abort(404)


def _entry_or_404(entry_id: int) -> Entry:
    return db.session.get(Entry, entry_id) or abort(404)


# --- The table ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Locality:
    """An administrative unit as the table names it: "Huyện Bù Đăng, Bình Phước" (old units keep their names)."""

    id: int
    label: str
    depth: int
    key: tuple


def _distinct(column, name: str, *, after=None) -> Select:
    """The distinct values of an entry `column` in the edition (the `contest_id` parameter), by a loose index
    scan: a recursive query (`name`) that asks the index on (contest_id, column) for the next value above the
    last one, so its cost grows with the number of values (a few hundred units), not of entries (50,000). NULL is
    left out, and values up to `after`."""
    edition = Entry.contest_id == bindparam("contest_id")
    first = select(func.min(column).label("value")).where(edition)
    if after is not None:
        first = first.where(column > after)
    found = first.cte(name, recursive=True)
    following = select(func.min(column)).where(edition, column > found.c.value).scalar_subquery()
    found = found.union_all(select(following).where(found.c.value.is_not(None)))
    return select(found.c.value).where(found.c.value.is_not(None))


@dataclass(frozen=True)
class Localities:
    """The localities of an edition by unit id, and the options of the table's locality filter."""

    by_id: Mapping[int, Locality]
    choices: Choices


@lru_cache(maxsize=32)
def _locality_tree(units: tuple[tuple[int, str, str, int | None], ...]) -> Localities:
    """The localities of (id, name, kind, parent id) rows, labelled and in tree order. A pure function of the rows,
    cached by them: a later request with the same units skips the Vietnamese sort keys and the options' HTML, and
    a renamed or moved unit is another key, so the cache is never stale."""
    by_id = {row[0]: row for row in units}

    def chain(unit_id: int) -> list[tuple]:
        path = [by_id[unit_id]]
        while path[-1][3] in by_id and len(path) < 5:
            path.append(by_id[path[-1][3]])
        return path[::-1]

    places = []
    for unit_id, name, kind, parent_id in units:
        path = chain(unit_id)
        full_name = f"{kind.capitalize()} {name}" if kind else name  # as `AdministrativeUnit.full_name`
        label = f"{full_name}, {by_id[parent_id][1]}" if parent_id in by_id else full_name
        places.append(Locality(unit_id, label, len(path) - 1, tuple(text_key(row[1]) for row in path)))
    places.sort(key=lambda place: place.key)
    return Localities(
        MappingProxyType({place.id: place for place in places}),
        Choices.of((place.id, Markup("&nbsp;&nbsp;" * place.depth) + place.label) for place in places),
    )


@lru_cache(maxsize=32)
def _unit_choices(names: frozenset[str]) -> Choices:
    """The options of the unit filter: `names` in Vietnamese order, cached by the set (never stale)."""
    return Choices.of((name, name) for name in sorted(names, key=text_key))


@lru_cache(maxsize=32)
def _field_choices(fields: tuple[tuple[int, int, str, str], ...]) -> Choices:
    """The options of the field filter, "A. Name", from (position, id, code, name) rows in their order."""
    return Choices.of((field_id, f"{code}. {name}") for _position, field_id, code, name in fields)


@dataclass(frozen=True)
class FilterLists:
    """The options of the table's filters that depend on the edition's data."""

    localities: Localities
    units: Choices
    fields: Choices
    #: The units of the edition's entries (`units` offers them, and a chosen unit that no entry has).
    unit_names: frozenset[str]


@cache
def _filter_lists_query() -> Select:
    """The statement of `_filter_lists`, for any edition (its `contest_id` parameter): built on first use, once
    per worker, instead of three recursive queries assembled on every view of the table. Each row says which list
    it belongs to, then (id, name, kind, parent id) for a place, the name for a unit, (id, name, code, position)
    for a field."""
    units = AdministrativeUnit.__table__.c
    columns = (units.id, units.name, units.kind, units.parent_id)
    used = _distinct(Entry.admin_unit_id, "used_units").cte("used")
    tree = select(*columns).where(units.id.in_(select(used.c.value))).cte("tree", recursive=True)
    tree = tree.union(select(*columns).join(tree, units.id == tree.c.parent_id))
    names = _distinct(Entry.unit_name, "unit_names", after="").cte("names")
    fields = Field.__table__.c
    return union_all(
        select(literal("place"), tree),
        select(literal("unit"), null(), names.c.value, null(), null()),
        select(literal("field"), fields.id, fields.name, fields.code, fields.position).where(
            fields.contest_id == bindparam("contest_id")
        ),
    )


#: The tables the filter lists are read from.
LIST_TABLES = versioned(("entries", "administrative_units", "contest_fields"))

#: Filter lists by edition (and the versions of `LIST_TABLES`): an edition's take ~100 KB.
_remembered_lists: Remembered[FilterLists] = Remembered(16)


def _filter_lists(contest: Contest, chosen_unit: str = "") -> FilterLists:
    """The lists of the locality, unit and field filters: the localities of the edition's entries with the units
    above them (in tree order), the units of the entries (in Vietnamese order, with the chosen one even if no entry
    has it now) and the edition's fields. Remembered by the worker until an entry, a unit or a field changes
    (PostgreSQL: the tables' versions, one primary-key lookup, instead of the lists' ~8 ms query at every view of
    a national edition); read at every view elsewhere."""
    lists = _remembered_lists.while_unchanged(LIST_TABLES, contest.id, lambda: _read_filter_lists(contest))
    if chosen_unit and chosen_unit not in lists.unit_names:
        return replace(lists, units=_unit_choices(lists.unit_names | {chosen_unit}))
    return lists


def _read_filter_lists(contest: Contest) -> FilterLists:
    """The edition's filter lists read from the database, in one query (the work on the rows is cached by them)."""
    rows = db.session.connection().execute(_filter_lists_query(), {"contest_id": contest.id}).all()
    places, unit_names, fields = [], set(), []
    for list_, *values in rows:
        if list_ == "place":
            places.append(tuple(values))
        elif list_ == "unit":
            unit_names.add(values[1])
        else:
            field_id, name, code, position = values
            fields.append((position, field_id, code, name))
    names = frozenset(unit_names)
    return FilterLists(
        _locality_tree(tuple(sorted(places))),
        _unit_choices(names),
        _field_choices(tuple(sorted(fields))),
        names,
    )


def _status_counts(contest: Contest, filters: EntryFilters) -> dict[str, int]:
    """How many entries of each status match the other filters (one grouped query), with "" for the active
    statuses together and "all" for every entry."""
    query = filters.apply(select(Entry.status, func.count(Entry.id)), contest.id, with_status=False)
    return _with_totals(dict(column_rows(query.group_by(Entry.status)).all()))


def _with_totals(by_status: Mapping[str, int]) -> dict[str, int]:
    counts = dict.fromkeys(ENTRY_STATUSES, 0) | dict(by_status)
    counts[""] = sum(counts[s] for s in ACTIVE_STATUSES)
    counts["all"] = sum(counts[s] for s in ENTRY_STATUSES)
    return counts


#: What a row of the table shows: the entry's columns and its field's name (not the summary, the screening note or
#: the search text of each entry).
ROW_COLUMNS = (
    "id",
    "code",
    "title",
    "status",
    "submitted_at",
    "unit_name",
    "admin_unit_id",
    "lead_name",
)


def _table_rows(contest: Contest, filters: EntryFilters) -> Select:
    """The table's rows, as plain rows (not entries: no identity map, no instrumented attributes to go through
    fifty times)."""
    columns = [Entry.__table__.c[name] for name in ROW_COLUMNS]
    return filters.ordered(
        filters.apply(select(*columns, Field.name.label("field_name")).outerjoin(Entry.field), contest.id)
    )


def _searched(contest: Contest, filters: EntryFilters) -> tuple[dict[str, int], list]:
    """A search's counts by status and its page of rows, in one statement (`_searched_statement`)."""
    values = filters.bound(contest.id) | {"page_limit": PER_PAGE, "page_offset": _offset(filters)}
    rows = column_rows(_searched_statement(filters.shape()), values).all()
    counts = _with_totals({status: rows[0]._mapping[f"n_{status}"] for status in ENTRY_STATUSES})
    return counts, [row for row in rows if row.id is not None]


@lru_cache(maxsize=256)
def _searched_statement(shape: EntryFilters) -> Select:
    """The counts by status and a page of rows of a search, for filters of this `shape` (their values bound at each
    execution, with `page_limit` and `page_offset`; built once per shape, as it takes a millisecond to build).

    The entries the search and the other filters match are found once (on PostgreSQL a MATERIALIZED CTE: the
    trigram index, then each matching row read once), then counted by status and sorted for the page, where the
    counts and the page would each search again. Without a search the two statements are cheaper: the page then
    reads the index on (contest_id, seq) and stops after fifty rows, where this would read every entry first."""
    kept = (*ROW_COLUMNS, "field_id", "seq")
    matched = (
        shape.apply(select(*(Entry.__table__.c[name] for name in kept)), 0, with_status=False)
        .cte("matched")
        .prefix_with("MATERIALIZED", dialect="postgresql")
    )
    found = matched.c
    counted = select(
        *(func.count(case((found.status == status, 1))).label(f"n_{status}") for status in ENTRY_STATUSES)
    ).subquery("counted")
    page = select(matched)
    if shape.status != STATUS_ALL:
        page = page.where(found.status.in_(bindparam("statuses", expanding=True)))
    page = (
        page.order_by(*shape.order_keys(found))
        .limit(bindparam("page_limit"))
        .offset(bindparam("page_offset"))
        .subquery("page")
    )
    return (
        select(counted, *(page.c[name] for name in ROW_COLUMNS), Field.name.label("field_name"))
        .select_from(counted)
        .outerjoin(page, true())  # the counts even when the page has no row
        .outerjoin(Field, Field.id == page.c.field_id)
        .order_by(*shape.order_keys(page.c))
    )


def _offset(filters: EntryFilters) -> int:
    """Where the asked page starts (as `Pagination` counts it: the page is at least 1)."""
    return (filters.page - 1) * PER_PAGE


class RowsPagination(Pagination):
    """A page of rows the caller read (flask_sqlalchemy's `SelectPagination` gives the first column only), with
    the total also given by the caller, who knows it from the counts by status (no count query of its own)."""

    def __init__(self, *, total: int, rows: list, **kwargs) -> None:
        self._known_total, self._rows = total, rows
        super().__init__(**kwargs)

    def _query_items(self) -> list:
        return self._rows

    def _query_count(self) -> int:
        return self._known_total


def _entries_query(contest: Contest, filters: EntryFilters):
    # Every entry is of this contest, already in the session: no need to join it on every row.
    return filters.ordered(filters.apply(select(Entry).options(lazyload(Entry.contest)), contest.id))


@bp.route("/manage/<int:contest_id>/entries")
@require("manage_contest", scope=lambda contest_id: _contest_or_404(contest_id))
def manage_entries(contest_id: int):
    """The entries of an edition: counts by status, filters, search without diacritics, sorting and pages."""
    contest = _contest_or_404(contest_id)
    filters = EntryFilters.from_args(request.args)
    if filters.searching:
        counts, rows = _searched(contest, filters)
    else:
        counts = _status_counts(contest, filters)
        rows = list(column_rows(_table_rows(contest, filters).limit(PER_PAGE).offset(_offset(filters))))
    # The counts by status already say how many entries the page's filters match: no count query of its own.
    pagination = RowsPagination(
        total=sum(counts[s] for s in filters.statuses),
        rows=rows,
        page=filters.page,
        per_page=PER_PAGE,
        error_out=False,
    )
    lists = _filter_lists(contest, filters.unit)
    return render_template(
        "competitions/manage/entries.html",
        contest=contest,
        filters=filters,
        pagination=pagination,
        counts=counts,
        localities=lists.localities.by_id,
        locality_choices=lists.localities.choices,
        unit_choices=lists.units,
        field_choices=lists.fields,
        statuses=ENTRY_STATUSES,
        sorts=SORT_LABELS,
    )


SORT_LABELS = {
    "code": _l("Code"),
    "title": _l("Title"),
    "lead": _l("Lead author"),
    "unit": _l("Unit"),
    "submitted": _l("Submitted"),
    "status": _l("Status"),
}


# --- Exports -----------------------------------------------------------------------------------------------


def _authors_text(entry: Entry) -> str:
    """ "Nguyễn Văn An (60%); Lê Thị Bình (40%)": every author with their contribution share."""
    return "; ".join(
        f"{p.full_name} ({percent(p.share)}%)" if p.share is not None else p.full_name for p in entry.authors
    )


def _export(contest_id: int, writer):
    contest = _contest_or_404(contest_id)
    filters = EntryFilters.from_args(request.args)
    query = _entries_query(contest, filters).options(selectinload(Entry.people))
    entries = db.session.scalars(query).all()
    localities = _filter_lists(contest).localities.by_id

    def locality(entry: Entry) -> str:
        found = localities.get(entry.admin_unit_id) if entry.admin_unit_id else None
        return found.label if found else ""

    columns = [
        Column("code", _("Code")),
        Column("title", _("Title")),
        Column(lambda e: e.field.name if e.field else "", _("Field")),
    ]
    if contest.age_groups:
        columns.append(Column(lambda e: e.age_group.name if e.age_group else "", _("Age group")))
    columns += [
        Column(lambda e: str(ENTRY_STATUS_LABELS.get(e.status, e.status)), _("Status")),
        Column("lead_name", _("Lead author")),
        Column(_authors_text, _("Authors (contribution share)")),
        Column("unit_name", _("Unit")),
        Column(locality, _("Locality")),
        Column("submitted_at", _("Submitted at")),
        Column("screening_note", _("Screening note")),
    ]
    caption = ngettext("%(contest)s: %(num)d entry", "%(contest)s: %(num)d entries", len(entries), contest=contest.name)
    name = ascii_filename(f"bai-du-thi-{contest.code_prefix}-{contest.year}")
    return writer(contest, columns, entries, caption, name)


@bp.route("/manage/<int:contest_id>/entries.xlsx")
@require("manage_contest", scope=lambda contest_id: _contest_or_404(contest_id))
def manage_entries_xlsx(contest_id: int):
    """The filtered table as a workbook: one row per entry, headers in the interface's language."""

    def write(contest, columns, entries, caption, name):
        data = write_xlsx([Sheet(_("Entries"), columns, entries, caption=caption)])
        return send_xlsx(data, f"{name}.xlsx")

    return _export(contest_id, write)


@bp.route("/manage/<int:contest_id>/entries.csv")
@require("manage_contest", scope=lambda contest_id: _contest_or_404(contest_id))
def manage_entries_csv(contest_id: int):
    """The filtered table as CSV (UTF-8 with a byte order mark, so that Excel reads the diacritics)."""

    def write(contest, columns, entries, caption, name):
        return send_csv(write_csv(columns, entries), f"{name}.csv")

    return _export(contest_id, write)


# --- Screening ---------------------------------------------------------------------------------------------


def allowed_decisions(entry: Entry) -> list[str]:
    """The decisions the Secretariat may take on the entry now, by the rules of `competitions.eligibility`."""
    state = eligibility.registration_state(entry.contest.rules(), utcnow())
    return [
        d
        for d in DECISIONS
        if eligibility.entry_transition_allowed(entry.status, d, "organizer", registration_open=state == "open")
    ]


def entry_history(entry: Entry) -> list[AuditEntry]:
    """What happened to the entry, newest first (the audit entries of this record)."""
    query = (
        select(AuditEntry)
        .where(AuditEntry.object_type == Entry.__tablename__, AuditEntry.object_id == str(entry.id))
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
        .limit(HISTORY_LIMIT)
    )
    return list(db.session.scalars(query))


@dataclass
class ScreeningPanel:
    form: ScreeningForm
    decisions: list[str]
    history: list[AuditEntry]


@bp.app_template_global("screening_panel")
def screening_panel(entry: Entry, form: ScreeningForm | None = None) -> ScreeningPanel:
    """What `competitions/manage/_screening.html` shows under an entry: the form (a new one, or the one sent
    back with its errors) and the entry's history. The template calls it only for the contest's organizers."""
    decisions = allowed_decisions(entry)
    if form is None:
        form = ScreeningForm(formdata=None)
        form.offer(decisions)
    return ScreeningPanel(form, decisions, entry_history(entry))


def _refusal(entry: Entry, decision: str) -> str:
    status = str(ENTRY_STATUS_LABELS.get(entry.status, entry.status))
    if entry.status == "draft":
        return _("This entry is a draft: it can be screened once the contestant submits it.")
    if entry.status == "withdrawn":
        return _("The contestant has withdrawn this entry: it can no longer be screened.")
    if entry.status == decision:
        return _("The entry is already “%(status)s”.", status=status)
    return _(
        "An entry that is “%(status)s” cannot be marked “%(decision)s”.",
        status=status,
        decision=str(DECISION_LABELS[decision]),
    )


@bp.route("/manage/entries/<int:entry_id>/screen", methods=["POST"])
@require("manage_contest", scope=lambda entry_id: _entry_or_404(entry_id))
def screen(entry_id: int):
    """Record the Secretariat's decision; the contestant is told by mail and sees the note on the entry's page.
    A refused or incomplete decision comes back beside its field, with what was typed."""
    entry = _entry_or_404(entry_id)
    decisions = allowed_decisions(entry)
    form = ScreeningForm()
    form.offer(decisions)
    status = 400
    if form.validate_on_submit():
        decision = form.decision.data or ""
        note = form.note.data or ""
        if decision not in DECISIONS:
            form.decision.errors.append(_("Choose a decision."))
        elif decision not in decisions:
            form.decision.errors.append(_refusal(entry, decision))
            status = 409
        elif decision in NOTE_REQUIRED and not note:
            form.note.errors.append(str(NOTE_REQUIRED[decision]))
        else:
            try:
                services.screen_entry(entry, decision, note, by=current_user)
            except TransitionError:  # another organizer decided in the meantime
                db.session.rollback()
                form.decision.errors.append(_refusal(entry, decision))
                status = 409
            else:
                db.session.commit()
                label = str(ENTRY_STATUS_LABELS[entry.status])
                if entry.owner_id is not None:
                    flash(
                        _(
                            "%(code)s is now “%(status)s”; the contestant has been told by email.",
                            code=entry.code,
                            status=label,
                        ),
                        "success",
                    )
                else:
                    flash(_("%(code)s is now “%(status)s”.", code=entry.code, status=label), "success")
                return redirect(url_for("competitions.entry", entry_id=entry.id, _anchor="screening"))
    form.offer(allowed_decisions(entry))
    return render_template(
        "competitions/manage/entries_screen.html", entry=entry, contest=entry.contest, screening_form=form
    ), status
