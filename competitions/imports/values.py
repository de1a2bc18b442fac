"""The Python value of one cell: text, dates, shares, genders, roles, phones, emails, fields and age groups."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from email_validator import EmailNotValidError, validate_email

from app.forms import PHONE_RE, normalize_phone
from app.timefmt import parse_date
from competitions.imports.columns import SPECS, fold_header
from competitions.imports.problems import CellProblem


@dataclass(frozen=True)
class Cell:
    value: object = None
    #: An Excel number cell formatted as a percentage (it holds a fraction).
    percent: bool = False


EMPTY = Cell()


def blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(cell: Cell) -> str:
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
        raise CellProblem("too_long", max=limit)
    return text


_DMY = re.compile(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})")


def parse_cell_date(cell: Cell) -> date | None:
    """A real Excel date, or dd/mm/yyyy text (d/m/yyyy, d-m-yyyy, d.m.yyyy and yyyy-mm-dd too)."""
    value = cell.value
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(cell)
    if not text:
        return None
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        raise CellProblem("bad_date", value=text)
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
    raise CellProblem("bad_date", value=text)


_CENT = Decimal("0.01")


def parse_share(cell: Cell) -> Decimal | None:
    """A contribution share in percent: "60", "33,33", "33.33", "60%", or an Excel percentage cell (0.6)."""
    value = cell.value
    if isinstance(value, bool):
        raise CellProblem("bad_number", value=cell_text(cell))
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
        if not number.is_finite():
            raise CellProblem("bad_number", value=cell_text(cell))
        if cell.percent:
            number *= 100
        rounded = number.quantize(_CENT) if abs(number) < 10**6 else number
        # Binary floating point noise (33.330000000000005) is not a third decimal.
        return rounded if abs(number - rounded) < Decimal("1e-9") else number
    text = cell_text(cell)
    if not text:
        return None
    cleaned = text.replace(" ", "").rstrip("%")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise CellProblem("bad_number", value=text) from None
    if not number.is_finite():
        raise CellProblem("bad_number", value=text)
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
    text = cell_text(cell)
    if not text:
        return ""
    gender = _GENDERS.get(fold_header(text))
    if gender is None:
        raise CellProblem("unknown_gender", value=text)
    return gender


def _role(cell: Cell) -> str:
    text = cell_text(cell)
    if not text:
        return "author"
    role = _ROLES.get(fold_header(text))
    if role is None:
        raise CellProblem("unknown_role", value=text)
    return role


def _lead(cell: Cell) -> bool:
    if isinstance(cell.value, bool):
        return cell.value
    return fold_header(cell_text(cell)) not in _NOT_LEAD


def _digits_text(cell: Cell, key: str) -> str:
    """A phone or ID number; one Excel stored as a number gets back the leading zero it lost."""
    text = cell_text(cell)
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
        raise CellProblem("bad_phone", value=text)
    return phone


def _email(cell: Cell) -> str:
    text = cell_text(cell)
    if not text:
        return ""
    try:
        validate_email(text, check_deliverability=False)
    except EmailNotValidError:
        raise CellProblem("bad_email", value=text) from None
    return _limited("email", text.lower())


class Lookup:
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
        text = cell_text(cell)
        if not text:
            return None
        found = self.fields.get(fold_header(text))
        if found is None:
            raise CellProblem("unknown_field", value=text, codes=self.field_codes)
        return found

    def age_group(self, cell: Cell) -> int | None:
        text = cell_text(cell)
        if not text:
            return None
        found = self.age_groups.get(fold_header(text))
        if found is None:
            raise CellProblem("unknown_age_group", value=text, names=self.age_group_names)
        return found


def parse_value(key: str, cell: Cell, lookup: Lookup):
    """The Python value of one cell of column `key`; raises CellProblem."""
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
    return _limited(key, cell_text(cell))
