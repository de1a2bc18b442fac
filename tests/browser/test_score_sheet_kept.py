"""What a judge types is not lost when the submit does not reach the server: the worker dies mid-request (the proxy
answers 502 Bad Gateway) or the connection drops. The submission is one transaction, so the server keeps the sheet
as it was (tests/test_crash_safety.py); the page keeps the typed scores in the tab and puts them back, with a notice,
when the judge opens the sheet again. Discarding them shows what is saved; once the server has stored the sheet, the
copy is gone."""

from __future__ import annotations

import contextlib
from decimal import Decimal

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, Route, expect
from sqlalchemy import select

from app.extensions import db
from judging import services
from judging.models import ScoreSheet
from tests.browser.helpers import PHONE, log_in
from tests.judging.factories import make_judging

pytestmark = pytest.mark.browser

TYPED = ["25,5", "27", "35"]
COMMENT = "Giải pháp có tính mới, áp dụng được ở nhiều hợp tác xã."


def fill_sheet(page: Page, criteria: list[int]) -> None:
    for criterion_id, value in zip(criteria, TYPED, strict=True):
        page.locator(f"#score_{criterion_id}").fill(value)
    page.locator("#comment").fill(COMMENT)


def submit_lost(page: Page, path: str, how: str) -> None:
    """Press submit while every POST to the sheet fails before the server answers: 502 from the proxy (its worker
    died), or no connection at all."""

    def handle(route: Route) -> None:
        if route.request.method != "POST":
            route.continue_()
        elif how == "502":
            route.fulfill(status=502, content_type="text/html", body="<h1>502 Bad Gateway</h1>")
        else:
            route.abort("connectionreset")

    page.route(f"**{path}", handle)
    with contextlib.suppress(PlaywrightError):  # a dropped connection may fail the click's navigation
        page.locator("#submit").click()
    page.wait_for_load_state()
    page.unroute(f"**{path}")


def stored(assignment_id: int) -> tuple[str, dict[int, Decimal], str]:
    db.session.expire_all()
    sheet = db.session.scalar(select(ScoreSheet).where(ScoreSheet.assignment_id == assignment_id))
    return sheet.status, {s.criterion_id: s.value for s in sheet.scores}, sheet.comment


@pytest.mark.parametrize("how", ["502", "connection"])
def test_scores_typed_before_a_failed_submit_come_back_in_the_form(new_page, live_server, console_errors, how):
    judging = make_judging(entries=1, judges=1)
    judge, entry = judging.judges[0], judging.entries[0]
    assignment = judging.assignment(judge, entry)
    criteria = [c.id for c in judging.round.criteria]  # 30 / 30 / 40, steps of 0.5
    services.save_sheet(services.sheet_for(assignment), {criteria[0]: Decimal(10)}, "Nháp", by=judge)
    db.session.commit()
    assignment_id = assignment.id
    path = f"/judging/assignments/{assignment_id}"
    draft = ("draft", {criteria[0]: Decimal(10)}, "Nháp")

    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    log_in(page, live_server, judge.email)
    page.goto(live_server(path))
    expect(page.locator("[data-testid=sheet-restored]")).to_be_hidden()
    fill_sheet(page, criteria)
    expect(page.locator("#sheet-total")).to_have_text("87,5")

    submit_lost(page, path, how)
    assert stored(assignment_id) == draft  # nothing reached the server

    # The judge opens the sheet again: the server shows the draft, the page puts back what was typed.
    page.goto(live_server(path))
    expect(page.locator("[data-testid=sheet-restored]")).to_be_visible()
    for criterion_id, value in zip(criteria, TYPED, strict=True):
        expect(page.locator(f"#score_{criterion_id}")).to_have_value(value)
    expect(page.locator("#comment")).to_have_value(COMMENT)
    expect(page.locator("#sheet-total")).to_have_text("87,5")

    # Discarding shows what is saved, and the copy is gone.
    page.locator("[data-testid=sheet-discard]").click()
    expect(page.locator("[data-testid=sheet-restored]")).to_be_hidden()
    expect(page.locator(f"#score_{criteria[0]}")).to_have_value("10")
    expect(page.locator(f"#score_{criteria[1]}")).to_have_value("")
    expect(page.locator("#comment")).to_have_value("Nháp")
    page.reload()
    expect(page.locator(f"#score_{criteria[0]}")).to_have_value("10")
    expect(page.locator("[data-testid=sheet-restored]")).to_be_hidden()

    # Typed again, lost again, put back again: this time submitted.
    fill_sheet(page, criteria)
    submit_lost(page, path, how)
    page.goto(live_server(path))
    expect(page.locator("[data-testid=sheet-restored]")).to_be_visible()
    page.locator("#submit").click()
    expect(page.locator("[data-testid=sheet-locked]")).to_be_visible()
    expect(page.locator("[data-testid=sheet-total]")).to_have_text("87,5")
    status, scores, comment = stored(assignment_id)
    assert status == "submitted" and comment == COMMENT
    assert scores == {criteria[0]: Decimal("25.5"), criteria[1]: Decimal(27), criteria[2]: Decimal(35)}
    assert page.evaluate("Object.keys(sessionStorage).filter(k => k.startsWith('sangtao.sheet.'))") == []

    # Only the failures the test made itself reached the console.
    assert [e for e in console_errors if "502" not in e and "ERR_CONNECTION_RESET" not in e] == []


def test_a_score_typed_before_the_script_runs_is_not_overwritten_by_the_kept_copy(new_page, live_server):
    """On a slow phone the judge may type before score_sheet.js has run. The kept copy goes back only into the
    fields the judge has not touched since the page came; what was typed there stays, and is kept in turn."""
    judging = make_judging(entries=1, judges=1)
    judge, entry = judging.judges[0], judging.entries[0]
    assignment_id = judging.assignment(judge, entry).id
    criteria = [c.id for c in judging.round.criteria]
    path = f"/judging/assignments/{assignment_id}"

    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    log_in(page, live_server, judge.email)
    page.goto(live_server(path))
    fill_sheet(page, criteria)
    submit_lost(page, path, "502")

    held: list[Route] = []
    page.route("**/static/js/score_sheet.js*", lambda route: held.append(route))
    page.goto(live_server(path), wait_until="commit")
    page.wait_for_function(f"document.getElementById('score_{criteria[2]}') !== null")
    for _ in range(250):  # Playwright hands the held request over while it waits
        if held:
            break
        page.wait_for_timeout(20)
    assert held, "the script was not requested"
    page.locator(f"#score_{criteria[0]}").fill("12,5")  # typed while the script is still on its way
    held[0].continue_()
    page.wait_for_load_state("load")
    page.unroute("**/static/js/score_sheet.js*")

    expect(page.locator("[data-testid=sheet-restored]")).to_be_visible()
    expect(page.locator(f"#score_{criteria[0]}")).to_have_value("12,5")  # not the kept 25,5
    expect(page.locator(f"#score_{criteria[1]}")).to_have_value(TYPED[1])
    expect(page.locator(f"#score_{criteria[2]}")).to_have_value(TYPED[2])
    expect(page.locator("#comment")).to_have_value(COMMENT)
    expect(page.locator("#sheet-total")).to_have_text("74,5")

    # What the judge sees is what is kept: lost once more, it comes back as shown.
    submit_lost(page, path, "connection")
    page.goto(live_server(path))
    expect(page.locator(f"#score_{criteria[0]}")).to_have_value("12,5")
    page.locator("#submit").click()
    expect(page.locator("[data-testid=sheet-locked]")).to_be_visible()
    status, scores, _ = stored(assignment_id)
    assert status == "submitted"
    assert scores == {criteria[0]: Decimal("12.5"), criteria[1]: Decimal(27), criteria[2]: Decimal(35)}
