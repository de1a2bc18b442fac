"""Campaigns: their settings, categories and checklist, their statuses, nominating bodies with their nominators, and
their council. Each function commits once and writes the audit log (or raises HonorsError, writing nothing)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from app.accounts import services as accounts
from app.accounts.models import RoleGrant, User
from app.accounts.roles import COUNCIL_MEMBER, NOMINATOR
from app.audit.service import record, snapshot
from app.extensions import db
from honors.eligibility import can_move
from honors.models.campaigns import (
    DEFAULT_CATEGORIES,
    DEFAULT_CHECKLIST,
    BodyNominator,
    Campaign,
    CampaignCategory,
    ChecklistItem,
    Dossier,
    NominatingBody,
)
from honors.services.common import HonorsError

#: The settings an organizer edits, recorded before and after each change.
CAMPAIGN_FIELDS = (
    "name",
    "occasion",
    "description",
    "opens_at",
    "closes_at",
    "default_quota",
    "honor_count",
    "quorum_mode",
    "quorum_numerator",
    "quorum_denominator",
    "quorum_count",
    "pass_numerator",
    "pass_denominator",
    "ballot_mode",
)


@dataclass
class CampaignSettings:
    """What the campaign form gives (times naive UTC)."""

    name: str
    occasion: str = ""
    description: str = ""
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    default_quota: int | None = 3
    honor_count: int | None = None
    quorum_mode: str = "share"
    quorum_numerator: int = 2
    quorum_denominator: int = 3
    quorum_count: int | None = None
    pass_numerator: int = 2
    pass_denominator: int = 3
    ballot_mode: str = "secret"


def settings_problems(s: CampaignSettings) -> list[str]:
    """Settings that do not hold together: "window_order", "quorum_share", "quorum_count", "pass_share"."""
    problems = []
    if s.opens_at is not None and s.closes_at is not None and s.closes_at <= s.opens_at:
        problems.append("window_order")
    if s.quorum_mode == "share" and not 0 < s.quorum_numerator <= s.quorum_denominator:
        problems.append("quorum_share")
    if s.quorum_mode == "count" and not s.quorum_count:
        problems.append("quorum_count")
    if not 0 < s.pass_numerator <= s.pass_denominator:
        problems.append("pass_share")
    return problems


def _apply(campaign: Campaign, s: CampaignSettings) -> None:
    problems = settings_problems(s)
    if problems:
        raise HonorsError(*problems)
    for name in CAMPAIGN_FIELDS:
        setattr(campaign, name, getattr(s, name))
    campaign.name = " ".join(campaign.name.split())


def create_campaign(organisation_id: int, s: CampaignSettings, *, by: User, categories=None) -> Campaign:
    """A new campaign in draft, with the default categories (or `categories`) and the default checklist."""
    campaign = Campaign(organisation_id=organisation_id, created_by_id=by.id, status="draft")
    _apply(campaign, s)
    names = list(categories) if categories is not None else list(DEFAULT_CATEGORIES)
    campaign.categories = [CampaignCategory(name=n, position=i) for i, n in enumerate(names, start=1)]
    campaign.checklist = [
        ChecklistItem(text=t, required=r, position=i) for i, (t, r) in enumerate(DEFAULT_CHECKLIST, start=1)
    ]
    db.session.add(campaign)
    db.session.flush()
    after = snapshot(campaign, CAMPAIGN_FIELDS) | {"organisation_id": organisation_id}
    record("honors.campaign.create", campaign, after=after, actor=by, summary=campaign.name)
    db.session.commit()
    return campaign


#: The council's rules, fixed once it votes ("rules_locked").
COUNCIL_RULES = ("quorum_mode", "quorum_numerator", "quorum_denominator", "quorum_count", "pass_numerator",
                 "pass_denominator", "ballot_mode")  # fmt: skip


def update_campaign(campaign: Campaign, s: CampaignSettings, *, by: User) -> None:
    """Change the settings; the council's rules no longer change once the council votes ("rules_locked")."""
    if campaign.status in ("voting", "closed", "published") and any(
        getattr(campaign, name) != getattr(s, name) for name in COUNCIL_RULES
    ):
        raise HonorsError("rules_locked")
    before = snapshot(campaign, CAMPAIGN_FIELDS)
    _apply(campaign, s)
    record("honors.campaign.update", campaign, before=before, after=snapshot(campaign, CAMPAIGN_FIELDS), actor=by)
    db.session.commit()


def set_lists(campaign: Campaign, categories: list[str], checklist: list[tuple[str, bool]], *, by: User) -> None:
    """Replace the categories and the checklist. Rows whose text stays keep their id (and the dossiers' choices
    and answers that point at them); a removed category leaves its dossiers without one, a removed checklist
    item takes its answers with it."""
    before = _lists(campaign)
    by_name = {c.name: c for c in campaign.categories}
    kept = []
    for position, name in enumerate(dict.fromkeys(categories), start=1):
        row = by_name.pop(name, None) or CampaignCategory(name=name)
        row.position = position
        kept.append(row)
    campaign.categories = kept
    by_text = {i.text: i for i in campaign.checklist}
    items = []
    seen = set()
    for position, (text, required) in enumerate(checklist, start=1):
        if text in seen:
            continue
        seen.add(text)
        row = by_text.pop(text, None) or ChecklistItem(text=text)
        row.required, row.position = required, position
        items.append(row)
    campaign.checklist = items
    record("honors.campaign.lists", campaign, before=before, after=_lists(campaign), actor=by)
    db.session.commit()


def _lists(campaign: Campaign) -> dict:
    return {
        "categories": [c.name for c in campaign.categories],
        "checklist": [[i.text, i.required] for i in campaign.checklist],
    }


def move_campaign(campaign: Campaign, target: str, *, by: User) -> None:
    """Move the campaign to `target` when its state machine allows it ("transition" otherwise). Opening
    nominations needs the window set ("window_unset"); handing the nominees to the council needs every submitted
    dossier screened ("unscreened") and a council ("no_council")."""
    if not can_move(campaign.status, target):
        raise HonorsError("transition")
    if target == "nominating" and (campaign.opens_at is None or campaign.closes_at is None):
        raise HonorsError("window_unset")
    if target == "voting" and campaign.status == "screening":
        problems = []
        waiting = select(func.count(Dossier.id)).where(
            Dossier.campaign_id == campaign.id, Dossier.status == "submitted"
        )
        if db.session.scalar(waiting):
            problems.append("unscreened")
        if not council_members(campaign):
            problems.append("no_council")
        if problems:
            raise HonorsError(*problems)
    before = campaign.status
    campaign.status = target
    record("honors.campaign.status", campaign, before={"status": before}, after={"status": target}, actor=by)
    db.session.commit()


# --- Nominating bodies and their nominators ----------------------------------------------------------------------


def add_body(campaign: Campaign, organisation_id: int, quota: int | None, *, by: User) -> NominatingBody:
    if any(b.organisation_id == organisation_id for b in campaign.bodies):
        raise HonorsError("body_exists")
    body = NominatingBody(campaign=campaign, organisation_id=organisation_id, quota=quota)
    db.session.add(body)
    db.session.flush()
    record(
        "honors.body.add",
        campaign,
        after={"body": body.id, "organisation_id": organisation_id, "quota": quota},
        actor=by,
        summary=body.name,
    )
    db.session.commit()
    return body


def set_body_quota(body: NominatingBody, quota: int | None, *, by: User) -> None:
    before = body.quota
    body.quota = quota
    record(
        "honors.body.quota", body.campaign, before={"body": body.id, "quota": before},
        after={"body": body.id, "quota": quota}, actor=by, summary=body.name,
    )  # fmt: skip
    db.session.commit()


def remove_body(body: NominatingBody, *, by: User) -> None:
    """Remove a body that has no dossiers ("body_has_dossiers" otherwise), and its nominators' grants."""
    if db.session.scalar(select(func.count(Dossier.id)).where(Dossier.body_id == body.id)):
        raise HonorsError("body_has_dossiers")
    campaign = body.campaign
    for row in list(body.nominators):
        _revoke_nominator_grant(campaign, row.user, by=by)
    record("honors.body.remove", campaign, before={"body": body.id, "organisation_id": body.organisation_id},
           actor=by, summary=body.name)  # fmt: skip
    campaign.bodies.remove(body)
    db.session.commit()


def add_nominator(body: NominatingBody, user: User, *, by: User) -> BodyNominator:
    """Let `user` nominate for `body`: a BodyNominator row and the nominator role scoped to the campaign. An account
    nominates for one body per campaign ("nominator_elsewhere")."""
    taken = db.session.scalar(
        select(BodyNominator).where(BodyNominator.campaign_id == body.campaign_id, BodyNominator.user_id == user.id)
    )
    if taken is not None:
        raise HonorsError("nominator_elsewhere" if taken.body_id != body.id else "nominator_exists")
    row = BodyNominator(body=body, campaign_id=body.campaign_id, user_id=user.id)
    db.session.add(row)
    accounts.grant_role(user, NOMINATOR, by=by, scope_type="campaign", scope_id=body.campaign_id)
    record("honors.nominator.add", body.campaign, after={"body": body.id, "user": user.id}, actor=by,
           summary=f"{body.name}: {user.email}")  # fmt: skip
    db.session.commit()
    return row


def remove_nominator(row: BodyNominator, *, by: User) -> None:
    body, user = row.body, row.user
    record("honors.nominator.remove", body.campaign, before={"body": body.id, "user": user.id}, actor=by,
           summary=f"{body.name}: {user.email}")  # fmt: skip
    body.nominators.remove(row)
    _revoke_nominator_grant(body.campaign, user, by=by)
    db.session.commit()


def _revoke_nominator_grant(campaign: Campaign, user: User, *, by: User) -> None:
    for grant in list(user.role_grants):
        if (grant.role, grant.scope_type, grant.scope_id) == (NOMINATOR, "campaign", campaign.id):
            accounts.revoke_role(grant, by=by)


# --- The council -------------------------------------------------------------------------------------------------


def council_members(campaign: Campaign) -> list[User]:
    """The accounts holding council_member for the campaign, in Vietnamese name order (one query)."""
    return list(
        db.session.scalars(
            select(User)
            .join(RoleGrant, RoleGrant.user_id == User.id)
            .where(
                RoleGrant.role == COUNCIL_MEMBER,
                RoleGrant.scope_type == "campaign",
                RoleGrant.scope_id == campaign.id,
            )
            .order_by(User.sort_name, User.id)
        )
    )


def add_council_member(campaign: Campaign, user: User, *, by: User) -> None:
    if accounts.grant_role(user, COUNCIL_MEMBER, by=by, scope_type="campaign", scope_id=campaign.id) is None:
        raise HonorsError("member_exists")
    record("honors.council.add", campaign, after={"user": user.id}, actor=by, summary=user.email)
    db.session.commit()


def remove_council_member(campaign: Campaign, user: User, *, by: User) -> None:
    """Take `user` off the council (and from the chair); "member_voting" once the council votes or later."""
    if campaign.status in ("voting", "closed", "published"):
        raise HonorsError("member_voting")
    grants = [
        g for g in user.role_grants if (g.role, g.scope_type, g.scope_id) == (COUNCIL_MEMBER, "campaign", campaign.id)
    ]
    if not grants:
        raise HonorsError("not_member")
    for grant in grants:
        accounts.revoke_role(grant, by=by)
    if campaign.chair_id == user.id:
        campaign.chair_id = None
    record("honors.council.remove", campaign, before={"user": user.id}, actor=by, summary=user.email)
    db.session.commit()


def set_chair(campaign: Campaign, user: User | None, *, by: User) -> None:
    """Name the council's chair, one of its members ("not_member" otherwise), or no chair (None)."""
    if user is not None and user.id not in {m.id for m in council_members(campaign)}:
        raise HonorsError("not_member")
    before = campaign.chair_id
    campaign.chair_id = user.id if user else None
    record("honors.council.chair", campaign, before={"chair_id": before}, after={"chair_id": campaign.chair_id},
           actor=by)  # fmt: skip
    db.session.commit()
