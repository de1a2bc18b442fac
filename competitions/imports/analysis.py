"""Grouping the rows of a file into dossiers and finding every problem, before anything is written."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from app.text import normalize_search
from competitions import services
from competitions.eligibility import Problem
from competitions.imports.columns import (
    COLUMNS,
    ENTRY_KEYS,
    HEADER_KEYS,
    PERSON_KEYS,
    SPECS,
    fold_header,
    required_columns,
)
from competitions.imports.problems import CellProblem, ImportFileError, ImportProblem
from competitions.imports.reading import HEADER_SEARCH_ROWS, Table, header_score, read_file
from competitions.imports.result import ColumnRef, Dossier, ImportResult
from competitions.imports.values import EMPTY, Cell, Lookup, blank, cell_text, parse_value
from competitions.services import EntryInput, PersonInput


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _find_header(tables: list[Table]) -> tuple[Table, int] | None:
    """The first table with a recognised header, and the header's index among its rows."""
    for table in tables:
        best: tuple[int, int] | None = None
        for i, (_number, cells) in enumerate(table.rows[:HEADER_SEARCH_ROWS]):
            score = header_score(cells)
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
        (number, {key: (cells[ref.index] if ref.index < len(cells) else EMPTY) for key, ref in result.columns.items()})
        for number, cells in table.rows[header_index + 1 :]
    ]
    data_rows = [(n, values) for n, values in data_rows if any(not blank(c.value) for c in values.values())]
    result.row_count = len(data_rows)
    if not data_rows:
        result.problems.append(ImportProblem("no_rows"))
        return result
    lookup = Lookup(contest)
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
        text = cell_text(cell)
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
        raw = cell_text(values["dossier"]) if has_column else ""
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


def _dossier(group: _Group, lookup: Lookup, contest, missing: set, now) -> Dossier:
    problems = list(group.problems)
    cell_problems: set[tuple[int, str]] = set()

    def parse(number: int, key: str, cell: Cell):
        try:
            return parse_value(key, cell, lookup)
        except CellProblem as exc:
            problems.append(ImportProblem(exc.code, rows=(number,), column=key, params=exc.params))
            cell_problems.add((number, key))
            return None

    row_numbers = [number for number, _values in group.rows]
    entry_values: dict[str, object] = {}
    for key in ENTRY_KEYS:
        seen: list[tuple[int, object, str]] = []  # row, value, text
        for number, values in group.rows:
            cell = values.get(key)
            if cell is None or blank(cell.value):
                continue
            value = parse(number, key, cell)
            if value is not None:
                seen.append((number, value, cell_text(cell)))
        if seen:
            entry_values[key] = seen[0][1]
            problems += _disagreements(key, seen, group)

    authors: list[PersonInput] = []
    teachers: list[PersonInput] = []
    author_rows: list[int] = []
    teacher_rows: list[int] = []
    for number, values in group.rows:
        person_cells = {k: c for k, c in values.items() if k in PERSON_KEYS}
        if all(blank(c.value) for k, c in person_cells.items() if k != "role"):
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
