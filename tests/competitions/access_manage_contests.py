"""Access-matrix rows: organizers set up editions (competitions/views/manage_contests.py).

Only organizers get in; the matrix's organizer is Union-wide, so every edition is theirs. The target edition is a
Technical Innovation one: it has no age groups, so that page answers 404 even to its organizers, and no parent, so
following a parent's rule answers 404 too (tests/competitions/test_child_pages.py covers child editions). Scoped
organizers (a district's) get 404 on another body's editions: see tests/competitions/test_manage_contests.py."""

from __future__ import annotations

from tests.access import only

YOUTH_ONLY = only("organizer") | {"organizer": 404}
NOT_A_CHILD = only("organizer") | {"organizer": 404}

ROWS: list[tuple[str, str, dict[str, object]]] = [
    ("GET", "/contests/manage/new", only("organizer")),
    ("POST", "/contests/manage/new", only("organizer")),
    ("GET", "/contests/manage/{contest_id}/settings", only("organizer")),
    ("POST", "/contests/manage/{contest_id}/settings", only("organizer")),
    ("POST", "/contests/manage/{contest_id}/status", only("organizer")),
    # Only a child edition follows its parent's rules: the target edition has no parent (404 to its organizers).
    ("POST", "/contests/manage/{contest_id}/inherit", NOT_A_CHILD),
    ("GET", "/contests/manage/{contest_id}/fields", only("organizer")),
    ("POST", "/contests/manage/{contest_id}/fields", only("organizer")),
    ("GET", "/contests/manage/{contest_id}/age-groups", YOUTH_ONLY),
    ("POST", "/contests/manage/{contest_id}/age-groups", YOUTH_ONLY),
    ("GET", "/contests/manage/{contest_id}/documents", only("organizer")),
    ("POST", "/contests/manage/{contest_id}/documents", only("organizer")),
    ("GET", "/contests/manage/{contest_id}/criteria", only("organizer")),
    ("POST", "/contests/manage/{contest_id}/criteria", only("organizer")),
]
