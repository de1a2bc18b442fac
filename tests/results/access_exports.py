"""Access-matrix rows: the scoring workbook and CSV of a round (results/views/exports.py), organizers only."""

from __future__ import annotations

from tests.access import only

ROWS: list[tuple[str, str, dict[str, object]]] = [
    ("GET", "/results/manage/{results_contest_id}/exports", only("organizer")),
    ("POST", "/results/manage/rounds/{results_round_id}/workbook", only("organizer")),
    ("POST", "/results/manage/rounds/{results_round_id}/scores-csv", only("organizer")),
]
