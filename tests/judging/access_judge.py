"""Access-matrix rows: the judges' pages (judging/views/judge.py).

The matrix's judge holds the judge role everywhere but has no assignment: the list of their assignments opens
(empty), and every page about an assignment answers 404, as if it did not exist (another judge's assignment is
never revealed). Everyone else, organizers included, gets 403: these pages are the judges' own. Which judge may
see which assignment, sheet and document is proved in tests/judging/test_judge_access.py."""

from __future__ import annotations

from tests.access import only


def assignment_route() -> dict[str, object]:
    """Judges: 404 (not their assignment); anonymous visitors: the login page; everyone else: 403."""
    return only("judge") | {"judge": 404}


ROWS: list[tuple[str, str, dict[str, object]]] = [
    ("GET", "/judging/", only("judge")),
    ("GET", "/judging/assignments/{assignment_id}", assignment_route()),
    ("POST", "/judging/assignments/{assignment_id}", assignment_route()),
    ("GET", "/judging/assignments/{assignment_id}/documents/{judged_document_id}", assignment_route()),
    ("POST", "/judging/assignments/{assignment_id}/conflict", assignment_route()),
]
