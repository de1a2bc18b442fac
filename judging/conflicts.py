"""Conflicts of interest between judges and entries that can be found automatically.

Pure Python: no Flask, no SQLAlchemy. Services turn judges and entries into the frozen dataclasses below and call
`detect`; the assignment then never gives a judge an entry they conflict with (see `judging.assignment`).

Kinds (`CONFLICT_KINDS`): "author" and "same_unit" are found here; "family" and "other" are declared by the
judge or recorded by the organizers, never guessed.

- **author**: the judge is one of the entry's people (authors, guiding teachers...): the same ID number (its digits,
  non-empty on both sides), or the same email (case-insensitive, non-empty on both sides), or, only when the two
  have no identifier of the same kind to compare (not both an email, not both an ID number), the same folded full
  name *and* the same folded unit. Two people with the same name but different emails are different people.
- **same_unit**: a unit of the judge equals, once folded, the unit of one of the entry's people or one of the
  entry's own units (the entering organisation...). Folding drops diacritics, case and punctuation and collapses
  spaces ("Trường THPT Bù Đăng" = "truong  thpt bu-dang"); generic names ("tự do", "không", "cá nhân"... see
  `GENERIC_UNITS`) and one-letter ones never match.

One `Conflict` per (judge, entry, kind); its `detail` names whom or what matched, for the organizer's eyes
("Nguyễn Văn An (email)", "Trường THPT Bù Đăng (Nguyễn Văn An)"; several matches are joined by "; "). The judges
are indexed by ID number, email, unit, and name with unit, and each person of each entry is looked up once, so the
work grows with judges + people + conflicts found, not judges × entries.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from app.text import normalize_search

__all__ = [
    "CONFLICT_KINDS",
    "GENERIC_UNITS",
    "Conflict",
    "EntryInfo",
    "JudgeInfo",
    "PersonInfo",
    "detect",
    "fold_unit",
]

CONFLICT_KINDS = ("author", "same_unit", "family", "other")

#: Folded unit names that say nothing about where a person works: never a shared unit.
GENERIC_UNITS = frozenset(
    {
        "tu do",
        "lao dong tu do",
        "khong",
        "khong co",
        "chua co",
        "ca nhan",
        "nghi huu",
        "huu tri",
        "noi tro",
        "khac",
        "none",
        "n a",
        "na",
    }
)

_NOT_WORD = re.compile(r"[\W_]+")
_NOT_DIGIT = re.compile(r"[^0-9]+")


@dataclass(frozen=True, slots=True)
class JudgeInfo:
    id: int
    full_name: str
    email: str = ""
    id_number: str = ""
    units: tuple[str, ...] = ()  # where the judge works or belongs, current and recent


@dataclass(frozen=True, slots=True)
class PersonInfo:
    full_name: str
    email: str = ""
    id_number: str = ""
    unit: str = ""


@dataclass(frozen=True, slots=True)
class EntryInfo:
    id: int
    people: tuple[PersonInfo, ...]  # authors, guiding teachers: everyone whose work it is
    units: tuple[str, ...] = ()  # the entering organisation, the school...


@dataclass(frozen=True, slots=True)
class Conflict:
    judge_id: int
    entry_id: int
    kind: str  # one of CONFLICT_KINDS
    detail: str


def fold_unit(name: str | None) -> str:
    """A unit name as compared: no diacritics, case or punctuation, single spaces; "" when empty or generic."""
    folded = _NOT_WORD.sub(" ", normalize_search(name)).strip()
    if len(folded) < 2 or folded in GENERIC_UNITS:
        return ""
    return folded


def _email(value: str | None) -> str:
    return value.strip().casefold() if value else ""


def _id_number(value: str | None) -> str:
    if not value:
        return ""
    return value if value.isascii() and value.isdigit() else _NOT_DIGIT.sub("", value)


def detect(judges: Iterable[JudgeInfo], entries: Iterable[EntryInfo]) -> list[Conflict]:
    """Every "author" and "same_unit" conflict between `judges` and `entries` (rules in the module docstring).

    Sorted by judge id, entry id, then kind in `CONFLICT_KINDS` order. A judge or an entry given twice counts once.
    """
    unit_cache: dict[str, str] = {}  # units and names repeat: each is folded once
    name_cache: dict[str, str] = {}

    def unit_of(name: str) -> str:
        folded = unit_cache.get(name)
        if folded is None:
            folded = unit_cache[name] = fold_unit(name)
        return folded

    def name_of(name: str) -> str:
        folded = name_cache.get(name)
        if folded is None:
            folded = name_cache[name] = normalize_search(name)
        return folded

    by_id: dict[str, set[int]] = {}
    by_email: dict[str, set[int]] = {}
    by_unit: dict[str, set[int]] = {}
    by_name_unit: dict[tuple[str, str], set[tuple[int, bool, bool]]] = {}  # -> (judge, has ID number, has email)
    # (person has an ID number, person has an email) -> units where a judge might be them by name and unit
    name_units: dict[tuple[bool, bool], set[str]] = {(i, e): set() for i in (False, True) for e in (False, True)}
    for judge in judges:
        id_number, email = _id_number(judge.id_number), _email(judge.email)
        if id_number:
            by_id.setdefault(id_number, set()).add(judge.id)
        if email:
            by_email.setdefault(email, set()).add(judge.id)
        name = name_of(judge.full_name)
        for unit in {unit_of(u) for u in judge.units if u} - {""}:
            by_unit.setdefault(unit, set()).add(judge.id)
            if name:
                by_name_unit.setdefault((name, unit), set()).add((judge.id, bool(id_number), bool(email)))
                for has_id, has_email in name_units:
                    if not (has_id and id_number) and not (has_email and email):
                        name_units[has_id, has_email].add(unit)

    found: dict[int, list[Conflict]] = {}  # judge -> conflicts, entry by entry, "author" before "same_unit"
    seen: set[int] = set()
    repeated = False
    for entry in entries:
        entry_id = entry.id
        repeated = repeated or entry_id in seen
        seen.add(entry_id)
        authors: dict[int, dict[int, str]] = {}  # judge -> {index of the person: detail}
        units: dict[int, str | list[str]] = {}  # judge -> detail, or details when several
        for index, person in enumerate(entry.people):
            id_number, email = _id_number(person.id_number), _email(person.email)
            matches = []
            if id_number and id_number in by_id:
                matches += [(j, "ID number") for j in by_id[id_number]]
            if email and email in by_email:
                matches += [(j, "email") for j in by_email[email]]
            unit = unit_of(person.unit) if person.unit else ""
            judges_there = by_unit.get(unit) if unit else None
            if judges_there:
                _note(units, judges_there, f"{person.unit} ({person.full_name})")
                if unit in name_units[bool(id_number), bool(email)]:
                    namesakes = by_name_unit.get((name_of(person.full_name), unit), ())
                    matches += [
                        (j, "name and unit")
                        for j, has_id, has_email in namesakes
                        if not (has_id and id_number) and not (has_email and email)
                    ]
            for judge_id, basis in matches:
                authors.setdefault(judge_id, {}).setdefault(index, f"{person.full_name} ({basis})")
        for name in entry.units:
            judges_there = by_unit.get(unit_of(name)) if name else None
            if judges_there:
                _note(units, judges_there, name)
        for judge_id, details in authors.items():
            _append(found, judge_id, Conflict(judge_id, entry_id, "author", "; ".join(details.values())))
        for judge_id, detail in units.items():
            text = detail if isinstance(detail, str) else "; ".join(detail)
            _append(found, judge_id, Conflict(judge_id, entry_id, "same_unit", text))

    result = []
    for judge_id in sorted(found):
        conflicts = found[judge_id]
        conflicts.sort(key=_entry_id)  # stable: "author" stays before "same_unit"
        result += _merged(conflicts) if repeated else conflicts
    return result


def _append(found: dict[int, list[Conflict]], judge_id: int, conflict: Conflict) -> None:
    conflicts = found.get(judge_id)
    if conflicts is None:
        found[judge_id] = [conflict]
    else:
        conflicts.append(conflict)


def _entry_id(conflict: Conflict) -> int:
    return conflict.entry_id


def _note(units: dict[int, str | list[str]], judge_ids: Iterable[int], detail: str) -> None:
    """Add `detail` to each judge's same-unit details, once."""
    for judge_id in judge_ids:
        known = units.get(judge_id)
        if known is None:
            units[judge_id] = detail
        elif isinstance(known, str):
            if known != detail:
                units[judge_id] = [known, detail]
        elif detail not in known:
            known.append(detail)


def _merged(conflicts: list[Conflict]) -> list[Conflict]:
    """One conflict per (entry, kind) when an entry was given twice: details joined, each once, kinds in order."""
    details: dict[tuple[int, int], dict[str, None]] = {}
    rank = {kind: i for i, kind in enumerate(CONFLICT_KINDS)}
    for c in conflicts:
        details.setdefault((c.entry_id, rank[c.kind]), {}).update(dict.fromkeys(c.detail.split("; ")))
    judge_id = conflicts[0].judge_id
    return [Conflict(judge_id, e, CONFLICT_KINDS[kind], "; ".join(ds)) for (e, kind), ds in sorted(details.items())]
