"""The check-in API's scans run without a transaction on PostgreSQL (`app.reads.autocommit_session`): no BEGIN and
COMMIT round trips, each statement committed on its own. That is safe only because each of a scan's writes is one
statement that stands alone (`events.services.checkin._admission`): these tests race scans through the API, as
door apps send them, and check that no check-in is ever stored without its log row and its audit entry.

The races are forced: every request reads "nobody let in, nonce not logged" before any of them writes."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace

from flask import current_app
from sqlalchemy import event, func, select

from app.audit.models import AuditEntry
from app.extensions import db
from app.reads import autocommit_session
from events.models.checkin import CheckIn, ScanLog
from events.services import checkin as service
from tests.events.checkin_factories import api_token, make_door, nonce, token_of
from tests.events.factories import make_checkin_staff
from tests.threads import run_at_once


def _post(raw: str, event_id: int, code: str, nonce_: str):
    client = current_app.test_client()
    return client.post(
        f"/api/events/{event_id}/scans",
        json={"code": code, "nonce": nonce_, "device_id": "cong-chinh"},
        headers={"Authorization": f"Bearer {raw}"},
    )


def _token_used(raw: str, event_id: int) -> None:
    """A first request with the token: its "last used" time is written (and committed), which a request does at
    most every five minutes; the requests after it run without a transaction from start to end."""
    response = current_app.test_client().get(
        f"/api/events/{event_id}/counts", headers={"Authorization": f"Bearer {raw}"}
    )
    assert response.status_code == 200


def _at_once(monkeypatch, requests: list[tuple]) -> list[dict]:
    """Send the API `requests` ((raw token, event id, code, nonce) each) from threads that all read before any
    writes; their answers, in the order given."""
    for raw, event_id in {(r[0], r[1]) for r in requests}:
        _token_used(raw, event_id)
    db.session.remove()
    barrier = threading.Barrier(len(requests), timeout=30)
    real = service._resolve

    def read_then_wait(scan):
        found = real(scan)
        barrier.wait()
        return found

    monkeypatch.setattr(service, "_resolve", read_then_wait)

    def send(request: tuple):
        response = _post(*request)
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.get_json()

    return run_at_once([lambda r=r: send(r) for r in requests])


@contextmanager
def statement_modes() -> Iterator[list[bool]]:
    """For each statement run inside: on PostgreSQL whether it ran alone, committed on its own (the psycopg
    connection in autocommit); on SQLite whether it ran in a transaction."""
    postgresql = db.engine.dialect.name == "postgresql"
    modes: list[bool] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        modes.append(bool(getattr(cursor.connection, "autocommit", False)) if postgresql else conn.in_transaction())

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield modes
    finally:
        event.remove(db.engine, "before_cursor_execute", before)


def _stored() -> tuple[list[CheckIn], list[ScanLog], list[AuditEntry]]:
    db.session.expire_all()
    return (
        db.session.scalars(select(CheckIn).order_by(CheckIn.id)).all(),
        db.session.scalars(select(ScanLog).order_by(ScanLog.id)).all(),
        db.session.scalars(select(AuditEntry).where(AuditEntry.action == "checkin.create")).all(),
    )


def _every_check_in_logged_and_audited(check_ins, logs, entries) -> None:
    admitted = {log.check_in_id: log.invitee_id for log in logs if log.outcome == "checked_in"}
    assert {c.id: c.invitee_id for c in check_ins} == admitted
    assert sorted(int(e.object_id) for e in entries) == sorted(c.id for c in check_ins)


def test_an_api_scan_runs_without_a_transaction_on_postgresql_only(client):
    door = make_door()
    raw, code, event_id = api_token(door.staff), token_of(door.an), door.event.id
    client.post(  # the token's "last used" time is written once
        f"/api/events/{event_id}/scans",
        json={"code": "warm-up", "nonce": nonce()},
        headers={"Authorization": f"Bearer {raw}"},
    )
    with statement_modes() as modes:
        response = client.post(
            f"/api/events/{event_id}/scans",
            json={"code": code, "nonce": nonce()},
            headers={"Authorization": f"Bearer {raw}"},
        )
    assert response.status_code == 200 and response.get_json()["outcome"] == "checked_in"
    if db.engine.dialect.name == "postgresql":  # the token, the scan's read, its write: each committed alone
        assert modes == [True, True, True]
    else:  # the same reads and three writes, in one transaction
        assert modes == [True] * 5
    check_ins, logs, entries = _stored()
    assert len(check_ins) == 1
    _every_check_in_logged_and_audited(check_ins, logs, entries)
    # the connection went back to the pool as it came: the next request's transaction is a transaction again
    with db.engine.connect() as conn:
        conn.execute(select(1))
        assert not getattr(conn.connection.dbapi_connection, "autocommit", False)


def test_a_console_scan_runs_without_a_transaction_on_postgresql_only(client, login_as):
    """The console's scan (the signed-in staff member's phone) too, from the account's read on."""
    door = make_door()
    code, url = token_of(door.an), f"/events/{door.event.id}/checkin/scan"
    login_as(door.staff)
    with statement_modes() as modes:
        answer = client.post(url, json={"code": code, "nonce": nonce()}).get_json()
    assert answer["outcome"] == "checked_in"
    assert modes and all(modes)  # PostgreSQL: each statement committed alone; SQLite: all in a transaction
    check_ins, logs, entries = _stored()
    assert len(check_ins) == 1
    _every_check_in_logged_and_audited(check_ins, logs, entries)


def _autocommit() -> bool:
    return db.session.connection().get_execution_options().get("isolation_level") == "AUTOCOMMIT"


def test_autocommit_is_chosen_before_the_first_statement_or_not_at_all():
    db.session.execute(select(1))  # the session's transaction has begun
    assert autocommit_session() is False
    assert not _autocommit()
    db.session.remove()
    expected = db.engine.dialect.name == "postgresql"
    assert autocommit_session() is expected
    assert _autocommit() is expected
    db.session.commit()  # ends it: the next statement opens a transaction as usual
    assert not _autocommit()


def test_two_doors_scanning_one_pass_at_once_let_them_in_once(monkeypatch):
    door = make_door()
    second = make_checkin_staff(door.event, name="Lễ tân Cửa Phụ")
    raws, event_id, code = (api_token(door.staff), api_token(second)), door.event.id, token_of(door.an)
    db.session.remove()

    answers = _at_once(monkeypatch, [(raw, event_id, code, nonce()) for raw in raws])

    assert sorted(a["outcome"] for a in answers) == ["already", "checked_in"]
    check_ins, logs, entries = _stored()
    assert len(check_ins) == 1 and len(entries) == 1
    assert sorted(log.outcome for log in logs) == ["already", "checked_in"]
    assert all(log.check_in_id == check_ins[0].id for log in logs)
    assert {a["check_in"]["id"] for a in answers} == {check_ins[0].id}
    _every_check_in_logged_and_audited(check_ins, logs, entries)


def test_a_retry_racing_its_original_counts_once(monkeypatch):
    door = make_door()
    raw, event_id, code, same = api_token(door.staff), door.event.id, token_of(door.an), nonce()
    db.session.remove()

    answers = _at_once(monkeypatch, [(raw, event_id, code, same), (raw, event_id, code, same)])

    assert [a["outcome"] for a in answers] == ["checked_in", "checked_in"]
    assert sorted(a["replayed"] for a in answers) == [False, True]
    check_ins, logs, entries = _stored()
    assert (len(check_ins), len(logs), len(entries)) == (1, 1, 1)
    _every_check_in_logged_and_audited(check_ins, logs, entries)


def test_one_nonce_sent_with_two_passes_at_once_writes_one_whole_scan(monkeypatch):
    """A door app that reuses a nonce for another pass (a bug): of two such scans at once one is written whole
    and the other gets its answer; never a check-in without its log row or audit entry."""
    door = make_door()
    raw, event_id, same = api_token(door.staff), door.event.id, nonce()
    codes = (token_of(door.an), token_of(door.binh))
    db.session.remove()

    answers = _at_once(monkeypatch, [(raw, event_id, code, same) for code in codes])

    assert [a["outcome"] for a in answers] == ["checked_in", "checked_in"]
    assert sorted(a["replayed"] for a in answers) == [False, True]
    assert answers[0]["invitee"]["id"] == answers[1]["invitee"]["id"]  # the replay tells the scan that was written
    check_ins, logs, entries = _stored()
    assert (len(check_ins), len(logs), len(entries)) == (1, 1, 1)
    _every_check_in_logged_and_audited(check_ins, logs, entries)


def test_a_holder_let_in_between_the_read_and_the_write_is_answered_already(client, monkeypatch):
    """The admission fails as a whole on PostgreSQL (the log row's check-in was not written), nothing of it is
    kept, and the scan is logged as "already" with the check-in that won."""
    door = make_door()
    raw, event_id, code = api_token(door.staff), door.event.id, token_of(door.an)
    winner = service.check_in_invitee(door.event, door.an, staff=door.staff, nonce=nonce())
    db.session.remove()
    real = service._resolve

    def read_before_the_winner(scan):
        found = real(scan)
        return SimpleNamespace(**found._asdict() | {"check_in_id": None, "checked_in_at": None, "client_at": None})

    monkeypatch.setattr(service, "_resolve", read_before_the_winner)
    _token_used(raw, event_id)
    before = db.session.scalar(select(func.count()).select_from(ScanLog))

    answer = _post(raw, event_id, code, nonce()).get_json()

    assert answer["outcome"] == "already" and answer["check_in"]["id"] == winner.met.id
    check_ins, logs, entries = _stored()
    assert [c.id for c in check_ins] == [winner.met.id]
    assert len(logs) == before + 1 and logs[-1].outcome == "already" and logs[-1].check_in_id == winner.met.id
    _every_check_in_logged_and_audited(check_ins, logs, entries)


def test_a_scan_without_a_token_takes_no_connection(client):
    """Refused before the database is asked: no connection taken from the pool (so no ping either)."""
    checkouts: list[object] = []

    def checkout(dbapi_connection, connection_record, connection_proxy):
        checkouts.append(dbapi_connection)

    event.listen(db.engine, "checkout", checkout)
    try:
        response = client.post("/api/events/1/scans", json={"code": "x", "nonce": nonce()})
    finally:
        event.remove(db.engine, "checkout", checkout)
    assert response.status_code == 401 and checkouts == []
