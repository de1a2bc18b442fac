"""Test data for results: a judged contest (see tests/judging/factories.make_judging) with scores submitted."""

from __future__ import annotations

from tests.judging.factories import Judging, make_judging, score


def make_judged(sheets: dict[int, list[list]], **options) -> Judging:
    """A contest whose round has `len(sheets)` entries (numbered from 1) judged by as many judges as each list
    holds: `sheets[n]` is the list of each judge's criterion values for entry n (rubric 30/30/40: novelty,
    applicability, effectiveness), all submitted."""
    judges = max(len(v) for v in sheets.values())
    judging = make_judging(entries=len(sheets), judges=judges, **options)
    for n, per_judge in sheets.items():
        entry = judging.entries[n - 1]
        for judge, values in zip(judging.judges, per_judge, strict=False):
            score(judging, judge, entry, values)
    return judging
