"""Access-matrix rows: (being written)."""

from __future__ import annotations

ROWS: list[tuple[str, str, dict[str, object]]] = []
