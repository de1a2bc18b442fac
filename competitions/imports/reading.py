"""Reading the rows of an XLSX workbook or a CSV file, before anything is known about their columns."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice
from typing import BinaryIO

from competitions.imports.columns import HEADER_KEYS, fold_header
from competitions.imports.problems import ImportFileError
from competitions.imports.values import Cell, blank, cell_text

#: Data rows a file may hold (each dossier takes one per person).
MAX_ROWS = 5000
#: The header is looked for among this many first non-empty rows.
HEADER_SEARCH_ROWS = 10
#: Worksheets looked at (the first one whose header is recognised is read).
MAX_SHEETS = 10


@dataclass(frozen=True)
class Table:
    """The non-empty rows of one worksheet, each with its spreadsheet row number."""

    rows: tuple[tuple[int, tuple[Cell, ...]], ...]


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
                if any(not blank(c.value) for c in cells):
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
        score = max((header_score(tuple(Cell(v) for v in row)) for row in sample), default=0)
        if score > best_score:
            best, best_score = delimiter, score
    rows = []
    try:
        for number, values in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=best), start=1):
            cells = tuple(Cell(v) for v in values)
            if any(not blank(c.value) for c in cells):
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


def header_score(cells: tuple[Cell, ...]) -> int:
    """How many of our columns a row names (a header names at least two)."""
    return len({HEADER_KEYS[f] for c in cells if (f := fold_header(cell_text(c))) in HEADER_KEYS})
