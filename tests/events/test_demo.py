"""The demo holds an award ceremony (authors, judges and guests invited, one pass each; the demo contestant holds
one) and a public dialogue meeting with a waiting list and questions, some answered."""

from sqlalchemy import func, select

from app.accounts.models import User
from app.extensions import db
from events.models.events import Event, Invitee, Pass, Question


def test_demo_events(app, client, login_as):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    events = {e.kind: e for e in db.session.scalars(select(Event))}
    assert set(events) >= {"award_ceremony", "dialogue"}
    ceremony, dialogue = events["award_ceremony"], events["dialogue"]
    roles = set(db.session.scalars(select(Invitee.role).where(Invitee.event_id == ceremony.id)))
    assert {"judge", "guest"} <= roles and roles & {"winner", "author"}
    keys = db.session.scalars(select(Invitee.dedupe_key).where(Invitee.event_id == ceremony.id)).all()
    assert len(keys) == len(set(keys))
    valid = select(func.count(Pass.id)).where(Pass.event_id == ceremony.id, Pass.revoked_at.is_(None))
    assert db.session.scalar(valid) == len(keys)
    statuses = set(db.session.scalars(select(Invitee.status).where(Invitee.event_id == dialogue.id)))
    assert {"registered", "waitlisted"} <= statuses
    assert {q.status for q in db.session.scalars(select(Question))} >= {"answered", "routed", "new"}
    contestant = db.session.scalar(select(User).where(User.email == "thisinh@sangtao.local"))
    login_as(contestant)
    page = client.get("/events/my-passes").get_data(as_text=True)
    assert ceremony.title in page
