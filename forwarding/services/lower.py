"""An edition's own results as forwarding reads them: each judged entry's rank, score, award and ranking round,
from the results package (the award plan's proposal and the stored awards) or, before any plan exists, from the
ranking round's standings. Reads only: no plan is created here."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from app.extensions import db
from competitions.models import Contest
from judging.services.standings_cache import remembered_standings
from results.models import Award, AwardPlan, AwardTier
from results.ranking import Candidate, rank
from results.services.plans import ranking_round
from results.services.scores import board_order, propose

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


def _own_groups(contest: Contest) -> tuple[dict[int, int], dict[int, int]]:
    """A parent's field and age group ids -> this edition's matching ones: an entry forwarded from here carries the
    parent's, but it is ranked here among this edition's own."""
    fields = {f.parent_id: f.id for f in contest.fields if f.parent_id is not None}
    groups = {a.parent_id: a.id for a in contest.age_groups if a.parent_id is not None}
    return fields, groups


def lower_results(contest: Contest) -> dict[int, LowerResult]:
    """Entry id -> its result in `contest` (only entries the ranking round scored, or that hold an award).

    An entry is ranked within its group as the award plan groups them (its field by default, and before any plan
    exists) by the plan's tie-break chain and the Board's decisions (by score alone before any plan); an entry
    forwarded to the parent since counts in the group it had here, so forwarding some entries changes no other
    entry's rank. A bounded number of queries whatever the number of entries."""
    plan = db.session.scalar(select(AwardPlan).where(AwardPlan.contest_id == contest.id))
    fields, groups = _own_groups(contest)
    candidates: list[Candidate] = []
    chain: list[str] = []
    board: list[int] = []
    scores: dict[int, Decimal | None] = {}
    round_name = ""
    if plan is not None:
        proposal = propose(contest)  # the plan exists: nothing is created
        round_name = proposal.round.name if proposal.round is not None else ""
        chain, board = proposal.chain, board_order(contest)
        for s in proposal.scores:
            scores[s.entry_id] = s.score
            if s.score is None:
                continue
            group = None
            if plan.scope == "field":
                group = fields.get(s.field_id, s.field_id)
            elif plan.scope == "age_group":
                group = groups.get(s.age_group_id, s.age_group_id)
            candidates.append(Candidate(s.entry_id, s.score, s.criteria, group))
    else:
        round_ = ranking_round(contest)
        if round_ is not None:
            round_name = round_.name
            for entry_id, standing in remembered_standings(round_).entries.items():
                scores[entry_id] = standing.score
                if standing.score is not None:
                    group = fields.get(standing.field_id, standing.field_id)
                    candidates.append(Candidate(entry_id, standing.score, {}, group))
    ranks = {r.entry_id: r.rank for r in rank(candidates, chain, board)}
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
