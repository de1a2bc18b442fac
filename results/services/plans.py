"""An edition's award plan: which round ranks, per what group quotas apply, the tiers and the tie-break chain."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from app.extensions import db
from competitions.models import Contest
from judging.models import Round
from results.awards import ENCOURAGEMENT, FIRST, SECOND, THIRD
from results.models import AwardPlan, AwardTier
from results.ranking import BOARD, default_chain

#: Default tiers with the domain's example quotas per field (1/2/4/8), in Vietnamese as the certificates print them.
DEFAULT_TIERS = (
    (FIRST, "Giải Nhất", 1),
    (SECOND, "Giải Nhì", 2),
    (THIRD, "Giải Ba", 4),
    (ENCOURAGEMENT, "Giải Khuyến khích", 8),
)


def ranking_round(contest: Contest, plan: AwardPlan | None = None) -> Round | None:
    """The round whose scores rank the entries: the plan's, else the contest's last round (the final)."""
    if plan is not None and plan.round_id is not None:
        chosen = db.session.get(Round, plan.round_id)
        if chosen is not None and chosen.contest_id == contest.id:
            return chosen
    return db.session.scalar(
        select(Round).where(Round.contest_id == contest.id).order_by(Round.position.desc(), Round.id.desc()).limit(1)
    )


def criterion_key(criterion_id: int) -> str:
    """How a criterion of the ranking round's rubric is named in a tie-break chain."""
    return f"c{criterion_id}"


def chain_for(plan: AwardPlan, round_: Round | None) -> list[str]:
    """The plan's tie-break chain, or the domain's default for the round's rubric (effectiveness, novelty, Board).
    Links naming a criterion no longer on the rubric are dropped; the Board always closes the chain."""
    keys = {criterion_key(c.id) for c in round_.criteria} if round_ is not None else set()
    if plan.tie_break:
        chain = [link for link in plan.tie_break if link in keys]
    elif round_ is not None:
        chain = default_chain([(criterion_key(c.id), c.name) for c in round_.criteria])
    else:
        chain = []
    chain = [link for link in chain if link != BOARD]
    return [*chain, BOARD]


def plan_for(contest: Contest) -> AwardPlan:
    """The edition's plan, created (flushed, not committed) with the defaults when it has none: quotas per field,
    First/Second/Third/Encouragement 1/2/4/8, no minimum score, the default chain, no feedback to contestants."""
    plan = db.session.scalar(select(AwardPlan).where(AwardPlan.contest_id == contest.id))
    if plan is None:
        plan = AwardPlan(contest_id=contest.id, scope="field", tie_break=[], show_feedback=False)
        plan.tiers = [
            AwardTier(code=code, name=name, position=i, quota=quota, min_score=None, special=False)
            for i, (code, name, quota) in enumerate(DEFAULT_TIERS)
        ]
        db.session.add(plan)
        db.session.flush()
    return plan


def ranked_tiers(plan: AwardPlan) -> list[AwardTier]:
    """The plan's ranked tiers (not special prizes), highest first."""
    return [t for t in plan.tiers if not t.special]


def min_score(value) -> Decimal | None:
    return None if value is None else Decimal(value)
