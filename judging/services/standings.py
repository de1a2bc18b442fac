"""A round's standings: its submitted score sheets gathered in a fixed number of queries and worked out with the pure
`judging.aggregation` (raw score by the round's method, normalised score when the round normalises, rank within the
field, divergence), with each judge's statistics, so that organizers can check the working. Reads only."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from app.reads import column_rows
from competitions.models import Entry, Field
from judging import aggregation
from judging.advancement import Row
from judging.models import Assignment, Panel, PanelField, Round, RoundEntry, ScoreSheet

__all__ = ["EntryStanding", "FieldStandings", "JudgeLine", "JudgeSheet", "Standings", "round_standings"]

#: Why a judge's totals were not normalised (`JudgeLine.why`).
WHY_NOT_NORMALISED = ("off", "no_sheets", "few_sheets", "no_spread")


class JudgeSheet(NamedTuple):
    """Where one assigned judge stands on one entry: "none" (no sheet yet), "draft" or "submitted" (with its total).
    (A named tuple: a round holds one per assignment, 150,000 in a national preliminary round.)"""

    judge_id: int
    status: str
    total: Decimal | None


@dataclass(slots=True)
class EntryStanding:
    """One entry of the round: its judges' sheets, its scores, its rank in its field and whether its judges diverge."""

    entry_id: int
    code: str
    title: str
    field_id: int | None
    panel_id: int | None
    panel_name: str
    #: Every assigned judge's sheet, by judge id.
    sheets: dict[int, JudgeSheet]
    #: The submitted totals only, by judge id: what the scores are computed from.
    totals: dict[int, Decimal]
    #: The judges' totals combined by the round's method, to 0.01 (None while no sheet is submitted).
    raw: Decimal | None = None
    #: The normalised score, to 0.01, when the round normalises (else None).
    normalised: Decimal | None = None
    #: The score ranked and used for advancement: normalised when the round normalises, else raw.
    score: Decimal | None = None
    #: Competition rank within the field by `score` (1, 2, 2, 4); None without a score.
    rank: int | None = None
    #: Highest minus lowest submitted total (None with fewer than two).
    spread: Decimal | None = None
    #: The spread is MORE than the round's divergence threshold.
    divergent: bool = False
    submitted: int = 0
    #: Sheets expected: one per assigned judge, and at least the round's judges per entry.
    expected: int = 0
    rescore_requested_at: datetime | None = None
    rescore_requested_by: str = ""

    @property
    def missing(self) -> int:
        return max(self.expected - self.submitted, 0)


@dataclass(frozen=True)
class JudgeLine:
    """A judge's sheets in the round: count, mean and spread (population standard deviation) of their submitted
    totals; whether these normalised their totals, and if not why (`WHY_NOT_NORMALISED`: "off" when the round
    does not normalise, "no_sheets", "few_sheets" below the round's minimum, "no_spread" when every total is the
    same)."""

    judge_id: int
    name: str
    assigned: int
    count: int
    mean: Decimal | None
    spread: Decimal | None
    normalised: bool
    why: str


@dataclass(frozen=True)
class FieldStandings:
    """The entries of one field (None: entries without a field), best first, and the judges who have sheets in it."""

    field_id: int | None
    name: str
    entries: list[EntryStanding]
    judges: list[JudgeLine]


@dataclass
class Standings:
    """The working of a round's results (see `round_standings`)."""

    round_id: int
    method: str
    normalise: bool
    min_sheets: int
    threshold: Decimal
    fields: list[FieldStandings]
    judges: list[JudgeLine]
    entries: dict[int, EntryStanding] = field(default_factory=dict)

    @property
    def divergent(self) -> list[EntryStanding]:
        return [e for f in self.fields for e in f.entries if e.divergent]

    @property
    def missing_sheets(self) -> int:
        return sum(e.missing for e in self.entries.values())

    @property
    def incomplete(self) -> list[EntryStanding]:
        return [e for f in self.fields for e in f.entries if e.missing]

    def advancement_rows(self) -> list[Row]:
        """``(entry_id, field_id, score)`` for `judging.advancement.select_advancing`."""
        return [(e.entry_id, e.field_id, e.score) for e in self.entries.values()]

    def filtered(self, field_id: int | None = None, only_divergent: bool = False) -> list[FieldStandings]:
        """The field groups to show: one field (when given), only divergent entries (when asked); empty groups
        dropped."""
        groups = []
        for group in self.fields:
            if field_id is not None and group.field_id != field_id:
                continue
            entries = [e for e in group.entries if e.divergent] if only_divergent else group.entries
            if entries:
                groups.append(FieldStandings(group.field_id, group.name, entries, group.judges))
        return groups


def _why(stats: aggregation.JudgeStats | None, round_: Round) -> str:
    if stats is None:
        return "no_sheets"
    if stats.normalised and round_.normalise:
        return ""
    if not round_.normalise:
        return "off"
    return "few_sheets" if stats.count < round_.min_sheets else "no_spread"


def round_standings(round_: Round) -> Standings:
    """Gather the round's entries and sheets (five queries whatever their number) and compute:

    - each entry's raw score: its submitted totals combined by the round's method (`aggregation.entry_scores`);
    - when the round normalises, the normalised score (`aggregation.normalise` with the round's `min_sheets`, over
      every submitted sheet of the round); each judge's count, mean and spread come from the same function;
    - the rank within the field (`aggregation.rank`) by the normalised score when the round normalises, else raw;
    - divergence (`aggregation.divergent` with the round's threshold: a spread MORE than it is flagged).

    Only submitted sheets count; drafts (a reopened sheet among them) are shown as such but carry no total.
    """
    method = round_.method if round_.method in aggregation.METHODS else "mean"
    threshold = Decimal(round_.divergence_threshold if round_.divergence_threshold is not None else 20)
    field_rows = db.session.execute(
        select(Field.id, Field.code, Field.name, Field.parent_id)
        .where(Field.contest_id == round_.contest_id)
        .order_by(Field.position)
    ).all()
    # An entry forwarded since to the parent edition now has the parent's field: it stays in the field of this
    # round's edition that copies it (so forwarding changes no group nor rank here).
    own_field = {parent_id: field_id for field_id, _c, _n, parent_id in field_rows if parent_id is not None}
    panel_of_field = {
        field_id: (panel_id, name)
        for field_id, panel_id, name in db.session.execute(
            select(PanelField.field_id, Panel.id, Panel.name)
            .join(Panel, Panel.id == PanelField.panel_id)
            .where(PanelField.contest_id == round_.contest_id)
        )
    }
    entry_rows = column_rows(
        select(
            RoundEntry.entry_id,
            Entry.code,
            Entry.title,
            Entry.field_id,
            RoundEntry.rescore_requested_at,
            RoundEntry.rescore_requested_by_id,
        )
        .join(Entry, Entry.id == RoundEntry.entry_id)
        .where(RoundEntry.round_id == round_.id)
        .order_by(Entry.code, Entry.id)
    ).all()
    sheet_rows = column_rows(
        select(Assignment.entry_id, Assignment.judge_id, ScoreSheet.status, ScoreSheet.total)
        .outerjoin(ScoreSheet, ScoreSheet.assignment_id == Assignment.id)
        .where(Assignment.round_id == round_.id)
    ).all()
    people_ids = {judge_id for _e, judge_id, _s, _t in sheet_rows} | {r[5] for r in entry_rows if r[5] is not None}
    people: dict[int, str] = {}
    if people_ids:
        names_query = select(User.id, User.full_name).where(User.id.in_(people_ids)).order_by(User.sort_name, User.id)
        people = dict(db.session.execute(names_query).all())

    entries: dict[int, EntryStanding] = {}
    for entry_id, code, title, field_id, rescore_at, rescore_by in entry_rows:
        field_id = own_field.get(field_id, field_id)
        panel_id, panel_name = panel_of_field.get(field_id, (None, ""))
        entries[entry_id] = EntryStanding(
            entry_id=entry_id,
            code=code or "",
            title=title,
            field_id=field_id,
            panel_id=panel_id,
            panel_name=panel_name,
            sheets={},
            totals={},
            rescore_requested_at=rescore_at,
            rescore_requested_by=people.get(rescore_by, "") if rescore_by is not None else "",
        )
    assigned: dict[int, int] = {}
    for entry_id, judge_id, status, total in sheet_rows:
        entry = entries.get(entry_id)
        if entry is None:  # an assignment left over from an entry taken out of the round
            continue
        assigned[judge_id] = assigned.get(judge_id, 0) + 1
        submitted = status == "submitted" and total is not None
        entry.sheets[judge_id] = JudgeSheet(judge_id, status or "none", total if submitted else None)
        if submitted:
            entry.totals[judge_id] = total  # a Decimal (Numeric column) on both databases

    totals = {entry_id: e.totals for entry_id, e in entries.items()}
    worked = aggregation.normalise(totals, min_sheets=round_.min_sheets, method=method)
    raw = worked.raw  # exactly `aggregation.entry_scores(totals, method)` (a property test holds them equal)
    flagged = aggregation.divergent(totals, threshold)
    normalising, per_entry = bool(round_.normalise), round_.judges_per_entry
    for entry_id, entry in entries.items():
        entry.raw = raw.get(entry_id)
        entry.normalised = worked.normalised.get(entry_id) if normalising else None
        entry.score = entry.normalised if normalising else entry.raw
        if len(entry.totals) >= 2:
            entry.spread = max(entry.totals.values()) - min(entry.totals.values())
        entry.divergent = entry_id in flagged
        entry.submitted = len(entry.totals)
        entry.expected = max(len(entry.sheets), per_entry)

    judges: dict[int, JudgeLine] = {}
    for judge_id in people:  # in name order
        if judge_id not in assigned:
            continue
        stats = worked.judges.get(judge_id)
        why = _why(stats, round_)
        judges[judge_id] = JudgeLine(
            judge_id=judge_id,
            name=people[judge_id],
            assigned=assigned[judge_id],
            count=stats.count if stats else 0,
            mean=stats.mean if stats else None,
            spread=stats.spread if stats else None,
            normalised=why == "",
            why=why,
        )

    names = {field_id: f"{code}. {name}" if code else name for field_id, code, name, _p in field_rows}
    order = [field_id for field_id, _code, _name, _p in field_rows]
    if any(e.field_id is None or e.field_id not in names for e in entries.values()):
        order.append(None)
    by_field: dict[int | None, list[EntryStanding]] = {}
    for e in entries.values():
        by_field.setdefault(e.field_id if e.field_id in names else None, []).append(e)
    groups: list[FieldStandings] = []
    for field_id in order:
        members = by_field.get(field_id, [])
        if not members:
            continue
        ranked = aggregation.rank({e.entry_id: e.score for e in members if e.score is not None})
        position = {entry_id: i for i, (entry_id, _rank) in enumerate(ranked)}
        ranks = dict(ranked)
        for e in members:
            e.rank = ranks.get(e.entry_id)
        members.sort(key=lambda e: (e.entry_id not in position, position.get(e.entry_id, 0), e.code, e.entry_id))
        judge_ids = {j for e in members for j in e.sheets}
        groups.append(
            FieldStandings(
                field_id, names.get(field_id, ""), members, [line for j, line in judges.items() if j in judge_ids]
            )
        )
    ordered = {e.entry_id: e for group in groups for e in group.entries}
    return Standings(
        round_id=round_.id,
        method=method,
        normalise=bool(round_.normalise),
        min_sheets=round_.min_sheets,
        threshold=threshold,
        fields=groups,
        judges=list(judges.values()),
        entries=ordered,
    )
