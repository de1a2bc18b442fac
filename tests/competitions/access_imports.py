"""Access-matrix rows: access_imports (see tests/competitions/access.py)."""

from __future__ import annotations

ROWS: list[tuple[str, str, dict[str, object]]] = []
