"""The ranking round's scores as results need them, and the awards the plan proposes from them. Reads only."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select

from app.extensions import db
from competitions.models import AgeGroup, Contest, Entry, Field
from judging.models import Assignment, Round, RubricCriterion, Score, ScoreSheet
from judging.services.standings_cache import remembered_standings
from results import awards as rules
from results.models import AwardPlan, TieDecision
from results.ranking import Candidate, Ranked, rank
from results.services.plans import chain_for, criterion_key, plan_for, ranked_tiers, ranking_round

CENT = Decimal("0.01")


@dataclass
class EntryScore:
    """An entry of the ranking round with its score (normalised when the round normalises, else raw) and its mean
    per criterion over the submitted sheets (keys `criterion_key(id)`), to 0.01."""

    entry_id: int
    code: str
    title: str
    field_id: int | None
    field_name: str
    age_group_id: int | None
    age_group_name: str
    unit_name: str
    score: Decimal | None
    raw: Decimal | None
    normalised: Decimal | None
    judges: int
    criteria: dict[str, Decimal] = field(default_factory=dict)


def entry_scores(round_: Round) -> list[EntryScore]:
    """Every entry of the round with its score, in the standings' order (by field, best first). A bounded number
    of queries: the standings' (their stamp only, when the worker remembers them: `remembered_standings`) and two
    more. The standings are shared with other requests: only read."""
    standings = remembered_standings(round_)
    ids = list(standings.entries)
    if not ids:
        return []
    details = {
        row.id: row
        for row in db.session.execute(
            select(Entry.id, Entry.unit_name, Entry.age_group_id, AgeGroup.name.label("age_group"), Field.name)
            .outerjoin(AgeGroup, AgeGroup.id == Entry.age_group_id)
            .outerjoin(Field, Field.id == Entry.field_id)
            .where(Entry.id.in_(ids))
        )
    }
    means: dict[int, dict[str, Decimal]] = {}
    averages = db.session.execute(
        select(Assignment.entry_id, Score.criterion_id, func.avg(Score.value))
        .join(ScoreSheet, ScoreSheet.assignment_id == Assignment.id)
        .join(Score, Score.sheet_id == ScoreSheet.id)
        .join(RubricCriterion, RubricCriterion.id == Score.criterion_id)
        .where(
            Assignment.round_id == round_.id, ScoreSheet.status == "submitted", RubricCriterion.round_id == round_.id
        )
        .group_by(Assignment.entry_id, Score.criterion_id)
    )
    for entry_id, criterion_id, mean in averages:
        means.setdefault(entry_id, {})[criterion_key(criterion_id)] = Decimal(str(mean)).quantize(
            CENT, rounding=ROUND_HALF_UP
        )
    out = []
    for entry_id, standing in standings.entries.items():
        row = details.get(entry_id)
        out.append(
            EntryScore(
                entry_id=entry_id,
                code=standing.code,
                title=standing.title,
                field_id=standing.field_id,
                field_name=(row.name if row is not None else "") or "",
                age_group_id=row.age_group_id if row is not None else None,
                age_group_name=(row.age_group if row is not None else "") or "",
                unit_name=(row.unit_name if row is not None else "") or "",
                score=standing.score,
                raw=standing.raw,
                normalised=standing.normalised,
                judges=standing.submitted,
                criteria=means.get(entry_id, {}),
            )
        )
    return out


@dataclass
class Proposal:
    """What the plan proposes: the ranking (within the plan's groups), the tiers allocated, the ties at a quota
    boundary the Board must decide, and the chain used."""

    plan: AwardPlan
    round: Round | None
    scores: list[EntryScore]
    chain: list[str]
    ranked: list[Ranked]
    allocation: rules.Allocation

    def by_entry(self) -> dict[int, EntryScore]:
        return {s.entry_id: s for s in self.scores}

    def rank_of(self) -> dict[int, Ranked]:
        return {r.entry_id: r for r in self.ranked}


def group_of(score: EntryScore, scope: str) -> Hashable:
    if scope == "field":
        return score.field_id
    if scope == "age_group":
        return score.age_group_id
    return None


def board_order(contest: Contest) -> list[int]:
    """Entry ids in the order of the Board's recorded tie decisions (the latest decision about an entry wins)."""
    order: list[int] = []
    decisions = db.session.scalars(
        select(TieDecision).where(TieDecision.contest_id == contest.id).order_by(TieDecision.id.desc())
    )
    for decision in decisions:
        for entry_id in decision.entry_ids:
            if entry_id not in order:
                order.append(int(entry_id))
    return order


def propose(contest: Contest) -> Proposal:
    """Rank the ranking round's scored entries within the plan's groups by the plan's chain and the Board's
    decisions, and allocate the plan's ranked tiers (`results.awards.allocate`). Entries without a score are
    left out of the ranking."""
    plan = plan_for(contest)
    round_ = ranking_round(contest, plan)
    scores = entry_scores(round_) if round_ is not None else []
    chain = chain_for(plan, round_)
    candidates = [
        Candidate(s.entry_id, s.score, s.criteria, group_of(s, plan.scope)) for s in scores if s.score is not None
    ]
    ranked = rank(candidates, chain, board_order(contest))
    tiers = [
        rules.Tier(t.code, t.quota, None if t.min_score is None else Decimal(t.min_score)) for t in ranked_tiers(plan)
    ]
    return Proposal(plan, round_, scores, chain, ranked, rules.allocate(ranked, tiers))
