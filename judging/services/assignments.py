"""Assignment of judges to the entries of a round: planned automatically, saved, or by hand."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping

from sqlalchemy import select

from app.accounts.models import User
from app.audit.service import record, snapshot
from app.extensions import db
from competitions.models import Entry
from judging import assignment as assigning
from judging.models import (
    Assignment,
    Panel,
    PanelField,
    PanelMember,
    Round,
    RoundEntry,
)
from judging.services._common import (
    ASSIGNMENT_FIELDS,
    NO_PANEL,
    JudgingError,
    actor_id,
)
from judging.services.conflicts import active_conflicts


def _field_panels(contest_id: int) -> dict[int, int]:
    """field_id -> panel_id for the contest."""
    query = select(PanelField.field_id, PanelField.panel_id).where(PanelField.contest_id == contest_id)
    return dict(db.session.execute(query).all())


def _existing_pairs(round_: Round) -> set[tuple[int, int]]:
    return set(
        db.session.execute(select(Assignment.judge_id, Assignment.entry_id).where(Assignment.round_id == round_.id))
    )


def plan_assignment(round_: Round) -> assigning.Result:
    """What `assignment.assign` proposes for the round (nothing is written): each entry of the round gets
    `judges_per_entry` judges of its field's panel, conflicts in force avoided, current assignments kept.

    Entries whose field no panel judges are listed in `unmet` too, with reason `NO_PANEL` and panel_id None.
    Raises `ValueError` when a current assignment is a conflict in force (to settle first).
    """
    round_entries = db.session.execute(
        select(Entry.id, Entry.field_id)
        .join(RoundEntry, RoundEntry.entry_id == Entry.id)
        .where(RoundEntry.round_id == round_.id)
        .order_by(Entry.id)
    )
    judges = [
        assigning.PanelJudge(user_id, panel_id)
        for user_id, panel_id in db.session.execute(
            select(PanelMember.user_id, PanelMember.panel_id)
            .join(Panel, Panel.id == PanelMember.panel_id)
            .where(Panel.contest_id == round_.contest_id)
            .order_by(PanelMember.user_id)
        )
    ]
    return plan_from(round_, _field_panels(round_.contest_id), round_entries, judges, _existing_pairs(round_))


def plan_from(
    round_: Round,
    field_panel: Mapping[int, int],
    round_entries: Iterable[tuple[int, int | None]],
    judges: list[assigning.PanelJudge],
    existing: set[tuple[int, int]],
) -> assigning.Result:
    """`plan_assignment` from what it reads, read by the caller: field -> panel, the round's (entry id, field id),
    the panels' judges and the stored (judge, entry) pairs."""
    k = round_.judges_per_entry
    have: dict[int, int] = {}
    for _judge_id, entry_id in existing:
        have[entry_id] = have.get(entry_id, 0) + 1
    slots: list[assigning.Slot] = []
    no_panel: list[assigning.Unmet] = []
    for entry_id, field_id in round_entries:
        panel_id = field_panel.get(field_id) if field_id is not None else None
        if panel_id is not None:
            slots.append(assigning.Slot(entry_id, panel_id))
        elif have.get(entry_id, 0) < k:
            no_panel.append(assigning.Unmet(entry_id, None, k, have.get(entry_id, 0), NO_PANEL))  # type: ignore[arg-type]
    result = assigning.assign(slots, judges, k, conflicts=active_conflicts(round_.contest_id), existing=existing)
    if not no_panel:
        return result
    unmet = tuple(sorted(result.unmet + tuple(no_panel), key=lambda u: u.entry_id))
    return dataclasses.replace(result, unmet=unmet)


def save_assignment(round_: Round, result: assigning.Result, *, by) -> int:
    """Store the pairs `result` adds (those not stored meanwhile) as automatic assignments; returns how many."""
    existing = _existing_pairs(round_)
    pairs = sorted(p for p in result.added if p not in existing)
    for judge_id, entry_id in pairs:
        db.session.add(
            Assignment(
                round_id=round_.id, entry_id=entry_id, judge_id=judge_id, source="auto", created_by_id=actor_id(by)
            )
        )
    db.session.flush()
    record(
        "round.assign",
        round_,
        after={"added": len(pairs), "unmet": [u.entry_id for u in result.unmet]},
        summary=str(len(pairs)),
        actor=by,
    )
    return len(pairs)


def assign_manually(round_: Round, entry: Entry, judge: User, *, by) -> Assignment:
    """Give `judge` the `entry` in the round by hand: the entry must be in the round, the judge on the panel of
    its field and free of any conflict in force with it."""
    in_round = db.session.scalar(
        select(RoundEntry.id).where(RoundEntry.round_id == round_.id, RoundEntry.entry_id == entry.id)
    )
    if in_round is None:
        raise JudgingError("not_in_round", entry.id)
    panel_id = _field_panels(round_.contest_id).get(entry.field_id) if entry.field_id is not None else None
    if panel_id is None:
        raise JudgingError("no_panel", entry.id)
    on_panel = db.session.scalar(
        select(PanelMember.id).where(PanelMember.panel_id == panel_id, PanelMember.user_id == judge.id)
    )
    if on_panel is None:
        raise JudgingError("not_on_panel", judge.id)
    if (judge.id, entry.id) in active_conflicts(round_.contest_id):
        raise JudgingError("conflict", (judge.id, entry.id))
    if (judge.id, entry.id) in _existing_pairs(round_):
        raise JudgingError("already_assigned", (judge.id, entry.id))
    assignment = Assignment(
        round_id=round_.id, entry_id=entry.id, judge_id=judge.id, source="manual", created_by_id=actor_id(by)
    )
    db.session.add(assignment)
    db.session.flush()
    record("assignment.create", assignment, after=snapshot(assignment, ASSIGNMENT_FIELDS), actor=by)
    return assignment


def unassign(assignment: Assignment, *, by) -> None:
    """Take an entry back from a judge; refused once their score sheet is submitted (a draft goes with it)."""
    if assignment.sheet is not None and assignment.sheet.status == "submitted":
        raise JudgingError("sheet_submitted", assignment.id)
    record("assignment.delete", assignment, before=snapshot(assignment, ASSIGNMENT_FIELDS), actor=by)
    db.session.delete(assignment)
    db.session.flush()
