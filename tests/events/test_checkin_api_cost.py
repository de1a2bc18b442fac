"""What an API scan costs and what it keeps, on SQLite and PostgreSQL alike: the token's account read as plain
values (no account record loaded into the session), an admitting scan's three writes (check-in, log row, audit
entry) made by one statement on PostgreSQL, the same rows and the same audit entry as on SQLite, and the answer
in the token's account's language."""

from __future__ import annotations

from sqlalchemy import select

from app.accounts.models import RoleGrant, User
from app.audit.models import AuditEntry
from app.extensions import db
from events.models.checkin import CheckIn, ScanLog
from tests.events.checkin_factories import api_token, make_door, nonce, token_of


def _post(client, door, raw, code, nonce_):
    return client.post(
        f"/api/events/{door.event.id}/scans",
        json={"code": code, "nonce": nonce_, "device_id": "cong-chinh"},
        headers={"Authorization": f"Bearer {raw}"},
    )


def test_an_admitting_scan_writes_its_check_in_log_row_and_audit_entry_in_one_statement_on_postgresql(
    client, count_queries
):
    door = make_door()
    raw, code = api_token(door.staff), token_of(door.an)
    _post(client, door, raw, "warm-up", nonce())  # the token's "last used" time is written once
    with count_queries() as counted:
        response = _post(client, door, raw, code, nonce())
    answer = response.get_json()
    assert response.status_code == 200 and answer["outcome"] == "checked_in"
    writes = [s for s in counted.statements if not s.lstrip().upper().startswith("SELECT")]
    assert len(writes) == (1 if db.engine.dialect.name == "postgresql" else 3), counted.statements

    check_in = db.session.scalars(select(CheckIn)).one()
    assert (check_in.invitee_id, check_in.by_id, check_in.by_name, check_in.device_id, check_in.source) == (
        door.an.id,
        door.staff.id,
        door.staff.full_name,
        "cong-chinh",
        "api",
    )
    assert answer["check_in"]["id"] == check_in.id and check_in.undone_at is None and check_in.undo_reason == ""
    log = db.session.scalars(select(ScanLog).where(ScanLog.outcome == "checked_in")).one()
    assert (log.check_in_id, log.invitee_id, log.staff_id, log.code_hint) == (
        check_in.id,
        door.an.id,
        door.staff.id,
        "",
    )
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "checkin.create")).one()
    assert (entry.object_type, entry.object_id, entry.summary) == (
        "event_check_ins",
        str(check_in.id),
        door.an.full_name,
    )
    assert (entry.actor_id, entry.actor_label) == (door.staff.id, door.staff.email)
    assert entry.after == {"invitee_id": door.an.id, "pass_id": door.an.current_pass.id, "device": "cong-chinh"}


def test_the_token_account_is_read_as_values_with_every_grant(client):
    door, other, third = make_door(), make_door(), make_door()
    # the staff member is given the second event's door too, not the third's
    db.session.add(RoleGrant(user_id=door.staff.id, role="checkin", scope_type="event", scope_id=other.event.id))
    db.session.commit()
    raw = api_token(door.staff)
    events = [(d.event.id, token_of(d.an)) for d in (door, other)]
    third_id = third.event.id
    db.session.remove()
    for event_id, code in events:
        response = client.post(
            f"/api/events/{event_id}/scans",
            json={"code": code, "nonce": nonce()},
            headers={"Authorization": f"Bearer {raw}"},
        )
        assert response.status_code == 200 and response.get_json()["outcome"] == "checked_in"
        assert not any(isinstance(o, User | RoleGrant) for o in db.session.identity_map.values())
    refused = client.post(
        f"/api/events/{third_id}/scans",
        json={"code": "khong-phai-the", "nonce": nonce()},
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert refused.status_code == 403
    me = client.get("/api/me", headers={"Authorization": f"Bearer {raw}"}).get_json()
    assert sorted(r["scope_id"] for r in me["roles"]) == sorted(event_id for event_id, _code in events)


def test_the_api_answers_in_the_token_accounts_language(client):
    door = make_door()
    door.staff.locale = "en"
    db.session.commit()
    raw, code = api_token(door.staff), token_of(door.an)
    assert _post(client, door, raw, code, nonce()).get_json()["message"] == "Checked in"
    door.staff.locale = "vi"
    db.session.commit()
    assert _post(client, door, raw, code, nonce()).get_json()["message"] != "Already checked in"
