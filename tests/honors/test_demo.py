"""The honors demo data: this year's campaign screened with its council, and a campaign taking nominations where the
demo nominator has a draft."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from honors.models.campaigns import Campaign
from honors.services import campaigns as campaign_service
from honors.services import dossiers as dossier_service


def test_the_demo_seeds_two_campaigns(app):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    screened = db.session.scalar(select(Campaign).where(Campaign.name.startswith("Tôn vinh trí thức")))
    assert len(dossier_service.nominees(screened)) >= 8
    members = campaign_service.council_members(screened)
    assert len(members) == 5 and screened.chair_id in {m.id for m in members}
    open_campaign = db.session.scalar(select(Campaign).where(Campaign.status == "nominating"))
    body = open_campaign.bodies[0]
    assert body.nominators[0].user.email == "decu@sangtao.local"
    counts = dossier_service.status_counts(open_campaign)
    assert (counts["draft"], counts["submitted"]) == (1, 1)
