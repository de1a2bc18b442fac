"""Questions and proposals (câu hỏi, hiến kế) sent before a dialogue meeting: sent by invitees, routed by
organizers to the responsible department, answered; the list for print and export."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.audit.service import record
from app.extensions import db
from app.timefmt import utcnow
from events import rules
from events.models.events import Event, Invitee, Question


class QuestionError(ValueError):
    """The move is not allowed from the question's status."""


def submit(invitee: Invitee, kind: str, body: str, *, by: User | None) -> Question:
    question = Question(event_id=invitee.event_id, invitee_id=invitee.id, kind=kind, body=body.strip())
    db.session.add(question)
    db.session.flush()
    record(
        "event.question_submit",
        question,
        after={"kind": kind, "invitee_id": invitee.id},
        actor=by or invitee.email,
        summary=invitee.full_name,
    )
    return question


def _move(question: Question, target: str) -> None:
    if not rules.question_may_move(question.status, target):
        raise QuestionError(f"{question.status} -> {target}")


def route(question: Question, department: str, *, by: User) -> None:
    """Give the question to a department (again, to change it), unless it is answered or withdrawn."""
    _move(question, "routed")
    before = {"status": question.status, "department": question.department}
    question.department = department.strip()
    question.status = "routed"
    question.routed_at = utcnow()
    question.routed_by_id = by.id
    record("event.question_route", question, before=before, after={"department": question.department}, actor=by)


def answer(question: Question, text: str, *, by: User, department: str | None = None) -> None:
    """Record (or correct) the department's answer."""
    _move(question, "answered")
    before = {"status": question.status, "answer": question.answer}
    if department:
        question.department = department.strip()
    question.answer = text.strip()
    question.status = "answered"
    question.answered_at = utcnow()
    question.answered_by_id = by.id
    record("event.question_answer", question, before=before, after={"answer": question.answer}, actor=by)


def withdraw(question: Question, *, by: User | None) -> None:
    _move(question, "withdrawn")
    before = {"status": question.status}
    question.status = "withdrawn"
    record("event.question_withdraw", question, before=before, after={"status": "withdrawn"}, actor=by)


def of_event(event: Event, *, status: str = "", department: str = "") -> list[Question]:
    """The event's questions in the order they came, with their authors (one query)."""
    query = (
        select(Question)
        .where(Question.event_id == event.id)
        .options(joinedload(Question.invitee), joinedload(Question.answered_by))
        .order_by(Question.created_at, Question.id)
    )
    if status:
        query = query.where(Question.status == status)
    if department:
        query = query.where(Question.department == department)
    return list(db.session.scalars(query).unique())


def of_invitee(invitee: Invitee) -> list[Question]:
    query = select(Question).where(Question.invitee_id == invitee.id).order_by(Question.created_at, Question.id)
    return list(db.session.scalars(query))


def departments(event: Event) -> list[str]:
    """The departments already used in this event (for the filter and suggestions), alphabetical."""
    rows = db.session.scalars(
        select(Question.department).where(Question.event_id == event.id, Question.department != "").distinct()
    )
    return sorted(rows)
