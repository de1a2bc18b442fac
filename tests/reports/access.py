"""Access-matrix rows of the reports package (see tests/test_access_matrix.py): organizers only; the annual report's
index redirects them to a year. `make_targets` gives the year (placeholders prefixed `rep_`)."""

from __future__ import annotations

from tests.access import REDIRECT, only

ROWS: list[tuple[str, str, dict[str, object]]] = [
    ("GET", "/reports/", only("organizer")),
    ("GET", "/reports/annual/", only("organizer") | {"organizer": REDIRECT}),
    ("GET", "/reports/annual/{rep_year}", only("organizer")),
    ("GET", "/reports/annual/{rep_year}.xlsx", only("organizer")),
    ("GET", "/reports/annual/{rep_year}.pdf", only("organizer")),
]


def make_targets() -> dict:
    return {"rep_year": 2025}
