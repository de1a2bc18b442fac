"""Access-matrix rows of the honors package's ballots pages."""

from __future__ import annotations

ROWS: list[tuple[str, str, dict[str, object]]] = []


def make_targets() -> dict:
    return {}
