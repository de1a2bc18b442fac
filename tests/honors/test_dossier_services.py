"""Dossier services: drafts, submission within the window and the quota with the checklist answered, withdrawal,
evidence files checked by content and size, screening, and the nominees handed to the council."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from app.audit.models import AuditEntry
from app.extensions import db
from app.uploads import UploadError, upload_dir
from honors.models.campaigns import UPLOAD_FOLDER
from honors.services import dossiers as service
from honors.services import screening
from honors.services.common import HonorsError
from honors.services.dossiers import DossierInput
from tests.honors.factories import make_body, make_campaign, make_campaign_organizer, make_dossier


def pdf(size: int = 200, name: str = "bang-khen.pdf") -> FileStorage:
    data = b"%PDF-1.4\n" + b"x" * max(0, size - 16) + b"\n%%EOF\n"
    return FileStorage(io.BytesIO(data), filename=name, content_type="application/pdf")


def last_action() -> str:
    return db.session.scalar(select(AuditEntry.action).order_by(AuditEntry.id.desc()).limit(1))


def test_a_draft_is_created_with_its_answers_and_found_by_a_folded_name():
    campaign = make_campaign()
    body, nominator = make_body(campaign, "Hội Y học tỉnh")
    items = campaign.checklist
    data = DossierInput(full_name="Phạm  Thị   Ánh", category_id=campaign.categories[1].id, phone="0912 345 678")
    dossier = service.create_dossier(body, data, {items[0].id: (True, "23 năm"), 999: (True, "")}, by=nominator)
    assert dossier.status == "draft"
    assert dossier.full_name == "Phạm Thị Ánh"
    assert dossier.phone == "0912345678"
    assert [(a.item_id, a.answer, a.note) for a in dossier.answers] == [(items[0].id, True, "23 năm")]
    assert "pham thi anh" in dossier.search_text and "hoi y hoc tinh" in dossier.search_text
    assert last_action() == "honors.dossier.create"


def test_a_category_of_another_campaign_is_refused():
    campaign = make_campaign()
    other = make_campaign()
    body, nominator = make_body(campaign)
    with pytest.raises(HonorsError, match="category"):
        service.create_dossier(body, DossierInput(full_name="A", category_id=other.categories[0].id), {}, by=nominator)


def test_submit_within_the_window_and_the_quota():
    campaign = make_campaign(default_quota=2)
    body, nominator = make_body(campaign)
    make_dossier(body, status="submitted")
    make_dossier(body, status="withdrawn")
    draft = make_dossier(body, status="draft")
    service.submit_dossier(draft, by=nominator)
    assert draft.status == "submitted" and draft.submitted_at is not None
    assert last_action() == "honors.dossier.submit"
    third = make_dossier(body, status="draft")
    with pytest.raises(HonorsError) as refused:
        service.submit_dossier(third, by=nominator)
    assert refused.value.problems == ["quota"]


def test_an_ineligible_dossier_keeps_its_place_and_a_withdrawn_one_frees_it():
    campaign = make_campaign(default_quota=1)
    body, nominator = make_body(campaign)
    screened_out = make_dossier(body, status="ineligible")
    draft = make_dossier(body, status="draft")
    with pytest.raises(HonorsError, match="quota"):
        service.submit_dossier(draft, by=nominator)
    db.session.rollback()
    own_quota, other_nominator = make_body(campaign, quota=3)  # a body's own quota overrides the default
    service.submit_dossier(make_dossier(own_quota, status="draft"), by=other_nominator)
    assert screened_out.status == "ineligible"
    submitted = make_dossier(body, status="submitted")
    with pytest.raises(HonorsError, match="not_withdrawable"):
        service.withdraw_dossier(screened_out, "Đơn vị rút", by=nominator)
    db.session.rollback()
    screened_out.status = "submitted"  # (as if the finding were reopened)
    db.session.commit()
    service.withdraw_dossier(screened_out, "  Ứng viên xin rút  ", by=nominator)
    assert screened_out.withdraw_reason == "Ứng viên xin rút"
    assert last_action() == "honors.dossier.withdraw"
    service.withdraw_dossier(submitted, "Trùng hồ sơ", by=nominator)
    service.submit_dossier(draft, by=nominator)
    assert draft.status == "submitted"


def test_outside_the_window_nothing_is_submitted():
    early = make_campaign(opens_in_days=2, closes_in_days=9)
    body, nominator = make_body(early)
    draft = make_dossier(body, status="draft")
    with pytest.raises(HonorsError) as refused:
        service.submit_dossier(draft, by=nominator)
    assert refused.value.problems == ["not_open"]
    db.session.rollback()
    with pytest.raises(HonorsError, match="closed"):
        service.submit_dossier(draft, by=nominator, now=early.closes_at + timedelta(minutes=1))
    db.session.rollback()
    service.submit_dossier(draft, by=nominator, now=early.closes_at)  # the closing minute still counts
    assert draft.status == "submitted"


def test_every_required_condition_must_be_answered_yes():
    campaign = make_campaign()
    body, nominator = make_body(campaign)
    draft = make_dossier(body, status="draft", answers=None)
    with pytest.raises(HonorsError, match="checklist"):
        service.submit_dossier(draft, by=nominator)
    db.session.rollback()
    answers = {i.id: (i.required, "") for i in campaign.checklist}  # optional ones answered no
    service.update_dossier(draft, DossierInput(**{f: getattr(draft, f) for f in service.DOSSIER_FIELDS}), answers,
                           by=nominator)  # fmt: skip
    service.submit_dossier(draft, by=nominator)
    assert draft.status == "submitted"


def test_an_incomplete_profile_is_not_submitted():
    campaign = make_campaign()
    body, nominator = make_body(campaign)
    draft = make_dossier(body, status="draft", confirmed_by="", years_of_work=None)
    with pytest.raises(HonorsError) as refused:
        service.submit_dossier(draft, by=nominator)
    assert set(refused.value.problems) == {"profile:confirmation", "profile:years_of_work"}


def test_a_submitted_dossier_is_no_longer_edited():
    campaign = make_campaign()
    body, nominator = make_body(campaign)
    dossier = make_dossier(body, status="submitted")
    with pytest.raises(HonorsError, match="not_editable"):
        service.update_dossier(dossier, DossierInput(full_name="Khác"), {}, by=nominator)
    with pytest.raises(HonorsError, match="not_editable"):
        service.add_file(dossier, pdf(), "", by=nominator)


def test_evidence_files_are_stored_checked_and_removed():
    campaign = make_campaign()
    body, nominator = make_body(campaign)
    dossier = make_dossier(body, status="draft")
    row = service.add_file(dossier, pdf(), "Bằng khen", by=nominator)
    path = upload_dir(UPLOAD_FOLDER) / row.stored_name
    assert path.exists() and row.kind == "pdf" and row.label == "Bằng khen"
    assert last_action() == "honors.dossier.file_add"
    service.delete_file(row, by=nominator)
    assert not path.exists() and dossier.files == []


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (FileStorage(io.BytesIO(b"MZ\x90\x00binary"), filename="virus.exe"), "not_accepted"),
        (FileStorage(io.BytesIO(b"just text, not a pdf"), filename="fake.pdf"), "mismatch"),
        (FileStorage(io.BytesIO(b""), filename="empty.pdf"), "empty"),
        (pdf(size=service.MAX_FILE_MB * 1024 * 1024 + 10), "too_large"),
    ],
)
def test_uploads_are_refused_by_type_and_size(upload, code):
    campaign = make_campaign()
    body, nominator = make_body(campaign)
    dossier = make_dossier(body, status="draft")
    before = set(upload_dir(UPLOAD_FOLDER).iterdir())
    with pytest.raises(UploadError) as refused:
        service.add_file(dossier, upload, "", by=nominator)
    assert refused.value.code == code
    assert set(upload_dir(UPLOAD_FOLDER).iterdir()) == before
    db.session.rollback()
    assert dossier.files == []


def test_the_dossiers_files_share_a_total_limit(monkeypatch):
    monkeypatch.setattr(service, "MAX_TOTAL_MB", 1)
    campaign = make_campaign()
    body, nominator = make_body(campaign)
    dossier = make_dossier(body, status="draft")
    service.add_file(dossier, pdf(size=700 * 1024), "", by=nominator)
    with pytest.raises(UploadError) as refused:
        service.add_file(dossier, pdf(size=400 * 1024), "", by=nominator)
    assert refused.value.code == "too_large"


def test_screening_needs_a_reason_to_refuse_and_is_audited():
    campaign = make_campaign(status="screening")
    organizer = make_campaign_organizer(campaign)
    body, _ = make_body(campaign)
    dossier = make_dossier(body, status="submitted")
    with pytest.raises(HonorsError, match="reason_required"):
        screening.screen(dossier, False, "  ", by=organizer)
    screening.screen(dossier, False, "Chưa đủ 10 năm công tác", by=organizer)
    assert (dossier.status, dossier.screened_by_id) == ("ineligible", organizer.id)
    assert last_action() == "honors.dossier.screen"
    screening.screen(dossier, True, "", by=organizer)  # a finding may change while screening
    assert dossier.status == "eligible" and dossier.screening_reason == ""
    screening.reopen(dossier, by=organizer)
    assert dossier.status == "submitted" and dossier.screened_at is None


@pytest.mark.parametrize(("dossier_status", "campaign_status"), [("draft", "screening"), ("withdrawn", "screening"),
                                                                  ("submitted", "voting")])  # fmt: skip
def test_only_submitted_dossiers_are_screened_before_the_vote(dossier_status, campaign_status):
    campaign = make_campaign(status=campaign_status)
    body, _ = make_body(campaign)
    dossier = make_dossier(body, status=dossier_status)
    with pytest.raises(HonorsError, match="not_screenable"):
        screening.screen(dossier, True, "", by=make_campaign_organizer(campaign))


def test_nominees_are_the_eligible_dossiers_by_category_then_name(count_queries):
    campaign = make_campaign(status="screening")
    body, _ = make_body(campaign)
    first, second = campaign.categories[0].id, campaign.categories[1].id
    make_dossier(body, status="eligible", full_name="Võ Văn Bảy", category_id=second)
    make_dossier(body, status="eligible", full_name="Trần Thị Ân", category_id=first)
    make_dossier(body, status="eligible", full_name="Nguyễn Văn An", category_id=first)
    for status in ("ineligible", "withdrawn", "submitted", "draft"):
        make_dossier(body, status=status, category_id=first)
    with count_queries() as few:
        names = [d.full_name for d in service.nominees(campaign)]
    assert names == ["Nguyễn Văn An", "Trần Thị Ân", "Võ Văn Bảy"]
    for _ in range(10):
        make_dossier(body, status="eligible", category_id=second)
    with count_queries() as many:
        assert len(service.nominees(campaign)) == 13
    assert many.n == few.n


def test_counts_per_status_and_per_body():
    campaign = make_campaign(default_quota=3)
    body, _ = make_body(campaign)
    other, _ = make_body(campaign, quota=1)
    for status in ("draft", "submitted", "eligible", "withdrawn"):
        make_dossier(body, status=status)
    make_dossier(other, status="ineligible")
    assert service.status_counts(campaign) == {
        "draft": 1, "submitted": 1, "withdrawn": 1, "eligible": 1, "ineligible": 1,
    }  # fmt: skip
    usage = {u.body.id: u for u in service.body_usage(campaign)}
    assert (usage[body.id].used, usage[body.id].left) == (2, 1)
    assert (usage[other.id].used, usage[other.id].left) == (1, 0)
    assert service.status_counts(campaign, other.id)["ineligible"] == 1
