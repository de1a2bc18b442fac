"""Access-matrix rows: results with the working, re-scoring and advancement (judging/views/manage_results.py).

Only organizers manage a contest's judging (the matrix's organizer is Union-wide; its judge sits on no panel and
an administrator manages accounts, not contests). Empty POSTs are refused with 400: re-scoring needs a reason,
advancing needs at least one entry."""

from __future__ import annotations

from tests.access import only

ROWS: list[tuple[str, str, dict[str, object]]] = [
    ("GET", "/judging/manage/rounds/{round_id}/results", only("organizer")),
    ("GET", "/judging/manage/rounds/{round_id}/results.xlsx", only("organizer")),
    ("POST", "/judging/manage/rounds/{round_id}/entries/{judged_entry_id}/rescore", only("organizer")),
    ("GET", "/judging/manage/rounds/{round_id}/advance", only("organizer")),
    ("POST", "/judging/manage/rounds/{round_id}/advance", only("organizer")),
]
