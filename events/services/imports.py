"""Reading a guest list (XLSX or CSV): one person a row, checked row by row. Nothing is written unless every row is
valid; the preview says what is wrong where. Only reading here (no request, no query): `read_guest_list` gives the
rows and their problems; `events.services.invitees.add_people` writes them."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from app.forms import PHONE_RE, normalize_phone
from app.text import normalize_search
from app.timefmt import parse_date
from events import rules
from events.models.events import INVITEE_ROLES

MAX_ROWS = 5000

#: Column -> the headers that name it (folded: no diacritics, no case), Vietnamese and English.
HEADERS = {
    "full_name": ("ho va ten", "ho ten", "full name", "name", "ten"),
    "email": ("email", "e-mail", "thu dien tu"),
    "phone": ("dien thoai", "so dien thoai", "phone", "sdt"),
    "unit": ("don vi", "co quan", "unit", "organisation", "organization"),
    "role": ("vai tro", "role"),
    "birth_date": ("ngay sinh", "birth date", "date of birth"),
}
#: Role names a guest list may use (folded), besides the codes themselves.
ROLE_WORDS = {
    "tac gia": "author",
    "chung khao": "finalist",
    "doat giai": "winner",
    "giam khao": "judge",
    "hoi dong": "council_member",
    "thanh vien hoi dong": "council_member",
    "duoc ton vinh": "honoree",
    "de cu": "nominee",
    "khach moi": "guest",
    "dai bieu": "guest",
    "ban to chuc": "staff",
    "": "guest",
}


@dataclass
class GuestRow:
    number: int  # the row's number in the sheet (the header is row 1)
    full_name: str = ""
    email: str = ""
    phone: str = ""
    unit: str = ""
    role: str = "guest"
    birth_date: date | None = None
    #: (column, problem code): "required", "email", "phone", "date", "role", "duplicate".
    problems: list[tuple[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "full_name": self.full_name,
            "email": self.email,
            "phone": self.phone,
            "unit": self.unit,
            "role": self.role,
            "birth_date": self.birth_date.isoformat() if self.birth_date else None,
        }


@dataclass
class GuestList:
    rows: list[GuestRow] = field(default_factory=list)
    #: Problems of the file itself: "unreadable", "no_name_column", "empty", "too_many".
    file_problem: str | None = None

    @property
    def valid(self) -> bool:
        return self.file_problem is None and bool(self.rows) and not any(r.problems for r in self.rows)

    @property
    def error_rows(self) -> list[GuestRow]:
        return [r for r in self.rows if r.problems]


def read_table(data: bytes, filename: str) -> list[list[str]]:
    """The cells of the first sheet (XLSX) or of the CSV (UTF-8, with or without BOM; comma or semicolon), as
    text; ValueError when the file cannot be read."""
    if filename.lower().endswith(".xlsx") or data[:4] == b"PK\x03\x04":
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        except (zipfile.BadZipFile, KeyError, IndexError, OSError, ValueError) as exc:
            raise ValueError("unreadable") from exc
        return [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError("unreadable") from exc
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text), dialect)]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().strftime("%d/%m/%Y")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _columns(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, title in enumerate(header):
        folded = normalize_search(title).strip(" :*")
        for column, names in HEADERS.items():
            if folded in names and column not in found:
                found[column] = index
    return found


def parse_role(text: str) -> str | None:
    folded = normalize_search(text)
    if folded in INVITEE_ROLES:
        return folded
    return ROLE_WORDS.get(folded)


def check_rows(table: list[list[str]]) -> GuestList:
    """Check a table whose first non-empty row is the header."""
    table = [row for row in table if any(cell for cell in row)]
    if not table:
        return GuestList(file_problem="empty")
    columns = _columns(table[0])
    if "full_name" not in columns:
        return GuestList(file_problem="no_name_column")
    body = table[1:]
    if not body:
        return GuestList(file_problem="empty")
    if len(body) > MAX_ROWS:
        return GuestList(file_problem="too_many")
    result = GuestList()
    seen: dict[str, int] = {}
    for offset, cells in enumerate(body, start=2):
        value = {c: (cells[i].strip() if i < len(cells) else "") for c, i in columns.items()}
        row = GuestRow(number=offset, full_name=" ".join(value.get("full_name", "").split())[:120])
        row.unit = value.get("unit", "")[:255]
        row.email = rules.normalise_email(value.get("email", ""))
        row.phone = normalize_phone(value.get("phone", ""))
        if not row.full_name:
            row.problems.append(("full_name", "required"))
        if row.email and not rules.is_email(row.email):
            row.problems.append(("email", "email"))
        if row.phone and not PHONE_RE.match(row.phone):
            row.problems.append(("phone", "phone"))
        if value.get("birth_date"):
            try:
                row.birth_date = parse_date(value["birth_date"])
            except ValueError:
                row.problems.append(("birth_date", "date"))
        role = parse_role(value.get("role", ""))
        if role is None:
            row.problems.append(("role", "role"))
        else:
            row.role = role
        if row.full_name:
            key = rules.dedupe_key(row.full_name, row.email, row.birth_date, row.unit)
            if key in seen:
                row.problems.append(("full_name", "duplicate"))
            else:
                seen[key] = row.number
        result.rows.append(row)
    return result


def read_guest_list(data: bytes, filename: str) -> GuestList:
    try:
        table = read_table(data, filename)
    except ValueError:
        return GuestList(file_problem="unreadable")
    return check_rows(table)
