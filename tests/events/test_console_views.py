"""The check-in console's pages and JSON endpoints (events/views/console.py): staff of this event only, scans as
JSON and by the page's own form, the name search ignoring diacritics, check-in from the search, undo."""

from __future__ import annotations

from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.extensions import db
from events.models.checkin import CheckIn
from tests.events.checkin_factories import make_door, nonce, scan, token_of
from tests.events.factories import make_checkin_staff, make_event, make_invitee, make_organizer


def _scan_url(door) -> str:
    return f"/events/{door.event.id}/checkin/scan"


def test_the_console_opens_for_this_events_staff_and_organizers_only(client, login_as):
    door = make_door()
    other = make_event(title="Triển lãm")
    url = f"/events/{door.event.id}/checkin"
    page = login_as(door.staff).get(url)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "jsQR.js" in html and "checkin.js" in html and 'id="checkin-console"' in html
    assert login_as(make_organizer(door.event)).get(url).status_code == 200
    assert login_as(make_checkin_staff(other)).get(url).status_code == 403
    assert login_as(make_organizer(other)).get(url).status_code == 403
    login_as(None)
    assert "/account/login" in client.get(url).headers["Location"]


def test_staff_of_another_event_cannot_scan_here(client, login_as):
    door = make_door()
    other_staff = make_checkin_staff(make_event(title="Triển lãm"))
    response = login_as(other_staff).post(_scan_url(door), json={"code": token_of(door.an), "nonce": nonce()})
    assert response.status_code == 403
    assert db.session.scalar(select(func.count()).select_from(CheckIn)) == 0


def test_a_json_scan_answers_and_a_retry_with_its_nonce_gets_the_same_answer(client, login_as):
    door = make_door()
    login_as(door.staff)
    body = {"code": token_of(door.an), "nonce": nonce(), "device_id": "cua-chinh", "source": "camera"}
    first = client.post(_scan_url(door), json=body).get_json()
    assert first["outcome"] == "checked_in" and first["invitee"]["name"] == "Nguyễn Văn Ân"
    assert first["invitee"]["role"] == "winner" and first["invitee"]["unit"] == "Trường THPT Đồng Xoài"
    again = client.post(_scan_url(door), json=body).get_json()
    assert again["replayed"] and again["check_in"]["id"] == first["check_in"]["id"]
    already = client.post(_scan_url(door), json=body | {"nonce": nonce()}).get_json()
    assert already["outcome"] == "already" and already["check_in"]["by"] == "Lễ tân Đỗ Thị Hoa"
    assert db.session.scalars(select(CheckIn.source)).all() == ["camera"]


def test_the_answers_speak_vietnamese(client, login_as):
    door = make_door()
    login_as(door.staff)
    answer = client.post(_scan_url(door), json={"code": token_of(door.an), "nonce": nonce()}).get_json()
    assert answer["message"] == "Đã check-in"
    unknown = client.post(_scan_url(door), json={"code": "x" * 40, "nonce": nonce()}).get_json()
    assert unknown["outcome"] == "unknown" and unknown["message"] == "Mã không hợp lệ"


def test_a_scan_without_a_nonce_is_refused(client, login_as):
    door = make_door()
    response = login_as(door.staff).post(_scan_url(door), json={"code": token_of(door.an)})
    assert response.status_code == 400 and "nonce" in response.get_json()["error"]["message"]
    assert db.session.scalar(select(func.count()).select_from(CheckIn)) == 0


def test_the_scanner_field_works_without_javascript(client, login_as):
    door = make_door()
    login_as(door.staff)
    url = f"/events/{door.event.id}/checkin"
    empty = client.post(url, data={"code": "", "nonce": nonce()})
    assert empty.status_code == 200 and "is-invalid" in empty.get_data(as_text=True)
    same = nonce()
    page = client.post(url, data={"code": token_of(door.an), "nonce": same, "device_id": "quay-1"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'data-outcome="checked_in"' in html and "Nguyễn Văn Ân" in html
    # the browser sending the form again (reload) is the same scan
    client.post(url, data={"code": token_of(door.an), "nonce": same, "device_id": "quay-1"})
    assert db.session.scalar(select(func.count()).select_from(CheckIn)) == 1


def test_the_name_search_ignores_diacritics_and_case_and_d_with_stroke(client, login_as):
    door = make_door()
    make_invitee(make_event(title="Sự kiện khác"), "Đặng Văn Bình")  # another event's guest is never found
    login_as(door.staff)
    for q in ("dang thi binh", "ĐẶNG", "binh dang", "Sở khoa hoc"):
        found = client.get(f"/events/{door.event.id}/checkin/search", query_string={"q": q}).get_json()["results"]
        assert [p["name"] for p in found] == ["Đặng Thị Bình"], q
    assert client.get(f"/events/{door.event.id}/checkin/search?q=").get_json()["results"] == []


def test_check_in_from_the_search_then_undo_with_a_reason(client, login_as):
    door = make_door()
    login_as(door.staff)
    found = client.get(f"/events/{door.event.id}/checkin/search?q=an").get_json()["results"]
    person = next(p for p in found if p["name"] == "Nguyễn Văn Ân")
    answer = client.post(person["check_in_url"], json={"nonce": nonce(), "device_id": "quay-1"}).get_json()
    assert answer["outcome"] == "checked_in"
    undo_url = f"/events/{door.event.id}/checkin/{answer['check_in']['id']}/undo"
    assert client.get(undo_url).status_code == 200
    refused = client.post(undo_url, data={"reason": ""})
    assert refused.status_code == 200 and "is-invalid" in refused.get_data(as_text=True)
    done = client.post(undo_url, data={"reason": "Nhầm người trùng tên"})
    assert done.status_code == 302
    check_in = db.session.get(CheckIn, answer["check_in"]["id"])
    assert check_in.undone_at is not None and check_in.undone_by_id == door.staff.id
    assert db.session.scalar(select(AuditEntry.summary).where(AuditEntry.action == "checkin.undo")) == "Nguyễn Văn Ân"
    json_again = client.post(undo_url, data={"reason": "lần hai"}, headers={"Accept": "application/json"})
    assert json_again.status_code == 400


def test_a_check_in_of_another_event_cannot_be_undone_from_this_one(client, login_as):
    door = make_door()
    other = make_door(title="Triển lãm")
    answer = scan(other.event, token_of(other.an), other.staff)
    response = login_as(door.staff).get(f"/events/{door.event.id}/checkin/{answer.check_in.id}/undo")
    assert response.status_code == 404


def test_the_batch_endpoint_replays_a_queue_and_reports_double_uses(client, login_as):
    door = make_door()
    login_as(door.staff)
    scans = [
        {"nonce": nonce(), "code": token_of(door.an), "client_at": "2026-11-28T01:00:00Z"},
        {"nonce": nonce(), "code": token_of(door.an), "client_at": "2026-11-28T01:03:00Z"},
    ]
    url = f"/events/{door.event.id}/checkin/batch"
    result = client.post(url, json={"device_id": "may-3", "scans": scans}).get_json()
    assert [a["outcome"] for a in result["answers"]] == ["checked_in", "already"]
    assert [a["nonce"] for a in result["double_uses"]] == [scans[1]["nonce"]]
    assert client.post(url, json={"scans": [{"code": "x"}]}).status_code == 400
    assert client.post(url, json={"scans": "nope"}).status_code == 400
    page = client.get(f"/events/{door.event.id}/checkin/double-uses").get_data(as_text=True)
    assert "Nguyễn Văn Ân" in page and "may-3" in page


def test_the_roster_holds_short_hashes_never_tokens(client, login_as):
    import hashlib

    door = make_door()
    scan(door.event, token_of(door.an), door.staff)
    data = login_as(door.staff).get(f"/events/{door.event.id}/checkin/roster.json").get_json()
    text = str(data)
    assert token_of(door.an) not in text and token_of(door.binh) not in text
    by_hash = {p["h"]: p for p in data["passes"]}
    entry = by_hash[hashlib.sha256(token_of(door.an).encode()).hexdigest()[: data["hash_hex"]]]
    assert entry["name"] == "Nguyễn Văn Ân" and entry["in"] is True


def test_staff_find_their_doors_in_the_menu(client, login_as):
    door = make_door()
    other = make_event(title="Triển lãm sản phẩm")
    cancelled = make_event(title="Hội nghị đã hủy", status="cancelled")
    page = login_as(door.staff).get("/").get_data(as_text=True)
    assert 'data-testid="nav-checkin"' in page
    listing = client.get("/events/checkin/").get_data(as_text=True)
    assert door.event.title in listing and f"/events/{door.event.id}/checkin" in listing
    assert other.title not in listing
    everywhere = make_checkin_staff(other)
    everywhere.role_grants[0].scope_type = everywhere.role_grants[0].scope_id = None
    db.session.commit()
    listing = login_as(everywhere).get("/events/checkin/").get_data(as_text=True)
    assert door.event.title in listing and other.title in listing and cancelled.title not in listing
    assert login_as(make_organizer(door.event)).get("/events/checkin/").status_code == 403
