"""Demo data of the events package: the Technical Innovation Contest's award ceremony (its authors, judges and
guests invited, one pass each; the demo contestant holds one, under "My passes") and a meeting and dialogue with
intellectuals open to public registration (capacity 12, a waiting list), with questions and proposals, some routed
and answered. Check-ins at the door come from `events.demo_checkin` when that module exists."""

from __future__ import annotations

import importlib
from datetime import datetime, time, timedelta
from importlib.util import find_spec

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.timefmt import local_to_utc, to_local, utcnow
from events.models.events import Event
from events.services import invitees, questions, registration
from events.services.events import EventInput, add_staff, create_event
from events.services.invitees import PersonIn

GUESTS = [
    ("Nguyễn Văn Thành", "Phó Chủ tịch UBND tỉnh", "guest"),
    ("Trần Thị Ngọc Hân", "Sở Khoa học và Công nghệ", "guest"),
    ("Lê Minh Đức", "Báo Bình Phước", "guest"),
    ("Phạm Thị Thu Trang", "Liên hiệp các Hội", "staff"),
]
DIALOGUE_PEOPLE = [
    ("PGS.TS. Hoàng Văn Sơn", "Trường Đại học Bình Dương"),
    ("TS. Điểu Thị Hạnh", "Hội Nông nghiệp tỉnh"),
    ("ThS. Vũ Quang Huy", "Hội Tin học tỉnh"),
    ("BS.CKII. Ngô Thị Lụa", "Bệnh viện Đa khoa tỉnh"),
    ("KS. Dương Văn Lộc", "Công ty Cao su Phú Riềng"),
    ("TS. Bùi Thanh Tâm", "Trường THPT Chuyên Quang Trung"),
]
QUESTIONS = [
    (
        "proposal",
        "Đề xuất lập quỹ hỗ trợ trí thức trẻ khởi nghiệp sáng tạo, ưu tiên nông nghiệp công nghệ cao.",
        "Sở Khoa học và Công nghệ",
        "Sở sẽ trình UBND tỉnh đề án quỹ trong quý III/2026.",
    ),
    (
        "question",
        "Tỉnh có chính sách gì để thu hút chuyên gia y tế về làm việc tại các huyện biên giới?",
        "Sở Nội vụ",
        None,
    ),
    ("proposal", "Nên số hóa toàn bộ hồ sơ sáng kiến để tra cứu và tránh trùng lặp giữa các kỳ hội thi.", None, None),
]


def _at(days: int, hour: int) -> datetime:
    """Naive UTC of `hour` o'clock Vietnam time, `days` from today."""
    day = to_local(utcnow()).date() + timedelta(days=days)
    return local_to_utc(datetime.combine(day, time(hour, 0)))


def seed(context: dict) -> dict:
    if db.session.scalar(select(Event.id).limit(1)) is not None:
        return context  # events already there
    orgs, accounts = context["organisations"], context["accounts"]
    organizer = accounts["organizer"]
    contest = (context.get("contests") or {}).get("innovation")
    with current_app.test_request_context():
        ceremony = create_event(
            EventInput(
                organisation_id=orgs["union"].id,
                kind="award_ceremony",
                title=f"Lễ tổng kết và trao giải {contest.name}" if contest else "Lễ tổng kết và trao giải Hội thi",
                description="Tổng kết hội thi, trao giải Nhất, Nhì, Ba, Khuyến khích và giấy chứng nhận.",
                starts_at=_at(14, 8),
                ends_at=_at(14, 11),
                venue="Hội trường Trung tâm Hội nghị tỉnh, Đồng Xoài",
                capacity=250,
                contest_id=contest.id if contest else None,
                status="published",
            ),
            by=organizer,
        )
        if contest is not None:
            people = invitees.contest_people(contest, "winners") or invitees.contest_people(contest, "authors")
            invitees.add_people(ceremony, people, source="contest", by=organizer)
            invitees.add_people(ceremony, invitees.contest_people(contest, "judges"), source="judges", by=organizer)
        holder = accounts["contestant"]
        invitees.add_people(
            ceremony,
            [
                PersonIn(
                    full_name=holder.full_name,
                    email=holder.email,
                    unit="Trường THPT Chuyên Quang Trung",
                    role="author",
                    user_id=holder.id,
                ),
                *[
                    PersonIn(full_name=n, unit=u, role=r, email=f"khachmoi{i}@example.vn")
                    for i, (n, u, r) in enumerate(GUESTS, 1)
                ],
            ],
            source="manual",
            by=organizer,
        )
        add_staff(ceremony, accounts["checkin"], by=organizer)

        dialogue = create_event(
            EventInput(
                organisation_id=orgs["union"].id,
                kind="dialogue",
                title="Gặp mặt, đối thoại với trí thức tiêu biểu năm 2026",
                description="Lãnh đạo tỉnh gặp mặt, lắng nghe hiến kế và trả lời câu hỏi của đội ngũ trí thức.",
                starts_at=_at(30, 14),
                ends_at=_at(30, 17),
                venue="Hội trường UBND tỉnh",
                capacity=12,
                is_public=True,
                registration_closes_at=_at(28, 17),
                status="published",
            ),
            by=organizer,
        )
        registered = []
        for i, (name, unit) in enumerate(DIALOGUE_PEOPLE, 1):
            person = PersonIn(full_name=name, unit=unit, email=f"tri.thuc{i}@example.vn")
            registered.append(registration.register(dialogue, person, user=None))
        for user in context.get("people", [])[:8]:
            person = PersonIn(
                full_name=user.full_name, email=user.email, unit=user.organisation.name if user.organisation else ""
            )
            registration.register(dialogue, person, user=user)
        for (kind, body, department, answer), invitee in zip(QUESTIONS, registered, strict=False):
            question = questions.submit(invitee, kind, body, by=None)
            if department:
                questions.route(question, department, by=organizer)
            if answer:
                questions.answer(question, answer, by=organizer)
        db.session.flush()
    if find_spec("events.demo_checkin") is not None:
        importlib.import_module("events.demo_checkin").seed_checkins(context, ceremony)
    return context | {"events": {"ceremony": ceremony, "dialogue": dialogue}}
