"""Entries from a spreadsheet of paper dossiers collected by units and localities: reading the file, grouping
its rows into dossiers, and every problem found, before anything is written. No Flask views here; the views
(competitions/views/imports.py) store the file, show the preview and register the entries.

The file (XLSX, or CSV in UTF-8 with or without a byte order mark, comma-, semicolon- or tab-separated):

- one row per person: an entry with 3 authors takes 3 rows sharing the same "Mã hồ sơ" (the dossier number the
  unit gave); a blank "Mã hồ sơ" continues the dossier above (merged cells), and so does a blank entry column
  (title, field, ...), whose value is taken from the dossier's other rows;
- the header is the row, among the first 10 non-empty ones, that names the most known columns (at least two);
  row numbers are the spreadsheet's (the header usually is row 1, the first dossier row 2);
- headers are matched without diacritics, case, punctuation or extra spaces ("Ho va ten tac gia" is
  "Họ và tên tác giả"), with the alternatives of `COLUMNS` (English ones too); other columns are ignored and
  listed in the preview;
- columns (* required; ** required for a youth edition):

  ====================================  ==========================================================================
  Mã hồ sơ *                            the dossier number within the file
  Tên giải pháp / Tên sản phẩm *        the entry's title
  Lĩnh vực *                            the field, by its code ("1".."7") or its name ("1. Công nghệ ..." too)
  Nhóm tuổi / Cấp học **                youth: the age group by its name or the part in brackets ("THCS")
  Tóm tắt, Đơn vị dự thi                summary, entering organisation
  Ngày tạo ra, Ngày áp dụng             dates (innovation: at least one per dossier)
  Họ và tên tác giả *                   the person's full name
  Vai trò                               youth: Tác giả (default) or Người hướng dẫn (a guiding teacher)
  Ngày sinh **                          birth date
  Giới tính                             Nam, Nữ or Khác
  Số CCCD, Đơn vị / Trường, Địa chỉ     identity number, unit or school, address
  Điện thoại, Email                     checked like the online form
  Tỷ lệ đóng góp (%) *                  the author's share, see below
  Chủ nhiệm                             any mark ("x") for the lead author; none marked: the first author is lead
  ====================================  ==========================================================================

- dates: dd/mm/yyyy text (also d/m/yyyy, d-m-yyyy, d.m.yyyy and yyyy-mm-dd) or real Excel dates;
- shares: a number is a percentage ("60", "33,33", "33.33", "60%"), except an Excel number cell formatted as a
  percentage, which holds a fraction (0.6 shown as 60 % is 60); so 0.6 typed in a plain cell is 0.6 %;
- numbers Excel stripped of a leading zero are given it back: a 9-digit phone number, an 11-digit CCCD.

Every dossier is checked with the rules of an online submission (`services.problems_for(..., for_submit=True)`)
except the registration window; a title and lead author already registered in the edition, or twice in the
file, is a warning, which does not block the import.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from itertools import islice
from typing import BinaryIO

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.audit.labels import register_labels
from app.exports import Column, Sheet, write_xlsx
from app.forms import PHONE_RE, normalize_phone
from app.text import normalize_search
from app.timefmt import parse_date
from competitions import services
from competitions.eligibility import Problem
from competitions.messages import message
from competitions.services import EntryInput, PersonInput

#: Data rows a file may hold (each dossier takes one per person).
MAX_ROWS = 5000
#: The header is looked for among this many first non-empty rows.
HEADER_SEARCH_ROWS = 10
#: Worksheets looked at (the first one whose header is recognised is read).
MAX_SHEETS = 10

register_labels({"contest.import": _l("Imported entries from a file")})


# --- columns ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ColumnSpec:
    key: str
    header: str  # the template's header (Vietnamese: the file format, never translated)
    aliases: tuple[str, ...] = ()  # other headers accepted, Vietnamese or English
    person: bool = False  # a column of the person (author or teacher) rather than of the entry
    max_length: int | None = None


COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec(
        "dossier",
        "Mã hồ sơ",
        ("Số hồ sơ", "Mã số hồ sơ", "Số hiệu hồ sơ", "Dossier", "Dossier no", "Dossier number"),
    ),
    ColumnSpec(
        "title",
        "Tên giải pháp",
        (
            "Tên sản phẩm",
            "Tên giải pháp / Tên sản phẩm",
            "Tên giải pháp / sản phẩm",
            "Tên đề tài",
            "Tên sáng kiến",
            "Tên bài dự thi",
            "Title",
            "Entry title",
        ),
        max_length=300,
    ),
    ColumnSpec("field", "Lĩnh vực", ("Lĩnh vực dự thi", "Field")),
    ColumnSpec("age_group", "Nhóm tuổi / Cấp học", ("Nhóm tuổi", "Cấp học", "Bảng", "Age group", "School level")),
    ColumnSpec("summary", "Tóm tắt", ("Tóm tắt nội dung", "Mô tả tóm tắt", "Summary"), max_length=5000),
    ColumnSpec(
        "created_on", "Ngày tạo ra", ("Ngày tạo", "Thời gian tạo ra", "Created on", "Creation date", "Date created")
    ),
    ColumnSpec(
        "applied_on",
        "Ngày áp dụng",
        ("Ngày áp dụng lần đầu", "Thời gian áp dụng", "Applied on", "First applied on", "Date applied"),
    ),
    ColumnSpec(
        "entering_organisation",
        "Đơn vị dự thi",
        ("Tổ chức dự thi", "Cơ quan dự thi", "Entering organisation", "Entering organization"),
        max_length=255,
    ),
    ColumnSpec(
        "full_name",
        "Họ và tên tác giả",
        ("Họ tên tác giả", "Họ và tên", "Họ tên", "Tên tác giả", "Tác giả", "Full name", "Author", "Name"),
        person=True,
        max_length=120,
    ),
    ColumnSpec("role", "Vai trò", ("Role",), person=True),
    ColumnSpec("birth_date", "Ngày sinh", ("Ngày tháng năm sinh", "Birth date", "Date of birth"), person=True),
    ColumnSpec("gender", "Giới tính", ("Gender", "Sex"), person=True),
    ColumnSpec(
        "id_number",
        "Số CCCD",
        ("CCCD", "Số căn cước", "Số căn cước công dân", "Số CMND/CCCD", "Số định danh", "ID number", "Citizen ID"),
        person=True,
        max_length=20,
    ),
    ColumnSpec(
        "unit",
        "Đơn vị / Trường",
        ("Đơn vị", "Trường", "Đơn vị công tác", "Nơi công tác", "Unit", "School", "Unit or school"),
        person=True,
        max_length=255,
    ),
    ColumnSpec("address", "Địa chỉ", ("Address",), person=True, max_length=255),
    ColumnSpec(
        "phone", "Điện thoại", ("Số điện thoại", "SĐT", "ĐT", "Phone", "Phone number", "Telephone"), person=True
    ),
    ColumnSpec("email", "Email", ("E-mail", "Thư điện tử"), person=True, max_length=254),
    ColumnSpec(
        "share",
        "Tỷ lệ đóng góp (%)",
        ("Tỷ lệ đóng góp", "Tỉ lệ đóng góp", "Tỷ lệ", "Tỉ lệ", "Share", "Contribution", "Contribution share"),
        person=True,
    ),
    ColumnSpec("lead", "Chủ nhiệm", ("Tác giả chính", "Chủ nhiệm đề tài", "Lead", "Lead author"), person=True),
)
SPECS = {spec.key: spec for spec in COLUMNS}
ENTRY_KEYS = tuple(spec.key for spec in COLUMNS if not spec.person and spec.key != "dossier")
PERSON_KEYS = tuple(spec.key for spec in COLUMNS if spec.person)

_NOT_WORD = re.compile(r"[^\w]+")


def fold_header(text: str) -> str:
    """A header as compared: no diacritics, case or punctuation ("Tỷ lệ đóng góp (%)" -> "ty le dong gop")."""
    return " ".join(_NOT_WORD.sub(" ", normalize_search(text)).split())


HEADER_KEYS: dict[str, str] = {fold_header(name): spec.key for spec in COLUMNS for name in (spec.header, *spec.aliases)}


def columns_for(contest) -> list[ColumnSpec]:
    """The columns of this edition's template: the age group only when it has age groups, the role only when it
    allows guiding teachers; the title is "Tên sản phẩm" in a youth edition."""
    specs = []
    for spec in COLUMNS:
        if spec.key == "age_group" and not contest.age_groups:
            continue
        if spec.key == "role" and not contest.max_teachers:
            continue
        if spec.key == "title" and contest.is_youth:
            spec = ColumnSpec(spec.key, "Tên sản phẩm", spec.aliases, spec.person, spec.max_length)
        specs.append(spec)
    return specs


def required_columns(contest) -> tuple[str, ...]:
    keys = ["dossier", "title", "field", "full_name", "share"]
    if contest.is_youth:
        keys.append("birth_date")
        if contest.age_groups:
            keys.append("age_group")
    return tuple(keys)


# --- problems ---------------------------------------------------------------------------------------------

#: What each problem of the file (not of the contest's rules) says; `params` fill the placeholders.
FILE_MESSAGES = {
    "unreadable": _l("The file cannot be read as a spreadsheet: save it again as Excel (.xlsx) or CSV (UTF-8)."),
    "not_utf8": _l("The CSV file is not in UTF-8: save it again as “CSV UTF-8”."),
    "no_header": _l(
        "No header row was found: the first row must name the columns, e.g. “Mã hồ sơ”, “Tên giải pháp”, "
        "“Họ và tên tác giả”. Download the template."
    ),
    "no_rows": _l("The file has no dossier below its header."),
    "too_many_rows": _l("The file has more than %(max)s rows; split it into smaller files."),
    "missing_column": _l("The column “%(header)s” is missing."),
    "duplicate_column": _l("Two columns give “%(header)s” (%(first)s and %(second)s): keep only one."),
    "missing_dossier": _l("Give the dossier number (Mã hồ sơ)."),
    "bad_date": _l("“%(value)s” is not a date: write it as dd/mm/yyyy."),
    "bad_number": _l("“%(value)s” is not a number: write the share as 50 or 33,33."),
    "unknown_field": _l("Unknown field “%(value)s”: give its number (%(codes)s) or its name."),
    "unknown_age_group": _l("Unknown age group “%(value)s”: give one of %(names)s."),
    "unknown_gender": _l("Unknown gender “%(value)s”: write Nam, Nữ or Khác."),
    "unknown_role": _l("Unknown role “%(value)s”: write Tác giả or Người hướng dẫn."),
    "too_long": _l("Too long: at most %(max)s characters."),
    "bad_email": _l("“%(value)s” is not a valid email address."),
    "bad_phone": _l("“%(value)s” is not a valid phone number, e.g. 0912 345 678."),
    "title_mismatch": _l(
        "The rows of dossier %(dossier)s give different titles: “%(first)s” (row %(row)s) and “%(other)s”."
    ),
    "dossier_reused": _l(
        "Dossier number %(dossier)s is already used in row %(row)s for another entry (“%(title)s”): "
        "give each entry its own number."
    ),
    "rows_disagree": _l(
        "The rows of dossier %(dossier)s give different values here: “%(first)s” (row %(row)s) and “%(other)s”."
    ),
    "duplicate_in_file": _l(
        "Dossier %(other)s (row %(row)s) has the same title and lead author: check that it is not the same entry."
    ),
    "already_registered": _l(
        "An entry with this title and lead author is already registered in this edition (%(code)s)."
    ),
}


@dataclass
class ImportProblem:
    """What is wrong, where: `rows` are spreadsheet row numbers (empty: the whole file), `column` a column key.

    A problem of the contest's rules keeps its `eligibility.Problem` in `rule` (its message comes from
    `competitions.messages`); a warning does not block the import."""

    code: str
    rows: tuple[int, ...] = ()
    column: str | None = None
    params: dict = field(default_factory=dict)
    warning: bool = False
    rule: Problem | None = None


def problem_message(problem: ImportProblem) -> str:
    """The problem in the user's language."""
    if problem.rule is not None:
        return message(problem.rule)
    text = FILE_MESSAGES.get(problem.code)
    if text is None:
        return problem.code
    try:
        return str(text) % problem.params if problem.params else str(text)
    except (KeyError, TypeError, ValueError):
        return str(text)


class _CellProblem(ValueError):
    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


class ImportFileError(ValueError):
    """The file as a whole cannot be read."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


# --- reading ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    value: object = None
    #: An Excel number cell formatted as a percentage (it holds a fraction).
    percent: bool = False


_EMPTY = Cell()


@dataclass(frozen=True)
class Table:
    """The non-empty rows of one worksheet, each with its spreadsheet row number."""

    rows: tuple[tuple[int, tuple[Cell, ...]], ...]


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _row_limit(count: int) -> None:
    if count > MAX_ROWS + HEADER_SEARCH_ROWS:
        raise ImportFileError("too_many_rows", max=MAX_ROWS)


def read_xlsx(source: str | BinaryIO) -> list[Table]:
    """Every worksheet (at most MAX_SHEETS) of an XLSX workbook, with the values Excel last computed."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # a damaged or hostile archive: whatever openpyxl trips over
        raise ImportFileError("unreadable") from exc
    try:
        tables = []
        for sheet in book.worksheets[:MAX_SHEETS]:
            sheet.reset_dimensions()  # never trust the stored dimensions: read every row there is
            rows = []
            for number, row in enumerate(sheet.iter_rows(), start=1):
                cells = tuple(Cell(c.value, _is_percent(c)) for c in row)
                if any(not _blank(c.value) for c in cells):
                    rows.append((getattr(row[0], "row", None) or number, cells))
                    _row_limit(len(rows))
            tables.append(Table(tuple(rows)))
        return tables
    except ImportFileError:
        raise
    except Exception as exc:
        raise ImportFileError("unreadable") from exc
    finally:
        book.close()


def _is_percent(cell) -> bool:
    value = cell.value
    number = isinstance(value, int | float | Decimal) and not isinstance(value, bool)
    return number and "%" in (getattr(cell, "number_format", None) or "")


def read_csv(data: bytes) -> list[Table]:
    """A CSV file in UTF-8 (a byte order mark is dropped); the separator (comma, semicolon or tab) is the one
    with which the header names the most known columns."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError("not_utf8") from exc
    best, best_score = ",", -1
    for delimiter in (",", ";", "\t"):
        try:
            sample = list(islice(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), HEADER_SEARCH_ROWS))
        except csv.Error:
            continue
        score = max((_header_score(tuple(Cell(v) for v in row)) for row in sample), default=0)
        if score > best_score:
            best, best_score = delimiter, score
    rows = []
    try:
        for number, values in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=best), start=1):
            cells = tuple(Cell(v) for v in values)
            if any(not _blank(c.value) for c in cells):
                rows.append((number, cells))
                _row_limit(len(rows))
    except csv.Error as exc:
        raise ImportFileError("unreadable") from exc
    return [Table(tuple(rows))]


def read_file(path, kind: str) -> list[Table]:
    """The tables of a stored file of kind "xlsx" or "csv"."""
    if kind == "xlsx":
        return read_xlsx(str(path))
    if kind == "csv":
        with open(path, "rb") as f:
            return read_csv(f.read())
    raise ImportFileError("unreadable")


# --- cell values ------------------------------------------------------------------------------------------


def _text(cell: Cell) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "x" if value else ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    text = unicodedata.normalize("NFC", str(value)).replace("\u00a0", " ")
    return " ".join(text.split()) if "\n" not in text else text.strip()


def _limited(key: str, text: str) -> str:
    limit = SPECS[key].max_length
    if limit is not None and len(text) > limit:
        raise _CellProblem("too_long", max=limit)
    return text


_DMY = re.compile(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})")


def parse_cell_date(cell: Cell) -> date | None:
    """A real Excel date, or dd/mm/yyyy text (d/m/yyyy, d-m-yyyy, d.m.yyyy and yyyy-mm-dd too)."""
    value = cell.value
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(cell)
    if not text:
        return None
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        raise _CellProblem("bad_date", value=text)
    try:
        return parse_date(text)
    except ValueError:
        pass
    match = _DMY.fullmatch(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        try:
            return date(year, month, day)
        except ValueError:
            pass
    raise _CellProblem("bad_date", value=text)


_CENT = Decimal("0.01")


def parse_share(cell: Cell) -> Decimal | None:
    """A contribution share in percent: "60", "33,33", "33.33", "60%", or an Excel percentage cell (0.6)."""
    value = cell.value
    if isinstance(value, bool):
        raise _CellProblem("bad_number", value=_text(cell))
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
        if not number.is_finite():
            raise _CellProblem("bad_number", value=_text(cell))
        if cell.percent:
            number *= 100
        rounded = number.quantize(_CENT) if abs(number) < 10**6 else number
        # Binary floating point noise (33.330000000000005) is not a third decimal.
        return rounded if abs(number - rounded) < Decimal("1e-9") else number
    text = _text(cell)
    if not text:
        return None
    cleaned = text.replace(" ", "").rstrip("%")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise _CellProblem("bad_number", value=text) from None
    if not number.is_finite():
        raise _CellProblem("bad_number", value=text)
    return number


_GENDERS = {
    "nam": "male",
    "nu": "female",
    "khac": "other",
    "male": "male",
    "female": "female",
    "other": "other",
    "m": "male",
    "f": "female",
}
_ROLES = {
    "tac gia": "author",
    "author": "author",
    "nguoi huong dan": "teacher",
    "giao vien huong dan": "teacher",
    "gv huong dan": "teacher",
    "gvhd": "teacher",
    "huong dan": "teacher",
    "teacher": "teacher",
    "guiding teacher": "teacher",
    "supervisor": "teacher",
}
_NOT_LEAD = {"", "0", "khong", "no", "false", "-"}


def _gender(cell: Cell) -> str:
    text = _text(cell)
    if not text:
        return ""
    gender = _GENDERS.get(fold_header(text))
    if gender is None:
        raise _CellProblem("unknown_gender", value=text)
    return gender


def _role(cell: Cell) -> str:
    text = _text(cell)
    if not text:
        return "author"
    role = _ROLES.get(fold_header(text))
    if role is None:
        raise _CellProblem("unknown_role", value=text)
    return role


def _lead(cell: Cell) -> bool:
    if isinstance(cell.value, bool):
        return cell.value
    return fold_header(_text(cell)) not in _NOT_LEAD


def _digits_text(cell: Cell, key: str) -> str:
    """A phone or ID number; one Excel stored as a number gets back the leading zero it lost."""
    text = _text(cell)
    numeric = isinstance(cell.value, int | float) and not isinstance(cell.value, bool) and text.isdigit()
    if numeric and key == "phone" and len(text) == 9:
        text = "0" + text
    if numeric and key == "id_number" and len(text) == 11:
        text = "0" + text
    return text


def _phone(cell: Cell) -> str:
    text = _digits_text(cell, "phone")
    if not text:
        return ""
    phone = normalize_phone(text)
    if not PHONE_RE.match(phone) or len(phone) > 20:
        raise _CellProblem("bad_phone", value=text)
    return phone


def _email(cell: Cell) -> str:
    text = _text(cell)
    if not text:
        return ""
    try:
        validate_email(text, check_deliverability=False)
    except EmailNotValidError:
        raise _CellProblem("bad_email", value=text) from None
    return _limited("email", text.lower())


class _Lookup:
    """The edition's fields and age groups, found from what a unit typed."""

    def __init__(self, contest) -> None:
        self.fields: dict[str, int] = {}
        for f in contest.fields:
            for name in (f.code, f.name, f"{f.code}. {f.name}", f"{f.code} {f.name}"):
                if name.strip():
                    self.fields.setdefault(fold_header(name), f.id)
        self.field_codes = ", ".join(f.code for f in contest.fields if f.code)
        self.age_groups: dict[str, int] = {}
        for a in contest.age_groups:
            names = [a.name, *re.split(r"[()/]", a.name)]
            for name in names:
                if fold_header(name):
                    self.age_groups.setdefault(fold_header(name), a.id)
        self.age_group_names = ", ".join(f"“{a.name}”" for a in contest.age_groups)
        self.field_names = {f.id: f"{f.code}. {f.name}" if f.code else f.name for f in contest.fields}
        self.age_group_labels = {a.id: a.name for a in contest.age_groups}

    def field(self, cell: Cell) -> int | None:
        text = _text(cell)
        if not text:
            return None
        found = self.fields.get(fold_header(text))
        if found is None:
            raise _CellProblem("unknown_field", value=text, codes=self.field_codes)
        return found

    def age_group(self, cell: Cell) -> int | None:
        text = _text(cell)
        if not text:
            return None
        found = self.age_groups.get(fold_header(text))
        if found is None:
            raise _CellProblem("unknown_age_group", value=text, names=self.age_group_names)
        return found


def _parse(key: str, cell: Cell, lookup: _Lookup):
    """The Python value of one cell of column `key`; raises _CellProblem."""
    if key == "field":
        return lookup.field(cell)
    if key == "age_group":
        return lookup.age_group(cell)
    if key in ("created_on", "applied_on", "birth_date"):
        return parse_cell_date(cell)
    if key == "share":
        return parse_share(cell)
    if key == "gender":
        return _gender(cell)
    if key == "role":
        return _role(cell)
    if key == "lead":
        return _lead(cell)
    if key == "phone":
        return _phone(cell)
    if key == "email":
        return _email(cell)
    if key == "id_number":
        return _limited(key, _digits_text(cell, key))
    return _limited(key, _text(cell))


# --- the result -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ColumnRef:
    index: int
    letter: str
    header: str  # as written in the file


@dataclass
class Dossier:
    number: str  # as written in the file
    rows: list[int]
    data: EntryInput
    author_rows: list[int]
    teacher_rows: list[int]
    field_label: str = ""
    age_group_label: str = ""
    problems: list[ImportProblem] = field(default_factory=list)

    @property
    def errors(self) -> list[ImportProblem]:
        return [p for p in self.problems if not p.warning]

    @property
    def warnings(self) -> list[ImportProblem]:
        return [p for p in self.problems if p.warning]

    @property
    def lead(self) -> PersonInput | None:
        return next((a for a in self.data.authors if a.is_lead), None)


@dataclass
class ImportResult:
    dossiers: list[Dossier] = field(default_factory=list)
    #: Problems of the file as a whole (unreadable, a missing column, ...).
    problems: list[ImportProblem] = field(default_factory=list)
    columns: dict[str, ColumnRef] = field(default_factory=dict)
    #: Columns of the file that are not ours: "K “Ghi chú”".
    ignored: list[str] = field(default_factory=list)
    row_count: int = 0

    @property
    def error_count(self) -> int:
        return sum(not p.warning for p in self.problems) + sum(len(d.errors) for d in self.dossiers)

    @property
    def warning_count(self) -> int:
        return sum(p.warning for p in self.problems) + sum(len(d.warnings) for d in self.dossiers)

    @property
    def ok(self) -> bool:
        """Nothing blocks the import (warnings do not)."""
        return bool(self.dossiers) and self.error_count == 0

    def column_label(self, key: str | None) -> str:
        """Where a column is: "H “Ngày sinh”" (the header as written in the file), or the template's header."""
        if key is None:
            return ""
        ref = self.columns.get(key)
        if ref is None:
            return f"“{SPECS[key].header}”" if key in SPECS else key
        return f"{ref.letter} “{ref.header}”"


# --- analysis ---------------------------------------------------------------------------------------------


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _header_score(cells: tuple[Cell, ...]) -> int:
    return len({HEADER_KEYS[f] for c in cells if (f := fold_header(_text(c))) in HEADER_KEYS})


def _find_header(tables: list[Table]) -> tuple[Table, int] | None:
    """The first table with a recognised header, and the header's index among its rows."""
    for table in tables:
        best: tuple[int, int] | None = None
        for i, (_number, cells) in enumerate(table.rows[:HEADER_SEARCH_ROWS]):
            score = _header_score(cells)
            if score >= 2 and (best is None or score > best[0]):
                best = (score, i)
        if best is not None:
            return table, best[1]
    return None


def analyse(
    tables: list[Table] | ImportFileError,
    contest,
    *,
    existing: dict[tuple[str, str], str] | None = None,
    now: datetime | None = None,
) -> ImportResult:
    """Group the rows into dossiers and find every problem; nothing is written.

    `existing` maps (folded title, folded lead author name) to the code of an entry already registered in the
    edition (see `existing_entries`)."""
    result = ImportResult()
    if isinstance(tables, ImportFileError):
        result.problems.append(ImportProblem(tables.code, params=tables.params))
        return result
    found = _find_header(tables)
    if found is None:
        result.problems.append(ImportProblem("no_header"))
        return result
    table, header_index = found
    header_cells = table.rows[header_index][1]
    _map_columns(result, header_cells, contest)
    for key in required_columns(contest):
        if key not in result.columns:
            result.problems.append(ImportProblem("missing_column", column=key, params={"header": SPECS[key].header}))
    data_rows = [
        (number, {key: (cells[ref.index] if ref.index < len(cells) else _EMPTY) for key, ref in result.columns.items()})
        for number, cells in table.rows[header_index + 1 :]
    ]
    data_rows = [(n, values) for n, values in data_rows if any(not _blank(c.value) for c in values.values())]
    result.row_count = len(data_rows)
    if not data_rows:
        result.problems.append(ImportProblem("no_rows"))
        return result
    lookup = _Lookup(contest)
    missing = {p.column for p in result.problems if p.code == "missing_column"}
    for group in _group(data_rows, result):
        dossier = _dossier(group, lookup, contest, missing, now)
        result.dossiers.append(dossier)
    _duplicates(result.dossiers, existing or {})
    for dossier in result.dossiers:
        order = {spec.key: i for i, spec in enumerate(COLUMNS)}
        dossier.problems.sort(key=lambda p: (p.warning, min(p.rows, default=0), order.get(p.column or "", -1)))
    return result


def _map_columns(result: ImportResult, header_cells: tuple[Cell, ...], contest) -> None:
    for index, cell in enumerate(header_cells):
        text = _text(cell)
        if not text:
            continue
        letter = _letter(index)
        key = HEADER_KEYS.get(fold_header(text))
        if key == "age_group" and not contest.age_groups:
            key = None
        if key is None:
            result.ignored.append(f"{letter} “{text}”")
        elif key in result.columns:
            first = result.columns[key]
            result.problems.append(
                ImportProblem(
                    "duplicate_column",
                    column=key,
                    params={"header": SPECS[key].header, "first": first.letter, "second": letter},
                )
            )
        else:
            result.columns[key] = ColumnRef(index, letter, text)


@dataclass
class _Group:
    number: str
    rows: list[tuple[int, dict[str, Cell]]] = field(default_factory=list)
    #: The first row of each run of consecutive rows (a number used again further down starts a new run).
    block_starts: list[int] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)


def _group(data_rows, result: ImportResult) -> list[_Group]:
    """Rows by dossier number, in the order the dossiers first appear; a blank number continues the dossier
    above. Without the dossier column each row is a dossier of its own."""
    groups: dict[object, _Group] = {}
    current = None
    has_column = "dossier" in result.columns
    for number, values in data_rows:
        raw = _text(values["dossier"]) if has_column else ""
        problems = []
        if raw:
            key: object = normalize_search(raw)
        elif has_column and current is not None:
            key = current
        else:
            key = ("row", number)
            if has_column:
                problems.append(ImportProblem("missing_dossier", rows=(number,), column="dossier"))
        group = groups.get(key)
        if group is None:
            group = groups[key] = _Group(raw)
        if key != current:
            group.block_starts.append(number)
        group.rows.append((number, values))
        group.problems += problems
        current = key
    return list(groups.values())


def _dossier(group: _Group, lookup: _Lookup, contest, missing: set, now) -> Dossier:
    problems = list(group.problems)
    cell_problems: set[tuple[int, str]] = set()

    def parse(number: int, key: str, cell: Cell):
        try:
            return _parse(key, cell, lookup)
        except _CellProblem as exc:
            problems.append(ImportProblem(exc.code, rows=(number,), column=key, params=exc.params))
            cell_problems.add((number, key))
            return None

    row_numbers = [number for number, _values in group.rows]
    entry_values: dict[str, object] = {}
    for key in ENTRY_KEYS:
        seen: list[tuple[int, object, str]] = []  # row, value, text
        for number, values in group.rows:
            cell = values.get(key)
            if cell is None or _blank(cell.value):
                continue
            value = parse(number, key, cell)
            if value is not None:
                seen.append((number, value, _text(cell)))
        if seen:
            entry_values[key] = seen[0][1]
            problems += _disagreements(key, seen, group)

    authors: list[PersonInput] = []
    teachers: list[PersonInput] = []
    author_rows: list[int] = []
    teacher_rows: list[int] = []
    for number, values in group.rows:
        person_cells = {k: c for k, c in values.items() if k in PERSON_KEYS}
        if all(_blank(c.value) for k, c in person_cells.items() if k != "role"):
            continue
        parsed = {key: parse(number, key, cell) for key, cell in person_cells.items()}
        person = PersonInput(
            full_name=parsed.get("full_name") or "",
            birth_date=parsed.get("birth_date"),
            gender=parsed.get("gender") or "",
            id_number=parsed.get("id_number") or "",
            unit=parsed.get("unit") or "",
            address=parsed.get("address") or "",
            phone=parsed.get("phone") or "",
            email=parsed.get("email") or "",
            share=parsed.get("share"),
            is_lead=bool(parsed.get("lead")),
        )
        if (parsed.get("role") or "author") == "teacher":
            person.share, person.is_lead = None, False
            teachers.append(person)
            teacher_rows.append(number)
        else:
            authors.append(person)
            author_rows.append(number)
    if authors and not any(a.is_lead for a in authors):
        authors[0].is_lead = True

    data = EntryInput(
        title=entry_values.get("title") or "",
        summary=entry_values.get("summary") or "",
        field_id=entry_values.get("field"),
        age_group_id=entry_values.get("age_group"),
        created_on=entry_values.get("created_on"),
        applied_on=entry_values.get("applied_on"),
        entering_organisation=entry_values.get("entering_organisation") or "",
        authors=tuple(authors),
        teachers=tuple(teachers),
    )
    dossier = Dossier(
        number=group.number,
        rows=row_numbers,
        data=data,
        author_rows=author_rows,
        teacher_rows=teacher_rows,
        field_label=lookup.field_names.get(data.field_id, ""),
        age_group_label=lookup.age_group_labels.get(data.age_group_id, ""),
    )
    cell_columns = {key for _number, key in cell_problems}
    for rule in services.problems_for(data, contest, for_submit=True, now=now):
        if rule.field == "registration":
            continue
        rows, column = place_problem(rule, dossier)
        if column in missing:
            continue  # the missing column says it already
        if column in cell_columns and (column in ENTRY_KEYS or any((r, column) in cell_problems for r in rows)):
            continue  # a value that could not be read says it already
        problems.append(ImportProblem(rule.code, rows=rows, column=column, params=rule.params, rule=rule))
    dossier.problems = problems
    return dossier


def _same(key: str, a: object, b: object) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return normalize_search(a) == normalize_search(b)
    return a == b


def _disagreements(key: str, seen: list[tuple[int, object, str]], group: _Group) -> list[ImportProblem]:
    """The rows of one dossier that give another value than its first row does."""
    first_row, first_value, first_text = seen[0]
    problems = []
    for number, value, text in seen[1:]:
        if _same(key, first_value, value):
            continue
        params = {"dossier": group.number, "first": first_text, "row": first_row, "other": text}
        if key == "title" and any(start > first_row and start <= number for start in group.block_starts[1:]):
            code, params = "dossier_reused", {"dossier": group.number, "row": first_row, "title": first_text}
        elif key == "title":
            code = "title_mismatch"
        else:
            code = "rows_disagree"
        problems.append(ImportProblem(code, rows=(number,), column=key, params=params))
    return problems


_RULE_COLUMNS = {
    "title": "title",
    "field_id": "field",
    "age_group_id": "age_group",
    "created_on": "created_on",
    "applied_on": "applied_on",
}
_PERSON_FIELDS = {"full_name": "full_name", "birth_date": "birth_date", "share": "share"}


def place_problem(rule: Problem, dossier: Dossier) -> tuple[tuple[int, ...], str | None]:
    """The rows and the column a rule problem is about."""
    first = (dossier.rows[0],)
    if rule.field in _RULE_COLUMNS:
        return first, _RULE_COLUMNS[rule.field]
    authors = tuple(dossier.author_rows) or first
    if rule.field == "authors":
        if rule.code == "shares_sum":
            return authors, "share"
        if rule.code == "several_leads":
            leads = tuple(r for r, a in zip(dossier.author_rows, dossier.data.authors, strict=True) if a.is_lead)
            return leads or authors, "lead"
        if rule.code == "no_lead":
            return authors, "lead"
        return authors, "full_name"
    if rule.field == "teachers":
        return tuple(dossier.teacher_rows) or first, "role"
    parts = rule.field.split("-")
    if len(parts) == 3 and parts[1].isdigit():
        rows = dossier.author_rows if parts[0] == "authors" else dossier.teacher_rows
        index = int(parts[1])
        if index < len(rows):
            return (rows[index],), _PERSON_FIELDS.get(parts[2])
    return first, None


def _key(title: str, lead_name: str) -> tuple[str, str]:
    return normalize_search(title), normalize_search(lead_name)


def _duplicates(dossiers: list[Dossier], existing: dict[tuple[str, str], str]) -> None:
    """Warnings: a title and lead author already registered in the edition, or given twice in the file."""
    seen: dict[tuple[str, str], Dossier] = {}
    for dossier in dossiers:
        lead = dossier.lead
        if lead is None or not dossier.data.title.strip() or not lead.full_name.strip():
            continue
        key = _key(dossier.data.title, lead.full_name)
        rows = (dossier.rows[0],)
        if key in existing:
            dossier.problems.append(
                ImportProblem(
                    "already_registered", rows=rows, column="title", params={"code": existing[key]}, warning=True
                )
            )
        if key in seen:
            other = seen[key]
            dossier.problems.append(
                ImportProblem(
                    "duplicate_in_file",
                    rows=rows,
                    column="title",
                    params={"other": other.number, "row": other.rows[0]},
                    warning=True,
                )
            )
        else:
            seen[key] = dossier


def existing_entries(contest) -> dict[tuple[str, str], str]:
    """(folded title, folded lead author) -> code of every registered (not withdrawn) entry of the edition."""
    from sqlalchemy import select

    from app.extensions import db
    from competitions.models import Entry

    rows = db.session.execute(
        select(Entry.title, Entry.lead_name, Entry.code).where(
            Entry.contest_id == contest.id, Entry.code.is_not(None), Entry.status != "withdrawn"
        )
    )
    return {_key(title, lead): code for title, lead, code in rows}


def check_file(path, kind: str, contest, *, now: datetime | None = None) -> ImportResult:
    """Read a stored file and analyse it against the edition and the entries it already has."""
    try:
        tables: list[Table] | ImportFileError = read_file(path, kind)
    except ImportFileError as exc:
        tables = exc
    return analyse(tables, contest, existing=existing_entries(contest), now=now)


# --- the template -----------------------------------------------------------------------------------------

_TEXT = "@"  # an Excel text cell: dates typed dd/mm/yyyy stay as typed whatever the computer's locale


def template_sheets(contest) -> list[Sheet]:
    """An empty dossier sheet with this edition's headers, and a sheet listing its fields, age groups and the
    words some columns take."""
    text_columns = {"dossier", "created_on", "applied_on", "birth_date", "id_number", "phone"}
    columns = [
        Column(spec.key, spec.header, number_format=_TEXT if spec.key in text_columns else None)
        for spec in columns_for(contest)
    ]
    lists: list[tuple[str, str, str]] = [("Lĩnh vực", f.code, f.name) for f in contest.fields]
    lists += [("Nhóm tuổi / Cấp học", "", a.name) for a in contest.age_groups]
    lists += [("Giới tính", "", g) for g in ("Nam", "Nữ", "Khác")]
    if contest.max_teachers:
        lists += [("Vai trò", "", r) for r in ("Tác giả", "Người hướng dẫn")]
    lists += [("Chủ nhiệm", "", "x")]
    list_columns = [
        Column(lambda row: row[0], _("Column")),
        Column(lambda row: row[1], _("Code"), number_format=_TEXT),
        Column(lambda row: row[2], _("Value")),
    ]
    return [Sheet(_("Dossiers"), columns, []), Sheet(_("Lists"), list_columns, lists)]


def template_workbook(contest) -> bytes:
    return write_xlsx(template_sheets(contest))


def rows_label(rows: Iterable[int]) -> str:
    """ "5" or "5–7" or "5, 8" (spreadsheet row numbers)."""
    numbers = sorted(set(rows))
    if not numbers:
        return ""
    if len(numbers) > 2 and numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"{numbers[0]}–{numbers[-1]}"
    return ", ".join(str(n) for n in numbers)
