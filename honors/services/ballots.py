"""The council's ballot: opening and closing it, casting votes (with forced abstentions), progress and results.

Each state change commits once and writes the audit log. In a secret ballot the log records that a member voted
on a nominee, never what: nobody (organizers, administrators reading the log, exports, minutes) can tell who voted
what; the counts alone are shown. Only the member sees their own vote, on their ballot page, to change it.
"""

from __future__ import annotations

import time
from datetime import datetime
from fractions import Fraction

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError

from app.accounts.models import RoleGrant, User
from app.accounts.roles import COUNCIL_MEMBER
from app.audit.service import record
from app.extensions import db
from app.text import normalize_search
from app.timefmt import utcnow
from honors import tally
from honors.models.ballots import Ballot, Vote
from honors.models.campaigns import BodyNominator, Campaign, Dossier
from honors.services import dossiers as dossier_services

ERROR_CODES = (
    "not_voting",  # the campaign is not in its voting stage
    "no_members",  # the council has no member
    "no_nominees",  # no eligible dossier
    "already_open",  # the ballot is open or closed already
    "not_open",  # the ballot is not open
    "not_accepting",  # not started yet, or past its closing time
    "not_member",  # the account is not on the council
    "not_nominee",  # the dossier is not on the ballot
    "bad_choice",  # not agree, disagree or abstain
    "bad_times",  # closing before opening, or in the past
    "not_chair",  # only the chair (or an organizer) closes the ballot
)
COMMENT_MAX = 2000
#: Attempts at a vote whose write lock another request held (SQLite only).
LOCK_RETRIES = 5


class BallotError(Exception):
    def __init__(self, code: str):
        if code not in ERROR_CODES:
            raise ValueError(f"unknown ballot error code {code!r}")
        super().__init__(code)
        self.code = code


# --- the council and the nominees -----------------------------------------------------------------------------------


def council_members(campaign: Campaign) -> list[User]:
    """The accounts holding council_member for this campaign (a scoped grant), in Vietnamese name order."""
    users = db.session.scalars(
        select(User)
        .join(RoleGrant, RoleGrant.user_id == User.id)
        .where(
            RoleGrant.role == COUNCIL_MEMBER,
            RoleGrant.scope_type == "campaign",
            RoleGrant.scope_id == campaign.id,
        )
        .order_by(User.sort_name, User.id)
    ).unique()
    return list(users)


def is_member(user, campaign: Campaign) -> bool:
    if user is None or not getattr(user, "is_authenticated", True):
        return False
    return any(
        g.role == COUNCIL_MEMBER and g.scope_type == "campaign" and g.scope_id == campaign.id for g in user.role_grants
    )


def member_campaign_ids(user) -> list[int]:
    return sorted(
        {g.scope_id for g in user.role_grants if g.role == COUNCIL_MEMBER and g.scope_type == "campaign" and g.scope_id}
    )


def nominees(campaign: Campaign) -> list[Dossier]:
    """The eligible dossiers (withdrawn and ineligible never reach the ballot), by category then name."""
    return dossier_services.nominees(campaign)


def ballot_of(campaign: Campaign) -> Ballot | None:
    return db.session.scalar(select(Ballot).where(Ballot.campaign_id == campaign.id))


def _ballot_for_update(campaign: Campaign) -> Ballot:
    """The campaign's ballot, made when missing, locked for the change (PostgreSQL)."""
    db.session.execute(select(Campaign.id).where(Campaign.id == campaign.id).with_for_update())
    ballot = ballot_of(campaign)
    if ballot is None:
        ballot = Ballot(campaign_id=campaign.id, status="draft", secret=campaign.ballot_mode == "secret")
        db.session.add(ballot)
        db.session.flush()
    return ballot


# --- rules ----------------------------------------------------------------------------------------------------------


def frozen_rules(campaign: Campaign) -> dict:
    """The campaign's rules as the ballot keeps them from its opening."""
    share = campaign.quorum_mode == "share"
    return {
        "threshold": str(campaign.pass_share),
        "quorum_share": str(campaign.quorum_share) if share else None,
        "quorum_count": campaign.quorum_count if not share else None,
        "number_to_honor": campaign.honor_count,
    }


def rules_of(ballot: Ballot, members: int) -> tally.Rules:
    """The tally's rules: those frozen at opening (the campaign's own before it opens)."""
    rules = ballot.rules or frozen_rules(ballot.campaign)
    return tally.Rules(
        members=members,
        threshold=Fraction(rules["threshold"]),
        quorum_share=Fraction(rules["quorum_share"]) if rules.get("quorum_share") else None,
        quorum_count=rules.get("quorum_count"),
        number_to_honor=rules.get("number_to_honor"),
    )


# --- state changes --------------------------------------------------------------------------------------------------

BALLOT_FIELDS = ("status", "secret", "rules", "opens_at", "closes_at", "closed_at", "close_reason", "member_count")


def open_ballot(campaign: Campaign, *, opens_at: datetime | None, closes_at: datetime | None, by) -> Ballot:
    """Open the council's ballot (voting from `opens_at`, or now, until `closes_at` if given), freezing the mode and
    the rules. The campaign must be in its voting stage, with a council and at least one eligible dossier."""
    now = utcnow()
    if campaign.status != "voting":
        raise BallotError("not_voting")
    ballot = _ballot_for_update(campaign)
    if ballot.status != "draft":
        raise BallotError("already_open")
    if closes_at is not None and (closes_at <= now or (opens_at is not None and closes_at <= opens_at)):
        raise BallotError("bad_times")
    if not council_members(campaign):
        raise BallotError("no_members")
    if not nominees(campaign):
        raise BallotError("no_nominees")
    ballot.status = "open"
    ballot.secret = campaign.ballot_mode == "secret"
    ballot.rules = frozen_rules(campaign)
    ballot.opens_at = opens_at
    ballot.closes_at = closes_at
    ballot.opened_at = now
    ballot.opened_by_id = getattr(by, "id", None)
    record("ballot.open", ballot, after=_snapshot(ballot), summary=campaign.name, actor=by)
    db.session.commit()
    return ballot


def _snapshot(ballot: Ballot) -> dict:
    from app.audit.service import snapshot

    return snapshot(ballot, BALLOT_FIELDS)


def close_ballot(ballot: Ballot, *, by, reason: str) -> Ballot:
    """Close an open ballot (`reason`: chair, organizer or time), freeze the council's size and move the campaign
    from voting to closed. Only the chair closes among the members (checked here too)."""
    db.session.execute(select(Ballot.id).where(Ballot.id == ballot.id).with_for_update())
    db.session.refresh(ballot)
    if ballot.status != "open":
        raise BallotError("not_open")
    campaign = ballot.campaign
    if reason == "chair" and (by is None or campaign.chair_id != by.id):
        raise BallotError("not_chair")
    before = _snapshot(ballot)
    ballot.status = "closed"
    ballot.closed_at = utcnow()
    ballot.closed_by_id = getattr(by, "id", None)
    ballot.close_reason = reason
    ballot.member_count = len(council_members(campaign))
    if campaign.status == "voting":
        campaign.status = "closed"
    record("ballot.close", ballot, before=before, after=_snapshot(ballot), summary=campaign.name, actor=by)
    db.session.commit()
    return ballot


def close_if_due(ballot: Ballot | None, now: datetime | None = None) -> Ballot | None:
    """Close a ballot whose closing time has passed (called when its pages are read)."""
    if ballot is not None and ballot.is_due_to_close(now or utcnow()):
        try:
            close_ballot(ballot, by=None, reason="time")
        except BallotError:  # closed by someone else meanwhile
            db.session.rollback()
    return ballot


def member_conflicts(ballot: Ballot, member: User, dossiers: list[Dossier]) -> dict[int, str]:
    """dossier id -> why the member must abstain on it (one query for the member's bodies)."""
    body_ids = set(
        db.session.scalars(
            select(BodyNominator.body_id).where(
                BodyNominator.user_id == member.id, BodyNominator.campaign_id == ballot.campaign_id
            )
        )
    )
    organisation = member.organisation
    org_name = normalize_search(organisation.name) if organisation is not None else ""
    found = {}
    for dossier in dossiers:
        reason = tally.conflict_reason(
            member_organisation_id=member.organisation_id,
            member_organisation_name=org_name,
            member_body_ids=body_ids,
            dossier_body_id=dossier.body_id,
            body_organisation_id=dossier.body.organisation_id,
            unit_organisation_id=dossier.unit_organisation_id,
            unit_name=normalize_search(dossier.unit_name),
        )
        if reason:
            found[dossier.id] = reason
    return found


def cast_vote(ballot: Ballot, dossier: Dossier, member: User, choice: str, comment: str = "") -> Vote:
    """Record the member's vote on a nominee: a second vote replaces the first while the ballot accepts votes.
    A member with a conflict is recorded as abstaining (forced, with the reason) whatever they chose. Two votes
    sent at once (two tabs) store one: the database's unique (ballot, dossier, member) turns the second insert
    into an update (PostgreSQL: the second insert waits for the first to commit, then fails and updates); on
    SQLite the loser may fail to get the write lock ("database is locked"), and is tried again, as an update."""
    for attempt in range(LOCK_RETRIES):
        try:
            return _cast_vote(ballot, dossier, member, choice, comment)
        except OperationalError as exc:
            db.session.rollback()
            if "locked" not in str(exc.orig) or attempt == LOCK_RETRIES - 1:
                raise
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


def _cast_vote(ballot: Ballot, dossier: Dossier, member: User, choice: str, comment: str) -> Vote:
    now = utcnow()
    comment = (comment or "").strip()[:COMMENT_MAX]
    if choice not in tally.CHOICES:
        raise BallotError("bad_choice")
    if ballot.status != "open":
        raise BallotError("not_open")
    if not ballot.accepts_votes(now) or ballot.campaign.status != "voting":
        raise BallotError("not_accepting")
    if not is_member(member, ballot.campaign):
        raise BallotError("not_member")
    if dossier.campaign_id != ballot.campaign_id or dossier.status != "eligible":
        raise BallotError("not_nominee")
    reason = member_conflicts(ballot, member, [dossier]).get(dossier.id, "")
    if reason:
        choice = tally.ABSTAIN
    values = {"choice": choice, "comment": comment, "forced": bool(reason), "forced_reason": reason, "updated_at": now}
    vote = _existing(ballot, dossier, member)
    replaced = vote is not None
    if vote is None:
        try:
            with db.session.begin_nested():
                vote = Vote(ballot_id=ballot.id, dossier_id=dossier.id, member_id=member.id, cast_at=now, **values)
                db.session.add(vote)
        except IntegrityError:  # the same member's other request inserted it a moment ago
            vote = _existing(ballot, dossier, member)
            replaced = True
    if replaced:
        for key, value in values.items():
            setattr(vote, key, value)
    after = {"dossier": dossier.id, "member": member.id, "replaced": replaced, "forced": bool(reason)}
    if not ballot.secret:
        after["choice"] = choice
    record("ballot.vote", ballot, after=after, summary=dossier.full_name, actor=member)
    db.session.commit()
    return vote


def _existing(ballot: Ballot, dossier: Dossier, member: User) -> Vote | None:
    return db.session.scalar(
        select(Vote)
        .where(Vote.ballot_id == ballot.id, Vote.dossier_id == dossier.id, Vote.member_id == member.id)
        .with_for_update(of=Vote)
    )
