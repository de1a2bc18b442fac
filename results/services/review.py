"""What the organizers' awards page reads (reads only): the proposal by group with the ties the Board must decide,
the stored awards, the special prizes' candidates by rule, the team ranking of units and the exclusions of awards
removed by hand. A bounded number of queries whatever the number of entries: the proposal's, the stored awards
(two), the awarded authors (one), the exclusions (two).

The candidates and the team ranking are computed from the stored ranked awards when any is stored, else from the
proposal (`AwardBasis`); see `results.services.awards` for the rules of special prizes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from competitions.models import Contest, Entry, EntryPerson
from results import awards as rules
from results.models import Award, AwardDecision, AwardExclusion, AwardPlan, AwardTier
from results.ranking import BOARD, Ranked
from results.services.exclusions import exclusions
from results.services.plans import criterion_key, ranked_tiers
from results.services.scores import EntryScore, Proposal, group_of, propose

__all__ = [
    "AuthorCandidate",
    "AwardBasis",
    "Review",
    "ReviewGroup",
    "ReviewRow",
    "SpecialPrize",
    "Tie",
    "award_basis",
    "decisions",
    "review",
    "special_prizes",
    "stored_awards",
    "team_table",
    "tier_usage",
]

PERSON_RULES = ("youngest_author", "oldest_author")


def stored_awards(contest: Contest) -> list[Award]:
    """The edition's stored awards with their entries (joined) and persons (two queries), in the order stored."""
    return list(
        db.session.scalars(
            select(Award).where(Award.contest_id == contest.id).options(selectinload(Award.person)).order_by(Award.id)
        ).unique()
    )


def tier_usage(contest: Contest) -> dict[str, int]:
    """Stored awards per tier code (one grouped query)."""
    rows = db.session.execute(
        select(Award.tier_code, func.count(Award.id)).where(Award.contest_id == contest.id).group_by(Award.tier_code)
    )
    return {code: int(n) for code, n in rows}


def decisions(contest: Contest) -> list[AwardDecision]:
    """The edition's approving decisions, the latest (the one in force) first."""
    return list(
        db.session.scalars(
            select(AwardDecision).where(AwardDecision.contest_id == contest.id).order_by(AwardDecision.id.desc())
        )
    )


# --- special prizes and teams -----------------------------------------------------------------------------------------


@dataclass
class AwardBasis:
    """The ranked tier of each awarded entry that candidates and the team ranking are computed from: the stored
    ranked awards when any is stored ("stored"), else the proposal ("proposal")."""

    source: str
    tiers: dict[int, str]


def award_basis(plan: AwardPlan, proposal: Proposal, stored: list[Award]) -> AwardBasis:
    ranked_codes = {t.code for t in ranked_tiers(plan)}
    kept = {a.entry_id: a.tier_code for a in stored if not a.special and a.tier_code in ranked_codes}
    if kept:
        return AwardBasis("stored", kept)
    return AwardBasis("proposal", dict(proposal.allocation.awards))


@dataclass(frozen=True)
class AuthorCandidate:
    entry_id: int
    code: str
    title: str
    person_id: int
    name: str
    birth_date: date | None


@dataclass
class SpecialPrize:
    """A special prize of the plan with what its rule finds: authors (youngest/oldest), units with their count of
    entries in the ranking round (most finalists), or nothing (by hand); and the awards stored for it."""

    tier: AwardTier
    authors: list[AuthorCandidate] = field(default_factory=list)
    units: list[tuple[str, int]] = field(default_factory=list)
    stored: list[Award] = field(default_factory=list)

    @property
    def rule(self) -> str:
        return self.tier.rule or "manual"

    @property
    def given_by_hand(self) -> bool:
        return any(a.source == "manual" for a in self.stored)

    @property
    def decided_by_rule(self) -> AuthorCandidate | None:
        """The one author the rule gives the prize to; None when there are none or several, or when an organizer
        gave the prize by hand."""
        if self.rule not in PERSON_RULES or len(self.authors) != 1 or self.given_by_hand:
            return None
        return self.authors[0]

    @property
    def unit_decided_by_rule(self) -> str | None:
        """The one unit the rule gives the prize to; None when no unit or several share the most entries, or
        when an organizer gave the prize by hand."""
        if self.rule != "unit_most_finalists" or len(self.units) != 1 or self.given_by_hand:
            return None
        return self.units[0][0]


def _authors_of(entry_ids: set[int]) -> list[tuple[EntryPerson, Entry]]:
    if not entry_ids:
        return []
    rows = db.session.execute(
        select(EntryPerson, Entry)
        .join(Entry, Entry.id == EntryPerson.entry_id)
        .where(EntryPerson.entry_id.in_(entry_ids), EntryPerson.role == "author")
    ).all()
    return [(p, e) for p, e in rows]


def special_prizes(plan: AwardPlan, proposal: Proposal, stored: list[Award], basis: AwardBasis) -> list[SpecialPrize]:
    """Each special prize of the plan with its candidates by rule: youngest or oldest author among the authors of
    the awarded entries (`basis`), units with most entries in the ranking round. At most one query."""
    out = [SpecialPrize(t, stored=[a for a in stored if a.tier_code == t.code]) for t in plan.tiers if t.special]
    if any(prize.rule in PERSON_RULES for prize in out):
        people = {p.id: (p, e) for p, e in _authors_of(set(basis.tiers))}
        plain = [rules.Author(p.entry_id, p.id, p.birth_date) for p, _e in people.values()]
        for prize in out:
            if prize.rule not in PERSON_RULES:
                continue
            chosen = rules.youngest_authors(plain) if prize.rule == "youngest_author" else rules.oldest_authors(plain)
            prize.authors = [
                AuthorCandidate(
                    a.entry_id,
                    people[a.person_id][1].code or "",
                    people[a.person_id][1].title,
                    a.person_id,
                    people[a.person_id][0].full_name,
                    a.birth_date,
                )
                for a in chosen
            ]
    counts = Counter(s.unit_name for s in proposal.scores if s.unit_name)
    for prize in out:
        if prize.rule == "unit_most_finalists":
            prize.units = [(unit, counts[unit]) for unit in rules.units_with_most(counts)]
    return out


def team_points(plan: AwardPlan) -> dict[str, int]:
    """Points per ranked tier: the plan's, else the defaults (0 for a tier the defaults do not know)."""
    if plan.team_points:
        return {code: int(n) for code, n in plan.team_points.items()}
    return {t.code: rules.DEFAULT_TEAM_POINTS.get(t.code, 0) for t in ranked_tiers(plan)}


def team_table(plan: AwardPlan, proposal: Proposal, basis: AwardBasis) -> list[rules.TeamRow]:
    """The units ranked by their entries' awards (`results.awards.team_ranking`): every entry of the ranking round
    counts as an entry of its unit (entries without a unit are left out)."""
    tiers = [t.code for t in ranked_tiers(plan)]
    return rules.team_ranking(
        ((s.unit_name, basis.tiers.get(s.entry_id)) for s in proposal.scores if s.unit_name), tiers, team_points(plan)
    )


# --- the page ---------------------------------------------------------------------------------------------------------


@dataclass
class ReviewRow:
    score: EntryScore
    ranked: Ranked | None
    #: The tier the plan proposes (code), or None.
    proposed: str | None
    #: The entry's stored awards (ranked first).
    stored: list[Award]
    #: In a tie straddling a quota boundary: the Board must decide.
    boundary: bool = False

    @property
    def stored_ranked(self) -> Award | None:
        return next((a for a in self.stored if not a.special), None)

    @property
    def differs(self) -> bool:
        """The stored ranked award is not the proposed tier (changed by hand, or the proposal moved since)."""
        award = self.stored_ranked
        return (award.tier_code if award else None) != self.proposed


@dataclass
class Tie:
    """Entries sharing a rank after the whole chain; `key` (the lowest entry id) names it in the page's forms."""

    key: int
    rows: list[ReviewRow]
    boundary: bool


@dataclass
class ReviewGroup:
    key: Hashable
    name: str
    rows: list[ReviewRow]
    ties: list[Tie]


@dataclass
class Review:
    contest: Contest
    proposal: Proposal
    plan: AwardPlan
    #: The chain's links with the words for each: (key, criterion name or None for the Board).
    chain: list[tuple[str, str | None]]
    #: The per-criterion means shown: the chain's criteria, (key, name).
    columns: list[tuple[str, str]]
    groups: list[ReviewGroup]
    stored: list[Award]
    basis: AwardBasis
    specials: list[SpecialPrize]
    teams: list[rules.TeamRow] | None
    tier_names: dict[str, str]
    #: Rule awards removed by hand (in force first, then lifted ones).
    exclusions: list[AwardExclusion] = field(default_factory=list)

    @property
    def unit_awards(self) -> list[Award]:
        return [a for a in self.stored if a.entry_id is None]

    @property
    def active_exclusions(self) -> list[AwardExclusion]:
        return [x for x in self.exclusions if x.active]

    @property
    def boundary_ties(self) -> int:
        return sum(1 for g in self.groups for t in g.ties if t.boundary)

    def link_label(self, key: str | None) -> str:
        if key is None:
            return ""
        if key == BOARD:
            return str(_l("Board decision"))
        return next((name for k, name in self.columns if k == key), key) or key


def _group_names(contest: Contest, scope: str) -> tuple[dict[Hashable, str], list[Hashable]]:
    if scope == "field":
        items = [(f.id, f"{f.code}. {f.name}" if f.code else f.name) for f in contest.fields]
    elif scope == "age_group":
        items = [(a.id, a.name) for a in contest.age_groups]
    else:
        items = [(None, str(_l("All entries")))]
    return dict(items), [key for key, _name in items]


def review(contest: Contest) -> Review:
    """The awards page's data (see the module's docstring for the queries)."""
    proposal = propose(contest)
    plan = proposal.plan
    round_ = proposal.round
    names = {criterion_key(c.id): c.name for c in round_.criteria} if round_ is not None else {}
    chain = [(link, None if link == BOARD else names.get(link, link)) for link in proposal.chain]
    columns = [(link, name) for link, name in chain if name is not None]
    stored = stored_awards(contest)
    by_entry: dict[int, list[Award]] = {}
    for award in sorted(stored, key=lambda a: (a.special, a.id)):
        by_entry.setdefault(award.entry_id, []).append(award)
    ranks = proposal.rank_of()
    boundary = {entry_id for tie in proposal.allocation.boundary_ties for entry_id in tie}
    group_names, order = _group_names(contest, plan.scope)
    rows_by_group: dict[Hashable, list[ReviewRow]] = {}
    for s in proposal.scores:
        r = ranks.get(s.entry_id)
        row = ReviewRow(
            s, r, proposal.allocation.awards.get(s.entry_id), by_entry.get(s.entry_id, []), s.entry_id in boundary
        )
        rows_by_group.setdefault(group_of(s, plan.scope), []).append(row)
    groups = []
    for key in sorted(rows_by_group, key=lambda k: (order.index(k) if k in order else len(order), str(k))):
        rows = sorted(
            rows_by_group[key],
            key=lambda row: (row.ranked is None, row.ranked.rank if row.ranked else 0, row.score.code),
        )
        ties: dict[int, list[ReviewRow]] = {}
        for row in rows:
            if row.ranked is not None and row.ranked.tied:
                ties.setdefault(row.ranked.rank, []).append(row)
        groups.append(
            ReviewGroup(
                key,
                group_names.get(key) or str(_l("No group")),
                rows,
                [
                    Tie(min(r.score.entry_id for r in tied), tied, any(r.boundary for r in tied))
                    for tied in ties.values()
                ],
            )
        )
    basis = award_basis(plan, proposal, stored)
    return Review(
        contest=contest,
        proposal=proposal,
        plan=plan,
        chain=chain,
        columns=columns,
        groups=groups,
        stored=stored,
        basis=basis,
        specials=special_prizes(plan, proposal, stored, basis),
        teams=team_table(plan, proposal, basis) if contest.is_youth else None,
        tier_names={t.code: t.name for t in plan.tiers},
        exclusions=exclusions(contest),
    )
