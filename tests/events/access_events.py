"""Access-matrix rows of the events package's events pages (events/views/manage.py, invitees.py, passes.py,
public.py, questions.py): organizers manage; the public reads published events and registers for public ones; a
pass's page, code and questions open with its unguessable token; "My passes" needs an account."""

from __future__ import annotations

from tests.access import everyone, only, signed_in

E = "/events/manage/{evt_event_id}"

ROWS: list[tuple[str, str, dict[str, object]]] = [
    ("GET", "/events/", everyone()),
    ("GET", "/events/{evt_event_id}", everyone()),
    ("POST", "/events/{evt_event_id}/register", everyone()),
    ("GET", "/events/my-passes", signed_in()),
    ("GET", "/events/pass/{evt_token}", everyone()),
    ("GET", "/events/pass/{evt_token}/qr.png", everyone()),
    ("GET", "/events/pass/{evt_token}/qr.svg", everyone()),
    ("POST", "/events/pass/{evt_token}/questions", everyone()),
    ("GET", "/events/manage/", only("organizer")),
    ("GET", "/events/manage/new", only("organizer")),
    ("POST", "/events/manage/new", only("organizer")),
    ("GET", E, only("organizer")),
    ("GET", E + "/edit", only("organizer")),
    ("POST", E + "/edit", only("organizer")),
    ("POST", E + "/staff", only("organizer")),
    ("POST", E + "/staff/{evt_grant_id}/remove", only("organizer")),
    ("GET", E + "/invitees", only("organizer")),
    ("POST", E + "/invitees/add", only("organizer")),
    ("POST", E + "/invitees/from/contest", only("organizer")),
    ("GET", E + "/invitees/import", only("organizer")),
    ("POST", E + "/invitees/import", only("organizer")),
    ("POST", E + "/invitees/import/confirm", only("organizer")),
    ("POST", E + "/invitees/{evt_invitee_id}/cancel", only("organizer")),
    ("POST", E + "/invitees/{evt_invitee_id}/revoke", only("organizer")),
    ("POST", E + "/invitations", only("organizer")),
    ("GET", E + "/badges.pdf", only("organizer")),
    ("GET", E + "/questions", only("organizer")),
    ("GET", E + "/questions/print", only("organizer")),
    ("GET", E + "/questions.xlsx", only("organizer")),
    ("GET", E + "/questions.csv", only("organizer")),
    ("POST", E + "/questions/{evt_question_id}/route", only("organizer")),
    ("POST", E + "/questions/{evt_question_id}/answer", only("organizer")),
]


def make_targets() -> dict:
    """A published public dialogue meeting with an invitee holding a pass, a question, a check-in staff member,
    and a contest to invite from."""
    from app.extensions import db
    from events.models.events import Question
    from tests.competitions.factories import make_contest
    from tests.events.factories import make_checkin_staff, make_event, make_invitee

    event = make_event(kind="dialogue", is_public=True, title="Gặp mặt trí thức")
    make_contest(organisation=event.organisation)
    invitee = make_invitee(event, "Phạm Thị Dung")
    question = Question(event_id=event.id, invitee_id=invitee.id, body="Đề xuất hỗ trợ đổi mới sáng tạo")
    db.session.add(question)
    staff = make_checkin_staff(event)
    db.session.commit()
    return {
        "evt_event_id": event.id,
        "evt_token": invitee.current_pass.token,
        "evt_invitee_id": invitee.id,
        "evt_question_id": question.id,
        "evt_grant_id": staff.role_grants[0].id,
    }
