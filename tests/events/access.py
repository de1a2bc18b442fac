"""Access-matrix rows of the events package (see tests/test_access_matrix.py).

Each part keeps its rows and the records its URLs point at in its own module (`access_events`, `access_checkin`);
`make_targets` merges what the parts build."""

from __future__ import annotations

import importlib

PARTS = ["access_events", "access_checkin"]

ROWS: list[tuple[str, str, dict[str, object]]] = []
for _part in PARTS:
    ROWS += importlib.import_module(f"tests.events.{_part}").ROWS


def make_targets() -> dict:
    targets: dict = {}
    for part in PARTS:
        targets |= importlib.import_module(f"tests.events.{part}").make_targets()
    return targets
