"""The Board's decisions on ties and the approving decision (re-exported by `results.services.awards`). Each is
audited and flushed; the view commits."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.audit.service import record, snapshot
from app.extensions import db
from competitions.models import Contest, Entry
from results.models import AwardDecision, TieDecision
from results.services.award_common import AwardError, actor_id, written_reason

__all__ = ["DECISION_FIELDS", "decide_tie", "record_decision"]

DECISION_FIELDS = ("contest_id", "number", "signed_on", "signer", "signer_title")


# --- the Board's decision on a tie ------------------------------------------------------------------------------------


def decide_tie(contest: Contest, entry_ids: list[int], reason: str, *, by) -> TieDecision:
    """Record the Board's order for entries still tied after the criteria of the chain (first = ranked higher),
    with its reason (audited "tie.decide"). The latest decision about an entry wins (`scores.board_order`)."""
    reason = written_reason(reason)
    ids = [int(i) for i in entry_ids]
    if len(ids) < 2:
        raise AwardError("tie_too_small")
    if len(set(ids)) != len(ids):
        raise AwardError("tie_repeated", "positions")
    found = set(db.session.scalars(select(Entry.id).where(Entry.contest_id == contest.id, Entry.id.in_(ids))))
    if found != set(ids):
        raise AwardError("tie_foreign_entry")
    decision = TieDecision(contest_id=contest.id, entry_ids=ids, reason=reason, decided_by_id=actor_id(by))
    db.session.add(decision)
    db.session.flush()
    record("tie.decide", decision, after={"contest_id": contest.id, "entry_ids": ids, "reason": reason}, actor=by)
    return decision


# --- the approving decision -------------------------------------------------------------------------------------------


def record_decision(
    contest: Contest, *, number: str, signed_on: date | None, signer: str, signer_title: str = "", by
) -> AwardDecision:
    """Record the decision approving the awards (audited "award_decision.create"). A later decision (a correction)
    is a new record; the latest one is the one publication and certificates cite."""
    number, signer, signer_title = (number or "").strip(), (signer or "").strip(), (signer_title or "").strip()
    if not number:
        raise AwardError("number_required", "number")
    if len(number) > 64:
        raise AwardError("number_too_long", "number")
    if signed_on is None:
        raise AwardError("date_required", "signed_on")
    if not signer:
        raise AwardError("signer_required", "signer")
    if len(signer) > 120:
        raise AwardError("signer_too_long", "signer")
    if len(signer_title) > 160:
        raise AwardError("signer_title_too_long", "signer_title")
    decision = AwardDecision(
        contest_id=contest.id,
        number=number,
        signed_on=signed_on,
        signer=signer,
        signer_title=signer_title,
        created_by_id=actor_id(by),
    )
    db.session.add(decision)
    db.session.flush()
    record("award_decision.create", decision, after=snapshot(decision, DECISION_FIELDS), actor=by)
    return decision
