"""A judge on a phone logs in, opens their assignments, scores two entries (a score off the step first: refused
beside its field, corrected), submits both and sees the round's progress at 2/2: in a real browser, with CSRF and
the strict CSP."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import PHONE, log_in, no_sideways_scrolling
from tests.judging.factories import make_judging

pytestmark = pytest.mark.browser


def score_entry(page: Page, criteria, values: list[str]) -> None:
    for criterion_id, value in zip(criteria, values, strict=True):
        page.locator(f"#score_{criterion_id}").fill(value)


def test_a_judge_scores_two_entries_on_a_phone(new_page, live_server, console_errors) -> None:
    judging = make_judging(entries=2, judges=1)
    judge = judging.judges[0]
    first, second = (judging.assignment(judge, e) for e in judging.entries)
    first_id, second_id, round_id = first.id, second.id, judging.round.id
    codes = [e.code for e in judging.entries]
    criteria = [c.id for c in judging.round.criteria]  # 30 / 30 / 40, steps of 0.5

    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    log_in(page, live_server, judge.email)
    page.locator("button.navbar-toggler").click()
    page.locator("[data-testid=nav-judging]").click()
    expect(page).to_have_url(live_server("/judging/"))
    expect(page.locator(f"[data-testid=progress-{round_id}]")).to_contain_text("0/2")
    no_sideways_scrolling(page)

    # The first entry: 12,3 is off the step of 0,5.
    page.locator(f"[data-testid=assignment-{first_id}]").click()
    expect(page.locator("[data-testid=entry-code]")).to_have_text(codes[0])
    score_entry(page, criteria, ["12,3", "20", "30"])
    page.locator("#comment").fill("Giải pháp thiết thực, dễ áp dụng ở hợp tác xã.")
    page.locator("#submit").click()
    error = page.locator(f"[data-testid=error-{criteria[0]}]")
    expect(error).to_be_visible()
    expect(error).to_contain_text("0,5")
    expect(page.locator(f"#score_{criteria[0]}")).to_have_value("12,3")  # what was typed is kept
    expect(page.locator(f"#score_{criteria[1]}")).to_have_value("20")
    expect(page.locator("#comment")).to_have_value("Giải pháp thiết thực, dễ áp dụng ở hợp tác xã.")
    no_sideways_scrolling(page)

    page.locator(f"#score_{criteria[0]}").fill("12,5")
    expect(page.locator("#sheet-total")).to_have_text("62,5")  # the live total
    page.locator("#submit").click()
    expect(page.locator("[data-testid=sheet-locked]")).to_be_visible()
    expect(page.locator("[data-testid=sheet-total]")).to_have_text("62,5")
    expect(page.locator(f"#score_{criteria[0]}")).to_have_count(0)  # read-only now

    # The second entry, from the list.
    page.locator(".breadcrumb a").first.click()
    expect(page.locator(f"[data-testid=progress-{round_id}]")).to_contain_text("1/2")
    page.locator(f"[data-testid=assignment-{second_id}]").click()
    expect(page.locator("[data-testid=entry-code]")).to_have_text(codes[1])
    score_entry(page, criteria, ["25", "27,5", "35.5"])
    expect(page.locator("#sheet-total")).to_have_text("88")
    page.locator("#submit").click()
    expect(page.locator("[data-testid=sheet-locked]")).to_be_visible()

    page.locator(".breadcrumb a").first.click()
    expect(page.locator(f"[data-testid=progress-{round_id}]")).to_contain_text("2/2")
    expect(page.locator(f"[data-testid=assignment-{first_id}] [data-sheet-status=submitted]")).to_be_visible()
    expect(page.locator(f"[data-testid=assignment-{second_id}] [data-sheet-status=submitted]")).to_be_visible()
    no_sideways_scrolling(page)
    assert console_errors == []
