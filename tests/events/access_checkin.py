"""Access-matrix rows of the events package's checkin pages."""

from __future__ import annotations

ROWS: list[tuple[str, str, dict[str, object]]] = []


def make_targets() -> dict:
    return {}
