"""Steps the browser journeys share: logging in as a role, reading a certificate's QR code back from its PDF,
Chromium started with a fake camera playing a clip of a QR code, and an honoring dossier nominated, screened and
voted on the real pages."""

from __future__ import annotations

import io
import re
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import zxingcpp
from PIL import Image
from playwright.sync_api import Page, expect

from honors.models.campaigns import DEFAULT_CHECKLIST
from tests.browser.conftest import CHROMIUM_ARGS, TIMEOUT_MS
from tests.conftest import PASSWORD
from tests.honors.factories import CATEGORIES

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
#: A small but real PDF (the upload rules look at what a file is, not at its name).
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
#: The nominee of the honors journeys: a Vietnamese profile with private data (birth date, email, phone).
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
#: The fake camera's frame size.
CLIP_WIDTH, CLIP_HEIGHT = 640, 480


def log_in(page: Page, live_server, email: str) -> None:
    """Log in through the form; the account menu shows once it worked. Returns once the page that follows has
    loaded with its scripts (Bootstrap's menu toggler among them: on a busy machine a click on it made before
    the script ran was lost, and the menu never opened)."""
    page.goto(live_server("/account/login"))
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator("form #submit").click()
    expect(page.locator("[data-testid=account-menu]")).to_have_count(1)
    page.wait_for_load_state("load")


def log_out(page: Page) -> None:
    page.locator("[data-testid=account-menu]").click()
    page.locator("[data-testid=logout]").click()
    expect(page.locator("[data-testid=account-menu]")).to_have_count(0)


def person(new_page, live_server, email: str, viewport: dict = DESKTOP, **context_options) -> Page:
    """A logged-in page of its own browser context; confirmation dialogs are accepted as a user would."""
    page = new_page(viewport=viewport, **context_options)
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, live_server, email)
    return page


def no_sideways_scrolling(page: Page, width: int = PHONE["width"]) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def qr_url_of(pdf: bytes, folder: Path) -> str:
    """The URL in the certificate's QR code, read from the PDF's first page as a phone's camera would read the
    paper (poppler's pdftoppm renders it, zxing-cpp decodes it)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "certificate.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "200", "-png", "-f", "1", "-l", "1", str(folder / "certificate.pdf"), str(folder / "page")],
        check=True,
        timeout=30,
    )
    image = next(folder.glob("page*.png"))
    (found,) = zxingcpp.read_barcodes(Image.open(image))
    return found.text


def write_y4m(png: bytes, path: Path, frames: int = 10) -> Path:
    """A Y4M clip (4:2:0) of the QR code on a white 640x480 frame, as Chromium's fake camera reads it."""
    qr = Image.open(io.BytesIO(png)).convert("RGB")
    qr.thumbnail((CLIP_HEIGHT - 40, CLIP_HEIGHT - 40))
    canvas = Image.new("RGB", (CLIP_WIDTH, CLIP_HEIGHT), "white")
    canvas.paste(qr, ((CLIP_WIDTH - qr.width) // 2, (CLIP_HEIGHT - qr.height) // 2))
    y, cb, cr = canvas.convert("YCbCr").split()
    half = (CLIP_WIDTH // 2, CLIP_HEIGHT // 2)
    frame = b"FRAME\n" + y.tobytes() + cb.resize(half).tobytes() + cr.resize(half).tobytes()
    path.write_bytes(f"YUV4MPEG2 W{CLIP_WIDTH} H{CLIP_HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode() + frame * frames)
    return path


@contextmanager
def camera_phone(browser, chromium_path: str, clip: Path, origin: str) -> Iterator:
    """A phone-sized browser context whose camera (allowed for `origin`) plays `clip`: a Chromium of its own,
    since the fake camera is chosen when Chromium starts."""
    camera = browser.browser_type.launch(
        executable_path=chromium_path,
        headless=True,
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-video-capture={clip}",
        ],
    )
    try:
        context = camera.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
        context.set_default_timeout(TIMEOUT_MS)
        context.grant_permissions(["camera"], origin=origin)
        try:
            yield context
        finally:
            context.close()
    finally:
        camera.close()


# --- Honors: a dossier nominated, screened and voted -------------------------------------------------------------


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
        {"name": "Quyết định khen thưởng.pdf", "mimeType": "application/pdf", "buffer": PDF}
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
