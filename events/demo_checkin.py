"""Demo check-ins at the award ceremony's door: a third of the invitees let in by the demo check-in staff member
(two consoles), one check-in undone with its reason, and one pass used twice while a console was offline, so that
the console, the attendance page, its counts and the "used twice while offline" list all show something."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select

from app.extensions import db
from events.checkin import QueuedScan
from events.models.events import Event, Invitee
from events.services import checkin as service


def seed_checkins(context: dict, event: Event) -> None:
    staff = context["accounts"]["checkin"]
    people = [
        invitee
        for invitee in db.session.scalars(
            select(Invitee).where(Invitee.event_id == event.id).order_by(Invitee.sort_name, Invitee.id)
        )
        if invitee.current_pass is not None
    ]
    if len(people) < 3:
        return
    let_in = people[::3]
    for i, invitee in enumerate(let_in):
        service.scan_code(
            event,
            invitee.current_pass.token,
            staff=staff,
            nonce=uuid.uuid4().hex,
            device_id="cua-chinh" if i % 2 else "cua-phu",
            source="camera" if i % 2 else "scanner",
        )
    first = service.scan_code(
        event, let_in[0].current_pass.token, staff=staff, nonce=uuid.uuid4().hex, device_id="cua-chinh"
    )  # "already": the log shows it
    if first.check_in is not None and len(let_in) > 2:
        undone = service.scan_code(event, let_in[-1].current_pass.token, staff=staff, nonce=uuid.uuid4().hex)
        if undone.check_in is not None:
            service.undo_check_in(undone.check_in, by=staff, reason="Quét nhầm thẻ của người đi cùng")
    # The side door lost the network for a while: its queue comes back with a pass already used at the main door.
    seen = let_in[1] if len(let_in) > 1 else let_in[0]
    later = people[1]
    at = (first.check_in.when if first.check_in else event.starts_at) + timedelta(minutes=5)
    service.replay_batch(
        event,
        [
            QueuedScan(uuid.uuid4().hex, later.current_pass.token, at),
            QueuedScan(uuid.uuid4().hex, seen.current_pass.token, at + timedelta(minutes=1)),
        ],
        staff=staff,
        device_id="cua-phu",
    )
