"""Publishing the honoree list: the nominees the closed ballot honored (within the number to honor), plus those
the organizer chose among nominees tied across the last place, with the reason. Each honoree's public profile is
copied (name, title and degree, position, unit, field, category, nominating body): never a birth date, phone,
email or ID. Published once; audited as "honors.publish"."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.audit.service import record
from app.extensions import db
from app.timefmt import utcnow
from honors.models.ballots import Ballot, Honoree, HonorList
from honors.models.campaigns import Campaign
from honors.services import ballot_results

ERROR_CODES = (
    "not_closed",  # the ballot is not closed yet
    "already_published",  # the list is published already
    "tie_choice",  # the number chosen among tied nominees is not the number of places left
    "tie_note_required",  # choosing among tied nominees needs the reason
    "nobody",  # nobody passed
)
TIE_NOTE_MAX = 2000


class PublicationError(Exception):
    def __init__(self, code: str):
        if code not in ERROR_CODES:
            raise ValueError(f"unknown publication error code {code!r}")
        super().__init__(code)
        self.code = code


def honor_list(campaign: Campaign) -> HonorList | None:
    return db.session.scalar(
        select(HonorList).where(HonorList.campaign_id == campaign.id).options(selectinload(HonorList.honorees))
    )


def public_list(campaign: Campaign) -> HonorList | None:
    """The list the public sees: published, and the campaign still in its published stage."""
    if campaign.status != "published":
        return None
    return honor_list(campaign)


def published_campaigns() -> list[tuple[Campaign, int]]:
    """Campaigns with a public honoree list, newest first, with their number of honorees (two queries)."""
    lists = list(
        db.session.scalars(
            select(HonorList)
            .join(Campaign, Campaign.id == HonorList.campaign_id)
            .where(Campaign.status == "published")
            .order_by(HonorList.published_at.desc())
            .options(selectinload(HonorList.honorees))
        )
    )
    return [(item.campaign, len(item.honorees)) for item in lists]


def publish(campaign: Campaign, *, by, chosen_tied: list[int] | None = None, tie_note: str = "") -> HonorList:
    """Publish the honorees of the closed ballot. Where nominees are tied across the last place, the organizer
    chooses exactly as many as places are left (`chosen_tied`, dossier ids) and says why (`tie_note`)."""
    db.session.execute(select(Campaign.id).where(Campaign.id == campaign.id).with_for_update())
    ballot = db.session.scalar(select(Ballot).where(Ballot.campaign_id == campaign.id))
    if ballot is None or ballot.status != "closed":
        raise PublicationError("not_closed")
    if honor_list(campaign) is not None:
        raise PublicationError("already_published")
    result = ballot_results.results(ballot)
    tally = result.tally
    chosen = set(chosen_tied or [])
    tie_note = (tie_note or "").strip()[:TIE_NOTE_MAX]
    tied_ids = {n.key for n in tally.tied_at_cut}
    if tied_ids:
        if not chosen <= tied_ids or len(chosen) != tally.seats_left_for_tied:
            raise PublicationError("tie_choice")
        if not tie_note:
            raise PublicationError("tie_note_required")
    else:
        chosen, tie_note = set(), ""
    winners = [n for n in tally.passed if n.outcome == "honored" or n.key in chosen]
    if not winners:
        raise PublicationError("nobody")
    dossiers = {d.id: d for d in result.dossiers}
    item = HonorList(campaign_id=campaign.id, published_at=utcnow(), published_by_id=getattr(by, "id", None))
    item.tie_note = tie_note
    for position, nominee in enumerate(winners, start=1):
        d = dossiers[nominee.key]
        item.honorees.append(
            Honoree(
                campaign_id=campaign.id,
                dossier_id=d.id,
                position=position,
                rank=nominee.rank,
                full_name=d.full_name,
                display_name=d.display_name,
                position_title=d.position,
                unit_name=d.unit_name,
                field=d.field,
                category=d.category.name if d.category else "",
                body_name=d.body.name if d.body else "",
            )
        )
    db.session.add(item)
    before = campaign.status
    campaign.status = "published"
    record(
        "honors.publish",
        campaign,
        before={"status": before},
        after={"status": "published", "honorees": [h.full_name for h in item.honorees], "tie_note": tie_note},
        summary=f"{campaign.name}: {len(item.honorees)}",
        actor=by,
    )
    db.session.commit()
    return item
