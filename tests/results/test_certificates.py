"""Certificates: numbered per author of each award, sequential and never reused, idempotent; unguessable tokens;
the public verification page (valid, revoked, unknown; rate-limited); revoking with a reason (audited); the PDF read
back with pdftotext, its QR code, the bulk PDF and ZIP; the organizers' list in a bounded number of queries."""

from __future__ import annotations

import base64
import io
import zipfile

import pytest
from PIL import Image, ImageChops
from pypdf import PdfReader
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.extensions import db
from app.qr import qr_png
from app.timefmt import format_date, to_local
from competitions.models import EntryPerson
from results.models import Award, Certificate
from results.services.certificates import (
    CertificateError,
    certificate_list,
    issue_certificates,
    revoke_certificate,
)
from tests.app.test_pdf import needs_pdftotext, pdftotext
from tests.judging.factories import make_judging
from tests.results.certificate_factories import (
    DECISION,
    ORGANISATION,
    SECOND_AUTHOR,
    add_author,
    award,
    decide,
    make_awarded,
)


def certificates(contest) -> list[Certificate]:
    return list(
        db.session.scalars(select(Certificate).where(Certificate.contest_id == contest.id).order_by(Certificate.number))
    )


def audits(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def issued(**options):
    made = make_awarded(**options)
    issue_certificates(made.contest, by=made.judging.organizer)
    db.session.commit()
    return made


# --- issuing ------------------------------------------------------------------------------------------------------


def test_each_author_of_each_award_gets_a_certificate_numbered_in_sequence():
    made = make_awarded()
    contest, (first, second, _third) = made.contest, made.entries
    assert issue_certificates(contest, by=made.judging.organizer) == 3
    db.session.commit()
    found = certificates(contest)
    prefix = f"{contest.year}/{contest.code_prefix}/"
    assert [c.number for c in found] == [f"{prefix}0001", f"{prefix}0002", f"{prefix}0003"]
    # First prize first, its authors in order; the guiding teacher gets none; entry 3 has no award
    assert [(c.holder_name, c.prize_name, c.entry_id) for c in found] == [
        ("Tác giả 1", "Giải Nhất", first.id),
        (SECOND_AUTHOR, "Giải Nhất", first.id),
        ("Tác giả 2", "Giải Nhì", second.id),
    ]
    assert {c.entry_title for c in found[:2]} == {first.title}
    assert {c.decision_number for c in found} == {DECISION}
    assert {c.publication_id for c in found} == {made.publication.id}
    assert {c.award_id for c in found} == {made.awards[0].id, made.awards[1].id}
    assert all(c.valid for c in found)
    (entry,) = audits("certificates.issue")
    assert entry.object_type == "contests" and entry.object_id == str(contest.id)
    assert entry.after["count"] == 3 and entry.after["first"] == f"{prefix}0001"
    assert entry.actor_id == made.judging.organizer.id


def test_issuing_again_changes_nothing_and_numbers_are_never_reused():
    made = issued()
    contest = made.contest
    before = {(c.award_id, c.person_id): (c.number, c.token) for c in certificates(contest)}
    assert issue_certificates(contest, by=made.judging.organizer) == 0
    db.session.commit()
    assert {(c.award_id, c.person_id): (c.number, c.token) for c in certificates(contest)} == before
    assert len(audits("certificates.issue")) == 1  # nothing issued, nothing recorded

    # the last one is revoked (a misspelt name, corrected on the entry); a new award is given: issuing again
    # certifies the new award and replaces the revoked certificate, both with the next numbers, never a revoked one's
    last = certificates(contest)[-1]
    revoke_certificate(last, "Nhầm tên tác giả", by=made.judging.organizer)
    person = db.session.get(EntryPerson, last.person_id)
    person.full_name = person.full_name + " Hoa"
    award(contest, made.entries[2], "third", "Giải Ba", 3, "30.00")
    db.session.commit()
    assert issue_certificates(contest, by=made.judging.organizer) == 2
    db.session.commit()
    numbers = [c.number for c in certificates(contest)]
    assert [n[-4:] for n in numbers] == ["0001", "0002", "0003", "0004", "0005"] and len(set(numbers)) == 5
    theirs = [c for c in certificates(contest) if (c.award_id, c.person_id) == (last.award_id, last.person_id)]
    assert [(c.number == last.number, c.revoked_at is None) for c in theirs] == [(True, False), (False, True)]
    assert theirs[1].holder_name.endswith(" Hoa")
    assert issue_certificates(contest, by=made.judging.organizer) == 0


def test_a_person_prize_goes_to_that_person_only():
    made = make_awarded()
    first = made.entries[0]
    youngest = next(p for p in first.authors if p.full_name == SECOND_AUTHOR)
    award(
        made.contest, first, "youngest", "Giải Tác giả trẻ tuổi nhất", None, None, special=True, person_id=youngest.id
    )
    db.session.commit()
    assert issue_certificates(made.contest, by=None) == 4
    prizes = [(c.prize_name, c.holder_name) for c in certificates(made.contest)]
    assert prizes[-1] == ("Giải Tác giả trẻ tuổi nhất", SECOND_AUTHOR)
    assert sum(1 for prize, _holder in prizes if prize == "Giải Tác giả trẻ tuổi nhất") == 1


def test_certificates_cite_the_latest_decision_and_need_one():
    made = make_awarded(decision=False, publication=False)
    with pytest.raises(CertificateError) as refused:
        issue_certificates(made.contest, by=None)
    assert refused.value.code == "no_decision"
    db.session.rollback()
    decide(made.contest, "100/QĐ-LHH")
    decide(made.contest, "101/QĐ-LHH")
    db.session.commit()
    issue_certificates(made.contest, by=None)
    assert {c.decision_number for c in certificates(made.contest)} == {"101/QĐ-LHH"}
    assert {c.publication_id for c in certificates(made.contest)} == {None}


def test_issue_page_refuses_without_a_decision_and_issues_with_one(login_as):
    made = make_awarded(decision=False)
    client = login_as(made.judging.organizer)
    url = f"/results/manage/{made.contest.id}/certificates"
    page = client.get(url).get_data(as_text=True)
    assert 'data-testid="no-decision"' in page and 'data-testid="issue"' not in page
    response = client.post(f"{url}/issue", follow_redirects=True)
    assert response.status_code == 200 and not certificates(made.contest)
    assert "alert-danger" in response.get_data(as_text=True)

    decide(made.contest)
    db.session.commit()
    page = client.get(url).get_data(as_text=True)
    assert 'data-testid="issue"' in page
    response = client.post(f"{url}/issue")
    assert response.status_code == 302 and response.headers["Location"].endswith(url)
    assert len(certificates(made.contest)) == 3
    page = client.get(url).get_data(as_text=True)
    for c in certificates(made.contest):
        assert c.number in page and c.holder_name in page
    assert 'data-testid="issue"' not in page  # nobody waits any more


def test_tokens_are_long_random_and_unique():
    made = issued()
    tokens = [c.token for c in certificates(made.contest)]
    assert len(set(tokens)) == len(tokens)
    for certificate in certificates(made.contest):
        raw = base64.urlsafe_b64decode(certificate.token + "=" * (-len(certificate.token) % 4))
        assert len(raw) >= 16  # at least 128 random bits
        assert certificate.number not in certificate.token and str(certificate.id) != certificate.token
    # a second edition's tokens share nothing with the first's
    other = issued()
    assert not {c.token for c in certificates(other.contest)} & set(tokens)


# --- verification -------------------------------------------------------------------------------------------------


def test_the_verification_page_confirms_a_valid_certificate_to_anyone(client, count_queries):
    made = issued()
    certificate = certificates(made.contest)[1]
    with count_queries() as counted:
        response = client.get(f"/results/verify/{certificate.token}")
    assert counted.n <= 5
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'data-testid="verify-valid"' in page
    for text in (certificate.number, SECOND_AUTHOR, "Giải Nhất", made.entries[0].title, made.contest.name, DECISION):
        assert text in page
    assert "15/05/2026" in page  # the decision's date
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response.headers["X-Robots-Tag"]
    # nothing the certificate does not print: no birth date, unit, email or phone of the author
    person = next(p for p in made.entries[0].authors if p.full_name == SECOND_AUTHOR)
    assert person.unit not in page


def test_a_revoked_certificate_says_so_without_the_reason(client):
    made = issued()
    certificate = certificates(made.contest)[0]
    revoke_certificate(certificate, "Bí mật nội bộ: trùng giải năm trước", by=made.judging.organizer)
    db.session.commit()
    response = client.get(f"/results/verify/{certificate.token}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'data-testid="verify-revoked"' in page
    assert 'data-testid="verify-valid"' not in page
    assert format_date(certificate.revoked_at) in page
    assert "Bí mật nội bộ" not in page and "Giải Nhất" not in page


def test_an_unknown_token_is_a_clear_404(client, count_queries):
    issued()
    with count_queries() as counted:
        response = client.get("/results/verify/" + "A" * 32)
    assert response.status_code == 404 and 'data-testid="verify-unknown"' in response.get_data(as_text=True)
    assert counted.n <= 3
    # not shaped like a token: unknown without even asking for it
    response = client.get("/results/verify/' or 1=1 --")
    assert response.status_code == 404 and 'data-testid="verify-unknown"' in response.get_data(as_text=True)


def test_the_verification_page_is_rate_limited(app, client, monkeypatch):
    made = issued()
    token = certificates(made.contest)[0].token
    monkeypatch.setitem(app.config, "VERIFY_RATE_LIMIT", "3 per minute")
    codes = [client.get(f"/results/verify/{token}").status_code for _ in range(3)]
    codes.append(client.get("/results/verify/" + "B" * 32).status_code)
    assert codes == [200, 200, 200, 429]


# --- revoking -----------------------------------------------------------------------------------------------------


def test_revoking_needs_a_reason_and_is_audited(login_as):
    made = issued()
    certificate = certificates(made.contest)[0]
    client = login_as(made.judging.organizer)
    url = f"/results/manage/certificates/{certificate.id}/revoke"

    response = client.post(url, data={"reason": "   "})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "invalid-feedback" in page and certificate.number in page
    db.session.refresh(certificate)
    assert certificate.valid and not audits("certificate.revoke")

    too_long = "x" * 1001
    response = client.post(url, data={"reason": too_long})
    assert response.status_code == 400 and too_long in response.get_data(as_text=True)  # what was typed stays

    response = client.post(url, data={"reason": "Tác giả rút tên khỏi giải pháp"})
    assert response.status_code == 302
    db.session.refresh(certificate)
    assert not certificate.valid and certificate.revoke_reason == "Tác giả rút tên khỏi giải pháp"
    assert certificate.revoked_by_id == made.judging.organizer.id
    (entry,) = audits("certificate.revoke")
    assert entry.object_type == "certificates" and entry.object_id == str(certificate.id)
    assert entry.before["revoked_at"] is None and entry.after["revoke_reason"] == "Tác giả rút tên khỏi giải pháp"

    response = client.post(url, data={"reason": "Lần nữa"})
    assert response.status_code == 409 and len(audits("certificate.revoke")) == 1
    page = client.get(f"/results/manage/{made.contest.id}/certificates").get_data(as_text=True)
    assert 'data-status="revoked"' in page


def test_revoke_service_refuses_an_empty_reason_and_a_second_revocation():
    made = issued()
    certificate = certificates(made.contest)[0]
    for reason, code in (("", "reason_required"), (" \n ", "reason_required"), ("x" * 1001, "reason_too_long")):
        with pytest.raises(CertificateError) as refused:
            revoke_certificate(certificate, reason, by=None)
        assert refused.value.code == code
    revoke_certificate(certificate, "Sai giải", by=None)
    with pytest.raises(CertificateError) as refused:
        revoke_certificate(certificate, "Sai giải", by=None)
    assert refused.value.code == "already_revoked"


# --- the list -----------------------------------------------------------------------------------------------------


def test_the_list_flags_certificates_that_no_longer_match_their_award():
    made = issued()
    found = certificates(made.contest)
    made.awards[1].tier_name = "Giải Ba"
    made.entries[0].title = "Tên mới của giải pháp"
    db.session.delete(db.session.get(Award, made.awards[0].id))
    db.session.commit()
    listing = certificate_list(made.contest)
    stale = {row.certificate.number: row.stale for row in listing.rows}
    assert stale[found[0].number] == ["award_gone"] and stale[found[1].number] == ["award_gone"]
    assert stale[found[2].number] == ["prize_changed"]
    assert listing.pending == 0 and listing.valid == 3


def _listed(n: int, count_queries, login_as) -> int:
    judging = make_judging(entries=n, judges=1, assign=False)
    contest = judging.contest
    for i, entry in enumerate(judging.entries):
        add_author(entry, f"Đồng tác giả {i}")
        award(contest, entry, "encouragement", "Giải Khuyến khích", i + 1, "50.00")
    decide(contest)
    db.session.commit()
    issue_certificates(contest, by=None)
    revoke_certificate(certificates(contest)[0], "Thử", by=None)
    db.session.commit()
    client = login_as(judging.organizer)
    with count_queries() as counted:
        response = client.get(f"/results/manage/{contest.id}/certificates")
    assert response.status_code == 200
    assert response.get_data(as_text=True).count("data-certificate=") == 2 * n
    return counted.n


def test_the_list_costs_the_same_queries_for_3_and_for_12_awards(count_queries, login_as):
    assert _listed(3, count_queries, login_as) == _listed(12, count_queries, login_as)


# --- documents ----------------------------------------------------------------------------------------------------


@needs_pdftotext
def test_the_certificate_pdf_reads_back_with_its_vietnamese_text(login_as, tmp_path):
    made = issued()
    certificate = certificates(made.contest)[1]
    response = login_as(made.judging.organizer).get(f"/results/manage/certificates/{certificate.id}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "private, no-store"
    assert f"{certificate.number.replace('/', '-')}-Nguyen-Thi-Anh-Tuyet.pdf" in response.headers["Content-Disposition"]
    text = pdftotext(response.data, tmp_path)
    flat = " ".join(text.split())
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        ORGANISATION.upper(),
        "GIẤY CHỨNG NHẬN",
        SECOND_AUTHOR,
        "GIẢI NHẤT",
        f"Số: {certificate.number}",
        f"Quyết định số {DECISION} ngày 15/05/2026",
        f"/results/verify/{certificate.token}",
    ):
        assert expected in flat, expected
    assert made.entries[0].title in flat and made.contest.name in flat
    issued_on = to_local(certificate.issued_at)
    assert f"Bình Phước, ngày {issued_on.day:02d} tháng" in flat
    assert len(PdfReader(io.BytesIO(response.data)).pages) == 1


def test_the_qr_code_links_to_the_verification_page(login_as):
    made = issued()
    certificate = certificates(made.contest)[0]
    response = login_as(made.judging.organizer).get(f"/results/manage/certificates/{certificate.id}.pdf")
    (image,) = PdfReader(io.BytesIO(response.data)).pages[0].images
    printed = image.image.convert("L")
    url = f"http://localhost/results/verify/{certificate.token}"
    expected = Image.open(io.BytesIO(qr_png(url, box_size=8, border=1))).convert("L")
    assert printed.size == expected.size
    assert ImageChops.difference(printed, expected).getbbox() is None


@needs_pdftotext
def test_a_revoked_certificate_prints_that_it_was_revoked(login_as, tmp_path):
    made = issued()
    certificate = certificates(made.contest)[0]
    revoke_certificate(certificate, "Sai tên", by=None)
    db.session.commit()
    response = login_as(made.judging.organizer).get(f"/results/manage/certificates/{certificate.id}.pdf")
    assert "ĐÃ BỊ THU HỒI" in pdftotext(response.data, tmp_path)


@needs_pdftotext
def test_all_valid_certificates_in_one_pdf(login_as, tmp_path):
    made = issued()
    found = certificates(made.contest)
    revoke_certificate(found[0], "Sai tên", by=None)
    db.session.commit()
    response = login_as(made.judging.organizer).get(f"/results/manage/{made.contest.id}/certificates.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) == 2
    text = pdftotext(response.data, tmp_path)
    assert found[0].number not in text
    assert text.index(found[1].number) < text.index(found[2].number)


def test_the_zip_holds_one_pdf_per_valid_certificate(login_as):
    made = issued()
    found = certificates(made.contest)
    revoke_certificate(found[2], "Sai tên", by=None)
    db.session.commit()
    response = login_as(made.judging.organizer).get(f"/results/manage/{made.contest.id}/certificates.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert response.headers["Cache-Control"] == "private, no-store"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    prefix = f"{made.contest.year}-{made.contest.code_prefix}-"
    assert archive.namelist() == [f"{prefix}0001-Tac-gia-1.pdf", f"{prefix}0002-Nguyen-Thi-Anh-Tuyet.pdf"]
    for name, certificate in zip(archive.namelist(), found[:2], strict=True):
        data = archive.read(name)
        assert data.startswith(b"%PDF")
        reader = PdfReader(io.BytesIO(data))
        assert len(reader.pages) == 1 and certificate.number in reader.pages[0].extract_text()


def test_bulk_downloads_without_certificates_go_back_to_the_list(login_as):
    made = make_awarded()
    client = login_as(made.judging.organizer)
    for suffix in ("pdf", "zip"):
        response = client.get(f"/results/manage/{made.contest.id}/certificates.{suffix}")
        assert response.status_code == 302 and response.headers["Location"].endswith("/certificates")


def test_issuing_is_for_the_editions_organizers_only(login_as, make_user):
    made = make_awarded()
    other = make_judging()
    stranger = make_user("organizer", email="khac@example.vn", scope=("contest", other.contest.id))
    client = login_as(stranger)
    assert client.post(f"/results/manage/{made.contest.id}/certificates/issue").status_code == 403
    assert client.get(f"/results/manage/{made.contest.id}/certificates").status_code == 403
    assert db.session.scalar(select(func.count(Certificate.id))) == 0


# --- contestants --------------------------------------------------------------------------------------------------


def test_the_entry_page_offers_its_certificates_to_its_owner(login_as, make_user):
    made = issued()
    first, second = made.entries[0], made.entries[1]
    found = certificates(made.contest)
    revoke_certificate(found[0], "Sai tên", by=None)
    db.session.commit()
    owner = login_as(made.judging.owner)
    page = owner.get(f"/contests/entries/{first.id}").get_data(as_text=True)
    assert 'data-testid="entry-certificates"' in page
    assert f'data-certificate="{found[1].id}"' in page and f'data-certificate="{found[0].id}"' not in page
    response = owner.get(f"/results/entries/{first.id}/certificates/{found[1].id}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert owner.get(f"/results/entries/{first.id}/certificates/{found[0].id}.pdf").status_code == 404  # revoked
    assert owner.get(f"/results/entries/{first.id}/certificates/{found[2].id}.pdf").status_code == 404  # not its own
    assert owner.get(f"/results/entries/{second.id}/certificates/{found[2].id}.pdf").status_code == 200

    stranger = login_as(make_user("contestant", email="la@example.vn"))
    assert stranger.get(f"/results/entries/{first.id}/certificates/{found[1].id}.pdf").status_code == 403
