"""The demo data shows the door at work: check-ins, an undone one, and a pass used twice while offline."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from events.models.checkin import CheckIn, ScanLog
from events.models.events import Event
from events.services import attendance


def test_seed_demo_checks_people_in_at_the_ceremony(app):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    ceremony = db.session.scalar(select(Event).where(Event.kind == "award_ceremony"))
    counts = attendance.counts(ceremony)
    assert 0 < counts.checked_in < counts.invited
    assert db.session.scalar(select(CheckIn.id).where(CheckIn.undone_at.is_not(None))) is not None
    assert [u.offline_scans[0].device_id for u in attendance.offline_double_uses(ceremony)] == ["cua-phu"]
    outcomes = set(db.session.scalars(select(ScanLog.outcome)))
    assert {"checked_in", "already"} <= outcomes
