"""Test data for contests: an open edition from a preset, and entries with authors."""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from decimal import Decimal

from app.extensions import db
from app.orgs.models import Organisation
from app.timefmt import utcnow
from competitions import services
from competitions.models import Contest, Entry, EntryDocument
from competitions.services import EntryInput, PersonInput


def make_organisation(name: str = "Liên hiệp các hội KH&KT tỉnh Bình Phước", parent=None) -> Organisation:
    org = Organisation(kind="union", parent=parent)
    org.set_name(name)
    db.session.add(org)
    db.session.flush()
    return org


def make_contest(
    kind: str = "innovation",
    *,
    status: str = "open",
    organisation=None,
    year: int | None = None,
    opens_in_days: int = -1,
    closes_in_days: int = 30,
) -> Contest:
    """An edition from its preset, registration open from yesterday for a month (by default)."""
    org = organisation or make_organisation()
    year = year or utcnow().year
    contest = services.create_contest(kind, org.id, year)
    contest.status = status
    contest.registration_opens_at = utcnow() + timedelta(days=opens_in_days)
    contest.registration_closes_at = utcnow() + timedelta(days=closes_in_days)
    db.session.commit()
    return contest


def author(
    name: str = "Nguyễn Văn An", share: str | int = 100, lead: bool = True, birth: date | None = None, **extra
) -> PersonInput:
    return PersonInput(
        full_name=name,
        share=Decimal(str(share)),
        is_lead=lead,
        birth_date=birth or date(1985, 5, 18),
        unit=extra.pop("unit", "Trường THPT Bù Đăng"),
        **extra,
    )


def entry_input(contest: Contest, *, title: str = "Máy gieo hạt điều tự động", authors=None, **extra) -> EntryInput:
    youth = contest.kind == "youth"
    values = {
        "title": title,
        "summary": "Giải pháp giúp nông dân gieo hạt nhanh hơn.",
        "field_id": contest.fields[0].id,
        "age_group_id": contest.age_groups[-1].id if youth else None,
        "created_on": None if youth else utcnow().date() - timedelta(days=200),
        "authors": tuple(authors or [author(birth=date(contest.year - 15, 1, 1) if youth else None)]),
    } | extra
    return EntryInput(**values)


def add_documents(entry: Entry) -> None:
    """Document records for every required type (no file on disk: enough for the rules, not for downloads)."""
    for doc_type in entry.contest.document_types:
        if doc_type.required:
            entry.documents.append(
                EntryDocument(
                    document_type_id=doc_type.id,
                    original_name=f"{doc_type.name}.pdf",
                    stored_name=secrets.token_hex(16) + ".pdf",
                    kind="pdf",
                    mimetype="application/pdf",
                    size=1024,
                    sha256="0" * 64,
                )
            )
    db.session.flush()


def make_entry(contest: Contest, owner=None, *, submit: bool = False, **extra) -> Entry:
    from flask import current_app

    with current_app.test_request_context():
        entry = services.save_entry(None, contest, entry_input(contest, **extra), owner=owner)
        if submit:
            add_documents(entry)
            services.submit_entry(entry)
    db.session.commit()
    return entry
