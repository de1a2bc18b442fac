"""Test data for forwarding: a provincial edition of the province's Union with district child editions (each run
by its district's union, below the province's), eligible entries in each child with files on disk, organizers
scoped to each body, and a child judged (round, scores, stored awards) when asked."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from app.accounts.models import User
from app.extensions import db
from app.timefmt import utcnow
from app.uploads import upload_dir
from competitions import services as contests
from competitions.models import Contest, Entry, EntryDocument
from judging import services as judging
from judging.models import Assignment
from results.services.awards import generate_awards
from tests.competitions.factories import make_contest, make_organisation
from tests.judging.factories import make_account, make_eligible_entry, make_judge

DISTRICTS = ("Huyện Bù Đăng", "Huyện Lộc Ninh", "Thị xã Bình Long")


@dataclass
class Levels:
    """What `make_levels` built: the provincial edition and its organizer, and per district its edition, union,
    organizer and eligible entries."""

    parent: Contest
    province_organizer: User
    owner: User
    children: list[Contest] = field(default_factory=list)
    organizers: list[User] = field(default_factory=list)
    entries: list[list[Entry]] = field(default_factory=list)


def pdf_bytes(text: str) -> bytes:
    return f"%PDF-1.4\n% {text}\n%%EOF\n".encode()


def add_files(entry: Entry) -> list[EntryDocument]:
    """A real file on disk for each required document type of the entry's edition (a small PDF each)."""
    made = []
    for position, doc_type in enumerate(entry.contest.document_types, start=1):
        if not doc_type.required:
            continue
        data = pdf_bytes(f"{entry.title} / {doc_type.name}")
        doc = EntryDocument(
            document_type_id=doc_type.id,
            original_name=f"{doc_type.name} {position}.pdf",
            stored_name=hashlib.md5(data + str(entry.id).encode()).hexdigest() + ".pdf",
            kind="pdf",
            mimetype="application/pdf",
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
        )
        entry.documents.append(doc)
        db.session.flush()
        (upload_dir(f"entries/{entry.id}") / doc.stored_name).write_bytes(data)
        made.append(doc)
    db.session.commit()
    return made


def make_child(parent: Contest, name: str, *, by) -> Contest:
    """A district edition of `parent`, run by a new district union below the province's, open for registration."""
    district = make_organisation(f"Liên hiệp các hội KH&KT {name}", parent=parent.organisation)
    child = contests.create_child_contest(parent, district.id, name=f"Vòng {name}", by=by)
    child.status = "open"
    child.registration_opens_at = utcnow() - timedelta(days=1)
    child.registration_closes_at = utcnow() + timedelta(days=30)
    db.session.commit()
    return child


def make_levels(
    *,
    children: int = 2,
    entries: int = 2,
    kind: str = "innovation",
    window: bool = True,
    quota: int | None = None,
    files: bool = False,
) -> Levels:
    """A provincial edition with `children` district editions holding `entries` eligible entries each (fields
    alternating), the forwarding window open from yesterday for ten days (when `window`), the default `quota`;
    an organizer scoped to the province's Union and one scoped to each district's union."""
    parent = make_contest(kind)
    province = make_account(
        "organizer", name="Trần Thị Tỉnh", email="tinh@example.vn", scope=("organisation", parent.organisation_id)
    )
    owner = make_account("contestant", name="Lê Văn Chủ", email="chu@example.vn")
    if window:
        parent.forward_opens_at = utcnow() - timedelta(days=1)
        parent.forward_closes_at = utcnow() + timedelta(days=10)
    parent.forward_quota = quota
    db.session.commit()
    levels = Levels(parent, province, owner)
    n = 0
    for i in range(children):
        child = make_child(parent, DISTRICTS[i % len(DISTRICTS)] + ("" if i < len(DISTRICTS) else f" {i}"), by=province)
        organizer = make_account(
            "organizer",
            name=f"Ban Tổ chức {i + 1}",
            email=f"huyen{i + 1}@example.vn",
            scope=("organisation", child.organisation_id),
        )
        made = []
        for j in range(entries):
            n += 1
            person = {"birth": date(child.year - 14, 3, 1)} if kind == "youth" else {}
            entry = make_eligible_entry(child, owner, j % 2, n, **person)
            if files:
                entry.documents.clear()
                db.session.flush()
                add_files(entry)
            made.append(entry)
        levels.children.append(child)
        levels.organizers.append(organizer)
        levels.entries.append(made)
    return levels


def judge_child(child: Contest, entries: list[Entry], percents: list[int], *, by, awards: bool = True):
    """Judge `entries` of `child` in a preliminary round (one judge giving each criterion `percents[i]` per cent
    of its maximum, to 0.5, for entry i), close the round and store the awards the default plan proposes (when
    `awards`)."""
    judge = make_judge(child, 90 + child.id)
    panel_fields = [f.id for f in child.fields]
    judging.save_panel(child, "Tiểu ban", panel_fields, [judge.id], judge.id, by=by)
    round_ = judging.create_round(child, "preliminary", by=by)
    round_.judges_per_entry = 1
    judging.add_eligible_entries(round_, by=by)
    assignments = []
    for entry in entries:
        a = Assignment(round_id=round_.id, entry_id=entry.id, judge_id=judge.id, source="manual")
        db.session.add(a)
        assignments.append(a)
    round_.status = "scoring"
    db.session.commit()
    for a, percent in zip(assignments, percents, strict=True):
        sheet = judging.sheet_for(a)
        values = {c.id: (Decimal(c.max_points) * percent / 50).to_integral_value() / 2 for c in round_.criteria}
        problems = judging.save_sheet(sheet, values, "", by=judge)
        assert problems == {}, problems
        judging.submit_sheet(sheet, by=judge)
    round_.status = "closed"
    db.session.commit()
    if awards:
        generate_awards(child, by=by)
        db.session.commit()
    return round_
