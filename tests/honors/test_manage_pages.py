"""The organizers' campaign pages: a campaign created and edited (a refused form keeps what was typed), its stages,
bodies with nominators, council, the dossiers list with filters and counts, and screening; organizers of another
body get 404; list pages cost a bounded number of queries."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import db
from honors.models.campaigns import BodyNominator, Campaign, Dossier
from tests.competitions.factories import make_organisation
from tests.honors.factories import make_body, make_campaign, make_campaign_organizer, make_dossier, make_honors
from tests.judging.factories import make_account


@pytest.fixture
def union():
    return make_organisation("Liên hiệp các hội KH&KT tỉnh Bình Phước")


@pytest.fixture
def organizer(union):
    return make_account("organizer", name="Ban Thư ký", scope=("organisation", union.id))


def campaign_form(org_id: int, **changes) -> dict:
    data = {
        "organisation_id": str(org_id),
        "name": "Tôn vinh trí thức tiêu biểu 2026",
        "occasion": "Ngày KH&CN Việt Nam 18/5",
        "description": "Đợt xét chọn năm 2026",
        "opens_at": "01/04/2026 08:00",
        "closes_at": "30/04/2026",
        "default_quota": "3",
        "honor_count": "",
        "quorum_mode": "share",
        "quorum_numerator": "2",
        "quorum_denominator": "3",
        "quorum_count": "",
        "pass_numerator": "2",
        "pass_denominator": "3",
        "ballot_mode": "secret",
    }
    return data | changes


def test_an_organizer_creates_a_campaign_with_the_window_in_vietnam_time(client, login_as, organizer, union):
    login_as(organizer)
    assert client.get("/honors/manage/new").status_code == 200
    response = client.post("/honors/manage/new", data=campaign_form(union.id))
    assert response.status_code == 302
    campaign = db.session.scalar(select(Campaign))
    assert campaign.organisation_id == union.id and campaign.status == "draft"
    assert campaign.opens_at.isoformat() == "2026-04-01T01:00:00"  # 08:00 in Vietnam
    assert campaign.closes_at.isoformat() == "2026-04-30T16:59:00"  # the date alone: 23:59 that day
    page = client.get(f"/honors/manage/{campaign.id}").get_data(as_text=True)
    assert "01/04/2026 08:00" in page and "30/04/2026 23:59" in page
    assert len(campaign.checklist) == 5


def test_a_refused_campaign_form_keeps_what_was_typed(client, login_as, organizer, union):
    login_as(organizer)
    data = campaign_form(union.id, closes_at="31/03/2026", pass_numerator="5", quorum_denominator="abc")
    response = client.post("/honors/manage/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert db.session.scalar(select(Campaign)) is None
    assert 'value="Tôn vinh trí thức tiêu biểu 2026"' in page
    assert 'value="31/03/2026"' in page and 'value="abc"' in page
    assert page.count("invalid-feedback") >= 3


def test_an_organizer_of_another_body_gets_404(client, login_as, organizer):
    honors = make_honors(("submitted",))
    login_as(organizer)
    campaign_id, dossier_id = honors.campaign.id, honors.dossiers[0].id
    for url in (
        f"/honors/manage/{campaign_id}",
        f"/honors/manage/{campaign_id}/settings",
        f"/honors/manage/{campaign_id}/bodies",
        f"/honors/manage/{campaign_id}/council",
        f"/honors/manage/{campaign_id}/dossiers",
        f"/honors/manage/dossiers/{dossier_id}",
        f"/honors/dossiers/{dossier_id}",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/honors/manage/dossiers/{dossier_id}/screen", data={"decision": "eligible"}).status_code == 404
    assert honors.campaign.name not in client.get("/honors/manage/").get_data(as_text=True)


def test_an_organizer_of_a_parent_body_manages_a_campaign_below(client, login_as, organizer, union):
    district = make_organisation("Liên hiệp các hội huyện Bù Đăng", parent=union)
    campaign = make_campaign(organisation=district, name="Tôn vinh trí thức huyện Bù Đăng")
    login_as(organizer)
    assert client.get(f"/honors/manage/{campaign.id}").status_code == 200
    assert "Tôn vinh trí thức huyện Bù Đăng" in client.get("/honors/manage/").get_data(as_text=True)


def test_settings_lists_and_stages(client, login_as, organizer, union):
    campaign = make_campaign(organisation=union, status="draft")
    login_as(organizer)
    response = client.post(
        f"/honors/manage/{campaign.id}/settings",
        data=campaign_form(union.id, name="Đợt mới", quorum_mode="count", quorum_count="7", ballot_mode="open"),
    )
    assert response.status_code == 302
    assert (campaign.name, campaign.quorum_mode, campaign.quorum_count, campaign.ballot_mode) == (
        "Đợt mới", "count", 7, "open",
    )  # fmt: skip
    no_count = client.post(f"/honors/manage/{campaign.id}/settings",
                           data=campaign_form(union.id, name="Khác", quorum_mode="count"))  # fmt: skip
    assert no_count.status_code == 200 and campaign.name == "Đợt mới"
    assert re.search(r'class="form-control is-invalid" id="quorum_count"', no_count.get_data(as_text=True))
    form = client.get(f"/honors/manage/{campaign.id}/settings").get_data(as_text=True)
    assert 'value="01/04/2026 08:00"' in form
    response = client.post(
        f"/honors/manage/{campaign.id}/lists",
        data={
            "categories": "Y học\nKỹ thuật\n",
            "required_items": "Có 10 năm công tác\n",
            "optional_items": "Hội viên",
        },
    )
    assert response.status_code == 302
    assert [c.name for c in campaign.categories] == ["Y học", "Kỹ thuật"]
    assert [(i.text, i.required) for i in campaign.checklist] == [("Có 10 năm công tác", True), ("Hội viên", False)]
    assert client.post(f"/honors/manage/{campaign.id}/status", data={"target": "nominating"}).status_code == 302
    assert campaign.status == "nominating"
    client.post(f"/honors/manage/{campaign.id}/status", data={"target": "published"})
    assert campaign.status == "nominating"


def test_bodies_and_their_nominators(client, login_as, organizer, union):
    campaign = make_campaign(organisation=union)
    association = make_organisation("Hội Tin học tỉnh", parent=union)
    person = make_account("contestant", name="Đỗ Minh Khoa", email="khoa@example.vn")
    login_as(organizer)
    response = client.post(f"/honors/manage/{campaign.id}/bodies/add", data={"organisation_id": association.id,
                                                                            "quota": "2"})  # fmt: skip
    assert response.status_code == 302
    body = campaign.bodies[0]
    assert (body.organisation_id, body.quota) == (association.id, 2)
    unknown = client.post(
        f"/honors/manage/{campaign.id}/bodies/{body.id}/nominators", data={f"body{body.id}-email": "ai@example.vn"}
    )
    assert unknown.status_code == 200 and 'value="ai@example.vn"' in unknown.get_data(as_text=True)
    added = client.post(
        f"/honors/manage/{campaign.id}/bodies/{body.id}/nominators", data={f"body{body.id}-email": "KHOA@example.vn"}
    )
    assert added.status_code == 302
    assert person.can("nominate", campaign)
    row = db.session.scalar(select(BodyNominator))
    page = client.get(f"/honors/manage/{campaign.id}/bodies").get_data(as_text=True)
    assert "Đỗ Minh Khoa" in page and "Hội Tin học tỉnh" in page
    client.post(f"/honors/manage/{campaign.id}/bodies/{body.id}/quota", data={"quota": ""})
    assert body.quota is None
    client.post(f"/honors/manage/{campaign.id}/bodies/{body.id}/nominators/{row.id}/remove")
    assert not person.can("nominate", campaign)


def test_the_council_page(client, login_as, organizer, union):
    campaign = make_campaign(organisation=union)
    member = make_account("contestant", name="GS. Hoàng Văn Lâm", email="lam@example.vn")
    login_as(organizer)
    refused = client.post(f"/honors/manage/{campaign.id}/council/add", data={"email": "khong-co@example.vn"})
    assert refused.status_code == 200 and 'value="khong-co@example.vn"' in refused.get_data(as_text=True)
    assert client.post(f"/honors/manage/{campaign.id}/council/add", data={"email": "lam@example.vn"}).status_code == 302
    assert member.can("vote", campaign)
    client.post(f"/honors/manage/{campaign.id}/council/chair", data={"user_id": str(member.id)})
    assert campaign.chair_id == member.id
    page = client.get(f"/honors/manage/{campaign.id}/council").get_data(as_text=True)
    assert "GS. Hoàng Văn Lâm" in page
    client.post(f"/honors/manage/{campaign.id}/council/{member.id}/remove")
    assert not member.can("vote", campaign) and campaign.chair_id is None


def test_the_dossiers_list_filters_and_counts(client, login_as):
    honors = make_honors(("submitted", "eligible", "ineligible", "withdrawn", "draft"))
    honors.dossiers[0].full_name = "Lương Thị Ánh"
    honors.dossiers[0].refresh_derived()
    db.session.commit()
    login_as(honors.organizer)
    url = f"/honors/manage/{honors.campaign.id}/dossiers"
    page = client.get(url).get_data(as_text=True)
    assert re.search(r'data-count="eligible">1<', page) and re.search(r'data-count="withdrawn">1<', page)
    assert page.count("data-dossier=") == 5
    assert client.get(url, query_string={"status": "eligible"}).get_data(as_text=True).count("data-dossier=") == 1
    found = client.get(url, query_string={"q": "luong thi anh"}).get_data(as_text=True)
    assert found.count("data-dossier=") == 1 and "Lương Thị Ánh" in found
    by_body = client.get(url, query_string={"body_id": honors.bodies[1].id}).get_data(as_text=True)
    assert by_body.count("data-dossier=") == 2
    assert client.get(url, query_string={"status": "nonsense", "body_id": "x"}).status_code == 200


def test_list_pages_cost_a_bounded_number_of_queries(client, login_as, count_queries):
    honors = make_honors(("submitted", "eligible"), bodies=2)
    login_as(honors.organizer)
    urls = [
        f"/honors/manage/{honors.campaign.id}/dossiers",
        f"/honors/manage/{honors.campaign.id}/bodies",
        f"/honors/manage/{honors.campaign.id}",
        "/honors/manage/",
    ]

    def costs() -> list[int]:
        found = []
        for url in urls:
            db.session.expire_all()
            with count_queries() as counted:
                assert client.get(url).status_code == 200
            found.append(counted.n)
        return found

    few = costs()
    for body in honors.bodies:
        for status in ("submitted", "eligible", "ineligible", "withdrawn", "draft") * 3:
            make_dossier(body, status=status)
    for _ in range(3):
        make_body(honors.campaign)
        make_campaign(organisation=honors.campaign.organisation)
    assert costs() == few


def test_screening_a_dossier(client, login_as):
    honors = make_honors(("submitted",))
    dossier = honors.dossiers[0]
    login_as(honors.organizer)
    page = client.get(f"/honors/manage/dossiers/{dossier.id}").get_data(as_text=True)
    assert dossier.full_name in page and dossier.email in page
    refused = client.post(f"/honors/manage/dossiers/{dossier.id}/screen", data={"decision": "ineligible", "reason": ""})
    assert refused.status_code == 200
    assert re.search(r'<textarea[^>]*class="form-control is-invalid"[^>]*name="reason"', refused.get_data(as_text=True))
    assert db.session.get(Dossier, dossier.id).status == "submitted"
    done = client.post(
        f"/honors/manage/dossiers/{dossier.id}/screen", data={"decision": "ineligible", "reason": "Chưa đủ 10 năm"}
    )
    assert done.status_code == 302
    dossier = db.session.get(Dossier, dossier.id)
    assert (dossier.status, dossier.screening_reason, dossier.screened_by_id) == (
        "ineligible", "Chưa đủ 10 năm", honors.organizer.id,
    )  # fmt: skip
    audit = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "honors.dossier.screen"))
    assert audit.after == {"status": "ineligible", "reason": "Chưa đủ 10 năm"}
    assert audit.actor_id == honors.organizer.id


def test_accounts_without_the_capability_are_refused(client, login_as):
    honors = make_honors(("submitted",))
    login_as(honors.nominators[0])
    assert client.get(f"/honors/manage/{honors.campaign.id}").status_code == 403
    login_as(make_campaign_organizer(make_campaign()))
    assert client.get(f"/honors/manage/{honors.campaign.id}").status_code == 404
