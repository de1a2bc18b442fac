"""Access-matrix rows: importing entries from a file (competitions/views/imports.py).

Only the contest's organizers (the matrix's organizer is Union-wide). Confirming with a token that is not one
of ours ("not-a-valid-token") is 404 for the organizer too: a token is only good for the account that uploaded
the file, in the contest it was uploaded to."""

from __future__ import annotations

from tests.access import only

ROWS: list[tuple[str, str, dict[str, object]]] = [
    ("GET", "/contests/manage/{contest_id}/import", only("organizer")),
    ("POST", "/contests/manage/{contest_id}/import", only("organizer")),  # no file: the form again, 400
    ("GET", "/contests/manage/{contest_id}/import/template.xlsx", only("organizer")),
    ("POST", "/contests/manage/{contest_id}/import/{bad_token}/confirm", only("organizer") | {"organizer": 404}),
]
