"""Organizers' event pages: creating and editing (Vietnam time in, UTC stored), scoping to their bodies, check-in
staff granted for one event only."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from app.accounts.models import RoleGrant
from app.audit.models import AuditEntry
from app.extensions import db
from events.models.events import Event
from tests.competitions.factories import make_organisation
from tests.events.factories import make_checkin_staff, make_event, make_invitee, make_organizer
from tests.judging.factories import make_account


def _form(org_id: int, **extra) -> dict:
    return {
        "organisation_id": org_id,
        "kind": "award_ceremony",
        "title": "Lễ tổng kết và trao giải Hội thi",
        "starts_at": "18/05/2026 08:00",
        "ends_at": "18/05/2026 11:30",
        "venue": "Hội trường Tỉnh ủy",
        "capacity": "300",
        "contest_id": "0",
        "campaign_id": "0",
        "status": "published",
    } | extra


def test_an_organizer_creates_an_event_in_vietnam_time(client, login_as):
    org = make_organisation()
    organizer = make_account("organizer", name="Ban Tổ Chức", scope=("organisation", org.id))
    login_as(organizer)
    assert client.get("/events/manage/new").status_code == 200
    response = client.post("/events/manage/new", data=_form(org.id))
    assert response.status_code == 302
    event = db.session.scalar(select(Event))
    assert event.starts_at == datetime(2026, 5, 18, 1, 0) and event.ends_at == datetime(2026, 5, 18, 4, 30)
    assert (event.capacity, event.organisation_id, event.created_by_id) == (300, org.id, organizer.id)
    assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.action == "event.create"))
    page = client.get(f"/events/manage/{event.id}/edit").get_data(as_text=True)
    assert "18/05/2026 08:00" in page


def test_bad_input_is_said_beside_each_field_and_kept(client, login_as):
    org = make_organisation()
    login_as(make_account("organizer", name="Ban Tổ Chức", scope=("organisation", org.id)))
    response = client.post(
        "/events/manage/new",
        data=_form(org.id, title="", starts_at="32/13/2026", ends_at="", capacity="0", venue="Nhà văn hóa Bù Đăng"),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and page.count("invalid-feedback") >= 3
    assert "Nhà văn hóa Bù Đăng" in page and "32/13/2026" in page
    response = client.post("/events/manage/new", data=_form(org.id, ends_at="18/05/2026 07:00"))
    assert response.status_code == 200 and "invalid-feedback" in response.get_data(as_text=True)
    assert db.session.scalar(select(Event)) is None


def test_an_organizer_cannot_create_for_another_body(client, login_as):
    mine, other = make_organisation("Liên hiệp hội huyện Bù Đăng"), make_organisation("Hội khác")
    login_as(make_account("organizer", name="Ban Tổ Chức", scope=("organisation", mine.id)))
    response = client.post("/events/manage/new", data=_form(other.id))
    assert response.status_code == 200 and db.session.scalar(select(Event)) is None


def test_editing_is_audited_with_what_changed(client, login_as):
    event = make_event()
    login_as(make_organizer(event))
    response = client.post(
        f"/events/manage/{event.id}/edit", data=_form(event.organisation_id, title="Tên mới của sự kiện")
    )
    assert response.status_code == 302
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "event.update"))
    assert entry.before["title"] != entry.after["title"] == "Tên mới của sự kiện"


def test_organizers_see_and_open_only_their_bodies_events(client, login_as):
    province = make_organisation("Liên hiệp các hội tỉnh")
    district = make_organisation("Liên hiệp hội huyện Lộc Ninh", parent=province)
    db.session.commit()
    above = make_event(organisation=province, title="Sự kiện của tỉnh")
    below = make_event(organisation=district, title="Sự kiện của huyện")
    elsewhere = make_event(title="Sự kiện nơi khác")
    login_as(make_account("organizer", name="Tổ chức huyện", scope=("organisation", district.id)))
    page = client.get("/events/manage/").get_data(as_text=True)
    assert "Sự kiện của huyện" in page and "Sự kiện của tỉnh" not in page and "Sự kiện nơi khác" not in page
    assert client.get(f"/events/manage/{below.id}").status_code == 200
    assert client.get(f"/events/manage/{above.id}").status_code == 403
    assert client.get(f"/events/manage/{elsewhere.id}/invitees").status_code == 403
    login_as(make_account("organizer", name="Tổ chức tỉnh", scope=("organisation", province.id)))
    page = client.get("/events/manage/").get_data(as_text=True)
    assert "Sự kiện của huyện" in page and "Sự kiện của tỉnh" in page and "Sự kiện nơi khác" not in page


def test_check_in_staff_are_granted_for_this_event_only(client, login_as):
    event = make_event()
    other = make_event(organisation=event.organisation)
    volunteer = make_account("contestant", name="Tình Nguyện Viên", email="tnv@example.vn")
    login_as(make_organizer(event))
    response = client.post(f"/events/manage/{event.id}/staff", data={"email": "TNV@example.vn"})
    assert response.status_code == 302
    grant = db.session.scalar(select(RoleGrant).where(RoleGrant.role == "checkin"))
    assert (grant.user_id, grant.scope_type, grant.scope_id) == (volunteer.id, "event", event.id)
    db.session.refresh(volunteer)
    assert volunteer.can("checkin", event) and not volunteer.can("checkin", other)
    assert not volunteer.can("manage_event", event)
    page = client.get(f"/events/manage/{event.id}").get_data(as_text=True)
    assert "Tình Nguyện Viên" in page
    client.post(f"/events/manage/{event.id}/staff/{grant.id}/remove")
    assert db.session.scalar(select(RoleGrant).where(RoleGrant.role == "checkin")) is None
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"event.staff_add", "event.staff_remove", "role.grant", "role.revoke"} <= actions


def test_an_unknown_staff_email_is_said_beside_the_field(client, login_as):
    event = make_event()
    login_as(make_organizer(event))
    response = client.post(f"/events/manage/{event.id}/staff", data={"email": "khong-co@example.vn"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "invalid-feedback" in page and "khong-co@example.vn" in page


def test_a_grant_of_another_event_cannot_be_removed_here(client, login_as):
    event = make_event()
    other = make_event(organisation=event.organisation)
    staff = make_checkin_staff(other)
    login_as(make_organizer(event))
    assert client.post(f"/events/manage/{event.id}/staff/{staff.role_grants[0].id}/remove").status_code == 404


def test_door_staff_manage_nothing(client, login_as):
    event = make_event()
    invitee = make_invitee(event)
    login_as(make_checkin_staff(event))
    for url in (
        f"/events/manage/{event.id}",
        f"/events/manage/{event.id}/invitees",
        f"/events/manage/{event.id}/badges.pdf",
    ):
        assert client.get(url).status_code == 403
    assert client.post(f"/events/manage/{event.id}/invitees/{invitee.id}/cancel").status_code == 403


def test_the_overview_counts_by_status_and_role(client, login_as):
    event = make_event(capacity=10)
    make_invitee(event, role="judge")
    make_invitee(event, role="judge", status="registered")
    make_invitee(event, role="guest", status="waitlisted", with_pass=False, waitlist_position=1)
    login_as(make_organizer(event))
    page = client.get(f"/events/manage/{event.id}").get_data(as_text=True)
    assert 'data-count="holding">2 / 10<' in page and 'data-count="waitlisted">1<' in page
