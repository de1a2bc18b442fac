"""The check-in console in a real browser. A pass checked in through the camera: Chromium's fake camera plays a
clip of the pass's QR code, the console's jsQR reads it and the page says "checked in" in Vietnamese; the video
track's label is the clip's path, so the clip (not Chromium's own test pattern) was really used. And scans made
offline: queued on the device, sent when the network returns, a pass used twice reported."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from app.extensions import db
from app.qr import qr_png
from events.models.checkin import CheckIn
from tests.browser.conftest import TIMEOUT_MS
from tests.browser.helpers import camera_phone, log_in, write_y4m
from tests.events.checkin_factories import make_door, scan, token_of
from tests.events.factories import make_organizer

pytestmark = pytest.mark.browser


def test_a_pass_is_checked_in_through_the_camera(browser, chromium_path, live_server, tmp_path, console_errors):
    door = make_door()
    token = token_of(door.an)
    clip = write_y4m(qr_png(live_server(f"/events/pass/{token}"), level="Q"), tmp_path / "the-pass.y4m")
    event_id, staff_email = door.event.id, door.staff.email

    with camera_phone(browser, chromium_path, clip, live_server("")) as context:
        page = context.new_page()
        console_errors.watch(page)
        log_in(page, live_server, staff_email)
        page.goto(live_server(f"/events/{event_id}/checkin"))

        # the camera is already allowed on this device: the console starts scanning by itself
        expect(page.locator("[data-testid=camera-start]")).to_be_hidden()
        answer = page.locator("[data-testid=checkin-answer]")
        expect(answer).to_have_attribute("data-outcome", "checked_in")
        expect(answer).to_contain_text("Đã check-in")
        expect(answer).to_contain_text("Nguyễn Văn Ân")
        expect(answer).to_contain_text("Trường THPT Đồng Xoài")
        assert page.locator("#checkin-video").get_attribute("data-track-label") == str(clip)
        expect(page.locator("[data-testid=checkin-counts] [data-role=checked-in]")).to_have_text("1")

        db.session.expire_all()
        (check_in,) = db.session.scalars(select(CheckIn)).all()
        assert check_in.source == "camera" and check_in.by_name == "Lễ tân Đỗ Thị Hoa"
        # the pass stays in front of the camera: it is not scanned again and again
        page.wait_for_timeout(1500)
        expect(answer).to_have_attribute("data-outcome", "checked_in")
    assert console_errors == []


def test_scans_made_offline_are_queued_then_sent_and_a_pass_used_twice_is_reported(
    page, live_server, console_errors
) -> None:
    door = make_door()
    event_id, an, binh = door.event.id, token_of(door.an), token_of(door.binh)
    scan(door.event, an, door.staff)  # Ân came in at the other door before this console lost the network
    log_in(page, live_server, door.staff.email)
    page.goto(live_server(f"/events/{event_id}/checkin"))
    page.wait_for_load_state("networkidle")  # the roster is kept on the device

    page.context.set_offline(True)
    network = page.locator("[data-testid=checkin-network]")
    field = page.locator("#code")
    for code in (binh, an):
        field.fill(code)
        field.press("Enter")
    expect(network).to_have_attribute("data-queued", "2")
    expect(network).to_contain_text("Mất mạng")
    answer = page.locator("[data-testid=checkin-answer]")
    # the device's roster already knows Ân was let in: the door is warned even offline
    expect(answer).to_have_attribute("data-outcome", "already")
    expect(answer).to_contain_text("Nguyễn Văn Ân")
    assert db.session.scalar(select(func.count()).select_from(CheckIn)) == 1  # nothing reached the server

    page.context.set_offline(False)
    expect(network).to_have_attribute("data-queued", "0")
    expect(network).to_contain_text("hai lần")
    db.session.expire_all()
    check_ins = db.session.scalars(select(CheckIn).order_by(CheckIn.id)).all()
    assert [c.invitee.full_name for c in check_ins] == ["Nguyễn Văn Ân", "Đặng Thị Bình"]
    assert check_ins[1].offline and check_ins[1].client_at is not None

    page.goto(live_server(f"/events/{event_id}/checkin/double-uses"))
    expect(page.locator("[data-testid=double-uses]")).to_contain_text("Nguyễn Văn Ân")
    assert console_errors == []


def test_the_attendance_counts_refresh_by_themselves(page, live_server, console_errors) -> None:
    door = make_door()
    organizer = make_organizer(door.event)
    event_id = door.event.id
    log_in(page, live_server, organizer.email)
    page.goto(live_server(f"/events/{event_id}/attendance"))
    counts = page.locator("[data-testid=attendance-counts]")
    expect(counts.locator("[data-role=checked-in]")).to_have_text("0")
    scan(door.event, token_of(door.binh), door.staff)  # at the door, meanwhile
    expect(counts.locator("[data-role=checked-in]")).to_have_text("1", timeout=TIMEOUT_MS)
    expect(counts.locator("[data-role=by-role]")).to_contain_text("Giám khảo")
    assert console_errors == []
