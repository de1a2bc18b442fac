"""Organizers follow the entries of an edition (filters, search, sorting, counts), export them to XLSX and CSV,
and screen them: eligible, not eligible (with the reason) or returned for changes (with what to change)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import lazyload, selectinload

from app.accounts.permissions import require
from app.audit.labels import register_labels
from app.audit.models import AuditEntry
from app.exports import Column, Sheet, ascii_filename, send_csv, send_xlsx, write_csv, write_xlsx
from app.extensions import db
from app.orgs.models import AdministrativeUnit
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
    EntryFilters,
    ScreeningForm,
)
from competitions.labels import ENTRY_STATUS_LABELS
from competitions.models import ENTRY_STATUSES, Contest, Entry
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


def _localities(contest: Contest) -> dict[int, Locality]:
    """The localities of the edition's entries and the units above them, in tree order (two queries at most)."""
    used = (
        select(Entry.admin_unit_id)
        .where(Entry.contest_id == contest.id, Entry.admin_unit_id.is_not(None))
        .distinct()
        .scalar_subquery()
    )
    units: dict[int, AdministrativeUnit] = {}
    for unit in db.session.scalars(select(AdministrativeUnit).where(AdministrativeUnit.id.in_(used))):
        units[unit.id] = unit
        if unit.parent is not None:  # joined with the unit
            units[unit.parent.id] = unit.parent
    above = {u.parent_id for u in units.values() if u.parent_id is not None} - units.keys()
    if above:
        units |= {
            u.id: u for u in db.session.scalars(select(AdministrativeUnit).where(AdministrativeUnit.id.in_(above)))
        }

    def chain(unit: AdministrativeUnit) -> list[AdministrativeUnit]:
        path = [unit]
        while path[-1].parent_id in units and len(path) < 5:
            path.append(units[path[-1].parent_id])
        return path[::-1]

    result = {}
    for unit in units.values():
        path = chain(unit)
        parent = units.get(unit.parent_id) if unit.parent_id else None
        label = f"{unit.full_name}, {parent.name}" if parent is not None else unit.full_name
        result[unit.id] = Locality(unit.id, label, len(path) - 1, tuple(text_key(u.name) for u in path))
    return dict(sorted(result.items(), key=lambda item: item[1].key))


def _unit_names(contest: Contest, chosen: str) -> list[str]:
    names = set(
        db.session.scalars(
            select(Entry.unit_name).where(Entry.contest_id == contest.id, Entry.unit_name != "").distinct()
        )
    )
    if chosen:
        names.add(chosen)
    return sorted(names, key=text_key)


def _status_counts(contest: Contest, filters: EntryFilters) -> dict[str, int]:
    """How many entries of each status match the other filters (one grouped query), with "" for the active
    statuses together and "all" for every entry."""
    query = filters.apply(select(Entry.status, func.count(Entry.id)), contest.id, with_status=False)
    counts = dict.fromkeys(ENTRY_STATUSES, 0)
    counts.update(dict(db.session.execute(query.group_by(Entry.status)).all()))
    counts[""] = sum(counts[s] for s in ACTIVE_STATUSES)
    counts["all"] = sum(counts[s] for s in ENTRY_STATUSES)
    return counts


def _entries_query(contest: Contest, filters: EntryFilters):
    # Every entry is of this contest, already in the session: no need to join it on every row.
    return filters.ordered(filters.apply(select(Entry).options(lazyload(Entry.contest)), contest.id))


@bp.route("/manage/<int:contest_id>/entries")
@require("manage_contest", scope=lambda contest_id: _contest_or_404(contest_id))
def manage_entries(contest_id: int):
    """The entries of an edition: counts by status, filters, search without diacritics, sorting and pages."""
    contest = _contest_or_404(contest_id)
    filters = EntryFilters.from_args(request.args)
    pagination = db.paginate(_entries_query(contest, filters), page=filters.page, per_page=PER_PAGE, error_out=False)
    return render_template(
        "competitions/manage/entries.html",
        contest=contest,
        filters=filters,
        pagination=pagination,
        counts=_status_counts(contest, filters),
        localities=_localities(contest),
        unit_names=_unit_names(contest, filters.unit),
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
    localities = _localities(contest)

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
