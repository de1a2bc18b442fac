"""The delegation to the national level (forwarding/views/delegation.py, forwarding/exports.py): entries chosen by
award or by hand, taken out with a reason; the registration sheet read back with openpyxl; the dossiers' ZIP and
one entry's ZIP read back: names, manifest, sizes and SHA-256 against the stored files."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile

from openpyxl import load_workbook
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import db
from app.orgs.models import AdministrativeUnit
from app.uploads import upload_dir
from competitions.models import EntryDocument
from forwarding import services
from forwarding.models import Forward
from tests.forwarding.factories import add_files, judge_child, make_levels
from tests.forwarding.test_child_page import login, text
from tests.judging.factories import make_eligible_entry

LEVEL = "Hội thi Sáng tạo kỹ thuật toàn quốc"
NAME = re.compile(r"^(\d{2})_([A-Za-z0-9_]+)/(\d{2})_([A-Za-z0-9_]+)\.([a-z0-9]+)$")


def make_province():
    """A province whose own entries were judged and awarded, one of them forwarded from a district; an author's
    locality in a commune of the province."""
    levels = make_levels(children=1, entries=2, files=True)
    parent, province = levels.parent, levels.province_organizer
    forwarded = levels.entries[0][0]
    services.forward_entries(levels.children[0], [forwarded], "manual", by=levels.organizers[0])
    forwarded.status = "eligible"
    db.session.commit()
    own = []
    for field_index, n in ((1, 51), (0, 52), (0, 53)):
        entry = make_eligible_entry(parent, levels.owner, field_index, n)
        entry.documents.clear()
        db.session.flush()
        add_files(entry)
        own.append(entry)
    own[1].title = '=HYPERLINK("http://x")'  # a formula-looking title stays text
    units = {}
    for code, name, kind, level, parent_unit in (
        ("70", "Bình Phước", "tỉnh", 1, None),
        ("70-1", "Bù Đăng", "huyện", 2, "70"),
        ("70-1-1", "Đức Phong", "thị trấn", 3, "70-1"),
    ):
        unit = AdministrativeUnit(
            code=code, name=name, kind=kind, level=level, parent_id=units[parent_unit].id if parent_unit else None
        )
        db.session.add(unit)
        db.session.flush()
        units[code] = unit
    own[0].admin_unit_id = units["70-1-1"].id
    db.session.commit()
    judge_child(parent, [forwarded, *own], [95, 90, 50, 70], by=province)
    return levels, forwarded, own


def test_choosing_the_delegation_by_award_then_taking_one_out(client):
    levels, forwarded, own = make_province()
    parent, province = levels.parent, levels.province_organizer
    page = text(login(client, province).get(f"/forwarding/{parent.id}/delegation?by=award&tier=first"))
    checked = {int(i) for i in re.findall(r'name="entry_ids" value="(\d+)" checked', page)}
    assert checked == {forwarded.id, own[0].id}  # the First prize of each field
    assert f'value="{LEVEL}"' in page

    data = {"external_level": LEVEL, "basis": "award", "entry_ids": [forwarded.id, own[0].id]}
    response = client.post(f"/forwarding/{parent.id}/delegation", data=data)
    assert response.status_code == 302
    forwards = db.session.scalars(select(Forward).where(Forward.to_contest_id.is_(None))).all()
    assert {(f.entry_id, f.external_level, f.basis) for f in forwards} == {
        (forwarded.id, LEVEL, "award"),
        (own[0].id, LEVEL, "award"),
    }
    assert forwarded.contest_id == parent.id  # nothing moves
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.action == "entry.delegate")).all()
    assert len(actions) == 2

    # Again: already in it; an entry not eligible; no level named.
    own[2].status = "ineligible"
    db.session.commit()
    page = text(client.post(f"/forwarding/{parent.id}/delegation", data=data | {"entry_ids": [own[0].id, own[2].id]}))
    assert f"Already forwarded: {own[0].code}." in page and f"Not eligible: screen them first: {own[2].code}." in page
    page = text(client.post(f"/forwarding/{parent.id}/delegation", data=data | {"external_level": ""}))
    assert "Please fill in this field." in page

    entry_page = text(client.get(f"/contests/entries/{own[0].id}"))
    assert 'data-testid="delegated-to"' in entry_page and LEVEL in entry_page

    one = next(f for f in forwards if f.entry_id == own[0].id)
    response = client.post(f"/forwarding/forwards/{one.id}/withdraw", data={f"f{one.id}-reason": ""})
    assert response.status_code == 200 and 'data-testid="delegation"' in text(response)
    response = client.post(f"/forwarding/forwards/{one.id}/withdraw", data={f"f{one.id}-reason": "Thay bài khác"})
    assert response.status_code == 302 and "/delegation" in response.headers["Location"]
    assert not one.active and [f.entry_id for f in services.delegation(parent)] == [forwarded.id]


def delegate_all(levels, forwarded, own):
    services.add_to_delegation(levels.parent, [own[1], forwarded, own[0]], LEVEL, "manual", by=None)
    db.session.commit()
    return services.delegation(levels.parent)


def test_the_registration_sheet_read_back(client):
    levels, forwarded, own = make_province()
    parent = levels.parent
    delegation = delegate_all(levels, forwarded, own)
    results = services.lower_results(parent)
    response = login(client, levels.province_organizer).get(f"/forwarding/{parent.id}/delegation.xlsx")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    assert response.headers["Cache-Control"] == "private, no-store"
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert parent.name in rows[0][0] and LEVEL in rows[0][0]
    header = rows[1]
    assert header[:4] == ("No.", "Code", "Title of the solution", "Field")
    col = {name: i for i, name in enumerate(header)}
    body = rows[2:]
    assert [r[0] for r in body] == [1, 2, 3]
    assert [r[1] for r in body] == [f.entry.code for f in delegation]
    for row, forward in zip(body, delegation, strict=True):
        entry = forward.entry
        assert row[col["Field"]] == entry.field.name
        assert row[col["Authors"]] == "; ".join(p.full_name for p in entry.authors)
        assert row[col["Year of birth"]] == "; ".join(str(p.birth_date.year) for p in entry.authors)
        assert row[col["Unit or school"]] == "; ".join(p.unit for p in entry.authors)
        result = results[entry.id]
        assert (row[col["Provincial award"]] or "") == result.award
        assert row[col["Score"]] == str(result.score).rstrip("0").rstrip(".").replace(".", ",")
    by_code = {r[1]: r for r in body}
    assert by_code[own[0].code][col["Province"]] == "Tỉnh Bình Phước"
    assert by_code[own[1].code][col["Title of the solution"]] == '\'=HYPERLINK("http://x")'  # neutralised


def read_zip(data: bytes) -> tuple[dict[str, bytes], list[dict]]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    files = {name: archive.read(name) for name in archive.namelist()}
    manifest_bytes = files.pop("manifest.csv")
    assert manifest_bytes.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte order mark
    manifest = list(csv.DictReader(io.StringIO(manifest_bytes.decode("utf-8-sig"))))
    return files, manifest


def test_the_dossiers_zip_read_back_against_the_stored_files(client):
    levels, forwarded, own = make_province()
    parent = levels.parent
    delegation = delegate_all(levels, forwarded, own)
    response = login(client, levels.province_organizer).get(f"/forwarding/{parent.id}/delegation.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    files, manifest = read_zip(response.data)
    expected_docs = 0
    for number, forward in enumerate(delegation, start=1):
        entry = forward.entry
        docs = db.session.scalars(select(EntryDocument).where(EntryDocument.entry_id == entry.id)).all()
        mine = [m for m in manifest if m["entry_code"] == entry.code]
        assert len(mine) == len(docs) > 0
        expected_docs += len(docs)
        by_original = {d.original_name: d for d in docs}
        for nn, row in enumerate(mine, start=1):
            match = NAME.match(row["file"])
            assert match, row["file"]
            assert int(match.group(1)) == number and match.group(2) == entry.code.replace("-", "_")
            assert int(match.group(3)) == nn and match.group(5) == "pdf"
            doc = by_original[row["original_name"]]
            stored = (upload_dir(f"entries/{entry.id}") / doc.stored_name).read_bytes()
            assert files[row["file"]] == stored
            assert row["sha256"] == hashlib.sha256(stored).hexdigest() == doc.sha256
            assert int(row["size"]) == len(stored) == doc.size
            assert row["document_type"] == doc.document_type.name
            assert doc.document_type.contest_id == parent.id  # the forwarded entry's types are the parent's
    assert len(files) == len(manifest) == expected_docs
    assert all(name.isascii() for name in files)


def test_one_entrys_package_and_a_missing_file(client):
    levels, forwarded, own = make_province()
    delegate_all(levels, forwarded, own)
    doc = forwarded.documents[0]
    (upload_dir(f"entries/{forwarded.id}") / doc.stored_name).unlink()
    response = login(client, levels.province_organizer).get(f"/forwarding/entries/{forwarded.id}/package.zip")
    assert response.status_code == 200
    files, manifest = read_zip(response.data)
    assert {m["entry_code"] for m in manifest} == {forwarded.code}
    missing = next(m for m in manifest if m["original_name"] == doc.original_name)
    assert missing["file"] == "" and missing["sha256"] == ""  # said, not hidden
    assert len(files) == len(manifest) - 1
    number = [f.entry_id for f in services.delegation(levels.parent)].index(forwarded.id) + 1
    assert all(name.startswith(f"{number:02d}_") for name in files)


def test_a_child_edition_has_no_delegation(client):
    levels = make_levels(children=1)
    child = levels.children[0]
    login(client, levels.province_organizer)
    assert client.get(f"/forwarding/{child.id}/delegation").status_code == 404
    assert client.get(f"/forwarding/{child.id}/delegation.xlsx").status_code == 404


def test_the_delegation_page_costs_the_same_queries_for_2_and_8_entries(client, count_queries):
    def measure(n: int) -> int:
        levels = make_levels(children=0)
        entries = [make_eligible_entry(levels.parent, levels.owner, i % 2, 200 + i) for i in range(n)]
        judge_child(levels.parent, entries, [90 - i for i in range(n)], by=levels.province_organizer)
        services.add_to_delegation(levels.parent, entries[: n // 2], LEVEL, "manual", by=None)
        db.session.commit()
        login(client, levels.province_organizer)
        client.get(f"/forwarding/{levels.parent.id}/delegation")
        with count_queries() as counted:
            assert client.get(f"/forwarding/{levels.parent.id}/delegation?by=award&tier=").status_code == 200
        return counted.n

    assert measure(2) == measure(8)
