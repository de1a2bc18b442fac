"""Spreadsheet exports (app/exports.py): formula neutralising, XLSX read back with openpyxl, CSV read back with
the csv module, and the download responses."""

from __future__ import annotations

import csv
import enum
import io
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from urllib.parse import unquote

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.exports import (
    CSV_MIMETYPE,
    XLSX_MIMETYPE,
    Column,
    Sheet,
    ascii_filename,
    content_disposition,
    neutralize,
    safe_filename,
    send_csv,
    send_xlsx,
    sheet_title,
    write_csv,
    write_xlsx,
)

DANGEROUS_FIRST = "=+-@\t\r"
EVIL = '=HYPERLINK("http://evil","x")'
PROPERTY_SETTINGS = settings(max_examples=300, deadline=None)


@dataclass
class Unit:
    name: str


@dataclass
class Entry:
    code: str
    author: str
    unit: Unit | None
    submitted: date | None
    score: Decimal | float | None


class Status(enum.Enum):
    DRAFT = "draft"


ENTRIES = [
    Entry("STKT-0001", "Nguyễn Văn Ân", Unit("Bình Phước"), date(2026, 3, 1), Decimal("8.75")),
    Entry("STKT-0002", EVIL, Unit("-1+2"), date(2026, 12, 31), -3),
    Entry("STKT-0003", "Trần Thị Ư", None, None, None),
]
COLUMNS = [
    Column("code", "Mã"),
    Column("author", "Tác giả"),
    Column("unit.name", "Đơn vị"),
    Column("submitted", "Ngày nộp"),
    Column("score", "Điểm", number_format="0.00"),
]


def read_xlsx(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def values(worksheet, first_row: int = 1) -> list[list]:
    return [[cell.value for cell in row] for row in worksheet.iter_rows(min_row=first_row)]


# --- neutralize -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\rx", "'\rx"),
        ("\tplain", "'\tplain"),
        (" =1+1", "' =1+1"),
        ("\n\u00a0@x", "'\n\u00a0@x"),
        (EVIL, "'" + EVIL),
        ("Nguyễn Văn Ân", "Nguyễn Văn Ân"),
        ("a=1", "a=1"),
        ("'=1", "'=1"),
        ("", ""),
        ("   ", "   "),
        ("1-2", "1-2"),
    ],
)
def test_neutralize_text(value, expected):
    assert neutralize(value) == expected


@pytest.mark.parametrize("value", [-1, -2.5, Decimal("-3"), 0, None, True, date(2026, 1, 1), datetime(2026, 1, 1)])
def test_neutralize_leaves_other_values_alone(value):
    assert neutralize(value) is value


def dangerous(text: str) -> bool:
    return text[:1] in ("\t", "\r") or text.lstrip()[:1] in ("=", "+", "-", "@")


texts = st.one_of(
    st.text(),
    st.tuples(
        st.text(" \t\r\n\u00a0\u2003\u3000\x0b\x0c\x1c", max_size=3), st.sampled_from(DANGEROUS_FIRST), st.text()
    ).map("".join),
)


@PROPERTY_SETTINGS
@given(texts)
def test_neutralized_text_is_never_dangerous(text):
    result = neutralize(text)
    assert result in (text, "'" + text)
    assert result.startswith("'") or not dangerous(result)
    assert (result != text) == dangerous(text)
    assert neutralize(result) == result


@PROPERTY_SETTINGS
@given(st.text().filter(lambda t: not dangerous(t)))
def test_harmless_text_is_unchanged(text):
    assert neutralize(text) is text


@PROPERTY_SETTINGS
@given(st.one_of(st.integers(), st.floats(), st.decimals(), st.dates(), st.datetimes(), st.none(), st.booleans()))
def test_non_text_is_unchanged(value):
    assert neutralize(value) is value


# --- Column ---------------------------------------------------------------------------------------------------


def test_column_values_from_attributes_dicts_paths_and_functions():
    entry = ENTRIES[0]
    assert Column("author", "").value(entry) == "Nguyễn Văn Ân"
    assert Column("unit.name", "").value(entry) == "Bình Phước"
    assert Column("unit.name", "").value(ENTRIES[2]) is None  # no unit: nothing, not an error
    assert Column("unit.name", "").value({"unit": {"name": "Đồng Xoài"}}) == "Đồng Xoài"
    assert Column("code", "").value({"author": "x"}) is None
    assert Column(lambda e: e.code.lower(), "").value(entry) == "stkt-0001"
    with pytest.raises(AttributeError):
        Column("autor", "").value(entry)  # a typo is an error, not an empty column


# --- XLSX -----------------------------------------------------------------------------------------------------


def test_xlsx_headers_values_and_vietnamese_text():
    book = read_xlsx(write_xlsx([Sheet("Bài dự thi", COLUMNS, ENTRIES)]))
    assert book.sheetnames == ["Bài dự thi"]
    sheet = book.active
    assert values(sheet) == [
        ["Mã", "Tác giả", "Đơn vị", "Ngày nộp", "Điểm"],
        ["STKT-0001", "Nguyễn Văn Ân", "Bình Phước", datetime(2026, 3, 1), 8.75],
        ["STKT-0002", "'" + EVIL, "'-1+2", datetime(2026, 12, 31), -3],
        ["STKT-0003", "Trần Thị Ư", None, None, None],
    ]


def test_xlsx_header_is_bold_frozen_and_filtered():
    sheet = read_xlsx(write_xlsx([Sheet("x", COLUMNS, ENTRIES)])).active
    assert all(cell.font.b for cell in sheet[1])
    assert not sheet["A2"].font.b
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:E4"


def test_xlsx_caption_goes_above_the_header():
    sheet = read_xlsx(write_xlsx([Sheet("x", COLUMNS, ENTRIES, caption="3 bài dự thi, cuộc thi 2026")])).active
    assert sheet["A1"].value == "3 bài dự thi, cuộc thi 2026"
    assert sheet["B1"].value is None
    assert sheet["A2"].value == "Mã"
    assert sheet["B3"].value == "Nguyễn Văn Ân"
    assert sheet.freeze_panes == "A3"
    assert sheet.auto_filter.ref == "A2:E5"
    assert sheet.max_row == 5


def test_xlsx_caption_and_headers_are_neutralized_too():
    sheet = read_xlsx(write_xlsx([Sheet("x", [Column("code", "=cmd|' /C calc'!A0")], [], caption="@evil")])).active
    assert sheet["A1"].value == "'@evil"
    assert sheet["A2"].value == "'=cmd|' /C calc'!A0"
    assert sheet["A2"].data_type == "s"


def test_xlsx_formulas_come_back_as_text():
    sheet = read_xlsx(write_xlsx([Sheet("x", COLUMNS, ENTRIES)])).active
    cell = sheet["B3"]
    assert cell.value == "'" + EVIL
    assert cell.data_type == "s"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_xlsx_holds_no_formula_or_hyperlink_at_all():
    rows = [{"v": text} for text in (EVIL, "=1+1", "http://example.com", "mailto:a@b.vn", "+84 912 345 678")]
    data = write_xlsx([Sheet("x", [Column("v", "v")], rows)])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml")
        assert b"<f>" not in sheet_xml
        # no hyperlink element (the texts are in the sheet itself, written inline: a "<" in them is escaped)
        assert b"<hyperlink" not in sheet_xml and b"=HYPERLINK" in sheet_xml
        assert not any("hyperlink" in name or "_rels/sheet" in name for name in archive.namelist())


def test_xlsx_dates_are_excel_dates_shown_dd_mm_yyyy():
    sheet = read_xlsx(write_xlsx([Sheet("x", COLUMNS, ENTRIES)])).active
    cell = sheet["D2"]
    assert cell.is_date
    assert cell.value == datetime(2026, 3, 1)
    assert "dd/mm/yyyy" in cell.number_format


def test_xlsx_datetimes_are_shown_in_vietnam_time_with_the_time():
    rows = [
        {"at": datetime(2026, 3, 1, 17, 30)},  # stored naive UTC: 00:30 the next day in Vietnam
        {"at": datetime(2026, 3, 1, 17, 30, tzinfo=UTC)},
        {"at": datetime(2026, 3, 2, 0, 30, tzinfo=timezone(timedelta(hours=7)))},
        {"at": None},
    ]
    sheet = read_xlsx(write_xlsx([Sheet("x", [Column("at", "Lúc")], rows)])).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [c.value for c in cells[:3]] == [datetime(2026, 3, 2, 0, 30)] * 3
    assert all(c.is_date and c.number_format.startswith("dd/mm/yyyy") and "hh:mm" in c.number_format for c in cells[:3])


def test_xlsx_mixed_column_of_dates_text_and_datetimes():
    rows = [{"v": date(2026, 1, 2)}, {"v": "chưa có"}, {"v": datetime(2026, 1, 2, 1, 0)}, {"v": "=1"}]
    sheet = read_xlsx(write_xlsx([Sheet("x", [Column("v", "v")], rows)])).active
    assert values(sheet, 2) == [[datetime(2026, 1, 2)], ["chưa có"], [datetime(2026, 1, 2, 8, 0)], ["'=1"]]
    assert sheet["A2"].is_date


def test_xlsx_numbers_stay_numbers():
    rows = [
        {"n": -3, "f": -2.5, "d": Decimal("9.25"), "b": True, "big": 12345678901},
        {"n": 0, "f": 0.1, "d": Decimal("-0.5"), "b": False, "big": -1},
    ]
    columns = [Column(key, key) for key in ("n", "f", "d", "b", "big")]
    sheet = read_xlsx(write_xlsx([Sheet("x", columns, rows)])).active
    assert values(sheet, 2) == [[-3, -2.5, 9.25, True, 12345678901], [0, 0.1, -0.5, False, -1]]
    assert {cell.data_type for row in sheet.iter_rows(min_row=2) for cell in row} <= {"n", "b"}


def test_xlsx_number_format_and_width_of_a_column():
    columns = [Column("score", "Điểm", width=11, number_format="0.00"), Column("code", "Mã")]
    sheet = read_xlsx(write_xlsx([Sheet("x", columns, ENTRIES)])).active
    assert sheet["A2"].number_format == "0.00"
    assert sheet["A3"].number_format == "0.00"
    assert sheet.column_dimensions["A"].width == pytest.approx(11, abs=1)


def test_xlsx_number_format_of_a_date_column_wins():
    columns = [Column("submitted", "Tháng", number_format="mm/yyyy")]
    sheet = read_xlsx(write_xlsx([Sheet("x", columns, ENTRIES)])).active
    assert sheet["A2"].number_format == "mm/yyyy"
    assert sheet["A2"].value == datetime(2026, 3, 1)


def test_xlsx_widths_follow_the_content_within_bounds():
    rows = [{"short": "a", "long": "Nguyễn " * 40, "mid": "Trường THPT Đồng Xoài"}]
    columns = [Column("short", "S"), Column("long", "L"), Column("mid", "Đơn vị")]
    sheet = read_xlsx(write_xlsx([Sheet("x", columns, rows)])).active
    widths = [sheet.column_dimensions[letter].width for letter in "ABC"]
    assert 8 <= widths[0] < 10
    assert 60 <= widths[1] < 62
    assert len("Trường THPT Đồng Xoài") < widths[2] < 30


def test_xlsx_other_values_are_written_as_neutralized_text():
    class Odd:
        def __str__(self) -> str:
            return "=2+3"

    rows = [{"v": Status.DRAFT}, {"v": Odd()}]
    sheet = read_xlsx(write_xlsx([Sheet("x", [Column("v", "v")], rows)])).active
    assert values(sheet, 2) == [["Status.DRAFT"], ["'=2+3"]]


def test_xlsx_several_sheets():
    sheets = [
        Sheet("Bài dự thi", COLUMNS, ENTRIES, caption="Tất cả"),
        Sheet("Đơn vị", [Column("name", "Tên đơn vị")], [Unit("Bình Phước"), Unit("Đồng Xoài")]),
        Sheet("Trống", COLUMNS, []),
    ]
    book = read_xlsx(write_xlsx(sheets))
    assert book.sheetnames == ["Bài dự thi", "Đơn vị", "Trống"]
    assert values(book["Đơn vị"]) == [["Tên đơn vị"], ["Bình Phước"], ["Đồng Xoài"]]
    assert values(book["Trống"]) == [["Mã", "Tác giả", "Đơn vị", "Ngày nộp", "Điểm"]]
    assert book["Trống"].auto_filter.ref == "A1:E1"
    assert book["Bài dự thi"]["A1"].value == "Tất cả"


def test_xlsx_rows_may_be_a_generator_of_dicts():
    rows = ({"code": f"STKT-{i:04d}", "n": i} for i in range(3))
    sheet = read_xlsx(write_xlsx([Sheet("x", [Column("code", "Mã"), Column("n", "Số")], rows)])).active
    assert values(sheet, 2) == [["STKT-0000", 0], ["STKT-0001", 1], ["STKT-0002", 2]]


def test_xlsx_sheet_without_columns():
    book = read_xlsx(write_xlsx([Sheet("x", [], [1, 2], caption="Không có cột")]))
    assert values(book.active) == [["Không có cột"]]


def test_xlsx_needs_a_sheet():
    with pytest.raises(ValueError):
        write_xlsx([])


def test_xlsx_ten_thousand_rows():
    rows = [
        {"i": i, "name": f"Nguyễn Văn {i}", "day": date(2026, 1, 1) + timedelta(days=i % 365)} for i in range(10_000)
    ]
    columns = [Column("i", "Số"), Column("name", "Tên"), Column("day", "Ngày")]
    sheet = read_xlsx(write_xlsx([Sheet("x", columns, rows)])).active
    assert sheet.max_row == 10_001
    assert [c.value for c in sheet[10_001]] == [
        9999,
        "Nguyễn Văn 9999",
        datetime(2026, 1, 1) + timedelta(days=9999 % 365),
    ]


xlsx_text = st.text(st.characters(exclude_categories=("Cc", "Cs", "Cn")) | st.sampled_from("\t\n"))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(xlsx_text, texts.filter(lambda t: "\r" not in t and t.isprintable())), max_size=5))
def test_xlsx_text_round_trips_neutralized(cells):
    data = write_xlsx([Sheet("x", [Column(lambda r: r, "v")], cells)])
    got = [row[0] if row[0] is not None else "" for row in values(read_xlsx(data).active, 2)]
    got += [""] * (len(cells) - len(got))  # empty strings are blank cells, and trailing blanks no rows
    assert got == [neutralize(cell) for cell in cells]


# --- sheet titles ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Bài dự thi", "Bài dự thi"),
        ("Vòng 1/2: [chung kết]*?\\", "Vòng 12 chung kết"),
        ("Kết quả cuộc thi Sáng tạo kỹ thuật 2026", "Kết quả cuộc thi Sáng tạo kỹ th"),
        ("'Trích dẫn'", "Trích dẫn"),
        ("a" * 30 + "'b", "a" * 30),
        ("", "Sheet"),
        ("[]:*?/\\", "Sheet"),
        ("History", "History_"),
    ],
)
def test_sheet_title(title, expected):
    assert sheet_title(title) == expected
    assert len(sheet_title(title)) <= 31


def test_sheet_title_is_composed_before_counting():
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Ánh Tuyết Đồng Xoài Bình Phước")
    assert sheet_title(decomposed) == "Nguyễn Thị Ánh Tuyết Đồng Xoài"


def test_sheet_titles_are_unique_without_case():
    assert sheet_title("Kết quả", {"kết quả"}) == "Kết quả (2)"
    assert sheet_title("Kết quả", {"kết quả", "kết quả (2)"}) == "Kết quả (3)"
    long = "Kết quả cuộc thi Sáng tạo kỹ thuật 2026"
    first = sheet_title(long)
    assert sheet_title(long, {first.casefold()}) == "Kết quả cuộc thi Sáng tạo k (2)"


def test_xlsx_with_clashing_titles():
    sheets = [Sheet("Vòng 1", COLUMNS, ENTRIES), Sheet("VÒNG 1", COLUMNS, ENTRIES), Sheet("Vòng/1", COLUMNS, [])]
    assert read_xlsx(write_xlsx(sheets)).sheetnames == ["Vòng 1", "VÒNG 1 (2)", "Vòng1"]


# --- CSV ------------------------------------------------------------------------------------------------------


def test_csv_has_a_bom_crlf_and_reads_back():
    data = write_csv(COLUMNS, ENTRIES)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.count("\r\n") == 4
    assert "\n" not in text.replace("\r\n", "")
    assert read_csv(data) == [
        ["Mã", "Tác giả", "Đơn vị", "Ngày nộp", "Điểm"],
        ["STKT-0001", "Nguyễn Văn Ân", "Bình Phước", "01/03/2026", "8.75"],
        ["STKT-0002", "'" + EVIL, "'-1+2", "31/12/2026", "-3"],
        ["STKT-0003", "Trần Thị Ư", "", "", ""],
    ]


def test_csv_datetimes_are_shown_in_vietnam_time():
    rows = [{"at": datetime(2026, 3, 1, 17, 30)}, {"at": datetime(2026, 3, 1, 17, 30, tzinfo=UTC)}]
    assert read_csv(write_csv([Column("at", "Lúc")], rows))[1:] == [["02/03/2026 00:30"]] * 2


def test_csv_headers_and_odd_values_are_neutralized():
    rows = [{"v": Status.DRAFT}, {"v": 'a,b\r\n"c"'}, {"v": "\t=1"}, {"v": True}]
    assert read_csv(write_csv([Column("v", "=header")], rows)) == [
        ["'=header"],
        ["Status.DRAFT"],
        ['a,b\r\n"c"'],
        ["'\t=1"],
        ["True"],
    ]


def test_csv_with_another_delimiter():
    data = write_csv(COLUMNS[:2], ENTRIES[:1], delimiter=";")
    assert data.decode("utf-8-sig").splitlines()[1] == "STKT-0001;Nguyễn Văn Ân"


def test_csv_with_no_rows():
    assert write_csv(COLUMNS[:2], []) == "\ufeffMã,Tác giả\r\n".encode()


@PROPERTY_SETTINGS
@given(st.lists(st.lists(texts, min_size=2, max_size=2), max_size=4))
def test_csv_round_trips_any_text_neutralized(rows):
    data = write_csv([Column(lambda r: r[0], "a"), Column(lambda r: r[1], "b")], rows)
    assert read_csv(data)[1:] == [[neutralize(a), neutralize(b)] for a, b in rows]


# --- file names and responses ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "safe", "fallback"),
    [
        ("Kết quả cuộc thi 2026.xlsx", "Kết quả cuộc thi 2026.xlsx", "Ket qua cuoc thi 2026.xlsx"),
        ("ĐẶNG Thị Ư.csv", "ĐẶNG Thị Ư.csv", "DANG Thi U.csv"),
        ('Vòng 1/2: "chung kết"\r\n.xlsx', "Vòng 1_2_ _chung kết_ .xlsx", "Vong 1_2_ _chung ket_ .xlsx"),
        ("../../etc/passwd", "_.._etc_passwd", "_.._etc_passwd"),
        ("", "download", "download"),
        ("報告.csv", "報告.csv", "__.csv"),
    ],
)
def test_download_names(name, safe, fallback):
    assert safe_filename(name) == safe
    assert ascii_filename(name) == fallback
    assert ascii_filename(name).isascii()


def test_content_disposition():
    assert content_disposition("report.xlsx") == "attachment; filename=report.xlsx"
    assert content_disposition("a b.csv", attachment=False) == 'inline; filename="a b.csv"'
    assert content_disposition(None) == "attachment"
    value = content_disposition("Kết quả.xlsx")
    assert value == "attachment; filename=\"Ket qua.xlsx\"; filename*=UTF-8''K%E1%BA%BFt%20qu%E1%BA%A3.xlsx"


def test_send_xlsx(app):
    data = write_xlsx([Sheet("x", COLUMNS, ENTRIES)])
    with app.test_request_context():
        response = send_xlsx(data, "Danh sách bài dự thi Bình Phước.xlsx")
        assert response.status_code == 200
        assert response.mimetype == XLSX_MIMETYPE
        disposition = response.headers["Content-Disposition"]
        assert disposition.startswith("attachment; ")
        assert 'filename="Danh sach bai du thi Binh Phuoc.xlsx"' in disposition
        assert unquote(disposition.split("filename*=UTF-8''")[1]) == "Danh sách bài dự thi Bình Phước.xlsx"
        assert response.headers["Cache-Control"] == "private, no-store"
        response.direct_passthrough = False
        assert response.get_data() == data


def test_send_csv(app):
    data = write_csv(COLUMNS, ENTRIES)
    with app.test_request_context():
        response = send_csv(data, "Đơn vị.csv")
        assert response.mimetype == CSV_MIMETYPE
        assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
        disposition = response.headers["Content-Disposition"]
        assert disposition == "attachment; filename=\"Don vi.csv\"; filename*=UTF-8''%C4%90%C6%A1n%20v%E1%BB%8B.csv"
        assert response.headers["Cache-Control"] == "private, no-store"
        response.direct_passthrough = False
        assert response.get_data() == data


def test_site_headers_keep_the_download_headers(app):
    with app.test_request_context("/"):
        response = app.process_response(send_csv(b"\xef\xbb\xbfa\r\n", "a.csv"))
        assert response.headers["Cache-Control"] == "private, no-store"
        assert response.headers["Content-Disposition"] == "attachment; filename=a.csv"
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_xlsx_blanks_write_no_cell_and_numbers_take_the_column_format():
    # the workbook is written cell by cell with xlsxwriter (not pandas): None, NaN and "" leave the cell out, as
    # pandas' na_rep="" did, so that the column's number format is the one a typed-in value gets
    nan = float("nan")
    rows = [
        {"n": Decimal("1.5"), "t": "", "x": nan},
        {"n": None, "t": "a", "x": float("inf")},
        {"n": Decimal("NaN"), "t": None, "x": True},
    ]
    columns = [Column("n", "n", number_format="0.00"), Column("t", "t"), Column("x", "x")]
    sheet = read_xlsx(write_xlsx([Sheet("x", columns, rows)])).active
    assert values(sheet, 2) == [[1.5, None, None], [None, "a", "inf"], [None, None, True]]
    assert sheet["A2"].number_format == "0.00"
    assert sheet.max_row == 4
