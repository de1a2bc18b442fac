"""What the analysis of a file gives: its dossiers, each with its problems, and the problems of the file."""

from __future__ import annotations

from dataclasses import dataclass, field

from competitions.imports.columns import SPECS
from competitions.imports.problems import ImportProblem
from competitions.services import EntryInput, PersonInput


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
