"""Guest lists (XLSX, CSV): checked row by row, previewed, written only when every row is valid."""

from __future__ import annotations

import io
from datetime import date

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook
from sqlalchemy import func, select

from app.extensions import db
from app.text import normalize_search
from events.models.events import Invitee, Pass
from events.services.imports import check_rows, read_guest_list
from tests.events.factories import make_event, make_invitee, make_organizer

HEADER = ["Họ và tên", "Email", "Điện thoại", "Đơn vị", "Vai trò", "Ngày sinh"]


def _xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in [HEADER, *rows]:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _count(event) -> int:
    return db.session.scalar(select(func.count(Invitee.id)).where(Invitee.event_id == event.id))


def test_rows_are_checked_one_by_one():
    result = check_rows(
        [
            HEADER,
            ["Nguyễn Văn An", "an@example.vn", "0912 345 678", "Sở KH&CN", "Khách mời", "18/05/1980"],
            ["", "x@example.vn", "", "", "", ""],
            ["Lê Thị Bình", "not-an-email", "123", "", "ca sĩ", "31/02/1990"],
            ["NGUYEN VAN AN", "AN@example.vn", "", "", "", ""],
        ]
    )
    assert not result.valid
    first, empty, bad, again = result.rows
    assert first.problems == [] and first.phone == "0912345678" and first.birth_date == date(1980, 5, 18)
    assert first.role == "guest" and (first.number, again.number) == (2, 5)
    assert empty.problems == [("full_name", "required")]
    assert {code for _c, code in bad.problems} == {"email", "phone", "role", "date"}
    assert again.problems == [("full_name", "duplicate")]  # the same person (e-mail) twice in one file


def test_english_headers_roles_and_a_csv_with_semicolons():
    data = "\ufeffFull name;Email;Role;Unit\nTrần Văn C;c@example.vn;judge;Hội Tin học\nPhạm D;;Giám khảo;\n".encode()
    result = read_guest_list(data, "khach.csv")
    assert result.valid, result.rows
    assert [(r.full_name, r.role) for r in result.rows] == [("Trần Văn C", "judge"), ("Phạm D", "judge")]


def test_files_that_cannot_be_used():
    assert read_guest_list(b"\x89PNG\r\n\x1a\n....", "x.csv").file_problem == "unreadable"
    assert read_guest_list(b"PK\x03\x04garbage", "x.xlsx").file_problem == "unreadable"
    assert read_guest_list(b"Email\na@b.vn\n", "x.csv").file_problem == "no_name_column"
    assert read_guest_list("Họ và tên\n".encode(), "x.csv").file_problem == "empty"


def test_a_list_with_errors_is_previewed_with_them_and_nothing_is_written(client, login_as):
    event = make_event()
    login_as(make_organizer(event))
    data = _xlsx([["Nguyễn Văn An", "an@example.vn", "", "", "", ""], ["Lê Thị Bình", "sai-email", "", "", "", ""]])
    response = client.post(
        f"/events/manage/{event.id}/invitees/import",
        data={"file": (io.BytesIO(data), "khach-moi.xlsx")},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'data-error-row="3"' in page and 'data-error-row="2"' not in page and "sai-email" in page
    assert 'data-testid="confirm-import"' not in page
    assert _count(event) == 0


def test_a_valid_list_is_previewed_then_written_once_with_a_pass_each(client, login_as):
    event = make_event()
    make_invitee(event, "Đã Mời Trước", email="truoc@example.vn")
    login_as(make_organizer(event))
    data = _xlsx(
        [
            ["Nguyễn Văn An", "an@example.vn", "0912345678", "Sở Y tế", "Đại biểu", ""],
            ["Lê Thị Bình", "", "", "Trường THPT Lộc Ninh", "honoree", date(1975, 1, 2)],
            ["Đã Mời Trước", "TRUOC@example.vn", "", "", "", ""],
        ]
    )
    response = client.post(
        f"/events/manage/{event.id}/invitees/import",
        data={"file": (io.BytesIO(data), "khach-moi.xlsx")},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert 'data-testid="confirm-import"' in page and _count(event) == 1
    payload = page.split('name="payload" type="hidden" value="')[1].split('"')[0]
    assert (
        client.post(f"/events/manage/{event.id}/invitees/import/confirm", data={"payload": payload}).status_code == 302
    )
    assert _count(event) == 3  # the one already invited is not added twice
    binh = db.session.scalar(select(Invitee).where(Invitee.full_name == "Lê Thị Bình"))
    assert (binh.role, binh.birth_date, binh.source) == ("honoree", date(1975, 1, 2), "import")
    assert db.session.scalar(select(func.count(Pass.id)).where(Pass.event_id == event.id)) == 3
    # confirming again adds nobody; a tampered payload is refused
    client.post(f"/events/manage/{event.id}/invitees/import/confirm", data={"payload": payload})
    assert _count(event) == 3
    assert (
        client.post(
            f"/events/manage/{event.id}/invitees/import/confirm", data={"payload": payload[:-2] + "xx"}
        ).status_code
        == 400
    )


def test_a_payload_of_another_event_is_refused(client, login_as):
    event, other = make_event(), make_event()
    organizer = make_organizer(event)
    other_org = make_organizer(other)
    login_as(other_org)
    data = _xlsx([["Nguyễn Văn An", "an@example.vn", "", "", "", ""]])
    page = client.post(
        f"/events/manage/{other.id}/invitees/import",
        data={"file": (io.BytesIO(data), "k.xlsx")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    payload = page.split('name="payload" type="hidden" value="')[1].split('"')[0]
    login_as(organizer)
    assert (
        client.post(f"/events/manage/{event.id}/invitees/import/confirm", data={"payload": payload}).status_code == 400
    )
    assert _count(event) == 0


def test_a_file_of_another_kind_is_refused_beside_the_field(client, login_as):
    event = make_event()
    login_as(make_organizer(event))
    response = client.post(
        f"/events/manage/{event.id}/invitees/import",
        data={"file": (io.BytesIO(b"%PDF-1.4"), "list.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200 and "invalid-feedback" in response.get_data(as_text=True)


_NAMES = st.text(alphabet="abcdeđgh ăâêôơư", min_size=1, max_size=20).filter(lambda s: s.strip())


@given(st.lists(st.tuples(_NAMES, st.sampled_from(["", "Khách mời", "giam khao", "honoree"])), max_size=20))
def test_well_formed_lists_are_valid_and_keep_every_distinct_person(rows):
    table = [HEADER] + [[name, "", "", "", role, ""] for name, role in rows]
    result = check_rows(table)
    people = {normalize_search(name) for name, _role in rows}  # the same person: same name without diacritics
    if not rows:
        assert result.file_problem == "empty"
        return
    duplicates = [r for r in result.rows if ("full_name", "duplicate") in r.problems]
    assert len(result.rows) == len(rows)
    assert len(result.rows) - len(duplicates) == len(people)
    assert all(r.problems in ([], [("full_name", "duplicate")]) for r in result.rows)
    assert result.valid == (not duplicates)
