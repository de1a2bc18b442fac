"""Sub-panels of the judging council."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.audit.service import record, snapshot
from app.extensions import db
from competitions.models import Contest
from judging.models import (
    Panel,
    PanelField,
    PanelMember,
)
from judging.services._common import (
    PANEL_FIELDS,
    JudgingError,
)


def save_panel(
    contest: Contest,
    name: str,
    field_ids: Iterable[int],
    member_ids: Iterable[int],
    head_id: int | None,
    *,
    by,
    panel: Panel | None = None,
) -> Panel:
    """Create (or, given `panel`, update) a sub-panel with its fields, judges and head.

    Its fields must belong to the contest and be on no other panel of it; its members must hold the judge role
    for the contest (or everywhere) and sit on no other panel of it (a judge judges in one sub-panel); the head
    is one of the members.
    """
    name = " ".join((name or "").split())
    if not name:
        raise JudgingError("missing_name")
    field_ids = list(dict.fromkeys(int(f) for f in field_ids))
    member_ids = list(dict.fromkeys(int(m) for m in member_ids))
    own = {f.id for f in contest.fields}
    unknown = [f for f in field_ids if f not in own]
    if unknown:
        raise JudgingError("unknown_field", unknown)
    others = select(Panel.id).where(Panel.contest_id == contest.id)
    if panel is not None:
        others = others.where(Panel.id != panel.id)
    taken = set(db.session.scalars(select(PanelField.field_id).where(PanelField.panel_id.in_(others))))
    if taken.intersection(field_ids):
        raise JudgingError("field_taken", sorted(taken.intersection(field_ids)))
    for user_id in member_ids:
        user = db.session.get(User, user_id)
        if user is None:
            raise JudgingError("unknown_user", user_id)
        if not user.can("judge", contest):
            raise JudgingError("not_a_judge", user_id)
    seated = set(db.session.scalars(select(PanelMember.user_id).where(PanelMember.panel_id.in_(others))))
    if seated.intersection(member_ids):
        raise JudgingError("member_taken", sorted(seated.intersection(member_ids)))
    if head_id is not None and head_id not in member_ids:
        raise JudgingError("head_not_member", head_id)

    before = None
    if panel is None:
        panel = Panel(contest_id=contest.id, name=name)
        db.session.add(panel)
    else:
        before = snapshot(panel, PANEL_FIELDS)
    panel.name = name
    panel.head_id = head_id
    # Keep the rows that stay (the unit of work inserts before it deletes: re-adding a row would clash).
    panel.fields = [pf for pf in panel.fields if pf.field_id in field_ids] + [
        PanelField(contest_id=contest.id, field_id=f) for f in field_ids if f not in panel.field_ids
    ]
    panel.members = [pm for pm in panel.members if pm.user_id in member_ids] + [
        PanelMember(user_id=m) for m in member_ids if m not in panel.member_ids
    ]
    db.session.flush()
    action = "panel.create" if before is None else "panel.update"
    record(action, panel, before=before, after=snapshot(panel, PANEL_FIELDS), summary=name, actor=by)
    return panel


def contest_panels(contest: Contest) -> list[Panel]:
    return list(
        db.session.scalars(
            select(Panel)
            .where(Panel.contest_id == contest.id)
            .options(selectinload(Panel.fields), selectinload(Panel.members))
            .order_by(Panel.id)
        )
    )
