"""Access-matrix rows of the contests package (see tests/test_access_matrix.py).

Each part of the package keeps its rows in its own module (`access_public`, `access_manage_contests`,
`access_manage_entries`, `access_imports`); `make_targets` creates what their URLs point at: an open
Technical Innovation edition of the Union with a submitted entry (and a document) and a draft entry, both
owned by a contestant who is none of the matrix's accounts."""

from __future__ import annotations

import importlib

from app.accounts.models import RoleGrant, User
from app.extensions import db
from app.uploads import upload_dir
from tests.competitions.factories import make_contest, make_entry

PARTS = ["access_public", "access_manage_contests", "access_manage_entries", "access_imports"]

ROWS: list[tuple[str, str, dict[str, object]]] = []
for _part in PARTS:
    ROWS += importlib.import_module(f"tests.competitions.{_part}").ROWS


def make_targets() -> dict:
    owner = User(email="owner@example.vn")
    owner.set_name("Trần Thị Chủ")
    owner.set_password("Hoa-sen-nở-giữa-hồ-2026")
    owner.role_grants.append(RoleGrant(role="contestant"))
    db.session.add(owner)
    db.session.commit()
    contest = make_contest("innovation")
    entry = make_entry(contest, owner, submit=True)
    draft = make_entry(contest, owner, title="Bản nháp")
    document = entry.documents[0]
    (upload_dir(f"entries/{entry.id}") / document.stored_name).write_bytes(b"%PDF-1.4\n%%EOF\n")
    return {
        "contest_id": contest.id,
        "entry_id": entry.id,
        "draft_entry_id": draft.id,
        "document_id": document.id,
        "field_id": contest.fields[0].id,
        "fmt": "png",
    }
