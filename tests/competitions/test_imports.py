"""Organizers import paper dossiers from a spreadsheet: the preview shows every problem row by row, and
confirming registers every dossier or none; real XLSX and CSV files are built here."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from datetime import date, datetime, timedelta
from decimal import Decimal

import openpyxl
import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.extensions import db
from app.timefmt import utcnow
from app.uploads import upload_dir
from competitions import services
from competitions.eligibility import Problem
from competitions.imports import (
    Cell,
    ImportFileError,
    analyse,
    columns_for,
    existing_entries,
    parse_cell_date,
    parse_share,
    problem_message,
    read_csv,
    read_xlsx,
)
from competitions.models import Contest, Entry
from tests.competitions.factories import make_contest, make_entry, make_organisation

YEAR = utcnow().year
CREATED = (utcnow().date() - timedelta(days=200)).strftime("%d/%m/%Y")

INNOVATION = [
    "Mã hồ sơ",
    "Tên giải pháp",
    "Lĩnh vực",
    "Tóm tắt",
    "Ngày tạo ra",
    "Ngày áp dụng",
    "Đơn vị dự thi",
    "Họ và tên tác giả",
    "Ngày sinh",
    "Giới tính",
    "Số CCCD",
    "Đơn vị / Trường",
    "Điện thoại",
    "Email",
    "Tỷ lệ đóng góp (%)",
    "Chủ nhiệm",
]
YOUTH = [
    "Mã hồ sơ",
    "Tên sản phẩm",
    "Lĩnh vực",
    "Nhóm tuổi / Cấp học",
    "Họ và tên tác giả",
    "Vai trò",
    "Ngày sinh",
    "Giới tính",
    "Đơn vị / Trường",
    "Tỷ lệ đóng góp (%)",
]


class Pct:
    """An Excel number cell formatted as a percentage (it holds a fraction)."""

    def __init__(self, value: float):
        self.value = value


def xlsx(headers: list[str], rows: list[dict], *, above: list[list] = ()) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for line in above:
        sheet.append(line)
    sheet.append(headers)
    for row in rows:
        sheet.append([row[h].value if isinstance(row.get(h), Pct) else row.get(h) for h in headers])
        for column, header in enumerate(headers, start=1):
            if isinstance(row.get(header), Pct):
                sheet.cell(row=sheet.max_row, column=column).number_format = "0.00%"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_file(headers: list[str], rows: list[dict], *, delimiter: str = ",", bom: bool = True) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows([[row.get(h, "") for h in headers] for row in rows])
    return buffer.getvalue().encode("utf-8-sig" if bom else "utf-8")


def three_dossiers() -> list[dict]:
    """HS01 with two authors 60/40 (the second marked lead; its second row blank but for the person, as merged
    cells leave it), HS02 with a real Excel date and numbers Excel stripped of their leading zero, HS03 with a
    share in an Excel percentage cell and an entering organisation."""
    return [
        {
            "Mã hồ sơ": "HS01",
            "Tên giải pháp": "Máy gieo hạt điều tự động",
            "Lĩnh vực": "2",
            "Tóm tắt": "Gieo hạt nhanh gấp ba.",
            "Ngày tạo ra": CREATED,
            "Họ và tên tác giả": "Nguyễn Văn An",
            "Ngày sinh": "18/05/1985",
            "Giới tính": "Nam",
            "Đơn vị / Trường": "Công ty Cao su Phú Riềng",
            "Email": "an@example.vn",
            "Tỷ lệ đóng góp (%)": 60,
        },
        {
            "Họ và tên tác giả": "Lê Thị Bình",
            "Ngày sinh": "2/9/1990",
            "Giới tính": "Nữ",
            "Tỷ lệ đóng góp (%)": "40",
            "Chủ nhiệm": "x",
        },
        {
            "Mã hồ sơ": "HS02",
            "Tên giải pháp": "Hệ thống tưới nhỏ giọt",
            "Lĩnh vực": "nong, lam, thuy san, tai nguyen va moi truong",
            "Ngày áp dụng": datetime(YEAR - 1, 6, 1),
            "Họ và tên tác giả": "Trần Văn Cường",
            "Số CCCD": 70123456789,
            "Điện thoại": 912345678,
            "Tỷ lệ đóng góp (%)": 100,
        },
        {
            "Mã hồ sơ": "HS03",
            "Tên giải pháp": "Phần mềm một cửa điện tử",
            "Lĩnh vực": "7",
            "Ngày tạo ra": CREATED,
            "Đơn vị dự thi": "UBND huyện Bù Đăng",
            "Họ và tên tác giả": "Phạm Thị Dung",
            "Tỷ lệ đóng góp (%)": Pct(1),
            "Chủ nhiệm": "x",
        },
    ]


@pytest.fixture(autouse=True)
def _no_earlier_imports():
    """The upload folder lives as long as the test session, and contest ids come back after each test."""
    shutil.rmtree(upload_dir("imports"), ignore_errors=True)


@pytest.fixture
def contest():
    return make_contest("innovation")


@pytest.fixture
def organizer(make_user):
    return make_user("organizer", email="btc@example.vn", full_name="Hoàng Văn Tổ")


def upload(client, contest, data: bytes, name: str = "ho-so.xlsx"):
    return client.post(
        f"/contests/manage/{contest.id}/import",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def token_of(response) -> str:
    return re.search(r'data-token="([0-9a-f]{32})"', response.get_data(as_text=True)).group(1)


def confirm(client, contest, token: str):
    return client.post(f"/contests/manage/{contest.id}/import/{token}/confirm")


_PROBLEM = re.compile(
    r'data-testid="import-problem" data-code="([^"]*)" data-rows="([^"]*)" data-column="([^"]*)" '
    r'data-severity="([^"]*)"'
)


def shown_problems(response) -> set[tuple[str, str, str, str]]:
    """(code, rows, column, severity) of every problem on the preview."""
    return set(_PROBLEM.findall(response.get_data(as_text=True)))


def summary(response) -> dict[str, int]:
    html = response.get_data(as_text=True)
    return {key: int(re.search(rf'data-{key}="(\d+)"', html).group(1)) for key in ("dossiers", "errors", "warnings")}


def entry_count() -> int:
    return db.session.scalar(select(func.count(Entry.id)))


def stored_files(contest) -> list[str]:
    return sorted(p.name for p in upload_dir(f"imports/{contest.id}").iterdir() if not p.name.endswith(".json"))


# --- the whole journey ------------------------------------------------------------------------------------


def test_a_valid_xlsx_is_previewed_then_imported_with_codes_authors_and_audit(client, login_as, contest, organizer):
    login_as(organizer)
    response = upload(client, contest, xlsx(INNOVATION, three_dossiers()))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert summary(response) == {"dossiers": 3, "errors": 0, "warnings": 0}
    assert 'data-testid="confirm-import"' in html
    assert "Máy gieo hạt điều tự động" in html and "Lê Thị Bình" in html and "UBND huyện Bù Đăng" in html
    assert re.search(r'data-number="HS01">\s*<td[^>]*>HS01</td>\s*<td[^>]*>2, 3</td>', html)
    assert entry_count() == 0  # the preview writes nothing

    token = token_of(response)
    response = confirm(client, contest, token)
    assert response.status_code == 302
    assert response.headers["Location"].endswith((f"/contests/manage/{contest.id}/entries", "/contests/manage/"))
    entries = db.session.scalars(select(Entry).order_by(Entry.seq)).all()
    assert [e.code for e in entries] == [f"STKT-{YEAR}-{n:04d}" for n in (1, 2, 3)]
    assert [e.title for e in entries] == [
        "Máy gieo hạt điều tự động",
        "Hệ thống tưới nhỏ giọt",
        "Phần mềm một cửa điện tử",
    ]
    assert {(e.status, e.source, e.owner_id) for e in entries} == {("submitted", "import", None)}
    first, second, third = entries
    assert [(a.full_name, a.share, a.is_lead, a.gender) for a in first.authors] == [
        ("Nguyễn Văn An", Decimal("60.00"), False, "male"),
        ("Lê Thị Bình", Decimal("40.00"), True, "female"),
    ]
    assert first.authors[1].birth_date == date(1990, 9, 2) and first.summary == "Gieo hạt nhanh gấp ba."
    assert first.field.code == "2" and first.lead_name == "Lê Thị Bình"
    assert second.field.code == "4" and second.applied_on == date(YEAR - 1, 6, 1)
    assert (second.authors[0].phone, second.authors[0].id_number) == ("0912345678", "070123456789")
    assert second.authors[0].is_lead  # nobody marked: the first author
    assert third.authors[0].share == Decimal("100.00") and third.entering_organisation == "UBND huyện Bù Đăng"
    audits = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "entry.import")).all()
    assert len(audits) == 3 and {a.actor_id for a in audits} == {organizer.id}
    batch = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "contest.import"))
    assert batch.after["entries"] == {"HS01": entries[0].code, "HS02": entries[1].code, "HS03": entries[2].code}
    assert stored_files(contest) == []  # the file is gone once imported


def test_confirming_twice_imports_once(client, login_as, contest, organizer):
    login_as(organizer)
    token = token_of(upload(client, contest, xlsx(INNOVATION, three_dossiers())))
    assert confirm(client, contest, token).status_code == 302
    with client.session_transaction() as session:
        assert [category for category, _text in session.pop("_flashes", [])] == ["success"]
    again = confirm(client, contest, token)
    assert again.status_code == 302
    with client.session_transaction() as session:
        assert [category for category, _text in session.pop("_flashes", [])] == ["info"]
    assert entry_count() == 3
    assert db.session.get(Contest, contest.id).entry_seq == 3


def test_the_registration_window_does_not_apply_to_imports(client, login_as, organizer):
    closed = make_contest("innovation", opens_in_days=-60, closes_in_days=-30)
    closed.status = "judging"
    db.session.commit()
    login_as(organizer)
    response = upload(client, closed, xlsx(INNOVATION, three_dossiers()))
    assert summary(response) == {"dossiers": 3, "errors": 0, "warnings": 0}, shown_problems(response)
    assert confirm(client, closed, token_of(response)).status_code == 302
    assert entry_count() == 3


def test_a_youth_dossier_with_a_guiding_teacher(client, login_as, organizer):
    youth = make_contest("youth")
    born = f"15/01/{YEAR - 13}"
    rows = [
        {
            "Mã hồ sơ": "TN-1",
            "Tên sản phẩm": "Thước đo góc thông minh",
            "Lĩnh vực": "Đồ dùng học tập",
            "Nhóm tuổi / Cấp học": "THCS",
            "Họ và tên tác giả": "Lý Gia Hân",
            "Ngày sinh": born,
            "Giới tính": "Nữ",
            "Đơn vị / Trường": "Trường THCS Tân Phú",
            "Tỷ lệ đóng góp (%)": 50,
        },
        {"Mã hồ sơ": "TN-1", "Họ và tên tác giả": "Điểu Khang", "Ngày sinh": born, "Tỷ lệ đóng góp (%)": 50},
        {"Mã hồ sơ": "TN-1", "Họ và tên tác giả": "Thầy Vũ Minh Long", "Vai trò": "Người hướng dẫn"},
    ]
    login_as(organizer)
    response = upload(client, youth, xlsx(YOUTH, rows))
    assert summary(response) == {"dossiers": 1, "errors": 0, "warnings": 0}, shown_problems(response)
    assert confirm(client, youth, token_of(response)).status_code == 302
    entry = db.session.scalar(select(Entry))
    assert entry.code == f"STTN-{YEAR}-0001" and entry.age_group.name == "Thiếu niên (THCS)"
    assert [(a.full_name, a.share, a.is_lead) for a in entry.authors] == [
        ("Lý Gia Hân", Decimal("50.00"), True),
        ("Điểu Khang", Decimal("50.00"), False),
    ]
    assert [(t.full_name, t.share, t.is_lead) for t in entry.teachers] == [("Thầy Vũ Minh Long", None, False)]


# --- nothing is written unless the whole file is valid ----------------------------------------------------


def test_every_error_is_shown_with_its_row_and_column_and_nothing_is_written(client, login_as, organizer):
    youth = make_contest("youth")
    make_entry(youth, submit=True, title="Đã có sẵn")
    before = entry_count()
    ok = f"01/03/{YEAR - 12}"
    headers = [h for h in YOUTH if h != "Tên sản phẩm"]  # no title column
    group = {"Lĩnh vực": "1", "Nhóm tuổi / Cấp học": "Thiếu niên (THCS)"}
    rows = [
        group | {"Mã hồ sơ": "A", "Họ và tên tác giả": "Lò Văn Một", "Ngày sinh": ok, "Tỷ lệ đóng góp (%)": "60"},
        {"Mã hồ sơ": "A", "Họ và tên tác giả": "Lò Văn Hai", "Ngày sinh": ok, "Tỷ lệ đóng góp (%)": "30"},
        group
        | {"Mã hồ sơ": "B", "Lĩnh vực": "Hàng không vũ trụ", "Họ và tên tác giả": "Ba", "Ngày sinh": ok}
        | {"Tỷ lệ đóng góp (%)": 100},
        group | {"Mã hồ sơ": "C", "Họ và tên tác giả": "Bốn", "Ngày sinh": "31/02/2026", "Tỷ lệ đóng góp (%)": 100},
        group
        | {"Mã hồ sơ": "D", "Họ và tên tác giả": "Năm", "Ngày sinh": f"01/01/{YEAR - 30}", "Tỷ lệ đóng góp (%)": 100},
    ]
    login_as(organizer)
    response = upload(client, youth, xlsx(headers, rows))
    assert response.status_code == 200
    assert shown_problems(response) == {
        ("missing_column", "", "title", "error"),
        ("shares_sum", "2,3", "share", "error"),
        ("unknown_field", "4", "field", "error"),
        ("bad_date", "5", "birth_date", "error"),
        ("birth_outside_window", "6", "birth_date", "error"),
    }
    html = response.get_data(as_text=True)
    assert 'data-testid="confirm-import"' not in html
    assert "31/02/2026" in html and "Hàng không vũ trụ" in html
    refused = confirm(client, youth, token_of(response))
    assert refused.status_code == 400 and "missing_column" in refused.get_data(as_text=True)
    assert entry_count() == before


def test_one_invalid_dossier_among_valid_ones_writes_nothing(client, login_as, contest, organizer):
    rows = three_dossiers()
    rows[0]["Tỷ lệ đóng góp (%)"] = 70  # 70 + 40
    login_as(organizer)
    response = upload(client, contest, xlsx(INNOVATION, rows))
    assert summary(response)["errors"] == 1
    assert shown_problems(response) == {("shares_sum", "2,3", "share", "error")}
    assert confirm(client, contest, token_of(response)).status_code == 400
    assert entry_count() == 0 and db.session.get(Contest, contest.id).entry_seq == 0


def test_a_refusal_while_registering_rolls_every_entry_back(client, login_as, contest, organizer, monkeypatch):
    """Should the rules refuse a dossier at the last moment (the edition changed since the check), the entries
    registered before it are rolled back, and the same preview can be confirmed once it is fixed."""
    real = services.register_imported
    calls = []

    def third_refused(contest, data, *, by, note=""):
        calls.append(data.title)
        if len(calls) == 3:
            raise services.EntryProblems([Problem("authors", "shares_sum", {"total": "90"})])
        return real(contest, data, by=by, note=note)

    login_as(organizer)
    token = token_of(upload(client, contest, xlsx(INNOVATION, three_dossiers())))
    monkeypatch.setattr(services, "register_imported", third_refused)
    response = confirm(client, contest, token)
    assert response.status_code == 400 and ("shares_sum", "5", "share", "error") in shown_problems(response)
    assert entry_count() == 0
    assert db.session.get(Contest, contest.id).entry_seq == 0
    assert db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "entry.import")) == 0
    monkeypatch.setattr(services, "register_imported", real)
    assert confirm(client, contest, token).status_code == 302
    assert entry_count() == 3


# --- CSV, headers, file kinds -----------------------------------------------------------------------------


@pytest.mark.parametrize(("delimiter", "bom"), [(";", True), (";", False), (",", True), (",", False)])
def test_csv_files_with_or_without_bom_and_either_separator(client, login_as, contest, organizer, delimiter, bom):
    rows = [
        {
            "Mã hồ sơ": "1",
            "Tên giải pháp": "Lò sấy hạt tiêu, tiết kiệm điện",
            "Lĩnh vực": "3",
            "Ngày tạo ra": CREATED,
            "Họ và tên tác giả": "Đặng Thị Thu",
            "Tỷ lệ đóng góp (%)": "33,33",
        },
        {"Mã hồ sơ": "1", "Họ và tên tác giả": "Võ Văn Tám", "Tỷ lệ đóng góp (%)": "66,67", "Chủ nhiệm": "x"},
    ]
    login_as(organizer)
    response = upload(client, contest, csv_file(INNOVATION, rows, delimiter=delimiter, bom=bom), "ho-so.csv")
    assert summary(response) == {"dossiers": 1, "errors": 0, "warnings": 0}, shown_problems(response)
    assert confirm(client, contest, token_of(response)).status_code == 302
    entry = db.session.scalar(select(Entry))
    assert entry.title == "Lò sấy hạt tiêu, tiết kiệm điện"
    assert [(a.full_name, a.share, a.is_lead) for a in entry.authors] == [
        ("Đặng Thị Thu", Decimal("33.33"), False),
        ("Võ Văn Tám", Decimal("66.67"), True),
    ]


def test_headers_without_diacritics_or_in_english_and_unknown_columns(client, login_as, contest, organizer):
    headers = ["Ma ho so", "TEN GIAI PHAP", "linh vuc", "Created on", "Ho  va ten tac gia", "Ty le dong gop", "Ghi chú"]
    rows = [
        {
            "Ma ho so": 7,
            "TEN GIAI PHAP": "Cân điện tử cho chợ",
            "linh vuc": "1. Công nghệ thông tin, điện tử, viễn thông",
            "Created on": CREATED,
            "Ho  va ten tac gia": "Ngô Thị Hoa",
            "Ty le dong gop": 100,
            "Ghi chú": "nộp bản giấy",
        }
    ]
    login_as(organizer)
    response = upload(client, contest, xlsx(headers, rows))
    assert summary(response) == {"dossiers": 1, "errors": 0, "warnings": 0}, shown_problems(response)
    assert "G “Ghi chú”" in response.get_data(as_text=True)
    assert confirm(client, contest, token_of(response)).status_code == 302
    entry = db.session.scalar(select(Entry))
    assert (entry.title, entry.field.code, entry.lead_name) == ("Cân điện tử cho chợ", "1", "Ngô Thị Hoa")


def test_a_renamed_picture_and_an_old_excel_file_are_refused_with_a_message(client, login_as, contest, organizer):
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    login_as(organizer)
    response = upload(client, contest, png, "ho-so.xlsx")
    assert response.status_code == 400
    assert 'class="invalid-feedback"' in response.get_data(as_text=True)
    assert ".xlsx" in response.get_data(as_text=True)
    text = upload(client, contest, "Mã hồ sơ;Tên\n1;A\n".encode(), "ho-so.txt")
    assert text.status_code == 400
    assert stored_files(contest) == [] and entry_count() == 0


def test_the_template_has_the_editions_columns_and_lists_and_imports_once_filled(client, login_as, organizer):
    youth = make_contest("youth")
    login_as(organizer)
    response = client.get(f"/contests/manage/{youth.id}/import/template.xlsx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    dossiers, lists = book.worksheets
    headers = [c.value for c in dossiers[1]]
    assert headers == [spec.header for spec in columns_for(youth)]
    assert {"Mã hồ sơ", "Tên sản phẩm", "Nhóm tuổi / Cấp học", "Vai trò", "Tỷ lệ đóng góp (%)"} <= set(headers)
    listed = {c.value for row in lists.iter_rows() for c in row}
    assert {f.name for f in youth.fields} <= listed and {a.name for a in youth.age_groups} <= listed

    born = f"20/11/{YEAR - 10}"
    values = {"Mã hồ sơ": "1", "Tên sản phẩm": "Hộp bút xoay", "Lĩnh vực": "1", "Nhóm tuổi / Cấp học": "Nhi đồng"}
    values |= {"Họ và tên tác giả": "Hà Bảo Ngọc", "Ngày sinh": born, "Tỷ lệ đóng góp (%)": "100"}
    dossiers.append([values.get(h) for h in headers])
    buffer = io.BytesIO()
    book.save(buffer)
    preview = upload(client, youth, buffer.getvalue(), "mau.xlsx")
    assert summary(preview) == {"dossiers": 1, "errors": 0, "warnings": 0}, shown_problems(preview)


def test_an_innovation_template_has_no_youth_columns(client, login_as, contest, organizer):
    login_as(organizer)
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/contests/manage/{contest.id}/import/template.xlsx").data))
    headers = [c.value for c in book.worksheets[0][1]]
    assert "Tên giải pháp" in headers and "Vai trò" not in headers and "Nhóm tuổi / Cấp học" not in headers


# --- tokens -----------------------------------------------------------------------------------------------


def test_a_token_is_good_only_for_its_uploader_in_its_contest_for_an_hour(client, login_as, contest, make_user):
    first = make_user("organizer", email="mot@example.vn")
    second = make_user("organizer", email="hai@example.vn")
    other_contest = make_contest("innovation", organisation=contest.organisation)
    login_as(first)
    token = token_of(upload(client, contest, xlsx(INNOVATION, three_dossiers())))

    login_as(second)
    assert confirm(client, contest, token).status_code == 404
    login_as(first)
    assert confirm(client, other_contest, token).status_code == 404
    assert confirm(client, contest, "A" * 32).status_code == 404
    assert confirm(client, contest, "not-a-valid-token").status_code == 404

    meta_path = upload_dir(f"imports/{contest.id}") / f"{token}.json"
    meta = json.loads(meta_path.read_text())
    meta["uploaded_at"] = (utcnow() - timedelta(hours=1, minutes=1)).isoformat()
    meta_path.write_text(json.dumps(meta))
    expired = confirm(client, contest, token)
    assert expired.status_code == 302 and expired.headers["Location"].endswith(f"/contests/manage/{contest.id}/import")
    assert entry_count() == 0 and stored_files(contest) == []


def test_only_the_contests_organizers_may_import(client, login_as, contest, make_user):
    elsewhere = make_organisation("Liên hiệp các hội KH&KT tỉnh Lâm Đồng")
    outsider = make_user("organizer", scope=("organisation", elsewhere.id))
    login_as(outsider)
    assert client.get(f"/contests/manage/{contest.id}/import").status_code == 403
    assert upload(client, contest, xlsx(INNOVATION, three_dossiers())).status_code == 403
    assert client.get("/contests/manage/999999/import").status_code == 404


# --- the analysis, cell by cell ---------------------------------------------------------------------------


def test_shares_are_percentages_except_in_excel_percentage_cells():
    assert parse_share(Cell(60)) == Decimal("60.00")
    assert parse_share(Cell(0.6)) == Decimal("0.60")  # a plain cell: 0.6 %
    assert parse_share(Cell(0.6, percent=True)) == Decimal("60.00")
    assert parse_share(Cell(0.3333, percent=True)) == Decimal("33.33")
    assert parse_share(Cell(33.330000000000005)) == Decimal("33.33")
    assert parse_share(Cell("33,33")) == Decimal("33.33")
    assert parse_share(Cell("33.33")) == Decimal("33.33")
    assert parse_share(Cell(" 60 % ")) == Decimal("60")
    assert parse_share(Cell("")) is None and parse_share(Cell(None)) is None
    for bad in ("sáu mươi", "1.000,5", "NaN"):
        with pytest.raises(ValueError):
            parse_share(Cell(bad))


def test_dates_from_text_or_excel():
    assert parse_cell_date(Cell("05/03/2025")) == date(2025, 3, 5)
    assert parse_cell_date(Cell("5/3/2025")) == date(2025, 3, 5)
    assert parse_cell_date(Cell("5-3-2025")) == date(2025, 3, 5)
    assert parse_cell_date(Cell("5.3.2025")) == date(2025, 3, 5)
    assert parse_cell_date(Cell("2025-03-05")) == date(2025, 3, 5)
    assert parse_cell_date(Cell(datetime(2025, 3, 5))) == date(2025, 3, 5)
    assert parse_cell_date(Cell(None)) is None
    for bad in ("31/02/2026", "2025", "hôm qua", 45721):
        with pytest.raises(ValueError):
            parse_cell_date(Cell(bad))


def _analyse(contest, headers, rows, **kwargs):
    return analyse(read_xlsx(io.BytesIO(xlsx(headers, rows, **kwargs))), contest, existing=existing_entries(contest))


def _codes(result) -> set[tuple[str, tuple[int, ...], str | None]]:
    return {(p.code, p.rows, p.column) for p in result.problems} | {
        (p.code, p.rows, p.column) for d in result.dossiers for p in d.problems
    }


def test_rows_of_a_dossier_must_agree_and_a_number_is_not_used_for_two_entries(contest):
    base = {"Lĩnh vực": "1", "Ngày tạo ra": CREATED, "Tỷ lệ đóng góp (%)": 50}
    rows = [
        base | {"Mã hồ sơ": "A", "Tên giải pháp": "Một", "Họ và tên tác giả": "An"},
        base | {"Mã hồ sơ": "A", "Tên giải pháp": "MỘT", "Họ và tên tác giả": "Bình"},  # same title, other case
        base | {"Mã hồ sơ": "B", "Tên giải pháp": "Hai", "Họ và tên tác giả": "Cường"},
        base | {"Mã hồ sơ": "B", "Tên giải pháp": "Hai khác", "Lĩnh vực": "3", "Họ và tên tác giả": "Dung"},
        base | {"Mã hồ sơ": "A", "Tên giải pháp": "Ba", "Họ và tên tác giả": "Em", "Tỷ lệ đóng góp (%)": 100},
    ]
    result = _analyse(contest, INNOVATION, rows)
    assert [d.number for d in result.dossiers] == ["A", "B"]
    assert result.dossiers[0].rows == [2, 3, 6]
    assert _codes(result) == {
        ("dossier_reused", (6,), "title"),
        ("shares_sum", (2, 3, 6), "share"),
        ("title_mismatch", (5,), "title"),
        ("rows_disagree", (5,), "field"),
    }
    assert not result.ok


def test_the_header_may_sit_below_a_title_and_duplicates_are_warned(contest):
    make_entry(contest, submit=True)  # "Máy gieo hạt điều tự động" by Nguyễn Văn An
    existing = db.session.scalar(select(Entry))
    base = {"Lĩnh vực": "1", "Ngày tạo ra": CREATED, "Tỷ lệ đóng góp (%)": 100}
    rows = [
        base | {"Mã hồ sơ": "1", "Tên giải pháp": "May gieo hat dieu tu dong", "Họ và tên tác giả": "Nguyen Van An"},
        base | {"Mã hồ sơ": "2", "Tên giải pháp": "Bếp tiết kiệm củi", "Họ và tên tác giả": "Mai"},
        base | {"Mã hồ sơ": "3", "Tên giải pháp": "Bếp tiết kiệm củi", "Họ và tên tác giả": "Mai"},
    ]
    result = _analyse(contest, INNOVATION, rows, above=[["DANH SÁCH HỒ SƠ DỰ THI"], []])
    assert [d.rows for d in result.dossiers] == [[4], [5], [6]]
    problems = [p for d in result.dossiers for p in d.problems]
    assert [(p.code, p.rows, p.warning) for p in problems] == [
        ("already_registered", (4,), True),
        ("duplicate_in_file", (6,), True),
    ]
    assert problems[0].params["code"] == existing.code
    assert result.ok  # warnings do not block


def test_marks_genders_roles_and_contacts_are_checked(app, contest):
    base = {"Mã hồ sơ": "1", "Tên giải pháp": "X", "Lĩnh vực": "1", "Ngày tạo ra": CREATED}
    rows = [
        base | {"Họ và tên tác giả": "An", "Tỷ lệ đóng góp (%)": 50, "Chủ nhiệm": "x", "Giới tính": "trai"},
        {"Họ và tên tác giả": "Bình", "Tỷ lệ đóng góp (%)": 50, "Chủ nhiệm": "X", "Email": "binh@", "Điện thoại": "12"},
    ]
    result = _analyse(contest, INNOVATION, rows)
    assert _codes(result) == {
        ("unknown_gender", (2,), "gender"),
        ("several_leads", (2, 3), "lead"),
        ("bad_email", (3,), "email"),
        ("bad_phone", (3,), "phone"),
    }
    with app.test_request_context():
        messages = [problem_message(p) for p in result.dossiers[0].problems]
    assert any("trai" in m for m in messages) and any("binh@" in m for m in messages)


def test_files_that_are_not_tables(contest):
    assert _codes(analyse(ImportFileError("unreadable"), contest)) == {("unreadable", (), None)}
    with pytest.raises(ImportFileError):
        read_xlsx(io.BytesIO(b"PK\x03\x04 not really a workbook"))
    with pytest.raises(ImportFileError):
        read_csv("Mã hồ sơ;Tên".encode("cp1258", errors="replace") + b"\xff\xfe")
    assert _codes(analyse(read_csv(b"a,b\n1,2\n"), contest)) == {("no_header", (), None)}
    only_header = read_csv(",".join(INNOVATION).encode())
    assert _codes(analyse(only_header, contest)) == {("no_rows", (), None)}
    twice = read_csv("Mã hồ sơ,Tên giải pháp,Tên sản phẩm\n1,A,B\n".encode())
    assert ("duplicate_column", (), "title") in _codes(analyse(twice, contest))
