"""Demo data: the demo campaign's council ballot, finished (closed by the chair) — the organizer can read the tally
and its minutes, then publish the honorees and issue their certificates.

Rows are built directly (the services commit; the seeding command commits once at the end)."""

from __future__ import annotations

import random
from datetime import timedelta

from app.extensions import db
from app.timefmt import utcnow
from honors import tally
from honors.models.ballots import Ballot, Vote
from honors.models.campaigns import Campaign
from honors.services.ballots import frozen_rules

COMMENTS = (
    "Thành tích nổi bật, được địa phương ghi nhận.",
    "Đề nghị bổ sung minh chứng ứng dụng thực tế.",
    "",
    "",
)


def seed_ballot(context: dict, campaign: Campaign) -> dict:
    """Vote on every eligible dossier of `campaign` with its council (context["honors"]["council"]) and close."""
    rng = random.Random(1805)
    members = context["honors"]["council"]
    nominees = [d for d in context["honors"]["dossiers"] if d.status == "eligible"]
    now = utcnow()
    campaign.status = "closed"
    ballot = Ballot(
        campaign_id=campaign.id,
        status="closed",
        secret=campaign.ballot_mode == "secret",
        rules=frozen_rules(campaign),
        opened_at=now - timedelta(days=7),
        opens_at=now - timedelta(days=7),
        closes_at=now - timedelta(days=1),
        closed_at=now - timedelta(days=2),
        closed_by_id=campaign.chair_id,
        close_reason="chair",
        member_count=len(members),
    )
    db.session.add(ballot)
    db.session.flush()
    for n, dossier in enumerate(nominees):
        # most pass; the last nominee is turned down, the one before it has too few members voting
        agree_share = 0.25 if n == len(nominees) - 1 else 0.9
        voters = members[:1] if n == len(nominees) - 2 else members
        for member in voters:
            forced = ""
            if member.organisation_id is not None:
                forced = (
                    tally.conflict_reason(
                        member_organisation_id=member.organisation_id,
                        member_organisation_name="",
                        member_body_ids=(),
                        dossier_body_id=dossier.body_id,
                        body_organisation_id=dossier.body.organisation_id,
                        unit_organisation_id=dossier.unit_organisation_id,
                        unit_name="",
                    )
                    or ""
                )
            choice = tally.ABSTAIN if forced else (tally.AGREE if rng.random() < agree_share else tally.DISAGREE)
            cast = now - timedelta(days=rng.randint(2, 6), hours=rng.randint(0, 12))
            db.session.add(
                Vote(
                    ballot_id=ballot.id,
                    dossier_id=dossier.id,
                    member_id=member.id,
                    choice=choice,
                    comment=rng.choice(COMMENTS),
                    forced=bool(forced),
                    forced_reason=forced,
                    cast_at=cast,
                    updated_at=cast,
                )
            )
    db.session.flush()
    context["honors"]["ballot"] = ballot
    return context
