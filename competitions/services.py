"""State changes on contests and entries. Each records the audit log; the caller (a view) commits once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from app.audit.service import record, snapshot
from app.extensions import db
from app.mail.service import send_templated
from app.timefmt import utcnow
from competitions import eligibility
from competitions.models import (
    AgeGroup,
    Contest,
    Criterion,
    DocumentType,
    Entry,
    EntryPerson,
    Field,
)
from competitions.presets import PRESETS

CONTEST_FIELDS = (
    "name",
    "number",
    "year",
    "level",
    "code_prefix",
    "description",
    "status",
    "period_start",
    "period_end",
    "registration_opens_at",
    "registration_closes_at",
    "lookback_date",
    "birth_from",
    "birth_to",
    "max_authors",
    "max_teachers",
    "organisation_id",
)
ENTRY_FIELDS = ("title", "field_id", "age_group_id", "created_on", "applied_on", "entering_organisation", "status")
PERSON_FIELDS = (
    "full_name",
    "birth_date",
    "gender",
    "id_number",
    "unit",
    "address",
    "admin_unit_id",
    "phone",
    "email",
    "share",
    "is_lead",
)


class TransitionError(ValueError):
    """A status change the rules do not allow (the view says so to the user)."""


# --- Contests ---------------------------------------------------------------------------------------------


def create_contest(
    kind: str, organisation_id: int, year: int, *, name: str | None = None, number: int | None = None
) -> Contest:
    """A new edition in draft, filled from the preset of its kind: fields, age groups, criteria, documents."""
    preset = PRESETS[kind]
    birth_from, birth_to = preset.birth_window(year)
    prefix = unused_prefix(preset.code_prefix, year)
    contest = Contest(
        kind=kind,
        organisation_id=organisation_id,
        year=year,
        number=number,
        name=name or f"{preset.name} năm {year}",
        code_prefix=prefix,
        status="draft",
        max_authors=preset.max_authors,
        max_teachers=preset.max_teachers,
        birth_from=birth_from,
        birth_to=birth_to,
        lookback_date=date(year - 3, 1, 1) if kind == "innovation" else None,
    )
    contest.fields = [Field(code=str(i + 1), name=n, position=i) for i, n in enumerate(preset.fields)]
    contest.age_groups = [AgeGroup(name=n, position=i) for i, n in enumerate(preset.age_groups)]
    contest.criteria = [
        Criterion(name=n, description=d, max_points=Decimal(p), position=i)
        for i, (n, d, p) in enumerate(preset.criteria)
    ]
    contest.document_types = [
        DocumentType(
            name=d.name,
            description=d.description,
            required=d.required,
            accepted=d.accepted,
            max_mb=d.max_mb,
            position=i,
        )
        for i, d in enumerate(preset.documents)
    ]
    db.session.add(contest)
    db.session.flush()
    record("contest.create", contest, after=snapshot(contest, CONTEST_FIELDS), summary=kind)
    return contest


def unused_prefix(prefix: str, year: int, exclude_id: int | None = None) -> str:
    """`prefix`, or `prefix2`, `prefix3`... when another edition of the same year already uses it (entry codes
    PREFIX-YEAR-NNNN are unique across the whole system)."""
    query = select(Contest.code_prefix).where(Contest.year == year)
    if exclude_id is not None:
        query = query.where(Contest.id != exclude_id)
    taken = set(db.session.scalars(query))
    candidate, n = prefix, 1
    while candidate in taken:
        n += 1
        candidate = f"{prefix}{n}"
    return candidate


def update_contest(contest: Contest, values: dict) -> None:
    """Change an edition's settings (audited when anything changed); the status changes only through
    `change_contest_status`."""
    before = snapshot(contest, CONTEST_FIELDS)
    for key, value in values.items():
        if key in CONTEST_FIELDS and key != "status":
            setattr(contest, key, value)
    after = snapshot(contest, CONTEST_FIELDS)
    if after != before:
        record("contest.update", contest, before=before, after=after)


# --- Entries ----------------------------------------------------------------------------------------------


@dataclass
class PersonInput:
    """One author or teacher as typed in the form (already parsed to Python values)."""

    full_name: str = ""
    birth_date: date | None = None
    gender: str = ""
    id_number: str = ""
    unit: str = ""
    address: str = ""
    admin_unit_id: int | None = None
    phone: str = ""
    email: str = ""
    share: Decimal | None = None
    is_lead: bool = False


@dataclass
class EntryInput:
    title: str = ""
    summary: str = ""
    field_id: int | None = None
    age_group_id: int | None = None
    created_on: date | None = None
    applied_on: date | None = None
    entering_organisation: str = ""
    authors: tuple[PersonInput, ...] = ()
    teachers: tuple[PersonInput, ...] = ()

    def as_rules_data(self) -> eligibility.EntryData:
        def person(p: PersonInput) -> eligibility.PersonData:
            return eligibility.PersonData(
                full_name=p.full_name, birth_date=p.birth_date, share=p.share, is_lead=p.is_lead
            )

        return eligibility.EntryData(
            title=self.title,
            field_id=self.field_id,
            age_group_id=self.age_group_id,
            created_on=self.created_on,
            applied_on=self.applied_on,
            authors=tuple(person(a) for a in self.authors),
            teachers=tuple(person(t) for t in self.teachers),
        )

    @classmethod
    def from_entry(cls, entry: Entry) -> EntryInput:
        def person(p: EntryPerson) -> PersonInput:
            return PersonInput(**{name: getattr(p, name) for name in PERSON_FIELDS})

        return cls(
            title=entry.title,
            summary=entry.summary,
            field_id=entry.field_id,
            age_group_id=entry.age_group_id,
            created_on=entry.created_on,
            applied_on=entry.applied_on,
            entering_organisation=entry.entering_organisation,
            authors=tuple(person(p) for p in entry.authors),
            teachers=tuple(person(p) for p in entry.teachers),
        )


def entry_snapshot(entry: Entry) -> dict:
    values = snapshot(entry, ENTRY_FIELDS)
    values["people"] = [snapshot(p, ("role", *PERSON_FIELDS)) for p in entry.people]
    return values


def problems_for(
    entry_input: EntryInput, contest: Contest, *, for_submit: bool, now: datetime | None = None
) -> list[eligibility.Problem]:
    return eligibility.check_entry(
        entry_input.as_rules_data(), contest.rules(), now=now or utcnow(), for_submit=for_submit
    )


def _apply(entry: Entry, data: EntryInput) -> None:
    entry.title = data.title.strip()
    entry.summary = data.summary.strip()
    entry.field_id = data.field_id
    entry.age_group_id = data.age_group_id
    entry.created_on = data.created_on
    entry.applied_on = data.applied_on
    entry.entering_organisation = data.entering_organisation.strip()
    people = [("author", i, p) for i, p in enumerate(data.authors)] + [
        ("teacher", i, p) for i, p in enumerate(data.teachers)
    ]
    entry.people = [
        EntryPerson(
            role=role,
            position=i,
            **{
                name: (getattr(p, name) if role == "author" or name not in ("share", "is_lead") else None)
                for name in PERSON_FIELDS
            }
            | {"is_lead": role == "author" and p.is_lead},
        )
        for role, i, p in people
    ]
    entry.refresh_derived()


def save_entry(
    entry: Entry | None, contest: Contest, data: EntryInput, *, owner=None, allow_closed: bool = False
) -> Entry:
    """Create or update a draft (or a submitted entry while registration is open: it stays submitted).

    Raises `EntryProblems` when even a draft cannot be saved (too many authors, a field of another contest...,
    or registration closed unless `allow_closed`: a form sent after the close is kept as a draft)."""
    problems = problems_for(data, contest, for_submit=False)
    if allow_closed:
        problems = [p for p in problems if p.field != "registration"]
    if problems:
        raise EntryProblems(problems)
    is_new = entry is None
    if entry is None:
        entry = Entry(contest=contest, owner=owner, status="draft")
        db.session.add(entry)
    elif entry.status not in ("draft", "submitted", "returned"):
        raise TransitionError(entry.status)
    before = None if is_new else entry_snapshot(entry)
    _apply(entry, data)
    db.session.flush()
    record("entry.create" if is_new else "entry.update", entry, before=before, after=entry_snapshot(entry))
    return entry


class EntryProblems(ValueError):
    def __init__(self, problems: list[eligibility.Problem]):
        super().__init__(", ".join(p.code for p in problems))
        self.problems = problems


def _next_code(contest: Contest) -> tuple[int, str]:
    """The next entry number of the edition, handed out atomically (one UPDATE ... RETURNING)."""
    seq = db.session.execute(
        update(Contest)
        .where(Contest.id == contest.id)
        .values(entry_seq=Contest.entry_seq + 1)
        .returning(Contest.entry_seq)
    ).scalar_one()
    return seq, f"{contest.code_prefix}-{contest.year}-{seq:04d}"


def missing_documents(entry: Entry) -> list[DocumentType]:
    """The required document types the entry has no file for yet."""
    missing = eligibility.missing_documents(
        [d.id for d in entry.contest.document_types if d.required], [doc.document_type_id for doc in entry.documents]
    )
    return [d for d in entry.contest.document_types if d.id in missing]


def submit_entry(entry: Entry) -> None:
    """Submit a complete entry: it gets its code (once) and the contestant a confirmation mail."""
    contest = entry.contest
    problems = problems_for(EntryInput.from_entry(entry), contest, for_submit=True)
    missing = {d.id for d in missing_documents(entry)}
    if problems or missing:
        raise EntryProblems(
            problems + [eligibility.Problem("documents", "missing_documents", {"ids": sorted(missing)})] * bool(missing)
        )
    state = eligibility.registration_state(contest.rules(), utcnow())
    if not eligibility.entry_transition_allowed(
        entry.status, "submitted", "contestant", registration_open=state == "open"
    ):
        raise TransitionError(entry.status)
    before = entry_snapshot(entry)
    if entry.code is None:
        entry.seq, entry.code = _next_code(contest)
    entry.status = "submitted"
    entry.submitted_at = utcnow()
    entry.refresh_derived()
    record("entry.submit", entry, before=before, after=entry_snapshot(entry), summary=entry.code)
    if entry.owner is not None:
        send_templated(
            entry.owner.email,
            entry.owner.locale,
            _l("Your entry %(code)s is registered", code=entry.code),
            "emails/entry_submitted.txt",
            entry=entry,
            link=url_for("competitions.entry", entry_id=entry.id, _external=True),
        )


def withdraw_entry(entry: Entry) -> None:
    state = eligibility.registration_state(entry.contest.rules(), utcnow())
    if not eligibility.entry_transition_allowed(
        entry.status, "withdrawn", "contestant", registration_open=state == "open"
    ):
        raise TransitionError(entry.status)
    before = snapshot(entry, ("status",))
    entry.status = "withdrawn"
    record("entry.withdraw", entry, before=before, after=snapshot(entry, ("status",)))


SCREENING_SUBJECTS = {
    "eligible": lambda code: _l("Your entry %(code)s is eligible", code=code),
    "ineligible": lambda code: _l("Your entry %(code)s is not eligible", code=code),
    "returned": lambda code: _l("Your entry %(code)s needs changes", code=code),
}


def screen_entry(entry: Entry, decision: str, note: str, *, by) -> None:
    """The Secretariat's decision: eligible, ineligible (with a reason) or returned for changes (with a note).
    The contestant is told by mail."""
    state = eligibility.registration_state(entry.contest.rules(), utcnow())
    if not eligibility.entry_transition_allowed(entry.status, decision, "organizer", registration_open=state == "open"):
        raise TransitionError(entry.status)
    before = snapshot(entry, ("status", "screening_note"))
    entry.status = decision
    entry.screening_note = note.strip()
    entry.screened_by_id = by.id
    entry.screened_at = utcnow()
    record(
        f"entry.screen.{decision}", entry, before=before, after=snapshot(entry, ("status", "screening_note")), actor=by
    )
    if entry.owner is not None:
        send_templated(
            entry.owner.email,
            entry.owner.locale,
            SCREENING_SUBJECTS[decision](entry.code),
            "emails/entry_screened.txt",
            entry=entry,
            link=url_for("competitions.entry", entry_id=entry.id, _external=True),
        )


def register_imported(contest: Contest, data: EntryInput, *, by, note: str = "") -> Entry:
    """An entry from a paper dossier collected by a unit or locality, typed in by the organizers' import:
    submitted at once with its code (registration windows and online documents do not apply)."""
    problems = [p for p in problems_for(data, contest, for_submit=True) if p.field != "registration"]
    if problems:
        raise EntryProblems(problems)
    entry = Entry(contest=contest, owner=None, status="submitted", source="import", submitted_at=utcnow())
    db.session.add(entry)
    _apply(entry, data)
    entry.seq, entry.code = _next_code(contest)
    entry.refresh_derived()
    db.session.flush()
    record("entry.import", entry, after=entry_snapshot(entry), actor=by, summary=note or entry.code)
    return entry


# --- Setting up editions: settings with the description, status changes, the editable lists ---------------

#: The status an edition may move to from each status: one step forward, or one step back where it makes sense
#: (open -> draft while nobody has registered; closed -> open to extend registration; judging -> closed to go
#: back to screening; archived -> results to take an edition out of the archive).
CONTEST_TRANSITIONS: dict[str, tuple[str, ...]] = {
    "draft": ("open",),
    "open": ("closed", "draft"),
    "closed": ("judging", "open"),
    "judging": ("results", "closed"),
    "results": ("archived",),
    "archived": ("results",),
}

#: The lists of an edition an organizer edits: relationship -> (model, the columns a row sets).
CONTEST_LISTS: dict[str, tuple[type, tuple[str, ...]]] = {
    "fields": (Field, ("code", "name", "description")),
    "age_groups": (AgeGroup, ("name",)),
    "document_types": (DocumentType, ("name", "description", "required", "accepted", "max_mb")),
    "criteria": (Criterion, ("name", "description", "max_points", "weight", "step")),
}


class ContestNotReady(TransitionError):
    """The status change is allowed in principle but the edition is not ready for it (`problems`: codes)."""

    def __init__(self, problems: list[str]):
        super().__init__(", ".join(problems))
        self.problems = problems


class ItemsInUse(ValueError):
    """Rows of a list that entries use and that cannot be removed: [(row, number of entries), ...]."""

    def __init__(self, items: list[tuple[object, int]]):
        super().__init__(", ".join(f"{getattr(item, 'name', item)} ({n})" for item, n in items))
        self.items = items


def contest_status_problems(contest: Contest, target: str, now: datetime | None = None) -> list[str]:
    """Why the edition cannot move to `target` now, as codes (empty: it can)."""
    if target not in CONTEST_TRANSITIONS.get(contest.status, ()):
        return ["not_allowed"]
    problems = []
    if target == "open":
        if not contest.fields:
            problems.append("no_fields")
        if contest.registration_opens_at is None or contest.registration_closes_at is None:
            problems.append("no_registration_window")
        elif contest.registration_closes_at <= (now or utcnow()):
            problems.append("closes_in_past")
        if contest.is_youth and not contest.age_groups:
            problems.append("no_age_groups")
        if contest.is_youth and (contest.birth_from is None or contest.birth_to is None):
            problems.append("no_birth_window")
    if (contest.status, target) == ("open", "draft") and db.session.scalar(
        db.select(db.func.count(Entry.id)).where(Entry.contest_id == contest.id)
    ):
        problems.append("has_entries")
    return problems


def change_contest_status(contest: Contest, target: str) -> None:
    """Move the edition to `target` (see CONTEST_TRANSITIONS); raises `ContestNotReady` saying why not."""
    problems = contest_status_problems(contest, target)
    if problems:
        raise ContestNotReady(problems)
    before = snapshot(contest, ("status",))
    contest.status = target
    record(
        "contest.status",
        contest,
        before=before,
        after=snapshot(contest, ("status",)),
        summary=f"{before['status']} → {target}",
    )


def list_usage(contest: Contest, relation: str) -> dict[int, int]:
    """How many entries use each row of a list (fields and age groups chosen, document types with a file)."""
    if relation == "fields":
        column = Entry.field_id
    elif relation == "age_groups":
        column = Entry.age_group_id
    elif relation == "document_types":
        from competitions.models import EntryDocument

        rows = db.session.execute(
            db.select(EntryDocument.document_type_id, db.func.count(db.func.distinct(EntryDocument.entry_id)))
            .join(Entry, Entry.id == EntryDocument.entry_id)
            .where(Entry.contest_id == contest.id, EntryDocument.document_type_id.is_not(None))
            .group_by(EntryDocument.document_type_id)
        )
        return {row_id: int(n) for row_id, n in rows}
    else:
        return {}
    rows = db.session.execute(
        db.select(column, db.func.count(Entry.id))
        .where(Entry.contest_id == contest.id, column.is_not(None))
        .group_by(column)
    )
    return {row_id: int(n) for row_id, n in rows}


def update_contest_list(contest: Contest, relation: str, rows: list[dict]) -> bool:
    """Replace one list of the edition (fields, age_groups, document_types, criteria) by `rows` in that order.

    A row with the "id" of an existing row updates it, one without adds a row, and existing rows left out are
    removed; raises `ItemsInUse` (changing nothing) when entries use a row left out. Records
    "contest.<relation>.update" with the list before and after; returns whether anything changed."""
    model, columns = CONTEST_LISTS[relation]
    current = list(getattr(contest, relation))
    by_id = {item.id: item for item in current}
    kept: list[int] = []
    for values in rows:
        item_id = values.get("id")
        if item_id in by_id and item_id not in kept:
            kept.append(item_id)
    removed = [item for item in current if item.id not in kept]
    if removed:
        usage = list_usage(contest, relation)
        in_use = [(item, usage[item.id]) for item in removed if usage.get(item.id)]
        if in_use:
            raise ItemsInUse(in_use)
    before = [snapshot(item, ("id", *columns)) for item in current]
    taken: set[int] = set()
    items = []
    for position, values in enumerate(rows):
        item_id = values.get("id")
        item = by_id[item_id] if item_id in by_id and item_id not in taken else model()
        if item.id is not None:
            taken.add(item.id)
        for column in columns:
            setattr(item, column, values[column])
        item.position = position
        items.append(item)
    setattr(contest, relation, items)
    db.session.flush()
    after = [snapshot(item, ("id", *columns)) for item in items]
    if after == before:
        return False
    record(f"contest.{relation}.update", contest, before={relation: before}, after={relation: after})
    return True
