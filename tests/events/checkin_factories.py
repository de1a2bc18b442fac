"""Test helpers of the check-in side: an event with staff and invitees, a scan with a fresh nonce, an API token.

`make_door()` builds an event, its check-in staff member and two invitees with passes; `scan(door.event,
token_of(door.an), door.staff)` scans one of them with a new nonce.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from flask import current_app

from app.accounts.models import User
from app.accounts.services import create_api_token
from app.extensions import db
from events.models.events import Event, Invitee
from events.services import checkin as service
from tests.events.factories import make_checkin_staff, make_event, make_invitee


def nonce() -> str:
    return uuid.uuid4().hex


@dataclass
class Door:
    event: Event
    staff: User
    an: Invitee
    binh: Invitee


def make_door(**event_options) -> Door:
    """A published ceremony with one check-in staff member and two invited people with valid passes."""
    event = make_event(**event_options)
    staff = make_checkin_staff(event, name="Lễ tân Đỗ Thị Hoa")
    an = make_invitee(event, "Nguyễn Văn Ân", unit="Trường THPT Đồng Xoài", role="winner")
    binh = make_invitee(event, "Đặng Thị Bình", unit="Sở Khoa học và Công nghệ", role="judge")
    return Door(event, staff, an, binh)


def token_of(invitee: Invitee) -> str:
    return invitee.current_pass.token


def scan(
    event: Event,
    code: str,
    staff: User,
    *,
    nonce_: str | None = None,
    device_id: str = "cua-chinh",
    client_at: datetime | None = None,
    offline: bool = False,
) -> service.ScanAnswer:
    return service.scan_code(
        event,
        code,
        staff=staff,
        nonce=nonce_ or nonce(),
        device_id=device_id,
        client_at=client_at,
        offline=offline,
    )


def api_token(user: User) -> str:
    """A bearer token of `user` (committed)."""
    with current_app.test_request_context():
        _token, raw = create_api_token(user, "máy quét cửa chính")
    db.session.commit()
    return raw
