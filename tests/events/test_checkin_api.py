"""The JSON check-in API for scanners (events/views/api.py): bearer tokens of this event's staff, the console's
answers, batches, counts, and the OpenAPI document's schemas."""

from __future__ import annotations

import pytest
from openapi_schema_validator import OAS31Validator
from sqlalchemy import func, select

from app.extensions import db
from events.models.checkin import CheckIn, ScanLog
from tests.app.test_api import _resolve
from tests.events.checkin_factories import api_token, make_door, nonce, token_of
from tests.events.factories import make_checkin_staff, make_event, make_organizer
from tests.judging.factories import make_account


def bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


def _schema(client, path: str, method: str):
    doc = client.get("/api/openapi.json").get_json()
    return _resolve(doc["paths"][path][method]["responses"]["200"]["content"]["application/json"]["schema"], doc)


@pytest.mark.parametrize("header", [{}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic abc"}])
def test_no_valid_token_no_scan(client, header):
    door = make_door()
    response = client.post(
        f"/api/events/{door.event.id}/scans", json={"code": token_of(door.an), "nonce": nonce()}, headers=header
    )
    assert response.status_code == 401 and response.get_json()["error"]["code"] == 401
    assert db.session.scalar(select(func.count()).select_from(ScanLog)) == 0


def test_the_session_cookie_is_not_enough(client, login_as):
    door = make_door()
    response = login_as(door.staff).post(
        f"/api/events/{door.event.id}/scans", json={"code": token_of(door.an), "nonce": nonce()}
    )
    assert response.status_code == 401


def test_only_this_events_staff_may_scan(client):
    door = make_door()
    url = f"/api/events/{door.event.id}/scans"
    body = {"code": token_of(door.an), "nonce": nonce()}
    other_staff = make_checkin_staff(make_event(title="Triển lãm"))
    assert client.post(url, json=body, headers=bearer(api_token(other_staff))).status_code == 403
    judge = make_account("judge", name="Giám khảo")
    assert client.post(url, json=body, headers=bearer(api_token(judge))).status_code == 403
    # an organizer of the event without the check-in role: the API is for scanners
    assert client.post(url, json=body, headers=bearer(api_token(make_organizer(door.event)))).status_code == 403
    assert client.post("/api/events/999999/scans", json=body, headers=bearer(api_token(door.staff))).status_code == 404
    assert db.session.scalar(select(func.count()).select_from(CheckIn)) == 0


def test_a_scanner_checks_in_retries_safely_and_gets_documented_answers(client):
    door = make_door()
    raw = api_token(door.staff)
    url = f"/api/events/{door.event.id}/scans"
    schema = _schema(client, "/api/events/{event_id}/scans", "post")
    body = {"code": token_of(door.an), "nonce": nonce(), "device_id": "may-quet-1"}
    first = client.post(url, json=body, headers=bearer(raw)).get_json()
    OAS31Validator(schema).validate(first)
    assert first["outcome"] == "checked_in" and first["invitee"]["name"] == "Nguyễn Văn Ân"
    retry = client.post(url, json=body, headers=bearer(raw)).get_json()
    assert retry["replayed"] and retry["check_in"]["id"] == first["check_in"]["id"]
    already = client.post(url, json=body | {"nonce": nonce()}, headers=bearer(raw)).get_json()
    OAS31Validator(schema).validate(already)
    assert already["outcome"] == "already" and already["check_in"]["by"] == "Lễ tân Đỗ Thị Hoa"
    for code, outcome in ((token_of(make_door(title="Khác").an), "wrong_event"), ("rác", "unknown")):
        answer = client.post(url, json={"code": code, "nonce": nonce()}, headers=bearer(raw)).get_json()
        OAS31Validator(schema).validate(answer)
        assert answer["outcome"] == outcome and answer["invitee"] is None
    assert db.session.scalars(select(CheckIn.source)).all() == ["api"]
    missing = client.post(url, json={"code": token_of(door.binh)}, headers=bearer(raw))
    assert missing.status_code == 400 and missing.get_json()["error"]["code"] == 400


def test_batch_counts_and_search_through_the_api(client):
    door = make_door()
    raw = api_token(door.staff)
    base = f"/api/events/{door.event.id}"
    scans = [
        {"nonce": nonce(), "code": token_of(door.binh), "client_at": "2026-11-28T08:00:05+07:00"},
        {"nonce": nonce(), "code": token_of(door.binh), "client_at": "2026-11-28T08:00:01+07:00"},
    ]
    result = client.post(
        f"{base}/scans/batch", json={"device_id": "may-2", "scans": scans}, headers=bearer(raw)
    ).get_json()
    OAS31Validator(_schema(client, "/api/events/{event_id}/scans/batch", "post")).validate(result)
    assert [a["nonce"] for a in result["answers"]] == [scans[1]["nonce"], scans[0]["nonce"]]
    assert [a["nonce"] for a in result["double_uses"]] == [scans[0]["nonce"]]
    counts = client.get(f"{base}/counts", headers=bearer(raw)).get_json()
    OAS31Validator(_schema(client, "/api/events/{event_id}/counts", "get")).validate(counts)
    assert (counts["invited"], counts["checked_in"]) == (2, 1)
    found = client.get(f"{base}/search", query_string={"q": "dang binh"}, headers=bearer(raw)).get_json()
    OAS31Validator(_schema(client, "/api/events/{event_id}/search", "get")).validate(found)
    assert [(p["name"], p["checked_in"]) for p in found["results"]] == [("Đặng Thị Bình", True)]
    too_many = {"scans": [{"nonce": nonce(), "code": "x"}] * 501}
    assert client.post(f"{base}/scans/batch", json=too_many, headers=bearer(raw)).status_code == 400
