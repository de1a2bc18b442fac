"""An organizer on a phone opens the dashboard from the menu, follows it to the annual report, changes the year
and groups localities, in a real browser under the strict CSP: the charts are drawn, nothing errs in the console and
the page never scrolls sideways (wide charts and tables scroll in their own box)."""

from __future__ import annotations

import random
import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import PHONE, log_in, no_sideways_scrolling
from tests.reports.factories import add_entries, make_world, publish_random

pytestmark = pytest.mark.browser


def test_an_organizer_reads_the_dashboard_and_the_annual_report_on_a_phone(
    new_page, live_server, console_errors, make_user
) -> None:
    world = make_world()
    rng = random.Random(1)
    add_entries(world, "innovation", 8, rng)
    add_entries(world, "youth", 6, rng)
    add_entries(world, "earlier", 4, rng)
    publish_random(world, "earlier", rng)
    make_user("organizer", email="btc.baocao@example.vn")
    running = world.contests["innovation"].name

    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    log_in(page, live_server, "btc.baocao@example.vn")
    page.locator("button.navbar-toggler").click()
    page.locator("[data-testid=nav-reports]").click()
    expect(page).to_have_url(live_server("/reports/"))
    expect(page.locator("[data-testid=contest-card]").first).to_be_visible()
    expect(page.get_by_text(running)).to_be_visible()
    no_sideways_scrolling(page)

    page.locator("[data-testid=annual-link]").click()
    expect(page.locator("[data-testid=table-contests]")).to_be_visible()
    expect(page.locator("[data-testid=chart] svg").first).to_be_visible()
    no_sideways_scrolling(page)

    page.locator("[data-testid=year-select]").select_option("2024")
    page.locator("#successors").check()
    page.locator("[data-testid=year-form] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/reports/annual/2024\?successors=1$"))
    expect(page.locator("[data-testid=table-trend] tbody tr")).to_have_count(1)
    expect(page.locator("[data-testid=table-contests]")).to_contain_text(world.contests["earlier"].name)
    no_sideways_scrolling(page)
    assert console_errors == []
