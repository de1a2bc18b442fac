"""The organizers' dashboard: the running editions they manage with their stage and deadlines, entries by field and
status, judging progress per round (sheets submitted of those expected) and the divergent entries waiting for
re-scoring. Reads only, in eight queries whatever the number of entries, rounds or sheets (grouped counts).

Honors and events add their own cards through `reports.sources` (see there)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy import and_, case, func, select

from app.extensions import db
from app.timefmt import utcnow
from competitions.models import ENTRY_STATUSES, Contest, Entry, Field
from judging.models import Assignment, Round, RoundEntry, ScoreSheet
from reports.scope import visible_contests

#: The stages of an edition the dashboard follows (an edition with its results out, or archived, is done).
RUNNING_STATUSES = ("draft", "open", "closed", "judging")
#: Divergent entries listed at most (the widest spread first); the rest are counted.
DIVERGENT_LIMIT = 50


@dataclass
class RoundCard:
    """A round's sheets: one expected per assignment; divergent entries and those already sent for re-scoring."""

    round: Round
    expected: int = 0
    draft: int = 0
    submitted: int = 0
    divergent: int = 0
    rescoring: int = 0

    def percent(self, part: int) -> int:
        """`part` as a whole percentage of the sheets expected (0 when none is), as the progress board says."""
        return round(100 * part / self.expected) if self.expected else 0


@dataclass
class ContestCard:
    contest: Contest
    fields: list[tuple[int, str]] = field(default_factory=list)
    #: (field id or None, status) -> entries
    entries: dict[tuple[int | None, str], int] = field(default_factory=lambda: defaultdict(int))
    rounds: list[RoundCard] = field(default_factory=list)

    def count(self, field_id: int | None = None, status: str | None = None) -> int:
        return sum(
            n
            for (f, s), n in self.entries.items()
            if (field_id is None or f == field_id) and (status is None or s == status)
        )

    @property
    def statuses(self) -> list[str]:
        """The entry statuses the edition has entries in, in their usual order."""
        present = {s for (_f, s), n in self.entries.items() if n}
        return [s for s in ENTRY_STATUSES if s in present]

    @property
    def unfielded(self) -> int:
        return self.count(field_id=0)

    def deadlines(self, now: datetime) -> list[tuple[str, str, datetime]]:
        """The edition's coming deadlines (kind, round name, naive UTC time), soonest first: the close of
        registration, of the window for lower rounds to forward entries, and each open round's deadline."""
        found = []
        c = self.contest
        if c.registration_closes_at and c.registration_closes_at >= now:
            found.append(("registration", "", c.registration_closes_at))
        if c.forward_closes_at and c.forward_closes_at >= now:
            found.append(("forwarding", "", c.forward_closes_at))
        for card in self.rounds:
            if card.round.deadline and card.round.deadline >= now and card.round.status != "closed":
                found.append(("round", card.round.name, card.round.deadline))
        return sorted(found, key=lambda d: d[2])


@dataclass(frozen=True)
class DivergentEntry:
    round_id: int
    round_name: str
    contest_id: int
    entry_id: int
    code: str
    title: str
    spread: Decimal
    sheets: int
    rescore_requested_at: datetime | None


@dataclass
class Dashboard:
    contests: list[ContestCard]
    divergent: list[DivergentEntry]
    divergent_total: int
    now: datetime

    @property
    def rounds(self) -> list[RoundCard]:
        return [r for c in self.contests for r in c.rounds]


def _spread_subquery(round_ids: list[int]):
    """Per round and entry with two or more submitted sheets: their count and the spread of their totals, kept
    when MORE than the round's divergence threshold (as `judging.aggregation.divergent` says)."""
    spread = func.max(ScoreSheet.total) - func.min(ScoreSheet.total)
    return (
        select(
            Assignment.round_id.label("round_id"),
            Assignment.entry_id.label("entry_id"),
            spread.label("spread"),
            func.count(ScoreSheet.id).label("sheets"),
        )
        .join(ScoreSheet, ScoreSheet.assignment_id == Assignment.id)
        .join(Round, Round.id == Assignment.round_id)
        .where(Assignment.round_id.in_(round_ids), ScoreSheet.status == "submitted", ScoreSheet.total.is_not(None))
        .group_by(Assignment.round_id, Assignment.entry_id, Round.divergence_threshold)
        .having(func.count(ScoreSheet.id) >= 2, spread > Round.divergence_threshold)
        .subquery()
    )


def dashboard(user) -> Dashboard:
    """The dashboard of `user` (their editions only; see `reports.scope`)."""
    now = utcnow()
    contests = visible_contests(user, statuses=RUNNING_STATUSES)
    cards = {c.id: ContestCard(c) for c in contests}
    ids = list(cards)
    divergent: list[DivergentEntry] = []
    divergent_total = 0
    if ids:
        for contest_id, field_id, name in db.session.execute(
            select(Field.contest_id, Field.id, Field.name)
            .where(Field.contest_id.in_(ids))
            .order_by(Field.contest_id, Field.position, Field.id)
        ):
            cards[contest_id].fields.append((field_id, name))
        for contest_id, field_id, status, n in db.session.execute(
            select(Entry.contest_id, Entry.field_id, Entry.status, func.count(Entry.id))
            .where(Entry.contest_id.in_(ids))
            .group_by(Entry.contest_id, Entry.field_id, Entry.status)
        ):
            cards[contest_id].entries[(field_id or 0, status)] += n
        rounds = {
            r.id: RoundCard(r)
            for r in db.session.scalars(
                select(Round).where(Round.contest_id.in_(ids)).order_by(Round.contest_id, Round.position, Round.id)
            )
        }
        for card in rounds.values():
            cards[card.round.contest_id].rounds.append(card)
        if rounds:
            round_ids = list(rounds)
            for round_id, expected, drafted, submitted in db.session.execute(
                select(
                    Assignment.round_id,
                    func.count(Assignment.id),
                    func.coalesce(func.sum(case((ScoreSheet.status == "draft", 1), else_=0)), 0),
                    func.coalesce(func.sum(case((ScoreSheet.status == "submitted", 1), else_=0)), 0),
                )
                .outerjoin(ScoreSheet, ScoreSheet.assignment_id == Assignment.id)
                .where(Assignment.round_id.in_(round_ids))
                .group_by(Assignment.round_id)
            ):
                card = rounds[round_id]
                card.expected, card.draft, card.submitted = expected, int(drafted), int(submitted)
            flagged = _spread_subquery(round_ids)
            place = and_(RoundEntry.round_id == flagged.c.round_id, RoundEntry.entry_id == flagged.c.entry_id)
            for round_id, n, rescoring in db.session.execute(
                select(
                    flagged.c.round_id,
                    func.count(),
                    func.coalesce(func.sum(case((RoundEntry.rescore_requested_at.is_not(None), 1), else_=0)), 0),
                )
                .select_from(flagged)
                .outerjoin(RoundEntry, place)
                .group_by(flagged.c.round_id)
            ):
                rounds[round_id].divergent, rounds[round_id].rescoring = n, int(rescoring)
                divergent_total += n
            if divergent_total:
                divergent = [
                    DivergentEntry(
                        round_id=row.round_id,
                        round_name=rounds[row.round_id].round.name,
                        contest_id=rounds[row.round_id].round.contest_id,
                        entry_id=row.entry_id,
                        code=row.code or "",
                        title=row.title,
                        spread=Decimal(row.spread),
                        sheets=row.sheets,
                        rescore_requested_at=row.rescore_requested_at,
                    )
                    for row in db.session.execute(
                        select(
                            flagged.c.round_id,
                            flagged.c.entry_id,
                            flagged.c.spread,
                            flagged.c.sheets,
                            Entry.code,
                            Entry.title,
                            RoundEntry.rescore_requested_at,
                        )
                        .join(Entry, Entry.id == flagged.c.entry_id)
                        .outerjoin(RoundEntry, place)
                        .order_by(flagged.c.spread.desc(), Entry.code, Entry.id)
                        .limit(DIVERGENT_LIMIT)
                    )
                ]
    return Dashboard(list(cards.values()), divergent, divergent_total, now)
