"""How the annual report groups what it counts: a school's level read from its name, and an administrative unit
under the unit that now stands for it (the 2025 reform merged provinces and abolished districts).

Pure: no Flask, no database.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from app.text import normalize_search

#: School levels in the order reports list them; "multi" is a school of several levels (liên cấp), "other" any
#: other unit (or a name that says no level).
SCHOOL_LEVELS = ("primary", "lower_secondary", "upper_secondary", "multi", "other")

#: Words of a folded school name that name a level (Vietnamese names and their usual abbreviations).
_LEVEL_PATTERNS = {
    "primary": re.compile(r"\b(tieu hoc|th)\b"),
    "lower_secondary": re.compile(r"\b(trung hoc co so|thcs)\b"),
    "upper_secondary": re.compile(r"\b(trung hoc pho thong|thpt|pho thong trung hoc)\b"),
}
_SEPARATORS = re.compile(r"[&/+,;()\-–]")


def school_level(unit_name: str | None) -> str:
    """The level of the school a name names: "Trường Tiểu học Tân Xuân" is primary, "Trường THCS Tân Phú" lower
    secondary, "Trường THPT chuyên Quang Trung" upper secondary, "Trường TH&THCS Minh Hưng" multi; any other
    name (a company, an empty name) "other"."""
    text = _SEPARATORS.sub(" ", normalize_search(unit_name or ""))
    found = {level for level, pattern in _LEVEL_PATTERNS.items() if pattern.search(text)}
    if not found:
        return "other"
    return found.pop() if len(found) == 1 else "multi"


@dataclass(frozen=True)
class Unit:
    """An administrative unit as the report names it: its label of the time and the unit that succeeded it."""

    id: int
    label: str
    successor_id: int | None = None


def successor_of(units: Mapping[int, Unit], unit_id: int, max_hops: int = 10) -> int:
    """The id of the unit that now stands for `unit_id` (itself when never merged), following successors at most
    `max_hops` times (a loop in the data stops there rather than running forever); a successor missing from
    `units` ends the chain at the last unit known."""
    current = unit_id
    seen = {current}
    for _ in range(max_hops):
        unit = units.get(current)
        if unit is None or unit.successor_id is None or unit.successor_id not in units:
            break
        current = unit.successor_id
        if current in seen:
            break
        seen.add(current)
    return current


def locality_key(units: Mapping[int, Unit], unit_id: int | None, *, successors: bool) -> int | None:
    """The unit a count goes under: the unit of the time, or (with `successors`) the unit that now stands for it;
    None (not recorded) stays None."""
    if unit_id is None:
        return None
    return successor_of(units, unit_id) if successors else unit_id
