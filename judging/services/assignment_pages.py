"""What the organizers' assignment page reads, at any scale: counts for the whole round (per sub-panel, per
judge, per entry: light grouped queries and tuples, never one object per assignment), the entries the filters
keep (in code order, as ids), and the full records of one page of them only.

The automatic plan needs the whole round whatever is shown: `plan` makes the plan `services.plan_assignment`
makes from the round read once for the page (`round_data`), and skips the planning when there is nothing to plan.
The number of queries does not grow with the round.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

from sqlalchemy import and_, func, select
from sqlalchemy.orm import lazyload, selectinload

from app.accounts.models import User
from app.extensions import db
from app.search import where_matches
from competitions.models import Entry
from judging import assignment as assigning
from judging.models import Assignment, Conflict, Panel, PanelMember, Round, RoundEntry
from judging.services.assignments import plan_from

#: Assignments crossing a conflict in force named at most (the rest are counted).
CROSSED_LIMIT = 100

#: What the status filter of the entries can ask for.
ENTRY_STATUSES = ("short", "adding", "unmet", "complete")


class EntryFact(NamedTuple):
    """An entry of the round (or assigned in it though no longer in it: `in_round` False) in a few numbers."""

    id: int
    code: str
    panel_id: int | None
    in_round: bool
    stored: int  # judges assigned now
    adding: int  # judges the preview adds
    unmet: str | None  # why the preview leaves it short of judges, if it does


@dataclass
class PanelSummary:
    """A sub-panel in numbers (`panel` None: entries no sub-panel judges, judges who sit on none)."""

    panel: Panel | None
    judges: list[User] = field(default_factory=list)
    entries: int = 0
    stored: int = 0
    adding: int = 0
    short: int = 0  # entries with fewer judges than wanted now
    unmet: int = 0
    loads: list[tuple[int, int]] = field(default_factory=list)  # (now, after) per judge
    unbalanced: bool = False

    @property
    def key(self) -> str:
        return str(self.panel.id) if self.panel is not None else "none"

    @property
    def loads_now(self) -> tuple[int, int] | None:
        return (min(n for n, _a in self.loads), max(n for n, _a in self.loads)) if self.loads else None

    @property
    def loads_after(self) -> tuple[int, int] | None:
        return (min(a for _n, a in self.loads), max(a for _n, a in self.loads)) if self.loads else None


@dataclass
class RoundAssignmentFacts:
    """The whole round: its sub-panels, every entry as an `EntryFact` (code order), judges' loads."""

    panels: list[PanelSummary]
    entries: list[EntryFact]
    loads: dict[int, int]  # judge -> assignments now
    adding: dict[int, int]  # judge -> assignments the preview adds
    users: dict[int, User]  # the judges met (sub-panel members, and judges with assignments elsewhere)
    judge_panel: dict[int, int]  # judge -> their sub-panel
    in_round: int  # entries in the round

    @property
    def stored(self) -> int:
        return sum(self.loads.values())

    def panel(self, key: str) -> PanelSummary | None:
        return next((p for p in self.panels if p.key == key), None)


def _panels(contest_id: int) -> list[Panel]:
    """The contest's sub-panels with their fields and members (their names only: nothing else of the users)."""
    return list(
        db.session.scalars(
            select(Panel)
            .where(Panel.contest_id == contest_id)
            .options(
                selectinload(Panel.fields),
                selectinload(Panel.members).joinedload(PanelMember.user).lazyload("*"),
            )
            .order_by(Panel.name, Panel.id)
        )
    )


@dataclass
class RoundData:
    """What the page reads of the whole round, once: the contest's sub-panels (fields, members), the entries of
    the round and those assigned in it though no longer in it (id, code, field, in the round, judges assigned;
    code order), each judge's assignments in the round; the stored (judge, entry) pairs only when asked (to
    plan)."""

    round_id: int
    panels: list[Panel]
    entries: list[tuple[int, str, int | None, bool, int]]
    loads: dict[int, int]

    @cached_property
    def field_panel(self) -> dict[int, int]:
        return {pf.field_id: panel.id for panel in self.panels for pf in panel.fields}

    @cached_property
    def existing(self) -> set[tuple[int, int]]:
        query = select(Assignment.judge_id, Assignment.entry_id).where(Assignment.round_id == self.round_id)
        return {(judge_id, entry_id) for judge_id, entry_id in db.session.execute(query)}


def round_data(round_) -> RoundData:
    panels = _panels(round_.contest_id)
    per_entry = (
        select(Assignment.entry_id, func.count().label("n"))
        .where(Assignment.round_id == round_.id)
        .group_by(Assignment.entry_id)
        .subquery()
    )
    entries = [
        (entry_id, code or "", field_id, True, n or 0)
        for entry_id, code, field_id, n in db.session.execute(
            select(Entry.id, Entry.code, Entry.field_id, per_entry.c.n)
            .join(RoundEntry, RoundEntry.entry_id == Entry.id)
            .outerjoin(per_entry, per_entry.c.entry_id == Entry.id)
            .where(RoundEntry.round_id == round_.id)
            .order_by(Entry.code, Entry.id)
        )
    ]
    in_round = select(RoundEntry.entry_id).where(RoundEntry.round_id == round_.id)
    strays = db.session.execute(  # assigned, though no longer in the round
        select(Entry.id, Entry.code, Entry.field_id, per_entry.c.n)
        .join(per_entry, per_entry.c.entry_id == Entry.id)
        .where(Entry.id.not_in(in_round))
    ).all()
    if strays:
        entries += [(entry_id, code or "", field_id, False, n) for entry_id, code, field_id, n in strays]
        entries.sort(key=lambda e: (e[1], e[0]))
    loads = dict(
        db.session.execute(
            select(Assignment.judge_id, func.count())
            .where(Assignment.round_id == round_.id)
            .group_by(Assignment.judge_id)
        ).all()
    )
    return RoundData(round_.id, panels, entries, loads)


def _crossing():
    return and_(
        Conflict.contest_id == Round.contest_id,
        Conflict.lifted_at.is_(None),
        Conflict.judge_id == Assignment.judge_id,
        Conflict.entry_id == Assignment.entry_id,
    )


def plan(round_, data: RoundData) -> assigning.Result:
    """`services.plan_assignment(round_)` (the same result, the same `ValueError`) from `data` read once for the
    page. When every entry of the round has its judges already, nothing is planned and the result is made
    directly, as `assignment.assign` would make it (without reading every pair): no pair added, nothing unmet,
    the sub-panels whose loads differ by more than one unbalanced; `pairs` is then left empty."""
    k = round_.judges_per_entry
    judges = sorted(
        (assigning.PanelJudge(m.user_id, panel.id) for panel in data.panels for m in panel.members),
        key=lambda j: (j.judge_id, j.panel_id),
    )
    if any(in_round and have < k for _e, _c, _f, in_round, have in data.entries):
        in_round = sorted((entry_id, field_id) for entry_id, _c, field_id, inside, _h in data.entries if inside)
        return plan_from(round_, data.field_panel, in_round, judges, data.existing)
    # Nothing to plan: the checks `assign` makes, then its result.
    judge_panel: dict[int, int] = {}
    for j in judges:
        if judge_panel.setdefault(j.judge_id, j.panel_id) != j.panel_id:
            raise ValueError(f"judge {j.judge_id} is in two sub-panels")
    crossed = select(Assignment.id).join(Round, Round.id == Assignment.round_id)
    crossed = crossed.where(Assignment.round_id == round_.id, select(Conflict.id).where(_crossing()).exists())
    if db.session.scalar(crossed.limit(1)) is not None:
        raise ValueError("existing assignments that are conflicts of interest")
    load: dict[int, int] = dict.fromkeys(sorted(judge_panel), 0)
    load.update(data.loads)
    members: dict[int, list[int]] = {}
    for judge_id, panel_id in judge_panel.items():
        members.setdefault(panel_id, []).append(judge_id)
    unbalanced = tuple(
        panel_id
        for panel_id in sorted(members)
        if max(load[j] for j in members[panel_id]) - min(load[j] for j in members[panel_id]) > 1
    )
    return assigning.Result(
        pairs=frozenset(), added=frozenset(), unmet=(), loads=dict(sorted(load.items())), unbalanced=unbalanced
    )


def round_facts(round_, data: RoundData, plan: assigning.Result | None) -> RoundAssignmentFacts:
    """Counts of the whole round, and of what `plan` (None: no plan could be made) would add."""
    panels = data.panels
    field_panel = data.field_panel
    loads: Counter[int] = Counter(data.loads)
    adding_entry: Counter[int] = Counter()
    adding_judge: Counter[int] = Counter()
    unmet: dict[int, str] = {}
    unbalanced: set[int] = set()
    if plan is not None:
        for judge_id, entry_id in plan.added:
            adding_entry[entry_id] += 1
            adding_judge[judge_id] += 1
        unmet = {u.entry_id: u.reason for u in plan.unmet}
        unbalanced = set(plan.unbalanced)

    summaries: dict[int | None, PanelSummary] = {p.id: PanelSummary(p) for p in panels}
    users: dict[int, User] = {}
    judge_panel: dict[int, int] = {}
    for panel in panels:
        for member in sorted(panel.members, key=lambda m: (m.user.sort_name, m.user_id)):
            users[member.user_id] = member.user
            judge_panel.setdefault(member.user_id, panel.id)
            summaries[panel.id].judges.append(member.user)
    elsewhere = sorted(set(loads) - set(users))
    if elsewhere:
        group = summaries.setdefault(None, PanelSummary(None))
        for user in db.session.scalars(select(User).where(User.id.in_(elsewhere)).order_by(User.sort_name, User.id)):
            users[user.id] = user
            group.judges.append(user)

    k = round_.judges_per_entry
    entries: list[EntryFact] = []
    in_round_count = 0
    for entry_id, code, field_id, in_round, stored in data.entries:
        panel_id = field_panel.get(field_id) if field_id is not None else None
        fact = EntryFact(entry_id, code, panel_id, in_round, stored, adding_entry[entry_id], unmet.get(entry_id))
        in_round_count += in_round
        entries.append(fact)
        summary = summaries.get(panel_id) or summaries.setdefault(None, PanelSummary(None))
        summary.entries += 1
        summary.stored += fact.stored
        summary.adding += fact.adding
        summary.short += fact.in_round and fact.stored < k
        summary.unmet += fact.unmet is not None
    for summary in summaries.values():
        summary.loads = [(loads[u.id], loads[u.id] + adding_judge[u.id]) for u in summary.judges]
        summary.unbalanced = summary.panel is not None and summary.panel.id in unbalanced
    ordered = [summaries[p.id] for p in panels]
    if None in summaries:
        ordered.append(summaries[None])
    return RoundAssignmentFacts(ordered, entries, dict(loads), dict(adding_judge), users, judge_panel, in_round_count)


def entries_of_judges(round_, judge_ids: Iterable[int], plan: assigning.Result | None) -> set[int]:
    """The entries the judges have in the round, or would get from the plan."""
    judge_ids = set(judge_ids)
    if not judge_ids:
        return set()
    found = set(
        db.session.scalars(
            select(Assignment.entry_id).where(Assignment.round_id == round_.id, Assignment.judge_id.in_(judge_ids))
        )
    )
    if plan is not None:
        found |= {e for j, e in plan.added if j in judge_ids}
    return found


def search_entries(round_, text: str, plan: assigning.Result | None) -> set[int]:
    """Entries of the round (or assigned in it) whose code, title, people or unit hold every word of `text`, or
    whose judges' names (now, or in the plan) do."""
    in_round_ids = select(RoundEntry.entry_id).where(RoundEntry.round_id == round_.id)
    assigned_ids = select(Assignment.entry_id).where(Assignment.round_id == round_.id)
    found = set(
        db.session.scalars(
            where_matches(
                select(Entry.id).where(Entry.id.in_(in_round_ids) | Entry.id.in_(assigned_ids)),
                Entry.search_text,
                text,
            )
        )
    )
    judges_of_round = select(Assignment.judge_id).where(Assignment.round_id == round_.id)
    seated = select(PanelMember.user_id).join(Panel, Panel.id == PanelMember.panel_id)
    seated = seated.where(Panel.contest_id == round_.contest_id)
    judges = set(
        db.session.scalars(
            where_matches(
                select(User.id).where(User.id.in_(judges_of_round) | User.id.in_(seated)), User.search_name, text
            )
        )
    )
    return found | entries_of_judges(round_, judges, plan)


def entries_by_id(ids: Iterable[int]) -> dict[int, Entry]:
    ids = set(ids)
    if not ids:
        return {}
    query = select(Entry).where(Entry.id.in_(ids)).options(lazyload(Entry.contest), lazyload(Entry.age_group))
    return {e.id: e for e in db.session.scalars(query)}


def assignments_of(round_, entry_ids: Iterable[int]) -> dict[int, list[Assignment]]:
    """entry -> its assignments in the round (judge and sheet loaded), judges in name order."""
    entry_ids = set(entry_ids)
    found: dict[int, list[Assignment]] = {e: [] for e in entry_ids}
    if not entry_ids:
        return found
    query = (
        select(Assignment)
        .join(User, User.id == Assignment.judge_id)
        .where(Assignment.round_id == round_.id, Assignment.entry_id.in_(entry_ids))
        # the judges are met already (sub-panel members, `round_facts`): found by id without a query
        .options(lazyload(Assignment.entry), lazyload(Assignment.judge), selectinload(Assignment.sheet))
        .order_by(User.sort_name, User.id)
    )
    for a in db.session.scalars(query):
        found[a.entry_id].append(a)
    return found


def conflicts_in_force(contest_id: int, entry_ids: Iterable[int]) -> dict[tuple[int, int], list[Conflict]]:
    """(judge, entry) -> the conflicts in force between them, for a few entries."""
    found: dict[tuple[int, int], list[Conflict]] = {}
    entry_ids = set(entry_ids)
    if not entry_ids:
        return found
    query = (
        select(Conflict)
        .where(Conflict.contest_id == contest_id, Conflict.lifted_at.is_(None), Conflict.entry_id.in_(entry_ids))
        .options(lazyload(Conflict.entry))
        .order_by(Conflict.id)
    )
    for conflict in db.session.scalars(query):
        found.setdefault((conflict.judge_id, conflict.entry_id), []).append(conflict)
    return found


def crossed_assignments(round_, *, limit: int = CROSSED_LIMIT) -> tuple[list[tuple[Assignment, list[Conflict]]], int]:
    """The stored assignments that cross a conflict in force (at most `limit`, by id, with their conflicts) and
    how many there are."""
    base = select(Assignment.id).join(Round, Round.id == Assignment.round_id)
    base = base.where(Assignment.round_id == round_.id, select(Conflict.id).where(_crossing()).exists())
    total = db.session.scalar(select(func.count()).select_from(base.subquery())) or 0
    if not total:
        return [], 0
    ids = list(db.session.scalars(base.order_by(Assignment.id).limit(limit)))
    assignments = list(
        db.session.scalars(
            select(Assignment)
            .where(Assignment.id.in_(ids))
            .options(selectinload(Assignment.sheet))
            .order_by(Assignment.id)
        )
    )
    clashes = conflicts_in_force(round_.contest_id, {a.entry_id for a in assignments})
    return [(a, clashes.get((a.judge_id, a.entry_id), [])) for a in assignments], total
