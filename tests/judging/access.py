"""Access-matrix rows of the judging package (see tests/test_access_matrix.py).

Each part keeps its rows in its own module (`access_manage_setup`, `access_manage_assign`,
`access_manage_results`, `access_judge`); `make_targets` creates what their URLs point at: a contest in judging
with a sub-panel of two judges (none of them the matrix's accounts), a preliminary round with three entries each
assigned to both judges, one sheet submitted, and a detected conflict. Which judge may see which entry and sheet is
proved in tests/judging/test_judge_access.py, where the judges are the panel's own."""

from __future__ import annotations

import importlib

from app.extensions import db
from judging.models import Conflict
from tests.judging.factories import make_judging, score

PARTS = ["access_manage_setup", "access_manage_assign", "access_manage_results", "access_judge"]

ROWS: list[tuple[str, str, dict[str, object]]] = []
for _part in PARTS:
    ROWS += importlib.import_module(f"tests.judging.{_part}").ROWS


def make_targets() -> dict:
    judging = make_judging(entries=3, judges=2)
    first_judge, second_judge = judging.judges
    entry = judging.entries[0]
    sheet = score(judging, first_judge, entry, [20, 20, 30])
    conflict = Conflict(
        contest_id=judging.contest.id, judge_id=second_judge.id, entry_id=judging.entries[2].id, kind="family"
    )
    db.session.add(conflict)
    db.session.commit()
    return {
        "judging_contest_id": judging.contest.id,
        "round_id": judging.round.id,
        "panel_id": judging.panel.id,
        "conflict_id": conflict.id,
        "assignment_id": judging.assignment(first_judge, entry).id,
        "sheet_id": sheet.id,
        "judged_entry_id": entry.id,
        "judge_id": first_judge.id,
        "judged_document_id": entry.documents[0].id if entry.documents else 0,
    }
