"""The nominators' pages: their bodies' campaigns, their own body's dossiers only (another body's are 404), a dossier
drafted (a refused form keeps what was typed), given files (refused ones say why), submitted within the quota, and
withdrawn."""

from __future__ import annotations

import io
import re

from sqlalchemy import select

from app.extensions import db
from honors.models.campaigns import Dossier
from tests.honors.factories import make_body, make_campaign, make_dossier


def dossier_form(campaign, **changes) -> dict:
    data = {
        "category_id": str(campaign.categories[0].id),
        "full_name": "Phan Thị Ánh Tuyết",
        "birth_date": "18/05/1972",
        "gender": "female",
        "academic_title": "PGS",
        "degree": "TS",
        "position": "Phó Giám đốc",
        "unit_name": "Sở Khoa học và Công nghệ",
        "field": "Công nghệ sinh học",
        "years_of_work": "25",
        "email": "tuyet@example.vn",
        "phone": "0912 345 678",
        "achievements": "Chủ nhiệm 5 đề tài cấp tỉnh\nGiống điều mới năng suất cao",
        "publications": "",
        "patents": "Bằng độc quyền sáng chế số 12345",
        "awards": "",
        "confirmed_by": "Giám đốc Sở",
        "confirmed_on": "02/03/2026",
    }
    for item in campaign.checklist:
        data[f"answer-{item.id}"] = "yes"
        data[f"note-{item.id}"] = ""
    return data | changes


def test_a_nominator_sees_only_its_own_bodys_campaigns_and_dossiers(client, login_as):
    campaign = make_campaign()
    mine, me = make_body(campaign, "Hội Y học tỉnh")
    theirs, _ = make_body(campaign, "Hội Tin học tỉnh")
    own = make_dossier(mine, full_name="Trần Văn Mình")
    other = make_dossier(theirs, full_name="Lê Thị Khác")
    login_as(me)
    home = client.get("/honors/nominate/").get_data(as_text=True)
    assert campaign.name in home and f'data-body="{mine.id}"' in home and f'data-body="{theirs.id}"' not in home
    page = client.get(f"/honors/nominate/{mine.id}").get_data(as_text=True)
    assert "Trần Văn Mình" in page and "Lê Thị Khác" not in page
    assert client.get(f"/honors/dossiers/{own.id}").status_code == 200
    for url in (f"/honors/nominate/{theirs.id}", f"/honors/dossiers/{other.id}", f"/honors/dossiers/{other.id}/edit"):
        assert client.get(url).status_code == 404, url
    for url in (f"/honors/dossiers/{other.id}/withdraw", f"/honors/dossiers/{other.id}/submit"):
        assert client.post(url, data={"reason": "x"}).status_code == 404, url
    assert db.session.get(Dossier, other.id).status == "submitted"


def test_a_nominator_of_another_campaign_gets_404(client, login_as):
    campaign = make_campaign()
    body, _ = make_body(campaign)
    _, stranger = make_body(make_campaign())
    login_as(stranger)
    assert client.get(f"/honors/nominate/{body.id}").status_code == 404


def test_a_dossier_is_drafted_edited_and_submitted(client, login_as):
    campaign = make_campaign(default_quota=1)
    body, me = make_body(campaign)
    login_as(me)
    assert client.get(f"/honors/nominate/{body.id}/new").status_code == 200
    response = client.post(f"/honors/nominate/{body.id}/new", data=dossier_form(campaign))
    assert response.status_code == 302
    dossier = db.session.scalar(select(Dossier))
    assert (dossier.status, dossier.full_name, dossier.years_of_work) == ("draft", "Phan Thị Ánh Tuyết", 25)
    assert dossier.display_name == "PGS.TS. Phan Thị Ánh Tuyết"
    assert all(a.answer for a in dossier.answers)
    page = client.get(f"/honors/dossiers/{dossier.id}").get_data(as_text=True)
    assert "Bằng độc quyền sáng chế số 12345" in page and "18/05/1972" in page
    edited = client.post(f"/honors/dossiers/{dossier.id}/edit", data=dossier_form(campaign, position="Giám đốc"))
    assert edited.status_code == 302 and dossier.position == "Giám đốc"
    assert client.post(f"/honors/dossiers/{dossier.id}/submit").status_code == 302
    assert dossier.status == "submitted"
    assert client.get(f"/honors/dossiers/{dossier.id}/edit").status_code == 302  # no longer editable
    quota = client.get(f"/honors/nominate/{body.id}").get_data(as_text=True)
    assert re.search(r'data-testid="quota">.*?0.*?1', quota, re.S)


def test_a_refused_dossier_form_keeps_what_was_typed(client, login_as):
    campaign = make_campaign()
    body, me = make_body(campaign)
    item = campaign.checklist[0]
    login_as(me)
    data = dossier_form(campaign, full_name="", birth_date="31/02/1970", phone="12ab", years_of_work="nhiều")
    data |= {f"answer-{item.id}": "no", f"note-{item.id}": "Mới 8 năm"}
    response = client.post(f"/honors/nominate/{body.id}/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert db.session.scalar(select(Dossier)) is None
    assert 'value="31/02/1970"' in page and 'value="12ab"' in page and 'value="nhiều"' in page
    assert "Chủ nhiệm 5 đề tài cấp tỉnh" in page and 'value="Mới 8 năm"' in page
    assert re.search(rf'id="answer-{item.id}-no" value="no" checked', page)
    assert page.count("invalid-feedback") >= 4


def test_what_keeps_a_draft_from_being_submitted_is_listed(client, login_as):
    campaign = make_campaign()
    body, me = make_body(campaign)
    draft = make_dossier(body, status="draft", answers=False, confirmed_by="")
    login_as(me)
    page = client.get(f"/honors/dossiers/{draft.id}").get_data(as_text=True)
    assert 'data-testid="problems"' in page
    client.post(f"/honors/dossiers/{draft.id}/submit")
    assert db.session.get(Dossier, draft.id).status == "draft"


def test_uploads_are_checked_and_refusals_explained(client, login_as):
    campaign = make_campaign()
    body, me = make_body(campaign)
    draft = make_dossier(body, status="draft")
    login_as(me)
    url = f"/honors/dossiers/{draft.id}/files"
    good = {"file": (io.BytesIO(b"%PDF-1.4\nbang khen\n%%EOF\n"), "Bằng khen.pdf"), "label": "Bằng khen"}
    assert client.post(url, data=good, content_type="multipart/form-data").status_code == 302
    assert [f.original_name for f in db.session.get(Dossier, draft.id).files] == ["Bằng khen.pdf"]
    bad = {"file": (io.BytesIO(b"MZ\x90\x00 not a document"), "setup.exe")}
    refused = client.post(url, data=bad, content_type="multipart/form-data", follow_redirects=True)
    assert "alert-danger" in refused.get_data(as_text=True)
    fake = {"file": (io.BytesIO(b"plain text"), "fake.pdf")}
    client.post(url, data=fake, content_type="multipart/form-data")
    dossier = db.session.get(Dossier, draft.id)
    assert len(dossier.files) == 1
    download = client.get(f"/honors/dossiers/{draft.id}/files/{dossier.files[0].id}")
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    client.post(f"/honors/dossiers/{draft.id}/files/{dossier.files[0].id}/delete")
    assert db.session.get(Dossier, draft.id).files == []


def test_withdrawing_needs_a_reason_and_keeps_it(client, login_as):
    campaign = make_campaign()
    body, me = make_body(campaign)
    dossier = make_dossier(body, status="submitted")
    login_as(me)
    refused = client.post(f"/honors/dossiers/{dossier.id}/withdraw", data={"reason": ""})
    assert refused.status_code == 200 and "invalid-feedback" in refused.get_data(as_text=True)
    assert db.session.get(Dossier, dossier.id).status == "submitted"
    client.post(f"/honors/dossiers/{dossier.id}/withdraw", data={"reason": "Ứng viên xin rút"})
    dossier = db.session.get(Dossier, dossier.id)
    assert (dossier.status, dossier.withdraw_reason) == ("withdrawn", "Ứng viên xin rút")


def test_the_body_page_costs_a_bounded_number_of_queries(client, login_as, count_queries):
    campaign = make_campaign()
    body, me = make_body(campaign)
    make_dossier(body)
    login_as(me)

    def cost() -> int:
        db.session.expire_all()
        with count_queries() as counted:
            assert client.get(f"/honors/nominate/{body.id}").status_code == 200
            assert client.get("/honors/nominate/").status_code == 200
        return counted.n

    few = cost()
    for status in ("draft", "submitted", "eligible", "withdrawn") * 4:
        make_dossier(body, status=status)
    assert cost() == few
