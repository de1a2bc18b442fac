"""An organizer prepares a round's scoring workbook from the exports page, as production builds it (a process of
its own): the export's page looks again by itself until the file is ready, and the download is the workbook."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
from playwright.sync_api import expect

from tests.browser.helpers import log_in
from tests.results.factories import make_judged

#: The build's own process starts a Python interpreter and the app: far longer than a page's usual wait.
BUILD_TIMEOUT_MS = 90_000


def test_an_organizer_prepares_the_workbook_and_downloads_it(page, live_server, live_app, console_errors):
    judging = make_judged({1: [[20, 20, 30], [21, 20, 30]], 2: [[10, 10, 10], [12, 10, 10]]})
    contest, round_ = judging.contest, judging.round
    live_app.config["EXPORT_RUNNER"] = "process"
    try:
        log_in(page, live_server, judging.organizer.email)
        page.goto(live_server(f"/results/manage/{contest.id}/exports"))
        page.get_by_role("button", name="Tệp Excel").click()
        job = page.get_by_test_id("export-job")
        expect(job).to_have_count(1)
        # the first look comes before the build is done (its process is only starting), and says so
        assert job.get_attribute("data-state") in ("queued", "running")
        assert page.locator('meta[http-equiv="refresh"]').count() == 1
        download_link = page.get_by_test_id("export-download")
        expect(download_link).to_be_visible(timeout=BUILD_TIMEOUT_MS)  # the page looked again by itself
        with page.expect_download() as info:
            download_link.click()
    finally:
        live_app.config["EXPORT_RUNNER"] = "inline"
    download = info.value
    assert download.suggested_filename == f"Bảng điểm - {round_.name} - {contest.code_prefix} {contest.year}.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes()))  # its temporary name has no .xlsx
    assert len(book.worksheets) >= 3
    cells = {value for row in book.worksheets[0].iter_rows(min_row=3, values_only=True) for value in row}
    assert {entry.code for entry in judging.entries} <= cells
    page.get_by_role("link", name="Quay lại").click()
    expect(page).to_have_url(live_server(f"/results/manage/{contest.id}/exports"))
    assert console_errors == []
