"""Honor certificates: issued once per honoree with numbers never reused, the verification page (valid, unknown,
revoked), the PDF's text and QR code, single and bulk downloads."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile

import pytest
import zxingcpp
from PIL import Image
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import db
from honors.models.ballots import HonorCertificate
from honors.services import certificates as service
from tests.app.test_pdf import needs_pdftotext, pdftotext
from tests.honors.ballot_factories import closed_ballot, published_honors, voting_honors


def test_issuing_is_idempotent_and_numbers_are_never_reused():
    honors, first, _evidence = published_honors(dossiers=("eligible", "eligible"))
    numbers = [c.number for c in service.certificates_of(honors.campaign)]
    assert len(numbers) == 2 and numbers[0].endswith("/0001") and numbers[1].endswith("/0002")
    assert service.issue(honors.campaign, by=honors.organizer) == 0
    service.revoke(first, "Sai tên người nhận", by=honors.organizer)
    assert service.issue(honors.campaign, by=honors.organizer) == 1
    again = service.certificates_of(honors.campaign)
    assert [c.number[-4:] for c in again] == ["0001", "0002", "0003"]
    assert len({c.token for c in again}) == 3
    actions = [e.action for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions.count("honor_certificates.issue") == 2 and "honor_certificate.revoke" in actions


def test_no_certificate_before_publication_and_revoking_needs_a_reason():
    honors = voting_honors(dossiers=("eligible",), council=2)
    closed_ballot(honors, {honors.eligible()[0].id: ["agree", "agree"]})
    with pytest.raises(service.HonorCertificateError) as refused:
        service.issue(honors.campaign, by=honors.organizer)
    assert refused.value.code == "not_published"
    db.session.rollback()
    _honors, certificate, _e = published_honors()
    with pytest.raises(service.HonorCertificateError) as blank:
        service.revoke(certificate, "  ", by=None)
    assert blank.value.code == "reason_required"
    service.revoke(certificate, "Trùng", by=None)
    with pytest.raises(service.HonorCertificateError) as twice:
        service.revoke(certificate, "Lần nữa", by=None)
    assert twice.value.code == "already_revoked"


def test_verification_page_valid_unknown_and_revoked(client):
    honors, certificate, _e = published_honors()
    valid = client.get(f"/honors/verify/{certificate.token}")
    text = valid.get_data(as_text=True)
    assert valid.status_code == 200 and 'data-testid="verify-valid"' in text
    assert certificate.holder_name in text and honors.campaign.name in text
    assert valid.headers["Referrer-Policy"] == "no-referrer"
    unknown = client.get("/honors/verify/" + "x" * 32)
    assert unknown.status_code == 404 and 'data-testid="verify-unknown"' in unknown.get_data(as_text=True)
    assert client.get("/honors/verify/short").status_code == 404
    # a contest certificate's token is not an honor certificate's
    service.revoke(db.session.get(HonorCertificate, certificate.id), "Cấp nhầm", by=honors.organizer)
    revoked = client.get(f"/honors/verify/{certificate.token}")
    body = revoked.get_data(as_text=True)
    assert revoked.status_code == 200 and 'data-testid="verify-revoked"' in body and "Cấp nhầm" not in body


@needs_pdftotext
def test_the_certificate_pdf_prints_the_honoree_and_a_readable_qr_code(client, login_as, tmp_path):
    honors, certificate, _e = published_honors()
    login_as(honors.organizer)
    response = client.get(f"/honors/manage/honor-certificates/{certificate.id}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdftotext(response.data, tmp_path)
    for words in (
        "GIẤY CHỨNG NHẬN",
        "ĐƯỢC TÔN VINH LÀ TRÍ THỨC TIÊU BIỂU",
        certificate.holder_name,
        certificate.number,
    ):
        assert words in text
    if shutil.which("pdftoppm"):
        (tmp_path / "c.pdf").write_bytes(response.data)
        subprocess.run(
            ["pdftoppm", "-r", "150", "-png", "-singlefile", str(tmp_path / "c.pdf"), str(tmp_path / "c")], check=True
        )
        found = [r.text for r in zxingcpp.read_barcodes(Image.open(tmp_path / "c.png"))]
        assert found == [f"http://localhost/honors/verify/{certificate.token}"]


def test_bulk_downloads_hold_every_valid_certificate(client, login_as):
    honors, first, _e = published_honors(dossiers=("eligible", "eligible", "eligible"))
    service.revoke(first, "Sai", by=honors.organizer)
    login_as(honors.organizer)
    bundle = client.get(f"/honors/manage/{honors.campaign.id}/certificates.zip")
    assert bundle.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(bundle.data)).namelist()
    assert len(names) == 2 and all(n.endswith(".pdf") for n in names)
    from pypdf import PdfReader

    pdf = client.get(f"/honors/manage/{honors.campaign.id}/certificates.pdf")
    assert len(PdfReader(io.BytesIO(pdf.data)).pages) == 2


def test_the_organizers_list_and_revoking_from_the_page(client, login_as):
    honors, certificate, _e = published_honors()
    login_as(honors.organizer)
    page = client.get(f"/honors/manage/{honors.campaign.id}/certificates").get_data(as_text=True)
    assert certificate.number in page
    refused = client.post(f"/honors/manage/honor-certificates/{certificate.id}/revoke", data={"reason": ""})
    assert refused.status_code == 200 and "invalid-feedback" in refused.get_data(as_text=True)
    done = client.post(f"/honors/manage/honor-certificates/{certificate.id}/revoke", data={"reason": "Sai chức danh"})
    assert done.status_code == 302
    assert db.session.get(HonorCertificate, certificate.id).revoked_at is not None
