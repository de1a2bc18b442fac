"""Public self-registration: places up to the capacity, then a waiting list, promotion when a place frees."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.extensions import db
from app.timefmt import utcnow
from events.models.events import Invitee
from events.services import invitees as invitee_services
from events.services import registration
from events.services.events import EventInput, update_event
from events.services.invitees import PersonIn
from tests.conftest import outbox
from tests.events.factories import make_event, make_invitee, make_organizer


def _register(client, event, n: int, **extra):
    data = {"full_name": f"Người Đăng Ký {n}", "email": f"dk{n}@example.vn", "unit": "Trường ĐH"} | extra
    return client.post(f"/events/{event.id}/register", data=data)


def _by_email(email: str) -> Invitee:
    return db.session.scalar(select(Invitee).where(Invitee.email == email))


def test_places_then_the_waiting_list_in_order(client):
    event = make_event(is_public=True, capacity=2, kind="exhibition")
    for n in range(1, 5):
        response = _register(client, event, n)
        assert response.status_code == 200
    statuses = [
        (_by_email(f"dk{n}@example.vn").status, _by_email(f"dk{n}@example.vn").waitlist_position) for n in range(1, 5)
    ]
    assert statuses == [("registered", None), ("registered", None), ("waitlisted", 1), ("waitlisted", 2)]
    assert _by_email("dk1@example.vn").current_pass is not None
    assert _by_email("dk3@example.vn").current_pass is None
    mails = {m.recipient: m for m in outbox()}
    assert _by_email("dk1@example.vn").current_pass.token in mails["dk1@example.vn"].body
    assert "/events/pass/" not in mails["dk3@example.vn"].body and "1" in mails["dk3@example.vn"].body
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert 'data-testid="places-left"' in page and 'data-state="open"' in page


def test_a_place_freed_goes_to_the_first_on_the_waiting_list(app, client):
    event = make_event(is_public=True, capacity=1)
    for n in (1, 2, 3):
        _register(client, event, n)
    with app.test_request_context():
        invitee_services.cancel(_by_email("dk1@example.vn"), by=None, reason="Bận")
    db.session.commit()
    second, third = _by_email("dk2@example.vn"), _by_email("dk3@example.vn")
    assert (second.status, second.waitlist_position) == ("registered", None) and second.current_pass is not None
    assert (third.status, third.waitlist_position) == ("waitlisted", 1)
    assert any(second.current_pass.token in m.body for m in outbox() if m.recipient == "dk2@example.vn")


def test_a_larger_capacity_promotes_from_the_waiting_list(app, client):
    event = make_event(is_public=True, capacity=1)
    organizer = make_organizer(event)
    for n in (1, 2, 3):
        _register(client, event, n)
    data = EventInput.of(event)
    data.capacity = 3
    with app.test_request_context():
        update_event(event, data, by=organizer)
    db.session.commit()
    assert {i.status for i in db.session.scalars(select(Invitee))} == {"registered"}


def test_registering_twice_is_said_beside_the_field(client):
    event = make_event(is_public=True)
    _register(client, event, 1)
    response = _register(client, event, 1, full_name="Tên Khác", email="DK1@example.vn")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "invalid-feedback" in page and "Tên Khác" in page
    assert len(db.session.scalars(select(Invitee)).all()) == 1


def test_someone_who_cancelled_may_register_again(app):
    event = make_event(is_public=True)
    invitee = make_invitee(event, "Lê Quay Lại", email="quaylai@example.vn", source="self_registration")
    with app.test_request_context():
        invitee_services.cancel(invitee, by=None)
        db.session.commit()
        again = registration.register(event, PersonIn(full_name="Lê Quay Lại", email="quaylai@example.vn"), user=None)
    db.session.commit()
    assert again.id == invitee.id and again.status == "registered" and again.current_pass is not None
    assert len(again.passes) == 2  # the old one revoked, kept


def test_invitation_only_draft_and_closed_events_take_no_registration(client):
    private = make_event(is_public=False)
    closed = make_event(is_public=True, registration_closes_at=utcnow() - timedelta(hours=1))
    later = make_event(is_public=True, registration_opens_at=utcnow() + timedelta(days=2))
    draft = make_event(is_public=True, status="draft")
    for event, state in ((private, "not_public"), (closed, "closed"), (later, "not_yet")):
        _register(client, event, event.id)
        assert registration.window_state(event) == state
        assert f'data-state="{state}"' in client.get(f"/events/{event.id}").get_data(as_text=True)
    assert client.get(f"/events/{draft.id}").status_code == 404
    assert client.post(f"/events/{draft.id}/register", data={}).status_code == 404
    assert db.session.scalars(select(Invitee)).all() == []


def test_bad_registration_input_is_kept(client):
    event = make_event(is_public=True)
    response = client.post(
        f"/events/{event.id}/register", data={"full_name": "Hồ Văn Giàu", "email": "khong-phai-email", "phone": "abc"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and page.count("invalid-feedback") >= 2 and "Hồ Văn Giàu" in page
    assert db.session.scalars(select(Invitee)).all() == []


def test_the_public_list_shows_published_events_only(client):
    make_event(title="Triển lãm công khai")
    make_event(title="Bản nháp bí mật", status="draft")
    page = client.get("/events/").get_data(as_text=True)
    assert "Triển lãm công khai" in page and "Bản nháp bí mật" not in page
