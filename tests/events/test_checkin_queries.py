"""What a scan costs the database: one query for the token and its account, one to read everything the answer
depends on, then only its writes (a check-in, its audit entry and the log row when it admits; the log row
otherwise) and one commit. And the writes' ON CONFLICT guards answer a stale read correctly without threads."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.extensions import db
from events.checkin import Outcome
from events.models.checkin import CheckIn, ScanLog
from events.services import checkin as service
from tests.events.checkin_factories import api_token, make_door, nonce, scan, token_of


@pytest.fixture
def scanner(client):
    """(post(code, nonce) -> (answer, SQL statements run), door) with the token already used once (so its
    "last used" time, written at most every five minutes, is not counted)."""
    door = make_door()
    headers = {"Authorization": f"Bearer {api_token(door.staff)}"}
    url = f"/api/events/{door.event.id}/scans"
    client.post(url, json={"code": "warm-up", "nonce": nonce()}, headers=headers)

    def post(code: str, nonce_: str, count_queries):
        db.session.remove()  # a request of its own: nothing loaded beforehand
        with count_queries() as counted:
            response = client.post(url, json={"code": code, "nonce": nonce_}, headers=headers)
        assert response.status_code == 200
        return response.get_json(), counted.statements

    return post, door


def test_an_api_scan_costs_at_most_five_statements_whatever_its_answer(scanner, count_queries):
    post, door = scanner
    code, first_nonce = token_of(door.an), nonce()
    checked_in, statements = post(code, first_nonce, count_queries)
    assert checked_in["outcome"] == "checked_in" and checked_in["invitee"]["name"] == "Nguyễn Văn Ân"
    assert len(statements) <= 5, statements
    assert sum(s.lstrip().upper().startswith("SELECT") for s in statements) == 2  # the token, then the scan
    for code_, outcome, bound in (
        (code, "already", 3),  # the token, the read, the log row
        ("khong-phai-the-123456789", "unknown", 3),
    ):
        answer, statements = post(code_, nonce(), count_queries)
        assert answer["outcome"] == outcome and len(statements) <= bound, statements
    replay, statements = post(code, first_nonce, count_queries)
    assert replay["replayed"] and replay["check_in"]["id"] == checked_in["check_in"]["id"]
    assert len(statements) <= 3 and not any(s.lstrip().upper().startswith("INSERT") for s in statements)
    assert db.session.scalar(select(func.count()).select_from(CheckIn)) == 1
    assert db.session.scalar(select(func.count()).select_from(ScanLog)) == 4  # the warm-up and three scans
    assert db.session.scalars(select(AuditEntry.object_id).where(AuditEntry.action == "checkin.create")).all() == [
        str(checked_in["check_in"]["id"])
    ]


def _stale(monkeypatch, **changes) -> None:
    """Make the scan's read miss what another request wrote just after it (as under a race)."""
    real = service._resolve

    def stale(scan_):
        found = real(scan_)
        return found and SimpleNamespace(**(found._asdict() | changes))

    monkeypatch.setattr(service, "_resolve", stale)


def test_a_holder_let_in_by_another_scan_after_this_ones_read_is_answered_already(monkeypatch):
    door = make_door()
    first = scan(door.event, token_of(door.an), door.staff)
    _stale(monkeypatch, check_in_id=None, checked_in_at=None, client_at=None, by_name=None)
    second = scan(door.event, token_of(door.an), door.staff)
    assert second.outcome is Outcome.ALREADY and second.met.id == first.met.id
    assert db.session.scalar(select(func.count()).select_from(CheckIn)) == 1
    log = db.session.scalars(select(ScanLog).order_by(ScanLog.id.desc())).first()
    assert (log.outcome, log.check_in_id) == ("already", first.met.id)


def test_a_nonce_logged_after_this_scans_read_gets_the_first_answer_and_its_check_in_is_undone(monkeypatch):
    door = make_door()
    same = nonce()
    first = scan(door.event, token_of(door.an), door.staff, nonce_=same)
    _stale(monkeypatch, logged_id=None)
    # the same nonce with another code (a confused client): binh would be let in, but the nonce is taken
    again = scan(door.event, token_of(door.binh), door.staff, nonce_=same)
    assert again.replayed and again.outcome is Outcome.CHECKED_IN and again.person.id == door.an.id
    assert dataclasses.replace(again, replayed=False) == first
    assert db.session.scalars(select(CheckIn.invitee_id)).all() == [door.an.id]
    assert (
        db.session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "checkin.create"))
        == 1
    )
