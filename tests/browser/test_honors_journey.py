"""From nomination to published honoree, in a real browser with CSRF and the strict CSP: a nominating body drafts a
dossier (a Vietnamese profile, achievements, the eligibility checklist, an evidence file) and submits it in the
window; the Secretariat screens it eligible and hands the nominees to the council; three council members vote
agree (one on a phone), the chair closes the ballot and the tally shows the nominee passed with its quorum; the
organizer publishes the list and issues the certificate; a stranger reads the public list (no private data) and
follows the certificate's QR code to a page saying it is valid. Nothing may reach the browser's console."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import (
    DESKTOP,
    NOMINEE,
    PHONE,
    nominate,
    person,
    qr_url_of,
    screen_and_open_the_ballot,
    vote_agree,
)
from tests.honors.factories import make_body, make_campaign, make_campaign_organizer, make_council

pytestmark = pytest.mark.browser


def test_a_nomination_becomes_a_published_honoree(
    new_page, live_server, console_errors, tmp_path, pdftoppm_path
) -> None:
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
