"""Access-matrix rows: visitors and contestants (competitions/views/public.py).

The target entry belongs to a contestant who is none of the matrix's accounts: every other contestant gets
404 (an entry that is not yours does not exist for you); the contest's organizers may read it, never change it."""

from __future__ import annotations

from tests.access import ALL, ANON, LOGIN, OK, everyone, only


def entry_route(organizer=OK) -> dict[str, object]:
    return {r: LOGIN if r == ANON else organizer if r == "organizer" else 404 for r in ALL}


ROWS: list[tuple[str, str, dict[str, object]]] = [
    ("GET", "/contests/", everyone()),
    ("GET", "/contests/manage/", only("organizer")),
    ("GET", "/contests/{contest_id}", everyone()),
    ("GET", "/contests/{contest_id}/register", only("contestant")),
    ("POST", "/contests/{contest_id}/register", only("contestant")),
    ("GET", "/contests/my-entries", only("contestant")),
    ("GET", "/contests/entries/{entry_id}", entry_route()),
    ("GET", "/contests/entries/{entry_id}/submitted", entry_route()),
    ("GET", "/contests/entries/{entry_id}/qr.{fmt}", entry_route()),
    ("GET", "/contests/entries/{entry_id}/documents/{document_id}", entry_route()),
    ("GET", "/contests/entries/{entry_id}/edit", entry_route(403)),
    ("POST", "/contests/entries/{entry_id}/edit", entry_route(403)),
    ("POST", "/contests/entries/{entry_id}/submit", entry_route(403)),
    ("POST", "/contests/entries/{entry_id}/withdraw", entry_route(403)),
    ("POST", "/contests/entries/{entry_id}/documents", entry_route(403)),
    ("POST", "/contests/entries/{entry_id}/documents/{document_id}/delete", entry_route(403)),
]
