"""Access-matrix rows of the honors package (see tests/test_access_matrix.py).

Each part keeps its rows and the records its URLs point at in its own module (`access_campaigns`, `access_ballots`);
`make_targets` merges what the parts build."""

from __future__ import annotations

import importlib

PARTS = ["access_campaigns", "access_ballots"]

ROWS: list[tuple[str, str, dict[str, object]]] = []
for _part in PARTS:
    ROWS += importlib.import_module(f"tests.honors.{_part}").ROWS


def make_targets() -> dict:
    targets: dict = {}
    for part in PARTS:
        targets |= importlib.import_module(f"tests.honors.{part}").make_targets()
    return targets
