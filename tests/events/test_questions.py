"""Questions and proposals before a dialogue meeting: sent from the pass page, routed, answered, printed, exported."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import db
from events.models.events import Question
from events.services import questions as question_services
from tests.events.factories import make_event, make_invitee, make_organizer, revoke


def _dialogue():
    event = make_event(kind="dialogue", title="Gặp mặt, đối thoại với trí thức năm 2026")
    invitee = make_invitee(event, "PGS.TS. Hoàng Văn Minh", unit="Trường Đại học Bình Phước")
    return event, invitee


def test_an_invitee_sends_a_proposal_from_their_pass_page(client):
    _event, invitee = _dialogue()
    token = invitee.current_pass.token
    page = client.get(f"/events/pass/{token}").get_data(as_text=True)
    assert 'data-testid="question-form"' in page
    response = client.post(
        f"/events/pass/{token}/questions",
        data={"kind": "proposal", "body": "Đề xuất quỹ hỗ trợ khởi nghiệp sáng tạo cho trí thức trẻ"},
    )
    assert response.status_code == 302
    question = db.session.scalar(select(Question))
    assert (question.invitee_id, question.kind, question.status) == (invitee.id, "proposal", "new")
    assert "quỹ hỗ trợ khởi nghiệp" in client.get(f"/events/pass/{token}").get_data(as_text=True)


def test_a_too_short_message_is_refused_and_kept(client):
    _event, invitee = _dialogue()
    response = client.post(
        f"/events/pass/{invitee.current_pass.token}/questions", data={"kind": "question", "body": "Hỏi?"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "invalid-feedback" in page and "Hỏi?" in page
    assert db.session.scalar(select(Question)) is None


def test_no_questions_through_a_revoked_pass_or_for_other_events(client):
    _event, invitee = _dialogue()
    revoke(invitee.current_pass)
    client.post(
        f"/events/pass/{invitee.passes[0].token}/questions", data={"kind": "question", "body": "Một câu hỏi dài đủ"}
    )
    ceremony = make_invitee(make_event(kind="award_ceremony"))
    page = client.get(f"/events/pass/{ceremony.current_pass.token}").get_data(as_text=True)
    assert 'data-testid="question-form"' not in page
    client.post(
        f"/events/pass/{ceremony.current_pass.token}/questions", data={"kind": "question", "body": "Một câu hỏi dài đủ"}
    )
    assert db.session.scalar(select(Question)) is None


def test_organizers_route_then_answer_and_it_is_audited(client, login_as):
    event, invitee = _dialogue()
    question = question_services.submit(invitee, "question", "Khi nào tỉnh có chính sách thu hút chuyên gia?", by=None)
    db.session.commit()
    login_as(make_organizer(event))
    url = f"/events/manage/{event.id}/questions/{question.id}"
    assert client.post(url + "/route", data={"department": "Sở Nội vụ"}).status_code == 302
    db.session.refresh(question)
    assert (question.status, question.department) == ("routed", "Sở Nội vụ")
    assert client.post(url + "/answer", data={"answer": "Quý III/2026.", "department": "Sở Nội vụ"}).status_code == 302
    db.session.refresh(question)
    assert (question.status, question.answer) == ("answered", "Quý III/2026.") and question.answered_at
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"event.question_route", "event.question_answer"} <= actions
    # answered: it cannot be routed again (said beside the field), the answer can be corrected
    response = client.post(url + "/route", data={"department": "Sở Tài chính"})
    assert response.status_code == 200 and "invalid-feedback" in response.get_data(as_text=True)
    db.session.refresh(question)
    assert question.department == "Sở Nội vụ"


def test_routing_needs_a_department_beside_the_field(client, login_as):
    event, invitee = _dialogue()
    question = question_services.submit(invitee, "question", "Một câu hỏi đủ dài để gửi", by=None)
    db.session.commit()
    login_as(make_organizer(event))
    response = client.post(f"/events/manage/{event.id}/questions/{question.id}/route", data={"department": ""})
    assert response.status_code == 200 and "invalid-feedback" in response.get_data(as_text=True)


def test_the_list_filters_prints_and_exports(client, login_as):
    event, invitee = _dialogue()
    first = question_services.submit(invitee, "proposal", '=HYPERLINK("http://x") đề xuất', by=None)
    second = question_services.submit(invitee, "question", "Câu hỏi về chuyển đổi số", by=None)
    db.session.flush()
    organizer = make_organizer(event)
    question_services.route(second, "Sở Thông tin và Truyền thông", by=organizer)
    db.session.commit()
    login_as(organizer)
    page = client.get(f"/events/manage/{event.id}/questions?status=routed").get_data(as_text=True)
    assert f'data-question="{second.id}"' in page and f'data-question="{first.id}"' not in page
    printed = client.get(f"/events/manage/{event.id}/questions/print").get_data(as_text=True)
    assert "chuyển đổi số" in printed and "Hoàng Văn Minh" in printed and "Sở Thông tin và Truyền thông" in printed
    xlsx = client.get(f"/events/manage/{event.id}/questions.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    values = [c.value for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "Câu hỏi về chuyển đổi số" in values
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)  # formulas neutralised
    csv = client.get(f"/events/manage/{event.id}/questions.csv").data.decode("utf-8-sig")
    assert "'=HYPERLINK" in csv and "Sở Thông tin và Truyền thông" in csv


def test_another_bodys_organizer_cannot_see_or_answer(client, login_as):
    event, invitee = _dialogue()
    question = question_services.submit(invitee, "question", "Một câu hỏi đủ dài để gửi", by=None)
    db.session.commit()
    login_as(make_organizer(make_event()))
    assert client.get(f"/events/manage/{event.id}/questions").status_code == 403
    assert (
        client.post(f"/events/manage/{event.id}/questions/{question.id}/answer", data={"answer": "x"}).status_code
        == 403
    )
    other_event = make_event(organisation=event.organisation)
    login_as(make_organizer(event))
    assert (
        client.post(f"/events/manage/{other_event.id}/questions/{question.id}/answer", data={"answer": "x"}).status_code
        == 404
    )
