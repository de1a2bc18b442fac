"""Access-matrix rows: the organizers' work on entries (competitions/views/manage_entries.py).

Only organizers manage contests (an administrator manages accounts, not contests); the matrix's organizer is
Union-wide. An empty screening form is refused with 400 (no decision chosen), for a draft as for a submitted
entry."""

from __future__ import annotations

from tests.access import only

ROWS: list[tuple[str, str, dict[str, object]]] = [
    ("GET", "/contests/manage/{contest_id}/entries", only("organizer")),
    ("GET", "/contests/manage/{contest_id}/entries.xlsx", only("organizer")),
    ("GET", "/contests/manage/{contest_id}/entries.csv", only("organizer")),
    ("POST", "/contests/manage/entries/{entry_id}/screen", only("organizer")),
    ("POST", "/contests/manage/entries/{draft_entry_id}/screen", only("organizer")),
]
