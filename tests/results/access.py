"""Access-matrix rows of the results package (see tests/test_access_matrix.py).

Each part keeps its rows in its own module (`access_manage_awards`, `access_public`, `access_certificates`,
`access_exports`); `make_targets` creates what their URLs point at: a judged contest (two judges, three entries
scored), its award plan, and URL placeholders prefixed `results_`. Parts that need more (a publication, a
certificate) add it in their own `extend_targets(targets) -> dict`, called here in turn."""

from __future__ import annotations

import importlib

from app.extensions import db
from results.services.plans import plan_for
from tests.results.factories import make_judged

PARTS = ["access_manage_awards", "access_public", "access_certificates", "access_exports"]

ROWS: list[tuple[str, str, dict[str, object]]] = []
for _part in PARTS:
    ROWS += importlib.import_module(f"tests.results.{_part}").ROWS


def make_targets() -> dict:
    judging = make_judged({1: [[28, 28, 38], [27, 27, 37]], 2: [[20, 20, 30], [21, 20, 30]], 3: [[10, 10, 10]] * 2})
    plan_for(judging.contest)
    db.session.commit()
    targets = {
        "results_contest_id": judging.contest.id,
        "results_round_id": judging.round.id,
        "results_entry_id": judging.entries[0].id,
    }
    for part in PARTS:
        extend = getattr(importlib.import_module(f"tests.results.{part}"), "extend_targets", None)
        if extend is not None:
            targets |= extend(targets)
    return targets
