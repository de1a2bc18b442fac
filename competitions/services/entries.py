"""Entries: drafts, submission, withdrawal, screening and paper dossiers imported."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from app.audit.service import record, snapshot
from app.extensions import db
from app.mail.service import send_templated
from app.timefmt import utcnow
from competitions import eligibility
from competitions.models import (
    Contest,
    DocumentType,
    Entry,
    EntryPerson,
)
from competitions.services.contests import TransitionError

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
