"""An edition's own results as forwarding reads them: each judged entry's rank, score, award and ranking round,
from the results package (the award plan's proposal and the stored awards) or, before any plan exists, from the
ranking round's standings. Reads only: no plan is created here."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from app.extensions import db
from competitions.models import Contest
from judging.services.standings import round_standings
from results.models import Award, AwardPlan, AwardTier
from results.services.plans import ranking_round
from results.services.scores import propose

#: Where a special prize sorts among the tiers (after every ranked tier).
SPECIAL_POSITION = 1000


@dataclass(frozen=True)
class LowerResult:
    """One entry's result in an edition: its rank within its group (the plan's: field by default), its score (to
    0.01), its awards' names and the position of the best one (lower is better; None without an award), and the
    ranking round's name."""

    rank: int | None = None
    score: Decimal | None = None
    award: str = ""
    award_position: int | None = None
    round: str = ""

    @property
    def awarded(self) -> bool:
        return self.award_position is not None

    def as_record(self) -> dict:
        """As a forward keeps it (`Forward.lower_result`): text and numbers for people."""
        return {
            "rank": self.rank,
            "score": None if self.score is None else f"{self.score:.2f}",
            "award": self.award,
            "round": self.round,
        }


@dataclass(frozen=True)
class TierOption:
    code: str
    name: str
    position: int


def award_tiers(contest: Contest) -> list[TierOption]:
    """The edition's ranked award tiers, highest first (none before its plan exists)."""
    rows = db.session.execute(
        select(AwardTier.code, AwardTier.name, AwardTier.position)
        .join(AwardPlan, AwardPlan.id == AwardTier.plan_id)
        .where(AwardPlan.contest_id == contest.id, AwardTier.special.is_(False))
        .order_by(AwardTier.position, AwardTier.id)
    ).all()
    return [TierOption(code, name, position) for code, name, position in rows]


def lower_results(contest: Contest) -> dict[int, LowerResult]:
    """Entry id -> its result in `contest` (only entries the ranking round scored, or that hold an award). A bounded
    number of queries whatever the number of entries."""
    plan = db.session.scalar(select(AwardPlan).where(AwardPlan.contest_id == contest.id))
    ranks: dict[int, int | None] = {}
    scores: dict[int, Decimal | None] = {}
    round_name = ""
    if plan is not None:
        proposal = propose(contest)  # the plan exists: nothing is created
        round_name = proposal.round.name if proposal.round is not None else ""
        scores = {s.entry_id: s.score for s in proposal.scores}
        ranks = {r.entry_id: r.rank for r in proposal.ranked}
    else:
        round_ = ranking_round(contest)
        if round_ is not None:
            round_name = round_.name
            for entry_id, standing in round_standings(round_).entries.items():
                scores[entry_id] = standing.score
                ranks[entry_id] = standing.rank
    positions = {t.code: t.position for t in award_tiers(contest)} if plan is not None else {}
    awards: dict[int, list[tuple[int, str, Decimal | None]]] = {}
    for entry_id, code, name, special, score in db.session.execute(
        select(Award.entry_id, Award.tier_code, Award.tier_name, Award.special, Award.score)
        .where(Award.contest_id == contest.id)
        .order_by(Award.id)
    ):
        position = SPECIAL_POSITION if special else positions.get(code, SPECIAL_POSITION - 1)
        awards.setdefault(entry_id, []).append((position, name, None if score is None else Decimal(score)))
    out: dict[int, LowerResult] = {}
    for entry_id in scores.keys() | awards.keys():
        given = sorted(awards.get(entry_id, []), key=lambda a: a[0])
        score = scores.get(entry_id)
        if score is None:
            score = next((s for _p, _n, s in given if s is not None), None)
        out[entry_id] = LowerResult(
            rank=ranks.get(entry_id),
            score=score,
            award="; ".join(name for _p, name, _s in given),
            award_position=given[0][0] if given else None,
            round=round_name,
        )
    return out
