"""The tally minutes (biên bản kiểm phiếu): the printable page and the PDF, read back with pdftotext; a secret
ballot's minutes name nobody's vote, an open ballot's do."""

from __future__ import annotations

from tests.app.test_pdf import needs_pdftotext, pdftotext
from tests.honors.ballot_factories import closed_ballot, voting_honors


def _closed(mode: str):
    honors = voting_honors(dossiers=("eligible", "eligible"), council=3, ballot_mode=mode)
    a, b = honors.eligible()
    closed_ballot(honors, {a.id: ["agree", "agree", "disagree"], b.id: ["disagree", "disagree", "abstain"]})
    return honors, a, b


@needs_pdftotext
def test_secret_minutes_pdf_has_the_counts_and_no_names(client, login_as, tmp_path):
    honors, a, b = _closed("secret")
    login_as(honors.organizer)
    response = client.get(f"/honors/manage/{honors.campaign.id}/ballot/minutes.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdftotext(response.data, tmp_path)
    for words in (
        "BIÊN BẢN KIỂM PHIẾU",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "bỏ phiếu kín",
        "Hội đồng có 3 thành viên",
        "Tổng số ứng viên: 2; đạt: 1; đề nghị tôn vinh: 1.",
        "66,67 %",
        "CHỦ TỊCH HỘI ĐỒNG",
    ):
        assert words in text, words
    assert a.full_name in text and b.full_name in text
    assert "Đạt, đề nghị tôn vinh" in text and "Không đạt" in text
    assert "Thành viên Hội đồng 2" not in text and "Phiếu của các thành viên" not in text


@needs_pdftotext
def test_open_minutes_pdf_names_each_vote(client, login_as, tmp_path):
    honors, _a, _b = _closed("open")
    login_as(honors.organizer)
    text = pdftotext(client.get(f"/honors/manage/{honors.campaign.id}/ballot/minutes.pdf").data, tmp_path)
    assert "bỏ phiếu công khai" in text and "Phiếu của các thành viên" in text and "Thành viên Hội đồng 3" in text


def test_printable_minutes_page(client, login_as):
    honors, a, _b = _closed("secret")
    login_as(honors.organizer)
    page = client.get(f"/honors/manage/{honors.campaign.id}/ballot/minutes")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert a.display_name in text and "Thành viên Hội đồng 2" not in text
    assert "js/print.js" in text


def test_no_minutes_before_the_ballot_opens(client, login_as):
    honors = voting_honors()
    login_as(honors.organizer)
    assert client.get(f"/honors/manage/{honors.campaign.id}/ballot/minutes").status_code == 404
