"""Access-matrix rows: the organizers' assignment, progress board, reminders and score sheets
(judging/views/manage_assign.py).

Only organizers of the round's contest (the matrix's organizer is Union-wide); judges, even of the contest, and
administrators are refused. POST rows are sent empty: saving a plan without its fingerprint, a manual
assignment without an entry or judge and reopening a sheet without a reason show the page again with the refusal
(200); taking back the assignment whose sheet is submitted is refused with a message (302); a reminder goes out
(302)."""

from __future__ import annotations

from tests.access import only

ROWS: list[tuple[str, str, dict[str, object]]] = [
    ("GET", "/judging/manage/rounds/{round_id}/assignment", only("organizer")),
    ("POST", "/judging/manage/rounds/{round_id}/assignment", only("organizer")),
    ("POST", "/judging/manage/rounds/{round_id}/assignment/manual", only("organizer")),
    ("POST", "/judging/manage/assignments/{assignment_id}/delete", only("organizer")),
    ("GET", "/judging/manage/rounds/{round_id}/progress", only("organizer")),
    ("POST", "/judging/manage/rounds/{round_id}/remind", only("organizer")),
    ("GET", "/judging/manage/sheets/{sheet_id}", only("organizer")),
    ("POST", "/judging/manage/sheets/{sheet_id}/reopen", only("organizer")),
]
