"""From nomination to published honoree, in a real browser with CSRF and the strict CSP: a nominating body drafts a
dossier (a Vietnamese profile, achievements, the eligibility checklist, an evidence file) and submits it in the
window; the Secretariat screens it eligible and hands the nominees to the council; three council members vote
agree (one on a phone), the chair closes the ballot and the tally shows the nominee passed with its quorum; the
organizer publishes the list and issues the certificate; a stranger reads the public list (no private data) and
follows the certificate's QR code to a page saying it is valid. Nothing may reach the browser's console."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import Page, expect

from honors.models.campaigns import DEFAULT_CHECKLIST
from tests.conftest import PASSWORD
from tests.honors.factories import CATEGORIES, make_body, make_campaign, make_campaign_organizer, make_council

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
#: A small but real PDF (the upload rules look at what a file is, not at its name).
EVIDENCE = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
NOMINEE = {
    "full_name": "Nguyễn Thị Hồng Nhung",
    "birth_date": "18/05/1972",
    "unit_name": "Bệnh viện Đa khoa tỉnh Quảng Ngãi",
    "position": "Trưởng khoa Hồi sức tích cực",
    "field": "Y học lâm sàng",
    "years_of_work": "25",
    "email": "nhung.nth@example.vn",
    "phone": "0905123456",
    "achievements": "Chủ nhiệm 4 đề tài khoa học cấp tỉnh\nỨng dụng kỹ thuật lọc máu liên tục tại tỉnh",
    "publications": "Bài báo trên Tạp chí Y học Việt Nam, 2024",
    "confirmed_by": "Giám đốc Bệnh viện Đa khoa tỉnh",
    "confirmed_on": "01/03/2026",
}


def log_in(page: Page, live_server, email: str) -> None:
    page.goto(live_server("/account/login"))
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator("form #submit").click()
    expect(page.locator("[data-testid=account-menu]")).to_have_count(1)


def person(new_page, live_server, email: str, viewport: dict = DESKTOP) -> Page:
    """A logged-in page of its own browser context; confirmation dialogs are accepted as a user would."""
    page = new_page(viewport=viewport)
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, live_server, email)
    return page


def nominate(page: Page, live_server, body_id: int) -> int:
    """The nominator drafts the dossier, adds its evidence file and submits it; the dossier's id."""
    page.goto(live_server("/honors/nominate/"))
    page.locator(f"a[data-body='{body_id}']").click()
    page.get_by_role("link", name="Hồ sơ mới").click()
    form = page.locator("[data-testid=dossier-form]")
    for name, value in NOMINEE.items():
        form.locator(f"#{name}").fill(value)
    form.locator("#category_id").select_option(label=CATEGORIES[2])
    form.locator("#gender").select_option("female")
    form.locator("#academic_title").select_option("PGS")
    form.locator("#degree").select_option("TS")
    items = form.locator("fieldset[data-item]")
    expect(items).to_have_count(len(DEFAULT_CHECKLIST))
    for i in range(items.count()):
        items.nth(i).locator("input[value=yes]").check()

    # A date that does not exist is refused beside its field; everything typed and answered stays.
    form.locator("#birth_date").fill("31/02/1972")
    with page.expect_response(lambda r: r.request.method == "POST") as refused:
        form.locator("[type=submit]").click()
    assert refused.value.status == 200
    expect(form.locator("#birth_date.is-invalid + .invalid-feedback")).to_be_visible()
    expect(form.locator("#birth_date")).to_have_value("31/02/1972")
    expect(form.locator("#full_name")).to_have_value(NOMINEE["full_name"])
    expect(form.locator("#achievements")).to_have_value(NOMINEE["achievements"])
    expect(form.locator("#category_id option:checked")).to_have_text(CATEGORIES[2])
    expect(form.locator("fieldset[data-item] input[value=yes]:checked")).to_have_count(len(DEFAULT_CHECKLIST))
    form.locator("#birth_date").fill(NOMINEE["birth_date"])
    form.locator("[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/honors/dossiers/\d+$"))
    dossier_id = int(page.url.rsplit("/", 1)[1])
    expect(page.locator("[data-testid=status] [data-status=draft]")).to_have_text("Hồ sơ nháp")
    profile = page.locator("[data-testid=profile]")
    expect(profile).to_contain_text(NOMINEE["full_name"])
    expect(profile).to_contain_text(NOMINEE["unit_name"])
    expect(profile).to_contain_text("18/05/1972")
    expect(page.locator("[data-testid=checklist] .text-bg-success")).to_have_count(len(DEFAULT_CHECKLIST))

    upload = page.locator("[data-testid=upload-form]")
    upload.locator("input[type=file]").set_input_files(
        {"name": "Quyết định khen thưởng.pdf", "mimeType": "application/pdf", "buffer": EVIDENCE}
    )
    upload.locator("#label").fill("Bằng khen của UBND tỉnh")
    upload.locator("[type=submit]").click()
    expect(page.locator("[data-testid=files]")).to_contain_text("Quyết định khen thưởng.pdf")
    expect(page.locator("[data-testid=problems]")).to_have_count(0)

    page.get_by_role("button", name="Nộp hồ sơ").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("[data-testid=status] [data-status=submitted]")).to_have_text("Đã nộp, chờ thẩm định")
    expect(page.locator("[data-testid=upload-form]")).to_have_count(0)  # a submitted dossier no longer changes
    return dossier_id


def screen_and_open_the_ballot(page: Page, live_server, campaign_id: int, dossier_id: int) -> None:
    """The Secretariat screens the dossier eligible, moves the campaign to its vote and opens the ballot."""
    page.goto(live_server(f"/honors/manage/{campaign_id}/dossiers"))
    row = page.locator(f"[data-testid=dossiers] tr[data-dossier='{dossier_id}']")
    expect(row.locator("[data-status=submitted]")).to_be_visible()
    row.locator("a").first.click()
    expect(page.locator("[data-testid=files]")).to_contain_text("Quyết định khen thưởng.pdf")
    form = page.locator("[data-testid=screen-form]")
    form.locator("input[name=decision][value=eligible]").check()
    form.locator("[type=submit]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    row = page.locator(f"[data-testid=dossiers] tr[data-dossier='{dossier_id}']")
    page.goto(live_server(f"/honors/manage/{campaign_id}/dossiers?status=eligible"))
    expect(row.locator("[data-status=eligible]")).to_have_text("Đủ điều kiện xét chọn")

    page.goto(live_server(f"/honors/manage/{campaign_id}"))
    for stage in ("screening", "voting"):
        page.locator(f"button[data-move={stage}]").click()
        expect(page.locator(f"h1 + p [data-status={stage}]")).to_be_visible()
    page.goto(live_server(f"/honors/manage/{campaign_id}/ballot"))
    page.locator("[data-testid=open-ballot]").click()
    expect(page.locator("[data-testid=ballot-status]")).to_have_text("Đang bỏ phiếu")


def vote_agree(page: Page, live_server, campaign_id: int, dossier_id: int) -> None:
    page.goto(live_server("/honors/council/"))
    page.locator(f"a[data-campaign='{campaign_id}']").click()
    section = page.locator(f"section[data-dossier='{dossier_id}']")
    expect(section).to_contain_text(NOMINEE["full_name"])
    expect(section).to_contain_text(NOMINEE["unit_name"])
    radio = section.locator("input[type=radio][value=agree]")
    section.locator(f"label[for='{radio.get_attribute('id')}']").click()
    expect(radio).to_be_checked()
    section.locator("[data-testid=vote]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator(f"section[data-dossier='{dossier_id}'] [data-testid=my-vote]")).to_contain_text("Đồng ý")
    expect(page.locator("[data-testid=voted-count]")).to_contain_text("1")


def qr_url_of(pdf: bytes, folder: Path) -> str:
    """The URL in the certificate's QR code, read from the PDF as a phone's camera would read the paper."""
    (folder / "certificate.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "200", "-png", "-f", "1", "-l", "1", str(folder / "certificate.pdf"), str(folder / "page")],
        check=True,
        timeout=30,
    )
    image = next(folder.glob("page*.png"))
    (found,) = zxingcpp.read_barcodes(Image.open(image))
    return found.text


def test_a_nomination_becomes_a_published_honoree(new_page, live_server, console_errors, tmp_path) -> None:
    if shutil.which("pdftoppm") is None and not os.environ.get("CI"):
        pytest.skip("poppler-utils is needed to read the certificate's QR code (.ci/run installs it)")
    campaign = make_campaign(status="nominating", default_quota=2)
    organizer = make_campaign_organizer(campaign)
    body, nominator = make_body(campaign, "Hội Y học tỉnh")
    council = make_council(campaign, 3)  # council[0] chairs it
    campaign_id, body_id = campaign.id, body.id
    emails = {"organizer": organizer.email, "nominator": nominator.email}
    council_emails = [member.email for member in council]

    # The nominating body drafts the dossier and submits it within the window.
    nominator_page = person(new_page, live_server, emails["nominator"])
    dossier_id = nominate(nominator_page, live_server, body_id)

    # The Secretariat screens it and opens the council's ballot.
    organizer_page = person(new_page, live_server, emails["organizer"])
    screen_and_open_the_ballot(organizer_page, live_server, campaign_id, dossier_id)

    # Three members vote agree, the third on a phone; the chair closes the ballot.
    members = [
        person(new_page, live_server, email, PHONE if i == 2 else DESKTOP) for i, email in enumerate(council_emails)
    ]
    for member_page in members:
        vote_agree(member_page, live_server, campaign_id, dossier_id)
    phone = members[2]
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    chair = members[0]
    chair.reload()
    chair.locator("[data-testid=chair-close]").click()
    expect(chair.locator(".alert-success")).to_be_visible()
    expect(chair.locator("[data-testid=ballot-status]")).to_have_text("Đã kết thúc bỏ phiếu")
    expect(chair.locator("[data-testid=vote]")).to_have_count(0)

    # The tally: three agree of three members (quorum met), passed and to be honored.
    organizer_page.goto(live_server(f"/honors/manage/{campaign_id}/ballot"))
    row = organizer_page.locator(f"[data-testid=tally] tr[data-dossier='{dossier_id}']")
    expect(row.locator("[data-count=agree]")).to_have_text("3")
    expect(row.locator("[data-count=disagree]")).to_have_text("0")
    expect(row.locator("[data-outcome=honored]")).to_have_text("Đạt, đề nghị tôn vinh")
    organizer_page.locator("[data-testid=minutes]").click()  # the tally minutes (biên bản kiểm phiếu)
    minutes = organizer_page.locator("article[data-testid=minutes]")
    expect(minutes).to_contain_text(NOMINEE["full_name"])
    expect(minutes).to_contain_text("Đạt, đề nghị tôn vinh")
    organizer_page.go_back()
    organizer_page.get_by_role("link", name="Công bố danh sách tôn vinh").click()
    expect(organizer_page.locator("[data-testid=to-honor]")).to_contain_text(NOMINEE["full_name"])
    organizer_page.locator("[data-testid=publish]").click()
    expect(organizer_page.locator(".alert-success[role=alert]")).to_contain_text("Đã công bố danh sách tôn vinh.")
    expect(organizer_page.locator("[data-testid=honorees]")).to_contain_text(NOMINEE["full_name"])

    # The certificate is issued; its QR code leads to the verification page.
    organizer_page.locator("[data-testid=published] ~ a.btn-primary").click()
    organizer_page.locator("[data-testid=issue]").click()
    certificate = organizer_page.locator("[data-testid=certificates] tbody tr[data-certificate]")
    expect(certificate).to_have_count(1)
    expect(certificate).to_contain_text(NOMINEE["full_name"])
    expect(certificate.locator("[data-status=valid]")).to_have_text("Còn hiệu lực")
    pdf = organizer_page.request.get(live_server(certificate.get_by_role("link", name="PDF").get_attribute("href")))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    qr_url = qr_url_of(pdf.body(), tmp_path)
    assert qr_url.startswith(live_server("/honors/verify/")), qr_url

    # A stranger reads the public list (no birth date, email or phone) and checks the certificate.
    stranger = new_page(viewport=PHONE)
    stranger.goto(live_server("/honors/honorees/"))
    expect(stranger.locator("h1")).to_have_text("Trí thức được tôn vinh")
    stranger.locator(f"a[href='/honors/honorees/{campaign_id}']").click()
    honorees = stranger.locator("[data-testid=honorees]")
    expect(honorees).to_contain_text(NOMINEE["full_name"])
    expect(honorees).to_contain_text(NOMINEE["unit_name"])
    expect(honorees).to_contain_text("Hội Y học tỉnh")
    content = stranger.content()
    for private in (NOMINEE["birth_date"], "1972", NOMINEE["email"], NOMINEE["phone"]):
        assert private not in content
    stranger.goto(qr_url)
    valid = stranger.locator("[data-testid=verify-valid]")
    expect(valid).to_contain_text("Giấy chứng nhận này hợp lệ")
    expect(valid.locator("[data-testid=holder]")).to_contain_text(NOMINEE["full_name"])
    assert console_errors == []
