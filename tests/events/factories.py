"""Test data for events: an event of an organising body, invitees (one per person) and their passes.

Built directly from the models and `events.rules` (no service, no audit, no mail), committed:

    event = make_event()                          # a published award ceremony tomorrow, no capacity
    invitee = make_invitee(event, "Trần Thị Bình")  # invited, with a valid pass: invitee.current_pass.token
    other = make_invitee(event, "Lê Văn Cường", with_pass=False, status="waitlisted")
    organizer = make_organizer(event)             # an organizer of the event's body
"""

from __future__ import annotations

from datetime import date, timedelta

from app.accounts.models import User
from app.extensions import db
from app.timefmt import utcnow
from events import rules
from events.models.events import Event, Invitee, Pass
from tests.competitions.factories import make_organisation
from tests.judging.factories import make_account

_counter = {"n": 0}


def make_event(
    *,
    organisation=None,
    title: str = "Lễ trao giải Hội thi Sáng tạo kỹ thuật",
    kind: str = "award_ceremony",
    status: str = "published",
    is_public: bool = False,
    capacity: int | None = None,
    starts_in_days: float = 1,
    **extra,
) -> Event:
    """An event of `organisation` (a new union by default), starting in `starts_in_days` days for 3 hours."""
    org = organisation or make_organisation()
    starts = utcnow().replace(microsecond=0) + timedelta(days=starts_in_days)
    extra.setdefault("venue", "Hội trường UBND tỉnh, Đồng Xoài")
    event = Event(
        organisation_id=org.id,
        title=title,
        kind=kind,
        status=status,
        is_public=is_public,
        capacity=capacity,
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        **extra,
    )
    db.session.add(event)
    db.session.commit()
    return event


def make_invitee(
    event: Event,
    full_name: str | None = None,
    *,
    email: str | None = None,
    unit: str = "Trường THPT Bù Đăng",
    role: str = "guest",
    source: str = "manual",
    status: str = "invited",
    birth_date: date | None = None,
    user: User | None = None,
    with_pass: bool = True,
    waitlist_position: int | None = None,
) -> Invitee:
    """An invitee (one person) of `event`; with a valid pass unless `with_pass` is False."""
    _counter["n"] += 1
    n = _counter["n"]
    full_name = full_name or f"Khách mời Số {n}"
    email = f"khach{n}@example.vn" if email is None else email
    invitee = Invitee(
        event_id=event.id,
        email=email,
        unit=unit,
        role=role,
        source=source,
        status=status,
        birth_date=birth_date,
        user_id=user.id if user else None,
        dedupe_key=rules.dedupe_key(full_name, email, birth_date, unit),
        waitlist_position=waitlist_position,
    )
    invitee.set_name(full_name)
    db.session.add(invitee)
    db.session.flush()
    if with_pass:
        db.session.add(Pass(token=rules.new_token(), event_id=event.id, invitee_id=invitee.id))
    db.session.commit()
    return invitee


def make_pass(invitee: Invitee) -> Pass:
    """A new valid pass for `invitee` (revoke the old one first)."""
    pass_ = Pass(token=rules.new_token(), event_id=invitee.event_id, invitee_id=invitee.id)
    db.session.add(pass_)
    db.session.commit()
    return pass_


def revoke(pass_: Pass, reason: str = "Thẻ bị mất") -> None:
    pass_.revoked_at = utcnow()
    pass_.revoke_reason = reason
    db.session.commit()


def make_organizer(event: Event, name: str = "Ban Tổ chức Sự kiện") -> User:
    """An organizer scoped to the event's organising body."""
    return make_account("organizer", name=name, scope=("organisation", event.organisation_id))


def make_checkin_staff(event: Event, name: str = "Lễ tân Cửa Chính") -> User:
    """A check-in staff member for this event only."""
    return make_account("checkin", name=name, scope=("event", event.id))
