"""A contestant registers a group entry with two authors and its documents, submits it, and an organizer
finds it in the edition's entries table: in a real browser, with CSRF and the strict CSP."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import PDF, log_in, log_out
from tests.competitions.factories import make_contest

pytestmark = pytest.mark.browser


def test_register_a_group_entry_submit_it_and_see_it_as_an_organizer(
    page: Page, live_server, console_errors, make_user, tmp_path
) -> None:
    contest = make_contest("innovation")
    make_user("contestant", email="an@example.vn", full_name="Nguyễn Văn An")
    make_user("organizer", email="btc@example.vn", full_name="Trần Văn Minh")
    required = [d for d in contest.document_types if d.required]
    contest_id, year = contest.id, contest.year
    pdf = tmp_path / "Bản mô tả giải pháp.pdf"
    pdf.write_bytes(PDF)

    log_in(page, live_server, "an@example.vn")
    page.goto(live_server(f"/contests/{contest_id}"))
    page.locator("[data-testid=register]").click()
    page.locator("#title").fill("Máy bóc vỏ hạt điều bán tự động")
    page.locator("#field_id").select_option(index=2)
    page.locator("#created_on").fill("15/03/2025")
    expect(page.locator("#authors-0-full_name")).to_have_value("Nguyễn Văn An")
    page.locator("#authors-0-birth_date").fill("18/05/1985")
    page.locator("#authors-0-unit").fill("Hợp tác xã Điều Bù Gia Mập")
    page.locator("#authors-0-share").fill("60")

    page.locator("[data-testid=add-author]").click()  # the server adds a row and keeps what was typed
    expect(page.locator("#authors-0-share")).to_have_value("60")
    page.locator("#authors-1-full_name").fill("Lê Thị Bình")
    page.locator("#authors-1-birth_date").fill("02/09/1990")
    page.locator("#authors-1-unit").fill("Hợp tác xã Điều Bù Gia Mập")
    page.locator("#authors-1-share").fill("40")
    page.locator("#save").click()

    expect(page.locator("[data-testid=to-submit]")).to_be_visible()  # the documents are still missing
    for doc_type in required:
        box = page.locator(f"[data-testid=doctype-{doc_type.id}]")
        box.locator("input[type=file]").set_input_files(str(pdf))
        box.locator("button").click()
        expect(page.locator(f"[data-testid=doctype-{doc_type.id}] a")).to_have_text(pdf.name)
    expect(page.locator("[data-testid=to-submit]")).to_have_count(0)
    page.get_by_role("button", name=re.compile("^(Nộp|Submit)")).click()

    code = f"STKT-{year}-0001"
    expect(page.locator("[data-testid=entry-code]")).to_have_text(code)
    log_out(page)

    log_in(page, live_server, "btc@example.vn")
    page.goto(live_server(f"/contests/manage/{contest_id}/entries"))
    row = page.locator("tr", has_text=code)
    expect(row).to_contain_text("Máy bóc vỏ hạt điều bán tự động")
    row.get_by_role("link", name=re.compile(code)).first.click()
    expect(page.get_by_text("Lê Thị Bình")).to_be_visible()
    expect(page.locator("[data-status=submitted]").first).to_be_visible()
    assert console_errors == []
