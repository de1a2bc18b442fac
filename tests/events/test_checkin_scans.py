"""Scans at the door (events/services/checkin.py): every outcome, the log, nonce idempotency, revocation, undo."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.extensions import db
from events.checkin import Outcome
from events.models.checkin import CheckIn, ScanLog
from events.services import checkin as service
from tests.events.checkin_factories import make_door, nonce, scan, token_of
from tests.events.factories import make_event, make_invitee, make_pass, revoke


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_valid_pass_checks_its_holder_in_and_tells_name_unit_and_role():
    door = make_door()
    answer = scan(door.event, token_of(door.an), door.staff)
    assert answer.outcome is Outcome.CHECKED_IN and not answer.replayed
    assert answer.invitee.full_name == "Nguyễn Văn Ân"
    check_in = db.session.scalars(select(CheckIn)).one()
    assert (check_in.invitee_id, check_in.by_id, check_in.by_name, check_in.device_id) == (
        door.an.id,
        door.staff.id,
        "Lễ tân Đỗ Thị Hoa",
        "cua-chinh",
    )
    log = db.session.scalars(select(ScanLog)).one()
    assert (log.outcome, log.check_in_id, log.staff_id, log.device_id) == (
        "checked_in",
        check_in.id,
        door.staff.id,
        "cua-chinh",
    )
    assert db.session.scalars(select(AuditEntry.action).where(AuditEntry.action == "checkin.create")).all() == [
        "checkin.create"
    ]


def test_the_pass_link_is_read_like_the_bare_token():
    door = make_door()
    answer = scan(door.event, f"https://sangtao.example.vn/events/passes/{token_of(door.an)}?src=mail\n", door.staff)
    assert answer.outcome is Outcome.CHECKED_IN


def test_a_second_scan_says_already_with_when_and_by_whom():
    door = make_door()
    first = scan(door.event, token_of(door.an), door.staff)
    other_staff = door.staff  # the same person may scan twice; the answer names who let them in
    second = scan(door.event, token_of(door.an), other_staff)
    assert second.outcome is Outcome.ALREADY
    assert second.check_in.id == first.check_in.id
    with current_app.test_request_context():
        payload = service.answer_payload(second)
    assert payload["check_in"]["by"] == "Lễ tân Đỗ Thị Hoa"
    assert payload["check_in"]["at_local"] and "Lễ tân Đỗ Thị Hoa" in payload["detail"]
    assert _count(CheckIn) == 1 and _count(ScanLog) == 2


def test_another_events_pass_is_not_for_this_event_and_tells_nothing_about_its_holder():
    door = make_door()
    other = make_event(title="Triển lãm sản phẩm sáng tạo")
    stranger = make_invitee(other, "Lê Văn Cường")
    answer = scan(door.event, token_of(stranger), door.staff)
    assert answer.outcome is Outcome.WRONG_EVENT and answer.invitee is None
    with current_app.test_request_context():
        payload = service.answer_payload(answer)
    assert payload["invitee"] is None and payload["check_in"] is None
    log = db.session.scalars(select(ScanLog)).one()
    assert (log.outcome, log.pass_id, log.invitee_id) == ("wrong_event", None, None)
    assert _count(CheckIn) == 0


def test_a_revoked_pass_is_refused_and_its_replacement_admits():
    door = make_door()
    old = door.an.current_pass
    old_token = old.token
    revoke(old)
    new = make_pass(door.an)
    assert scan(door.event, old_token, door.staff).outcome is Outcome.REVOKED
    assert scan(door.event, new.token, door.staff).outcome is Outcome.CHECKED_IN
    # the holder is in: the old pass is still refused as revoked, not "already"
    assert scan(door.event, old_token, door.staff).outcome is Outcome.REVOKED


def test_a_cancelled_invitees_pass_admits_nobody_nor_does_a_cancelled_event():
    door = make_door()
    door.an.status = "cancelled"
    db.session.commit()
    assert scan(door.event, token_of(door.an), door.staff).outcome is Outcome.REVOKED
    door.event.status = "cancelled"
    db.session.commit()
    assert scan(door.event, token_of(door.binh), door.staff).outcome is Outcome.REVOKED
    assert _count(CheckIn) == 0


def test_unknown_codes_are_logged_with_a_short_hint_only():
    door = make_door()
    forged = "A" * 43
    for code in (forged, "not a pass", "", "https://example.vn/"):
        assert scan(door.event, code, door.staff).outcome is Outcome.UNKNOWN
    hints = db.session.scalars(select(ScanLog.code_hint).order_by(ScanLog.id)).all()
    assert hints[0] == "AAAAAA…" and forged not in hints
    assert _count(CheckIn) == 0


def test_a_retried_nonce_gets_the_same_answer_and_changes_nothing():
    door = make_door()
    same = nonce()
    first = scan(door.event, token_of(door.an), door.staff, nonce_=same)
    again = scan(door.event, token_of(door.an), door.staff, nonce_=same)
    assert first.outcome is again.outcome is Outcome.CHECKED_IN
    assert again.replayed and again.check_in.id == first.check_in.id
    assert _count(CheckIn) == 1 and _count(ScanLog) == 1
    # even a retry carrying another code (a confused client) returns the first answer
    assert scan(door.event, token_of(door.binh), door.staff, nonce_=same).invitee.id == door.an.id
    assert _count(CheckIn) == 1


def test_the_same_nonce_at_two_events_is_two_scans():
    door = make_door()
    other = make_event(title="Gặp mặt trí thức")
    guest = make_invitee(other, "Phạm Thị Dung")
    same = nonce()
    assert scan(door.event, token_of(door.an), door.staff, nonce_=same).outcome is Outcome.CHECKED_IN
    assert scan(other, token_of(guest), door.staff, nonce_=same).outcome is Outcome.CHECKED_IN


def test_undo_needs_a_reason_is_audited_and_lets_the_person_in_again():
    door = make_door()
    first = scan(door.event, token_of(door.an), door.staff)
    for reason, code in (("   ", "reason_required"), ("x" * (service.REASON_MAX + 1), "reason_too_long")):
        try:
            service.undo_check_in(first.check_in, by=door.staff, reason=reason)
        except service.CheckInError as error:
            assert error.code == code
        else:
            raise AssertionError("refused")
    service.undo_check_in(first.check_in, by=door.staff, reason="Quét nhầm người")
    assert first.check_in.undone_at is not None and first.check_in.undo_reason == "Quét nhầm người"
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "checkin.undo")).one()
    assert entry.after["reason"] == "Quét nhầm người"
    try:
        service.undo_check_in(first.check_in, by=door.staff, reason="lần nữa")
    except service.CheckInError as error:
        assert error.code == "already_undone"
    again = scan(door.event, token_of(door.an), door.staff)
    assert again.outcome is Outcome.CHECKED_IN and again.check_in.id != first.check_in.id


def test_a_person_found_by_name_is_checked_in_with_their_valid_pass():
    door = make_door()
    answer = service.check_in_invitee(door.event, door.binh, staff=door.staff, nonce=nonce())
    assert answer.outcome is Outcome.CHECKED_IN
    assert answer.check_in.pass_id == door.binh.current_pass.id and answer.check_in.source == "search"
    assert service.check_in_invitee(door.event, door.binh, staff=door.staff, nonce=nonce()).outcome is Outcome.ALREADY
    waiting = make_invitee(door.event, "Võ Văn Em", with_pass=False, status="waitlisted", waitlist_position=1)
    assert service.check_in_invitee(door.event, waiting, staff=door.staff, nonce=nonce()).outcome is Outcome.UNKNOWN


def test_client_times_are_read_as_utc():
    assert service.parse_client_time("2026-11-28T01:02:03.456Z").isoformat() == "2026-11-28T01:02:03.456000"
    assert service.parse_client_time("2026-11-28T08:02:03+07:00").isoformat() == "2026-11-28T01:02:03"
    assert service.parse_client_time("hôm qua") is None
    assert service.parse_client_time(12) is None
