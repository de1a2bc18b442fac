"""Loading the records a URL names (404 when missing or not of the event), and the manage pages' shared parts."""

from __future__ import annotations

from flask import abort

from app.extensions import db
from events.models.events import Event, Invitee, Question


def event_or_404(event_id: int, **_kwargs) -> Event:
    event = db.session.get(Event, event_id)
    if event is None:
        abort(404)
    return event


def invitee_or_404(event: Event, invitee_id: int) -> Invitee:
    invitee = db.session.get(Invitee, invitee_id)
    if invitee is None or invitee.event_id != event.id:
        abort(404)
    return invitee


def question_or_404(event: Event, question_id: int) -> Question:
    question = db.session.get(Question, question_id)
    if question is None or question.event_id != event.id:
        abort(404)
    return question
