"""The official summary of an edition's results (biên bản tổng hợp kết quả): the ranking round and its method,
the awarded entries of each group (field, age group, or the whole contest, as the plan ranks them) with rank,
code, title, authors, unit, score and prize, the special prizes, totals per tier, the tie-break chain and the
Board's decisions, and the approving decision; a prize to a unit is a special prize with the unit as recipient and
no entry. Read from the recorded awards; reads only (a GET creates no plan)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.timefmt import to_local, utcnow
from competitions.models import Contest, Entry
from judging.models import Round
from results.models import Award, AwardDecision, AwardPlan, TieDecision
from results.ranking import BOARD
from results.services.certificates import latest_decision, organisation_name, place_name
from results.services.plans import chain_for, criterion_key, ranking_round


@dataclass
class SummaryRow:
    rank: int | None
    code: str
    title: str
    authors: list[str]
    unit: str
    score: Decimal | None
    prize: str
    #: The person a person prize went to ("" for an entry's prize).
    recipient: str = ""


@dataclass
class SummaryGroup:
    #: The field's (or age group's) name; "" when the plan ranks the whole contest.
    name: str
    rows: list[SummaryRow] = field(default_factory=list)


@dataclass(frozen=True)
class TierTotal:
    name: str
    count: int


@dataclass(frozen=True)
class ChainLink:
    #: "criterion" or "board".
    kind: str
    name: str = ""


@dataclass(frozen=True)
class BoardDecision:
    codes: list[str]
    reason: str


@dataclass
class Summary:
    contest: Contest
    organisation: str
    place: str
    today: date
    round_name: str
    method: str
    normalise: bool
    scope: str
    chain: list[ChainLink]
    groups: list[SummaryGroup]
    specials: list[SummaryRow]
    totals: list[TierTotal]
    board: list[BoardDecision]
    decision: AwardDecision | None

    @property
    def total(self) -> int:
        return sum(t.count for t in self.totals)


def official_summary(contest: Contest) -> Summary:
    """The summary of the edition's recorded awards, in a fixed number of queries whatever their number."""
    plan = db.session.scalar(
        select(AwardPlan).where(AwardPlan.contest_id == contest.id).options(selectinload(AwardPlan.tiers))
    )
    if plan is None:  # not yet planned: the defaults, without writing anything
        plan = AwardPlan(contest_id=contest.id, scope="field", tie_break=[])
    round_: Round | None = ranking_round(contest, plan)
    criteria = {criterion_key(c.id): c.name for c in round_.criteria} if round_ is not None else {}
    chain = [
        ChainLink("board") if link == BOARD else ChainLink("criterion", criteria.get(link, link))
        for link in chain_for(plan, round_)
    ]

    awards = list(
        db.session.scalars(
            select(Award)
            .where(Award.contest_id == contest.id)
            .options(selectinload(Award.entry).selectinload(Entry.people), selectinload(Award.person))
        )
    )
    tier_position = {t.code: t.position for t in plan.tiers}
    last = len(tier_position) + 1

    def row(award: Award) -> SummaryRow:
        entry = award.entry
        if entry is None:  # a prize to a unit
            return SummaryRow(None, "", "", [], "", None, award.tier_name, recipient=award.unit_name)
        return SummaryRow(
            rank=award.rank,
            code=entry.code or "",
            title=entry.title,
            authors=[p.full_name for p in entry.authors],
            unit=entry.unit_name,
            score=award.score,
            prize=award.tier_name,
            recipient=award.person.full_name if award.person is not None else "",
        )

    groups: dict[object, SummaryGroup] = {}
    order: dict[object, tuple] = {}
    for award in sorted(
        (a for a in awards if not a.special),
        key=lambda a: (
            a.rank if a.rank is not None else 10**9,
            tier_position.get(a.tier_code, last),
            a.entry.code or "",
        ),
    ):
        key, name, position = _group(award.entry, plan.scope)
        if key not in groups:
            groups[key] = SummaryGroup(name)
            order[key] = position
        groups[key].rows.append(row(award))
    specials = [
        row(a)
        for a in sorted(
            (a for a in awards if a.special),
            key=lambda a: (
                tier_position.get(a.tier_code, last),
                a.entry is None,
                (a.entry.code or "") if a.entry is not None else a.unit_name,
            ),
        )
    ]

    counts: dict[str, int] = {}
    names: dict[str, str] = {}
    for tier in plan.tiers:  # every tier of the plan, empty ones too
        counts.setdefault(tier.code, 0)
        names[tier.code] = tier.name
    for award in awards:
        counts[award.tier_code] = counts.get(award.tier_code, 0) + 1
        names.setdefault(award.tier_code, award.tier_name)
    totals = [
        TierTotal(names[code], counts[code]) for code in sorted(counts, key=lambda c: (tier_position.get(c, last), c))
    ]

    return Summary(
        contest=contest,
        organisation=organisation_name(contest),
        place=place_name(contest.organisation),
        today=to_local(utcnow()).date(),
        round_name=round_.name if round_ is not None else "",
        method=round_.method if round_ is not None else "",
        normalise=bool(round_ is not None and round_.normalise),
        scope=plan.scope,
        chain=chain,
        groups=[groups[k] for k in sorted(groups, key=lambda k: order[k])],
        specials=specials,
        totals=totals,
        board=_board_decisions(contest),
        decision=latest_decision(contest),
    )


def _group(entry: Entry, scope: str) -> tuple[object, str, tuple]:
    """The group an entry is ranked in by the plan's scope: (key, name, sort position)."""
    if scope == "field":
        found = entry.field
    elif scope == "age_group":
        found = entry.age_group
    else:
        return None, "", (0, 0)
    if found is None:
        return None, "", (1, 0)
    return found.id, found.name, (0, found.position, found.id)


def _board_decisions(contest: Contest) -> list[BoardDecision]:
    """The Board's tie decisions, oldest first, with the entries' codes in the decided order (two queries)."""
    decisions = list(
        db.session.scalars(select(TieDecision).where(TieDecision.contest_id == contest.id).order_by(TieDecision.id))
    )
    ids = {int(i) for d in decisions for i in d.entry_ids}
    codes = dict(db.session.execute(select(Entry.id, Entry.code).where(Entry.id.in_(ids))).all()) if ids else {}
    return [BoardDecision([codes.get(int(i)) or str(i) for i in d.entry_ids], d.reason) for d in decisions]
