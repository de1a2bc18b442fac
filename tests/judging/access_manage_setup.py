"""Access-matrix rows: organizers set judging up (judging/views/manage_setup.py).

Only organizers get in (the matrix's organizer is Union-wide); judges, even of this contest, get 403. An organizer
of another body gets 403 too: see tests/judging/test_manage_setup.py."""

from __future__ import annotations

from tests.access import only

ORGANIZERS = only("organizer")

ROWS: list[tuple[str, str, dict[str, object]]] = [
    ("GET", "/judging/manage/{judging_contest_id}", ORGANIZERS),
    ("POST", "/judging/manage/{judging_contest_id}/rounds/new", ORGANIZERS),
    ("GET", "/judging/manage/rounds/{round_id}/settings", ORGANIZERS),
    ("POST", "/judging/manage/rounds/{round_id}/settings", ORGANIZERS),
    ("POST", "/judging/manage/rounds/{round_id}/rubric", ORGANIZERS),
    ("POST", "/judging/manage/rounds/{round_id}/entries/add", ORGANIZERS),
    ("POST", "/judging/manage/rounds/{round_id}/status", ORGANIZERS),
    ("GET", "/judging/manage/{judging_contest_id}/panels", ORGANIZERS),
    ("GET", "/judging/manage/{judging_contest_id}/panels/new", ORGANIZERS),
    ("POST", "/judging/manage/{judging_contest_id}/panels/new", ORGANIZERS),
    ("GET", "/judging/manage/panels/{panel_id}/edit", ORGANIZERS),
    ("POST", "/judging/manage/panels/{panel_id}/edit", ORGANIZERS),
    ("GET", "/judging/manage/{judging_contest_id}/conflicts", ORGANIZERS),
    ("POST", "/judging/manage/{judging_contest_id}/conflicts/detect", ORGANIZERS),
    ("POST", "/judging/manage/{judging_contest_id}/conflicts/new", ORGANIZERS),
    ("POST", "/judging/manage/conflicts/{conflict_id}/lift", ORGANIZERS),
]
