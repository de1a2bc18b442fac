"""Access-matrix rows of the honors package (see tests/test_access_matrix.py)."""

from __future__ import annotations

ROWS: list[tuple[str, str, dict[str, object]]] = []


def make_targets() -> dict:
    return {}
