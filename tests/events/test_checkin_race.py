"""Two staff scan the same pass at the same instant: one "checked in", one "already", one check-in stored. Run on
SQLite and on PostgreSQL (TEST_DATABASE_URL): the partial unique index on live check-ins decides, not the code."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from app.accounts.models import User
from app.extensions import db
from events.checkin import Outcome
from events.models.checkin import CheckIn, ScanLog
from events.models.events import Event
from events.services import checkin as service
from tests.events.checkin_factories import make_door, nonce, token_of
from tests.events.factories import make_checkin_staff
from tests.threads import run_at_once


def _together(monkeypatch, parties: int) -> None:
    """Make every thread read "nobody checked in yet, nonce not logged" before any of them writes."""
    barrier = threading.Barrier(parties, timeout=30)
    real = service._resolve
    waited = threading.local()

    def read_then_wait(scan):
        found = real(scan)
        if not getattr(waited, "done", False):
            waited.done = True
            barrier.wait()
        return found

    monkeypatch.setattr(service, "_resolve", read_then_wait)


def test_two_staff_scanning_one_pass_at_once_give_one_checked_in_and_one_already(monkeypatch):
    door = make_door()
    second = make_checkin_staff(door.event, name="Lễ tân Cửa Phụ")
    event_id, token, staff_ids = door.event.id, token_of(door.an), (door.staff.id, second.id)
    db.session.remove()  # the test holds no connection or lock while the threads run
    _together(monkeypatch, 2)

    def work(staff_id):
        return lambda: (
            service.scan_code(
                db.session.get(Event, event_id), token, staff=db.session.get(User, staff_id), nonce=nonce()
            ).outcome
        )

    outcomes = run_at_once([work(staff_ids[0]), work(staff_ids[1])])
    assert sorted(outcomes) == sorted([Outcome.CHECKED_IN, Outcome.ALREADY])
    assert db.session.scalar(select(func.count()).select_from(CheckIn)) == 1
    logs = db.session.scalars(select(ScanLog).order_by(ScanLog.id)).all()
    assert sorted(log.outcome for log in logs) == ["already", "checked_in"]
    live = db.session.scalars(select(CheckIn)).one()
    assert all(log.check_in_id == live.id for log in logs)


def test_a_retry_racing_its_original_request_counts_once(monkeypatch):
    door = make_door()
    event_id, token, staff_id, same = door.event.id, token_of(door.an), door.staff.id, nonce()
    db.session.remove()
    _together(monkeypatch, 2)

    def work():
        answer = service.scan_code(
            db.session.get(Event, event_id), token, staff=db.session.get(User, staff_id), nonce=same
        )
        return answer.outcome, answer.replayed

    results = run_at_once([work, work])
    assert [outcome for outcome, _ in results] == [Outcome.CHECKED_IN, Outcome.CHECKED_IN]
    assert sorted(replayed for _, replayed in results) == [False, True]
    assert db.session.scalar(select(func.count()).select_from(CheckIn)) == 1
    assert db.session.scalar(select(func.count()).select_from(ScanLog)) == 1
