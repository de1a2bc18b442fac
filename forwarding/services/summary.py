"""What a parent edition's organizers see of its children: per child, the entries registered, judged and
forwarded, and how the forwarded ones fared at the parent. Grouped queries: a fixed number whatever the number of
children and entries. Reads only."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import and_, case, distinct, func, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from competitions.models import Contest, Entry
from forwarding import rules
from forwarding.models import Forward
from forwarding.services.forwards import in_round, withdraw_problems
from judging.models import Assignment, Round, RoundEntry, ScoreSheet
from results.models import Award


@dataclass
class ChildSummary:
    """One child edition: `registered` its own submitted entries (drafts aside) and those it forwarded (which
    have moved), `judged` the entries of its rounds with a submitted score sheet, `forwarded` its forwards in
    force, and of those: `eligible` screened eligible at the parent, `in_round` in a parent's round, `awarded`
    holding an award at the parent (`awards`: how many per prize name). `quota` is its quota (None: no limit)."""

    child: Contest
    registered: int = 0
    judged: int = 0
    forwarded: int = 0
    eligible: int = 0
    in_round: int = 0
    awarded: int = 0
    awards: dict[str, int] = field(default_factory=dict)
    quota: int | None = None

    @property
    def left(self) -> int | None:
        return rules.quota_left(self.quota, self.forwarded)


def _active_to(parent: Contest, child_ids: list[int]):
    return and_(
        Forward.from_contest_id.in_(child_ids), Forward.to_contest_id == parent.id, Forward.withdrawn_at.is_(None)
    )


def child_summary(parent: Contest) -> list[ChildSummary]:
    """Every child edition of `parent` (in creation order) with its counts."""
    children = db.session.scalars(select(Contest).where(Contest.parent_id == parent.id).order_by(Contest.id)).all()
    if not children:
        return []
    ids = [c.id for c in children]
    rows = {c.id: ChildSummary(c, quota=rules.quota_for(c.quota_at_parent, parent.forward_quota)) for c in children}
    active = _active_to(parent, ids)
    for contest_id, n in db.session.execute(
        select(Entry.contest_id, func.count(Entry.id))
        .where(Entry.contest_id.in_(ids), Entry.status != "draft")
        .group_by(Entry.contest_id)
    ):
        rows[contest_id].registered += int(n)
    for contest_id, n, eligible in db.session.execute(
        select(
            Forward.from_contest_id,
            func.count(distinct(Forward.entry_id)),
            func.count(distinct(case((Entry.status == "eligible", Entry.id)))),
        )
        .join(Entry, Entry.id == Forward.entry_id)
        .where(active)
        .group_by(Forward.from_contest_id)
    ):
        rows[contest_id].forwarded = int(n)
        rows[contest_id].registered += int(n)
        rows[contest_id].eligible = int(eligible)
    for contest_id, n in db.session.execute(
        select(Round.contest_id, func.count(distinct(Assignment.entry_id)))
        .join(Assignment, Assignment.round_id == Round.id)
        .join(ScoreSheet, ScoreSheet.assignment_id == Assignment.id)
        .where(Round.contest_id.in_(ids), ScoreSheet.status == "submitted")
        .group_by(Round.contest_id)
    ):
        rows[contest_id].judged = int(n)
    for contest_id, n in db.session.execute(
        select(Forward.from_contest_id, func.count(distinct(Forward.entry_id)))
        .join(RoundEntry, RoundEntry.entry_id == Forward.entry_id)
        .join(Round, Round.id == RoundEntry.round_id)
        .where(active, Round.contest_id == parent.id)
        .group_by(Forward.from_contest_id)
    ):
        rows[contest_id].in_round = int(n)
    awards_by_child: dict[int, dict[str, int]] = defaultdict(dict)
    for contest_id, name, n in db.session.execute(
        select(Forward.from_contest_id, Award.tier_name, func.count(distinct(Award.entry_id)))
        .join(Award, Award.entry_id == Forward.entry_id)
        .where(active, Award.contest_id == parent.id)
        .group_by(Forward.from_contest_id, Award.tier_name)
        .order_by(Forward.from_contest_id, Award.tier_name)
    ):
        awards_by_child[contest_id][name] = int(n)
    for contest_id, n in db.session.execute(
        select(Forward.from_contest_id, func.count(distinct(Award.entry_id)))
        .join(Award, Award.entry_id == Forward.entry_id)
        .where(active, Award.contest_id == parent.id)
        .group_by(Forward.from_contest_id)
    ):
        rows[contest_id].awarded = int(n)
    for contest_id, awards in awards_by_child.items():
        rows[contest_id].awards = awards
    return [rows[c.id] for c in children]


@dataclass(frozen=True)
class ForwardRow:
    """A forward as the child's page lists it, with what stands in the way of withdrawing it."""

    forward: Forward
    problems: list[rules.Problem]

    @property
    def withdrawable(self) -> bool:
        return not self.problems


def forwards_from(child: Contest, *, now=None) -> list[ForwardRow]:
    """The child's forwards to its parent, in force first (newest first), then the withdrawn ones; each with its
    withdrawal problems. A bounded number of queries."""
    forwards = db.session.scalars(
        select(Forward)
        .where(Forward.from_contest_id == child.id, Forward.to_contest_id.is_not(None))
        .options(selectinload(Forward.entry), selectinload(Forward.to_contest))
        .order_by(Forward.withdrawn_at.is_not(None), Forward.forwarded_at.desc(), Forward.id.desc())
    ).all()
    by_target: dict[int, list[int]] = defaultdict(list)
    for f in forwards:
        if f.active:
            by_target[f.to_contest_id].append(f.entry_id)
    rounds: set[tuple[int, int]] = set()
    for target, entry_ids in by_target.items():
        rounds |= {(target, e) for e in in_round(target, entry_ids)}
    return [
        ForwardRow(f, withdraw_problems(f, in_target_round=(f.to_contest_id, f.entry_id) in rounds, now=now))
        for f in forwards
    ]
