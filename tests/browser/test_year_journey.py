"""A whole year of the Union, in one real browser run with CSRF and the strict CSP, each step by the role that
does it on its own pages: the organizer creates both contests from their presets and opens them; contestants
register their entries (one signs up and registers on a phone); the Secretariat screens them; three judges score a
blind preliminary round (no author or unit on any of their pages), a divergent entry is sent to the whole
sub-panel and re-scored, the entries advance and the final round is scored; the awards are stored, approved and
published; a certificate's QR code, read from its PDF, opens a page saying it is valid; an honoring campaign is
set up, nominated, screened and voted; the award ceremony checks a winner in through the phone's camera; and the
annual report counts that year's entries, prizes, honorees and check-ins.

Only the accounts are made in the database (the administrator's invitation flow is tested on its own): every role
a page grants (nominator, council member, check-in staff) is granted through that page. Nothing may reach the
browser's console, and no request may end in a server error."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from app.extensions import db
from app.orgs.models import Organisation
from app.timefmt import to_local, utcnow
from tests.browser.helpers import (
    NOMINEE,
    PDF,
    PHONE,
    camera_phone,
    log_in,
    no_sideways_scrolling,
    nominate,
    person,
    qr_url_of,
    screen_and_open_the_ballot,
    vote_agree,
    write_y4m,
)
from tests.competitions.factories import make_organisation
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

UNION = "Liên hiệp các hội KH&KT tỉnh Bình Phước"
MEDICAL = "Hội Y học tỉnh"
INNOVATION_ENTRIES = {
    "an": {
        "email": "an.nguyen@example.vn",
        "name": "Nguyễn Văn An",
        "title": "Máy bóc vỏ hạt điều bán tự động",
        "unit": "Hợp tác xã Điều Bù Gia Mập",
    },
    "cuong": {
        "email": "cuong.ho@example.vn",
        "name": "Hồ Quốc Cường",
        "title": "Hệ thống tưới nhỏ giọt điều khiển qua điện thoại",
        "unit": "Công ty TNHH Nông nghiệp Xanh Đồng Phú",
    },
}
YOUTH_ENTRY = {
    "email": "binh.le@example.vn",
    "name": "Lê Thị Bình",
    "title": "Thùng rác tự phân loại cho lớp học",
    "school": "Trường THCS Tân Phú",
}
JUDGES = {"huy@example.vn": "Phạm Quốc Huy", "lan@example.vn": "Vũ Thị Lan", "tuan@example.vn": "Đỗ Minh Tuấn"}
COUNCIL = ("chu.tich@example.vn", "uy.vien1@example.vn", "uy.vien2@example.vn")
NOMINATOR = "de.cu@hoiyhoc.example.vn"
DOOR = "le.tan@example.vn"
ORGANIZER = "btc@example.vn"
CEREMONY = "Lễ tổng kết và trao giải Hội thi sáng tạo kỹ thuật"
CAMPAIGN = "Tôn vinh trí thức khoa học và công nghệ tiêu biểu"


def a_png() -> bytes:
    """A real photo-sized PNG (the youth contest wants a picture of the product)."""
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 60)).save(buffer, format="PNG")
    return buffer.getvalue()


def vn_date(days: int = 0) -> str:
    return (to_local(utcnow()) + timedelta(days=days)).strftime("%d/%m/%Y")


def held_now() -> tuple[str, str]:
    """Start and end (dd/mm/yyyy HH:MM, Vietnam time) of an event under way: begun an hour ago, or at midnight when
    the day is younger (so that it is held today, in this year, whatever the hour the test runs at), ending in
    three hours."""
    now = to_local(utcnow()).replace(second=0, microsecond=0)
    start = max(now - timedelta(hours=1), now.replace(hour=0, minute=0))
    return start.strftime("%d/%m/%Y %H:%M"), (now + timedelta(hours=3)).strftime("%d/%m/%Y %H:%M")


# --- The organizer sets the year up ---------------------------------------------------------------------------------


def create_contest(page: Page, live_server, kind: str) -> int:
    """A new edition from its preset, its registration window from today for a month, opened to the public."""
    page.goto(live_server("/contests/manage/"))
    page.locator("[data-testid=new-edition]").click()
    page.locator(f"input[name=kind][value={kind}]").check()
    page.locator("#organisation_id").select_option(label=UNION)
    page.locator("#create").click()
    expect(page).to_have_url(re.compile(r"/contests/manage/\d+/settings$"))
    contest_id = int(page.url.rsplit("/", 2)[1])
    page.locator("#registration_opens_at").fill(f"{vn_date()} 00:00")
    page.locator("#registration_closes_at").fill(f"{vn_date(30)} 17:00")
    page.locator("#save").click()
    expect(page.locator(".alert-success")).to_be_visible()
    move_contest(page, contest_id, "open")
    return contest_id


def move_contest(page: Page, contest_id: int, status: str) -> None:
    page.locator(f"[data-testid=status-{status}]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator(f"[data-testid=status-panel] [data-testid=status-{status}]")).to_have_count(0)


# --- Contestants ------------------------------------------------------------------------------------------------------


def upload_documents(page: Page, files: dict[str, tuple[str, str, bytes]]) -> None:
    """Every required document of the entry's page, each as {document type name: (file name, MIME type, bytes)}."""
    boxes = page.locator("[data-testid^=doctype-]")
    for i in range(boxes.count()):
        box = boxes.nth(i)
        name = next((n for n in files if n in box.inner_text()), None)
        if name is None:
            continue
        testid = box.get_attribute("data-testid")
        file_name, mime, content = files[name]
        box.locator("input[type=file]").set_input_files({"name": file_name, "mimeType": mime, "buffer": content})
        box.locator("button").click()
        expect(page.locator(f"[data-testid={testid}] a")).to_have_text(file_name)
    expect(page.locator("[data-testid=to-submit]")).to_have_count(0)


def register_innovation(page: Page, live_server, contest_id: int, who: dict) -> str:
    page.goto(live_server(f"/contests/{contest_id}"))
    page.locator("[data-testid=register]").click()
    page.locator("#title").fill(who["title"])
    page.locator("#field_id").select_option(index=1)
    page.locator("#created_on").fill("15/03/2025")
    page.locator("#summary").fill("Giải pháp đã áp dụng thực tế tại địa phương, giảm chi phí và công lao động.")
    expect(page.locator("#authors-0-full_name")).to_have_value(who["name"])
    page.locator("#authors-0-birth_date").fill("18/05/1985")
    page.locator("#authors-0-unit").fill(who["unit"])
    page.locator("#authors-0-share").fill("100")
    page.locator("#save").click()
    upload_documents(
        page,
        {
            "Đơn đăng ký dự thi": ("Đơn đăng ký.pdf", "application/pdf", PDF),
            "Bản mô tả giải pháp": ("Bản mô tả giải pháp.pdf", "application/pdf", PDF),
            "Xác nhận áp dụng": ("Xác nhận áp dụng.pdf", "application/pdf", PDF),
        },
    )
    page.get_by_role("button", name=re.compile("^Nộp")).click()
    code = page.locator("[data-testid=entry-code]")
    expect(code).to_have_text(re.compile(r"^STKT-\d{4}-\d{4}$"))
    return code.inner_text()


def sign_up_and_register_youth_on_a_phone(new_page, live_server, contest_id: int) -> tuple[Page, str]:
    """A pupil signs up on a phone and registers a youth entry with its guiding teacher: her page and the code."""
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto(live_server("/account/signup"))
    page.locator("#full_name").fill(YOUTH_ENTRY["name"])
    page.locator("#email").fill(YOUTH_ENTRY["email"])
    page.locator("#password").fill(PASSWORD)
    page.locator("#confirm").fill(PASSWORD)
    page.locator("form #submit").click()
    expect(page.locator("[data-testid=account-menu]")).to_have_count(1)

    page.goto(live_server(f"/contests/{contest_id}"))
    page.locator("[data-testid=register]").click()
    page.locator("#title").fill(YOUTH_ENTRY["title"])
    page.locator("#field_id").select_option(index=1)
    page.locator("#age_group_id").select_option(index=2)
    page.locator("#summary").fill("Thùng rác nhận biết giấy, nhựa và vỏ lon bằng cảm biến, đặt ở cuối lớp học.")
    page.locator("#authors-0-birth_date").fill("12/03/2012")
    page.locator("#authors-0-unit").fill(YOUTH_ENTRY["school"])
    page.locator("#authors-0-share").fill("100")
    page.locator("[data-testid=add-teacher]").click()
    page.locator("#teachers-0-full_name").fill("Trịnh Văn Hải")
    no_sideways_scrolling(page)
    page.locator("#save").click()
    upload_documents(
        page,
        {
            "Phiếu đăng ký dự thi": ("Phiếu đăng ký.pdf", "application/pdf", PDF),
            "Bản thuyết minh": ("Bản thuyết minh.pdf", "application/pdf", PDF),
            "Ảnh hoặc video sản phẩm": ("Ảnh sản phẩm.png", "image/png", a_png()),
        },
    )
    no_sideways_scrolling(page)
    page.get_by_role("button", name=re.compile("^Nộp")).click()
    code = page.locator("[data-testid=entry-code]")
    expect(code).to_have_text(re.compile(r"^STTN-\d{4}-\d{4}$"))
    no_sideways_scrolling(page)
    return page, code.inner_text()


# --- The Secretariat and the judging council ----------------------------------------------------------------------


def screen_all_eligible(page: Page, live_server, contest_id: int, count: int) -> None:
    page.goto(live_server(f"/contests/manage/{contest_id}/entries"))
    rows = page.locator("[data-testid=entries] tr[data-entry-id]")
    expect(rows).to_have_count(count)
    ids = [rows.nth(i).get_attribute("data-entry-id") for i in range(count)]
    for entry_id in ids:
        page.goto(live_server(f"/contests/manage/{contest_id}/entries"))
        page.locator(f"[data-testid=entries] tr[data-entry-id='{entry_id}'] a").first.click()
        form = page.locator("[data-testid=screening-form]")
        form.locator("input[name=decision][value=eligible]").check()
        form.locator("[type=submit]").click()
        expect(page.locator(".alert-success")).to_be_visible()
        expect(page.locator("p [data-status=eligible]")).to_be_visible()


def seat_the_panel(page: Page, live_server, contest_id: int) -> None:
    """One sub-panel judging every field, with the three judges, headed by the first."""
    page.goto(live_server(f"/judging/manage/{contest_id}/panels"))
    page.locator("[data-testid=new-panel]").click()
    form = page.locator("[data-testid=panel-form]")
    form.locator("#name").fill("Tiểu ban Kỹ thuật")
    boxes = form.locator("input[name=field_ids]")
    for i in range(boxes.count()):
        boxes.nth(i).check()
    for name in JUDGES.values():
        form.get_by_label(name, exact=True).check()
    form.locator("#head_id").select_option(label=next(iter(JUDGES.values())))
    form.locator("#save").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("[data-testid=uncovered]")).to_have_count(0)


def assign_and_open(page: Page, live_server, round_id: int, entries: int) -> None:
    """Save the automatic assignment previewed, then open the round for scoring."""
    page.goto(live_server(f"/judging/manage/rounds/{round_id}/assignment"))
    page.locator("[data-testid=save-plan] [type=submit]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("[data-testid=nothing-to-add]")).to_be_visible()
    page.goto(live_server(f"/judging/manage/rounds/{round_id}/settings"))
    expect(page.locator("[data-testid=entry-count]")).to_contain_text(str(entries))
    page.locator("[data-testid=status-scoring]").click()
    expect(page.locator(".alert-success")).to_be_visible()


def score(judges: list[Page], live_server, round_id: int, plan: dict[str, list[list[str]]], hidden=()) -> None:
    """Each judge scores every open sheet of the round, from their own list: the n-th judge to open an entry gives
    it plan[code][n]. Nothing in `hidden` may appear on any page a judge sees."""
    for page in judges:
        page.goto(live_server("/judging/"))
        for text in hidden:
            assert text not in page.content(), f"{text!r} shown on a judge's list of a blind round"
        links = page.locator(f"[data-testid=round-{round_id}] a[data-testid^=assignment-]")
        hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
        for href in hrefs:
            page.goto(live_server(href))
            if hidden:
                expect(page.locator("[data-testid=authors]")).to_have_count(0)
            for text in hidden:
                assert text not in page.content(), f"{text!r} shown on a judge's sheet in a blind round"
            inputs = page.locator("form[data-score-sheet] input[id^=score_]")
            if not inputs.count():
                continue  # submitted already
            code = page.locator("[data-testid=entry-code]").inner_text()
            values = plan[code].pop(0)
            for i, value in enumerate(values):
                inputs.nth(i).fill(value)
            page.locator("form[data-score-sheet] #submit").click()
            expect(page.locator("[data-testid=sheet-locked]")).to_be_visible()
            expect(page.locator("[data-testid=sheet-total]")).to_have_text(f"{sum(int(v) for v in values)}")
    assert all(not left for left in plan.values()), f"sheets left unscored: {plan}"


# --- The journey ----------------------------------------------------------------------------------------------------


def test_a_whole_year_through_the_real_pages(
    browser, chromium_path, new_page, live_server, console_errors, make_user, tmp_path, pdftoppm_path
) -> None:
    union = make_organisation(UNION)
    medical = Organisation(kind="association", parent=union)
    medical.set_name(MEDICAL)
    db.session.add(medical)
    db.session.commit()
    make_user("organizer", email=ORGANIZER, full_name="Trần Văn Minh", scope=("organisation", union.id))
    for who in INNOVATION_ENTRIES.values():
        make_user("contestant", email=who["email"], full_name=who["name"])
    for email, name in JUDGES.items():
        make_user("judge", email=email, full_name=name)
    for i, email in enumerate(COUNCIL):
        make_user(email=email, full_name=("Hoàng Văn Thái", "Ngô Thị Mai", "Đinh Công Sơn")[i])
    make_user(email=NOMINATOR, full_name="Cán bộ Hội Y học")
    make_user(email=DOOR, full_name="Lễ tân Đỗ Thị Hoa")
    year = to_local(utcnow()).year

    # January: the organizer creates both contests from their presets and opens them.
    organizer = person(new_page, live_server, ORGANIZER)
    innovation = create_contest(organizer, live_server, "innovation")
    youth = create_contest(organizer, live_server, "youth")

    # Contestants register: two innovations on a computer, a pupil's entry on a phone.
    codes, contestants = {}, {}
    for key, who in INNOVATION_ENTRIES.items():
        contestants[key] = person(new_page, live_server, who["email"])
        codes[key] = register_innovation(contestants[key], live_server, innovation, who)
    pupil, youth_code = sign_up_and_register_youth_on_a_phone(new_page, live_server, youth)

    # The Secretariat screens every entry, then closes registration and starts judging.
    screen_all_eligible(organizer, live_server, innovation, 2)
    screen_all_eligible(organizer, live_server, youth, 1)
    pupil.goto(live_server("/contests/my-entries"))
    mine = pupil.locator(".list-group-item", has_text=youth_code)
    expect(mine.locator("[data-status=eligible]")).to_be_visible()
    no_sideways_scrolling(pupil)
    organizer.goto(live_server(f"/contests/manage/{innovation}/settings"))
    move_contest(organizer, innovation, "closed")
    move_contest(organizer, innovation, "judging")

    # The judging council: one sub-panel; a blind preliminary round of two judges per entry.
    seat_the_panel(organizer, live_server, innovation)
    organizer.goto(live_server(f"/judging/manage/{innovation}"))
    organizer.locator("[data-testid=new-preliminary]").click()
    expect(organizer).to_have_url(re.compile(r"/judging/manage/rounds/\d+/settings$"))
    preliminary = int(organizer.url.rsplit("/", 2)[1])
    settings = organizer.locator("[data-testid=settings-form]")
    settings.locator("#blind").check()
    settings.locator("#advance_top_n").fill("2")
    settings.locator("#save").click()
    expect(organizer.locator(".alert-success")).to_be_visible()
    organizer.locator("[data-testid=add-entries]").click()
    expect(organizer.locator(".alert-success")).to_be_visible()
    assign_and_open(organizer, live_server, preliminary, 2)

    # The judges score it blind: no author's name or unit on any of their pages. The two judges of An's entry
    # disagree by 40 points.
    judges = [person(new_page, live_server, email) for email in JUDGES]
    hidden = [w[k] for w in INNOVATION_ENTRIES.values() for k in ("name", "unit")]
    an, cuong = codes["an"], codes["cuong"]
    score(
        judges,
        live_server,
        preliminary,
        {an: [["27", "27", "36"], ["15", "15", "20"]], cuong: [["20", "20", "30"], ["21", "21", "30"]]},
        hidden,
    )

    # The divergence is flagged; the organizer sends the entry to the whole sub-panel, which re-scores it.
    organizer.goto(live_server(f"/judging/manage/rounds/{preliminary}/results"))
    expect(organizer.locator("[data-testid=divergent-count]")).to_have_attribute("data-count", "1")
    row = organizer.locator("tr[data-divergent='1']")
    expect(row).to_contain_text(an)
    expect(row.locator("[data-testid=divergent-badge]")).to_be_visible()
    row.locator("summary").click()
    row.locator("textarea").fill("Hai giám khảo chênh nhau 40 điểm: đề nghị cả tiểu ban chấm lại.")
    row.locator("[data-testid=rescore-form] [type=submit]").click()
    expect(organizer.locator(".alert-success")).to_contain_text(an)
    score(judges, live_server, preliminary, {an: [["25", "25", "34"], ["24", "24", "33"], ["25", "24", "33"]]}, hidden)
    organizer.goto(live_server(f"/judging/manage/rounds/{preliminary}/results"))
    expect(organizer.locator("[data-testid=divergent-count]")).to_have_attribute("data-count", "0")
    expect(organizer.locator(f"tr:has-text('{an}') [data-testid=rescore-sent]")).to_be_visible()

    # The round closes; both entries advance by its rule to a final round, scored openly by all three judges.
    organizer.goto(live_server(f"/judging/manage/rounds/{preliminary}/settings"))
    organizer.locator("[data-testid=status-closed]").click()
    expect(organizer.locator(".alert-success")).to_be_visible()
    organizer.goto(live_server(f"/judging/manage/rounds/{preliminary}/advance"))
    expect(organizer.locator("tr[data-proposed='1']")).to_have_count(2)
    organizer.locator("[data-testid=advance-form] [type=submit]").click()
    expect(organizer.locator(".alert-success")).to_be_visible()
    organizer.goto(live_server(f"/judging/manage/{innovation}"))
    rounds = organizer.locator("[data-testid=rounds] [data-round]")
    expect(rounds).to_have_count(2)
    final = int(rounds.nth(1).get_attribute("data-round"))
    assign_and_open(organizer, live_server, final, 2)
    score(
        judges,
        live_server,
        final,
        {
            an: [["26", "26", "36"], ["25", "26", "35"], ["26", "25", "36"]],
            cuong: [["20", "20", "30"], ["21", "20", "31"], ["20", "21", "30"]],
        },
    )
    judges[0].goto(live_server("/judging/"))
    judges[0].locator(f"[data-testid=round-{final}] a[data-testid^=assignment-]", has_text=an).click()
    expect(judges[0].locator("[data-testid=authors]")).to_contain_text(INNOVATION_ENTRIES["an"]["name"])  # not blind
    organizer.goto(live_server(f"/judging/manage/rounds/{final}/settings"))
    organizer.locator("[data-testid=status-closed]").click()
    expect(organizer.locator(".alert-success")).to_be_visible()
    organizer.goto(live_server(f"/contests/manage/{innovation}/settings"))
    move_contest(organizer, innovation, "results")

    # Awards: the default plan, the proposal stored, the approving decision, the results published.
    organizer.goto(live_server(f"/results/manage/{innovation}/plan"))
    organizer.locator("[data-testid=save]").click()
    expect(organizer.locator(".alert-success")).to_be_visible()
    organizer.goto(live_server(f"/results/manage/{innovation}/awards"))
    organizer.locator("[data-testid=generate]").click()
    expect(organizer.locator(".alert-success")).to_be_visible()
    expect(organizer.locator("[data-testid=stored-awards] [data-testid^=award-]")).to_have_count(2)
    organizer.goto(live_server(f"/results/manage/{innovation}/decision"))
    organizer.locator("#number").fill(f"125/QĐ-LHH-{year}")
    organizer.locator("#signed_on").fill(vn_date())
    organizer.locator("#signer").fill("Nguyễn Văn Chủ")
    organizer.locator("#signer_title").fill("Chủ tịch")
    organizer.locator("#record").click()
    expect(organizer.locator(".alert-success")).to_be_visible()
    organizer.goto(live_server(f"/results/manage/{innovation}/publish"))
    expect(organizer.locator("[data-testid=publish-problems]")).to_have_count(0)
    organizer.locator("#submit").click()
    expect(organizer.locator(".alert-success")).to_be_visible()
    expect(organizer.locator("[data-testid=version-1]")).to_be_visible()

    # Certificates: the first prize's QR code, read from its PDF, opens the verification page.
    organizer.goto(live_server(f"/results/manage/{innovation}/certificates"))
    organizer.locator("[data-testid=issue]").click()
    certificates = organizer.locator("[data-testid=certificates] tbody tr[data-certificate]")
    expect(certificates).to_have_count(2)
    first = certificates.filter(has_text=INNOVATION_ENTRIES["an"]["name"])
    pdf = organizer.request.get(live_server(first.get_by_role("link", name="PDF").get_attribute("href")))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    qr_url = qr_url_of(pdf.body(), tmp_path / "contest-certificate")
    assert qr_url.startswith(live_server("/results/verify/")), qr_url
    stranger = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    stranger.goto(qr_url)
    valid = stranger.locator("[data-testid=verify-valid]")
    expect(valid).to_contain_text("Giấy chứng nhận này hợp lệ")
    expect(valid.locator("[data-testid=holder]")).to_contain_text(INNOVATION_ENTRIES["an"]["name"])
    expect(valid.locator("[data-testid=prize]")).to_have_text("Giải Nhất")
    stranger.goto(live_server(f"/results/{innovation}"))
    expect(stranger.locator("main")).to_contain_text(INNOVATION_ENTRIES["an"]["title"])

    # The honoring campaign: set up, its nominating body and council named on their pages, then nominated,
    # screened, voted and published.
    organizer.locator("[data-testid=nav-honors]").click()
    organizer.get_by_role("link", name="Đợt tôn vinh mới").click()
    form = organizer.locator("[data-testid=campaign-form]")
    form.locator("#organisation_id").select_option(label=UNION)
    form.locator("#name").fill(CAMPAIGN)
    form.locator("#occasion").fill("Ngày Khoa học và Công nghệ Việt Nam 18/5")
    form.locator("#opens_at").fill(vn_date())
    form.locator("#closes_at").fill(vn_date(30))
    form.locator("#default_quota").fill("2")
    form.locator("#submit").click()
    expect(organizer.locator(".alert-success")).to_be_visible()
    campaign = int(re.search(r"/honors/manage/(\d+)", organizer.url).group(1))
    organizer.goto(live_server(f"/honors/manage/{campaign}/bodies"))
    organizer.locator("[data-testid=body-form] #organisation_id").select_option(label=MEDICAL)
    organizer.locator("[data-testid=body-form] [type=submit]").click()
    body = organizer.locator("[data-body]")
    expect(body).to_have_count(1)
    body_id = int(body.get_attribute("data-body"))
    body.locator(f"#body{body_id}-email").fill(NOMINATOR)
    body.locator(f"form:has(#body{body_id}-email) button").click()
    expect(organizer.locator(f"[data-body='{body_id}']")).to_contain_text(NOMINATOR)
    organizer.goto(live_server(f"/honors/manage/{campaign}/council"))
    for email in COUNCIL:
        organizer.locator("[data-testid=member-form] #email").fill(email)
        organizer.locator("[data-testid=member-form] [type=submit]").click()
        expect(organizer.locator("[data-testid=members]")).to_contain_text(email)
    organizer.locator("#user_id").select_option(label="Hoàng Văn Thái")
    organizer.locator("form:has(#user_id) [type=submit]").click()
    expect(organizer.locator("[data-testid=members] .badge")).to_be_visible()
    organizer.goto(live_server(f"/honors/manage/{campaign}"))
    organizer.locator("button[data-move=nominating]").click()
    expect(organizer.locator("h1 + p [data-status=nominating]")).to_be_visible()

    nominator = person(new_page, live_server, NOMINATOR)
    dossier = nominate(nominator, live_server, body_id)
    screen_and_open_the_ballot(organizer, live_server, campaign, dossier)
    members = [person(new_page, live_server, email) for email in COUNCIL]
    for member in members:
        vote_agree(member, live_server, campaign, dossier)
    members[0].reload()
    members[0].locator("[data-testid=chair-close]").click()
    expect(members[0].locator("[data-testid=ballot-status]")).to_have_text("Đã kết thúc bỏ phiếu")
    organizer.goto(live_server(f"/honors/manage/{campaign}/publication"))
    expect(organizer.locator("[data-testid=to-honor]")).to_contain_text(NOMINEE["full_name"])
    organizer.locator("[data-testid=publish]").click()
    expect(organizer.locator("[data-testid=honorees]")).to_contain_text(NOMINEE["full_name"])

    # The award ceremony: created for the contest, its winners invited, a check-in staff named.
    organizer.locator("[data-testid=nav-events]").click()
    organizer.locator("[data-testid=new-event]").click()
    organizer.locator("#title").fill(CEREMONY)
    organizer.locator("#kind").select_option("award_ceremony")
    organizer.locator("#organisation_id").select_option(label=UNION)
    starts, ends = held_now()  # the annual report counts the events begun by now
    organizer.locator("#starts_at").fill(starts)
    organizer.locator("#ends_at").fill(ends)
    organizer.locator("#venue").fill("Hội trường Tỉnh ủy Bình Phước")
    organizer.locator("#contest_id").select_option(str(innovation))
    organizer.locator("#status").select_option("published")
    organizer.locator("#save").click()
    expect(organizer).to_have_url(re.compile(r"/events/manage/\d+$"))
    event = int(organizer.url.rsplit("/", 1)[1])
    organizer.locator("#staff form #email").fill(DOOR)
    organizer.locator("#staff form #add").click()
    expect(organizer.locator("[data-testid=staff]")).to_contain_text(DOOR)
    organizer.goto(live_server(f"/events/manage/{event}/invitees"))
    source = organizer.locator("[data-testid=from-contest]")
    source.locator("#contest-record_id").select_option(str(innovation))
    source.locator("#contest-group").select_option("winners")
    source.locator("[type=submit]").click()
    invitees = organizer.locator("[data-testid=invitees] tbody tr")
    expect(invitees).to_have_count(2)
    expect(
        invitees.filter(has_text=INNOVATION_ENTRIES["an"]["name"]).locator("[data-testid=pass-link]")
    ).to_be_visible()

    # An finds his pass under "My passes"; its QR code is what his phone will show at the door.
    winner = contestants["an"]
    winner.goto(live_server("/"))
    winner.locator("[data-testid=account-menu]").click()
    winner.locator("[data-testid=nav-my-passes]").click()
    passes = winner.locator("[data-testid=my-passes]")
    expect(passes).to_contain_text(CEREMONY)
    passes.locator("a[href^='/events/pass/']").click()
    qr = winner.locator("[data-testid=pass-qr]")
    expect(qr).to_be_visible()
    png = winner.request.get(live_server(qr.get_attribute("src")))
    assert png.ok and png.headers["content-type"] == "image/png"
    clip = write_y4m(png.body(), tmp_path / "pass.y4m")

    # At the door, the staff's phone camera reads An's pass.
    with camera_phone(browser, chromium_path, clip, live_server("")) as context:
        door = context.new_page()
        console_errors.watch(door)
        log_in(door, live_server, DOOR)
        door.goto(live_server(f"/events/{event}/checkin"))
        answer = door.locator("[data-testid=checkin-answer]")
        expect(answer).to_have_attribute("data-outcome", "checked_in")
        expect(answer).to_contain_text(INNOVATION_ENTRIES["an"]["name"])
        assert door.locator("#checkin-video").get_attribute("data-track-label") == str(clip)

    # December: the annual report shows the year.
    organizer.locator("[data-testid=nav-reports]").click()
    organizer.locator("[data-testid=annual-link]").click()
    expect(organizer).to_have_url(re.compile(rf"/reports/annual/{year}"))
    contests = organizer.locator("[data-testid=table-contests]")
    innovation_row = contests.locator("tbody tr", has_text="Hội thi Sáng tạo kỹ thuật")
    youth_row = contests.locator("tbody tr").filter(has_not_text="Hội thi Sáng tạo kỹ thuật")
    # entries, finalists, prizes, special prizes
    expect(innovation_row.locator("td").nth(-4)).to_have_text("2")
    expect(innovation_row.locator("td").nth(-3)).to_have_text("2")
    expect(innovation_row.locator("td").nth(-2)).to_have_text("2")
    expect(youth_row.locator("td").nth(-4)).to_have_text("1")
    events = organizer.locator("[data-testid=table-events] tbody tr", has_text=CEREMONY)
    expect(events.locator("td").nth(2)).to_have_text("2")  # invited
    expect(events.locator("td").nth(3)).to_have_text("1")  # present
    campaigns = organizer.locator("[data-testid=table-campaigns] tbody tr", has_text=CAMPAIGN)
    expect(campaigns.locator("td").nth(-1)).to_have_text("1")  # honored
    assert console_errors == []
