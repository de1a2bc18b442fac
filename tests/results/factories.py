"""Test data for results: a judged contest (see tests/judging/factories.make_judging) with scores submitted."""

from __future__ import annotations

from app.extensions import db
from results.ranking import BOARD
from results.services.plan_edit import update_plan
from results.services.plans import plan_for
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


SPECIAL_NAMES = {
    "youngest_author": "Tác giả nhỏ tuổi nhất",
    "oldest_author": "Tác giả cao tuổi nhất",
    "unit_most_finalists": "Đơn vị có nhiều giải pháp nhất",
    "manual": "Giải Sáng kiến",
}


def add_specials(contest, *rules: str) -> dict:
    """The edition's plan with a special prize per rule (named in SPECIAL_NAMES), through `update_plan`; returns its
    special tiers by rule."""
    plan = plan_for(contest)
    values = {
        "round_id": plan.round_id,
        "scope": plan.scope,
        "tiers": [
            {"id": t.id, "name": t.name, "quota": t.quota, "min_score": t.min_score, "points": None}
            for t in plan.tiers
            if not t.special
        ],
        "specials": [{"id": None, "name": SPECIAL_NAMES[r], "rule": r} for r in rules],
        "tie_break": [link for link in plan.tie_break if link != BOARD],
        "show_feedback": plan.show_feedback,
    }
    update_plan(plan, values, by=None)
    db.session.commit()
    return {t.rule: t for t in plan.tiers if t.special}


def set_units(judging, *units: str) -> None:
    """Entry n's unit is units[n-1]."""
    for entry, unit in zip(judging.entries, units, strict=True):
        entry.unit_name = unit
    db.session.commit()
