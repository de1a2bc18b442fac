"""Campaign services: creation with the default lists, settings, stages, bodies with their nominators, and the
council; every change audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import db
from app.timefmt import utcnow
from honors.models.campaigns import DEFAULT_CHECKLIST, BodyNominator, Campaign
from honors.services import campaigns as service
from honors.services.campaigns import CampaignSettings
from honors.services.common import HonorsError
from tests.competitions.factories import make_organisation
from tests.honors.factories import make_body, make_campaign, make_council, make_dossier
from tests.judging.factories import make_account


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


@pytest.fixture
def admin():
    return make_account("organizer", name="Ban Thư ký")


def test_a_new_campaign_starts_in_draft_with_the_default_lists(admin):
    org = make_organisation()
    campaign = service.create_campaign(org.id, CampaignSettings(name="  Tôn vinh   trí thức 2026 "), by=admin)
    assert campaign.status == "draft"
    assert campaign.name == "Tôn vinh trí thức 2026"
    assert [(i.text, i.required) for i in campaign.checklist] == list(DEFAULT_CHECKLIST)
    assert len(campaign.categories) == 5
    assert (campaign.quorum_numerator, campaign.quorum_denominator) == (2, 3)
    assert (campaign.pass_numerator, campaign.pass_denominator) == (2, 3)
    assert campaign.access_scopes() == [("campaign", campaign.id), ("organisation", org.id)]
    assert actions() == ["honors.campaign.create"]


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"opens_at": utcnow(), "closes_at": utcnow() - timedelta(days=1)}, "window_order"),
        ({"quorum_numerator": 4, "quorum_denominator": 3}, "quorum_share"),
        ({"quorum_mode": "count", "quorum_count": None}, "quorum_count"),
        ({"pass_numerator": 0}, "pass_share"),
    ],
)
def test_settings_that_do_not_hold_together_are_refused(admin, changes, problem):
    campaign = make_campaign()
    with pytest.raises(HonorsError) as refused:
        service.update_campaign(campaign, CampaignSettings(name="X", **changes), by=admin)
    assert problem in refused.value.problems
    db.session.rollback()
    assert db.session.get(Campaign, campaign.id).name != "X"


def test_lists_keep_the_rows_whose_text_stays(admin):
    campaign = make_campaign()
    body, _ = make_body(campaign)
    dossier = make_dossier(body)
    kept_item = campaign.checklist[0]
    kept_category = campaign.categories[0]
    service.set_lists(
        campaign,
        ["Mới", kept_category.name, "Mới"],
        [("Điều kiện mới", True), (kept_item.text, False)],
        by=admin,
    )
    assert [c.name for c in campaign.categories] == ["Mới", kept_category.name]
    assert campaign.categories[1].id == kept_category.id
    assert [(i.text, i.required) for i in campaign.checklist] == [("Điều kiện mới", True), (kept_item.text, False)]
    assert campaign.checklist[1].id == kept_item.id
    db.session.refresh(dossier)
    assert {a.item_id for a in dossier.answers} == {kept_item.id}  # the removed items' answers went with them
    assert dossier.category_id == kept_category.id


def test_the_campaign_moves_only_along_its_stages(admin):
    campaign = make_campaign(status="draft")
    with pytest.raises(HonorsError, match="transition"):
        service.move_campaign(campaign, "voting", by=admin)
    campaign.opens_at = None
    db.session.commit()
    with pytest.raises(HonorsError, match="window_unset"):
        service.move_campaign(campaign, "nominating", by=admin)
    campaign.opens_at = utcnow()
    service.move_campaign(campaign, "nominating", by=admin)
    assert campaign.status == "nominating"
    assert actions()[-1] == "honors.campaign.status"


def test_a_nominator_is_tied_to_one_body_per_campaign_and_holds_the_scoped_role(admin):
    campaign = make_campaign()
    first, _ = make_body(campaign)
    second, _ = make_body(campaign)
    person = make_account("contestant", name="Trần Văn Bình")
    row = service.add_nominator(first, person, by=admin)
    assert person.can("nominate", campaign)
    assert not person.can("nominate", make_campaign())
    with pytest.raises(HonorsError, match="nominator_elsewhere"):
        service.add_nominator(second, person, by=admin)
    db.session.rollback()
    service.remove_nominator(db.session.get(BodyNominator, row.id), by=admin)
    assert not person.can("nominate", campaign)
    assert {"role.grant", "role.revoke", "honors.nominator.add", "honors.nominator.remove"} <= set(actions())


def test_a_body_with_dossiers_cannot_be_removed(admin):
    campaign = make_campaign()
    body, _ = make_body(campaign)
    make_dossier(body, status="draft")
    with pytest.raises(HonorsError, match="body_has_dossiers"):
        service.remove_body(body, by=admin)
    db.session.rollback()
    empty, nominator = make_body(campaign)
    service.remove_body(empty, by=admin)
    assert not nominator.can("nominate", campaign)
    assert [b.id for b in campaign.bodies] == [body.id]


def test_the_same_organisation_nominates_once(admin):
    campaign = make_campaign()
    body, _ = make_body(campaign)
    with pytest.raises(HonorsError, match="body_exists"):
        service.add_body(campaign, body.organisation_id, None, by=admin)


def test_council_members_and_the_chair(admin):
    campaign = make_campaign()
    members = make_council(campaign, 3, chair=False)
    outsider = make_account("contestant", name="Lê Văn Cường")
    with pytest.raises(HonorsError, match="not_member"):
        service.set_chair(campaign, outsider, by=admin)
    service.add_council_member(campaign, outsider, by=admin)
    assert outsider.can("vote", campaign)
    with pytest.raises(HonorsError, match="member_exists"):
        service.add_council_member(campaign, outsider, by=admin)
    db.session.rollback()
    service.set_chair(campaign, outsider, by=admin)
    assert {m.id for m in service.council_members(campaign)} == {m.id for m in members} | {outsider.id}
    service.remove_council_member(campaign, outsider, by=admin)
    assert campaign.chair_id is None
    assert not outsider.can("vote", campaign)
    assert "honors.council.chair" in actions() and "honors.council.remove" in actions()


def test_the_council_is_fixed_once_it_votes(admin):
    campaign = make_campaign(status="voting")
    member = make_council(campaign, 1)[0]
    with pytest.raises(HonorsError, match="member_voting"):
        service.remove_council_member(campaign, member, by=admin)


def test_the_council_gets_the_nominees_once_every_dossier_is_screened(admin):
    campaign = make_campaign(status="screening")
    body, _ = make_body(campaign)
    waiting = make_dossier(body, status="submitted")
    with pytest.raises(HonorsError) as refused:
        service.move_campaign(campaign, "voting", by=admin)
    assert refused.value.problems == ["unscreened", "no_council"]
    db.session.rollback()
    waiting.status = "eligible"
    make_council(campaign, 3)
    service.move_campaign(campaign, "voting", by=admin)
    assert campaign.status == "voting"


def test_the_council_rules_are_fixed_once_it_votes(admin):
    campaign = make_campaign(status="voting")
    same = {name: getattr(campaign, name) for name in service.CAMPAIGN_FIELDS}
    service.update_campaign(campaign, CampaignSettings(**(same | {"name": "Tên mới"})), by=admin)
    assert campaign.name == "Tên mới"
    with pytest.raises(HonorsError, match="rules_locked"):
        service.update_campaign(campaign, CampaignSettings(**(same | {"pass_numerator": 1})), by=admin)
    db.session.rollback()
    assert db.session.get(Campaign, campaign.id).pass_numerator == 2


def test_every_honors_audit_action_has_a_label():
    import re
    from pathlib import Path

    from app.audit.labels import ACTION_LABELS

    services = Path(__file__).resolve().parents[2] / "honors" / "services"
    sources = " ".join((services / name).read_text() for name in ("campaigns.py", "dossiers.py", "screening.py"))
    actions = set(re.findall(r'"(honors\.[a-z_]+\.[a-z_]+)"', sources))
    assert len(actions) >= 15
    assert actions <= ACTION_LABELS.keys()
