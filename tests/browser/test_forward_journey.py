"""A district organizer forwards two entries of their district round to the provincial contest and logs out; the
provincial organizer logs in, finds them in the provincial edition's entries and screens both eligible: in a real
browser, with CSRF and the strict CSP, and nothing in the console."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import log_in, log_out
from tests.forwarding.factories import make_levels

pytestmark = pytest.mark.browser


def test_a_district_forwards_two_entries_and_the_province_screens_them(page: Page, live_server, console_errors):
    levels = make_levels(children=2, entries=3)
    child, parent = levels.children[0], levels.parent
    first, second, third = levels.entries[0]
    other = levels.entries[1][0]
    ids = {"child": child.id, "parent": parent.id, "first": first.id, "second": second.id, "third": third.id}
    codes = {"first": first.code, "second": second.code, "third": third.code, "other": other.code}
    child_name = child.name
    district_email, province_email = levels.organizers[0].email, levels.province_organizer.email

    # The district organizer: from the edition's set-up pages to its Forwarding tab.
    log_in(page, live_server, district_email)
    page.goto(live_server(f"/contests/manage/{ids['child']}/settings"))
    page.locator(f".nav-tabs a[href='/forwarding/{ids['child']}']").click()  # the Forwarding tab
    expect(page).to_have_url(live_server(f"/forwarding/{ids['child']}"))
    expect(page.locator("[data-testid=window] [data-window=open]")).to_be_visible()
    candidates = page.locator("[data-testid=candidates]")
    expect(candidates).to_contain_text(codes["first"])
    expect(candidates).not_to_contain_text(codes["other"])  # never the other district's entries
    page.locator(f"#entry-{ids['first']}").check()
    page.locator(f"#entry-{ids['second']}").check()
    page.locator("[data-testid=forward-form] [type=submit]").click()
    forwards = page.locator("[data-testid=forwards]")
    expect(forwards.locator("[data-active=yes]")).to_have_count(2)
    expect(forwards).to_contain_text(codes["first"])
    expect(forwards).to_contain_text(codes["second"])
    expect(candidates).to_contain_text(codes["third"])
    expect(candidates).not_to_contain_text(codes["first"])
    log_out(page)

    # The provincial organizer finds them among the province's entries and screens them.
    log_in(page, live_server, province_email)
    page.goto(live_server(f"/contests/manage/{ids['parent']}/entries"))
    table = page.locator("[data-testid=entries]")
    for key in ("first", "second"):
        expect(table.locator(f"tr[data-entry-id='{ids[key]}']")).to_contain_text(codes[key])
        expect(table.locator(f"tr[data-entry-id='{ids[key]}'] [data-status=submitted]")).to_be_visible()
    expect(table).not_to_contain_text(codes["third"])
    for key in ("first", "second"):
        page.goto(live_server(f"/contests/manage/{ids['parent']}/entries"))
        page.locator(f"[data-testid=entries] tr[data-entry-id='{ids[key]}'] a").first.click()
        expect(page.locator("[data-testid=entry-code]")).to_have_text(codes[key])
        expect(page.locator("[data-testid=forwarded-from]")).to_contain_text(child_name)
        form = page.locator("[data-testid=screening-form]")
        form.locator("input[name=decision][value=eligible]").check()
        form.locator("[type=submit]").click()
        expect(page.locator(".alert-success")).to_be_visible()
        expect(page.locator("p [data-status=eligible]")).to_be_visible()
    page.goto(live_server(f"/forwarding/{ids['parent']}/children"))
    row = page.locator(f"[data-testid=children] tr[data-child='{ids['child']}']")
    expect(row.locator("[data-count=forwarded]")).to_contain_text("2")
    expect(row.locator("[data-count=eligible]")).to_have_text("2")
    assert console_errors == []
