"""Changing an edition's award plan: the ranking round, the scope, the ranked tiers and special prizes, the
tie-break chain, feedback to contestants and team points. Every problem is reported at once, for the page to show
each beside its field; the change is audited ("award_plan.update") and flushed, the view commits."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import update

from app.audit.service import record, snapshot
from app.extensions import db
from app.text import normalize_search
from competitions.models import Contest
from judging.models import Round
from results.models import PLAN_SCOPES, SPECIAL_RULES, Award, AwardPlan, AwardTier
from results.ranking import BOARD
from results.services.plans import criterion_key, ranking_round
from results.services.review import tier_usage

__all__ = [
    "ERROR_CODES",
    "MAX_MIN_SCORE",
    "MAX_POINTS",
    "MAX_QUOTA",
    "MAX_TIERS",
    "PlanError",
    "Problem",
    "update_plan",
]

MAX_TIERS = 20
MAX_QUOTA = 100_000
MAX_POINTS = 1000
MAX_MIN_SCORE = Decimal(1000)

#: What can be wrong in a plan (`Problem.code`).
ERROR_CODES = (
    "round_not_in_contest",  # the ranking round is not a round of this edition
    "scope_invalid",  # not one of PLAN_SCOPES (per age group: youth contests only)
    "no_tiers",  # the plan has no ranked tier
    "too_many_tiers",  # more than MAX_TIERS rows
    "name_required",  # a tier or special prize needs a name
    "name_too_long",  # at most 120 characters
    "name_taken",  # two tiers or prizes of the plan have the same name
    "quota_invalid",  # a quota is a whole number from 0 to MAX_QUOTA
    "min_score_invalid",  # a minimum score is from 0 to MAX_MIN_SCORE, to 0.01
    "points_invalid",  # team points are a whole number from 0 to MAX_POINTS
    "rule_invalid",  # not one of SPECIAL_RULES
    "rule_taken",  # two special prizes with the same rule (other than "by hand")
    "chain_unknown",  # a tie-break link that is not a criterion of the ranking round
    "chain_repeated",  # a criterion twice in the chain
    "tier_in_use",  # a tier being removed still has stored awards
)

PLAN_FIELDS = ("round_id", "scope", "tie_break", "show_feedback", "team_points")
TIER_FIELDS = ("code", "name", "position", "quota", "min_score", "special", "rule")


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a plan: the field ("round_id", "scope", "tie_break", "tiers", "specials"), the row of a
    list (None for the list as a whole or another field), the row's field ("name", "quota"...) and the code."""

    field: str
    code: str
    row: int | None = None
    column: str | None = None
    #: For "tier_in_use": the tier's name and its stored awards.
    name: str = ""
    count: int = 0


class PlanError(Exception):
    """A plan was refused: every problem found, to be shown beside its field."""

    def __init__(self, problems: list[Problem]):
        super().__init__(", ".join(p.code for p in problems))
        self.problems = problems


def _plan_state(plan: AwardPlan) -> dict:
    state = snapshot(plan, PLAN_FIELDS)
    state["tiers"] = [snapshot(t, TIER_FIELDS) for t in plan.tiers]
    return state


def _new_code(name: str, taken: set[str]) -> str:
    """A code for a new tier from its name ("Giải Tác giả nhỏ tuổi" -> "giai-tac-gia-nho-tuoi"), unique in the plan."""
    base = re.sub(r"[^a-z0-9]+", "-", normalize_search(name)).strip("-")[:32] or "tier"
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base}-{n}"
    return code


def _round_of(contest: Contest, round_id: int | None) -> Round | None:
    if round_id is None:
        return ranking_round(contest)
    return db.session.get(Round, round_id)


def update_plan(plan: AwardPlan, values: dict, *, by) -> bool:
    """Change the edition's award plan; True when anything changed (audited "award_plan.update").

    `values`: "round_id" (a round of the edition, or None for its last round), "scope" (one of PLAN_SCOPES; per age
    group only for a youth contest), "tiers" (the ranked tiers, highest first: dicts of "id" (None for a new one),
    "name", "quota" (None: no limit), "min_score" (None: any), "points" (team points, youth contests)), "specials"
    (dicts of "id", "name", "rule"), "tie_break" (criterion keys of the ranking round's rubric in order; the Board
    always closes the chain), "show_feedback". Every problem is reported at once (`PlanError`); nothing changes
    then. A renamed tier renames its stored awards; a tier with stored awards cannot be removed."""
    contest = plan.contest
    problems: list[Problem] = []

    round_id = values.get("round_id")
    round_ = _round_of(contest, round_id)
    if round_id is not None and (round_ is None or round_.contest_id != contest.id):
        problems.append(Problem("round_id", "round_not_in_contest"))
        round_ = None

    scope = values.get("scope")
    if scope not in PLAN_SCOPES or (scope == "age_group" and not contest.is_youth):
        problems.append(Problem("scope", "scope_invalid"))

    tiers_in = list(values.get("tiers") or [])
    specials_in = list(values.get("specials") or [])
    if not tiers_in:
        problems.append(Problem("tiers", "no_tiers"))
    if len(tiers_in) + len(specials_in) > MAX_TIERS:
        problems.append(Problem("tiers", "too_many_tiers"))
    names: set[str] = set()
    for list_name, rows in (("tiers", tiers_in), ("specials", specials_in)):
        for i, row in enumerate(rows):
            name = (row.get("name") or "").strip()
            if not name:
                problems.append(Problem(list_name, "name_required", i, "name"))
            elif len(name) > 120:
                problems.append(Problem(list_name, "name_too_long", i, "name"))
            elif normalize_search(name) in names:
                problems.append(Problem(list_name, "name_taken", i, "name"))
            names.add(normalize_search(name))
    for i, row in enumerate(tiers_in):
        quota, minimum, points = row.get("quota"), row.get("min_score"), row.get("points")
        if quota is not None and not (isinstance(quota, int) and 0 <= quota <= MAX_QUOTA):
            problems.append(Problem("tiers", "quota_invalid", i, "quota"))
        if minimum is not None and not (
            isinstance(minimum, Decimal)
            and minimum.is_finite()
            and 0 <= minimum <= MAX_MIN_SCORE
            and minimum.as_tuple().exponent >= -2
        ):
            problems.append(Problem("tiers", "min_score_invalid", i, "min_score"))
        if points is not None and not (isinstance(points, int) and 0 <= points <= MAX_POINTS):
            problems.append(Problem("tiers", "points_invalid", i, "points"))
    ruled: set[str] = set()
    for i, row in enumerate(specials_in):
        rule = row.get("rule")
        if rule not in SPECIAL_RULES:
            problems.append(Problem("specials", "rule_invalid", i, "rule"))
        elif rule != "manual" and rule in ruled:
            problems.append(Problem("specials", "rule_taken", i, "rule"))
        ruled.add(rule)

    chain = [link for link in (values.get("tie_break") or []) if link != BOARD]
    keys = {criterion_key(c.id) for c in round_.criteria} if round_ is not None else set()
    if any(link not in keys for link in chain):
        problems.append(Problem("tie_break", "chain_unknown"))
    elif len(set(chain)) != len(chain):
        problems.append(Problem("tie_break", "chain_repeated"))

    existing = {t.id: t for t in plan.tiers}
    kept_ids = {row.get("id") for row in [*tiers_in, *specials_in] if row.get("id") in existing}
    usage = tier_usage(contest)
    for tier in plan.tiers:
        if tier.id not in kept_ids and usage.get(tier.code):
            problems.append(Problem("tiers", "tier_in_use", name=tier.name, count=usage[tier.code]))
    if problems:
        raise PlanError(problems)

    before = _plan_state(plan)
    renamed: dict[str, str] = {}
    plan.round_id = round_id
    plan.scope = scope
    plan.tie_break = [*chain, BOARD] if values.get("tie_break") is not None else []
    plan.show_feedback = bool(values.get("show_feedback"))
    # Codes of removed tiers are not reused: the new row would be inserted before the old one is deleted.
    taken = {t.code for t in plan.tiers}
    tiers: list[AwardTier] = []
    points: dict[str, int] = {}
    for position, (row, special) in enumerate([(r, False) for r in tiers_in] + [(r, True) for r in specials_in]):
        tier = existing.get(row.get("id"))
        name = row["name"].strip()
        if tier is None:
            tier = AwardTier(code=_new_code(name, taken))
            taken.add(tier.code)
        elif tier.name != name:
            renamed[tier.code] = name
        tier.name = name
        tier.position = position
        tier.special = special
        if special:
            tier.quota, tier.min_score, tier.rule = None, None, row["rule"]
        else:
            tier.quota, tier.min_score, tier.rule = row.get("quota"), row.get("min_score"), None
            if row.get("points") is not None:
                points[tier.code] = row["points"]
        tiers.append(tier)
    plan.tiers = tiers
    if contest.is_youth:
        plan.team_points = points or None
    db.session.flush()
    for code, name in renamed.items():
        db.session.execute(
            update(Award).where(Award.contest_id == contest.id, Award.tier_code == code).values(tier_name=name)
        )
    after = _plan_state(plan)
    if after == before:
        return False
    record("award_plan.update", plan, before=before, after=after, actor=by)
    return True
