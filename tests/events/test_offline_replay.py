"""The offline queue: replayed in the device's clock order, idempotent by nonce, passes used twice reported."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app.extensions import db
from app.timefmt import utcnow
from events.checkin import Outcome, QueuedScan
from events.models.checkin import CheckIn, ScanLog
from events.services import attendance
from events.services import checkin as service
from tests.events.checkin_factories import make_door, nonce, scan, token_of
from tests.events.factories import make_checkin_staff, make_invitee


def test_a_queue_is_replayed_in_clock_order_and_a_pass_used_twice_offline_is_reported():
    door = make_door()
    t0 = utcnow() - timedelta(minutes=30)
    queued = [
        # sent out of order: the server replays by the device's clock
        QueuedScan("nonce-late-binh", token_of(door.binh), t0 + timedelta(minutes=5)),
        QueuedScan("nonce-first-an", token_of(door.an), t0),
        QueuedScan("nonce-again-an", token_of(door.an), t0 + timedelta(minutes=2)),
        QueuedScan("nonce-garbage", "not a pass", t0 + timedelta(minutes=3)),
    ]
    result = service.replay_batch(door.event, queued, staff=door.staff, device_id="may-2")
    assert [(a.nonce, a.outcome) for a in result.answers] == [
        ("nonce-first-an", Outcome.CHECKED_IN),
        ("nonce-again-an", Outcome.ALREADY),
        ("nonce-garbage", Outcome.UNKNOWN),
        ("nonce-late-binh", Outcome.CHECKED_IN),
    ]
    assert [a.nonce for a in result.conflicts] == ["nonce-again-an"]
    an = db.session.scalars(select(CheckIn).where(CheckIn.invitee_id == door.an.id)).one()
    # the device's clock is kept: the attendance says when they really came in
    assert an.offline and an.client_at == t0 and an.when == t0 and an.device_id == "may-2" and an.source == "offline"

    uses = attendance.offline_double_uses(door.event)
    assert [u.invitee.full_name for u in uses] == ["Nguyễn Văn Ân"]
    assert uses[0].first.id == an.id and [s.nonce for s in uses[0].offline_scans] == ["nonce-again-an"]


def test_a_batch_sent_twice_changes_nothing_the_second_time():
    door = make_door()
    queued = [QueuedScan(nonce(), token_of(door.an), utcnow()), QueuedScan(nonce(), token_of(door.binh), utcnow())]
    first = service.replay_batch(door.event, queued, staff=door.staff)
    again = service.replay_batch(door.event, queued, staff=door.staff)
    assert [a.outcome for a in again.answers] == [a.outcome for a in first.answers]
    assert all(a.replayed for a in again.answers) and again.conflicts == []
    assert db.session.scalar(select(func.count()).select_from(CheckIn)) == 2
    assert db.session.scalar(select(func.count()).select_from(ScanLog)) == 2


def test_an_offline_scan_of_someone_let_in_online_meanwhile_is_a_double_use():
    door = make_door()
    other_door = make_checkin_staff(door.event, name="Lễ tân Cửa Phụ")
    scan(door.event, token_of(door.an), other_door)  # online at the side door
    result = service.replay_batch(
        door.event, [QueuedScan(nonce(), token_of(door.an), utcnow())], staff=door.staff, device_id="may-1"
    )
    assert [a.outcome for a in result.conflicts] == [Outcome.ALREADY]
    (use,) = attendance.offline_double_uses(door.event)
    assert use.first.by_name == "Lễ tân Cửa Phụ" and use.offline_scans[0].device_id == "may-1"


def test_online_repeats_are_no_double_use():
    door = make_door()
    scan(door.event, token_of(door.an), door.staff)
    assert scan(door.event, token_of(door.an), door.staff).outcome is Outcome.ALREADY
    assert attendance.offline_double_uses(door.event) == []


def test_the_double_use_list_costs_the_same_queries_whatever_its_length(client, login_as, count_queries):
    door = make_door()
    login_as(door.staff)
    url = f"/events/{door.event.id}/checkin/double-uses"

    def used_twice(invitee) -> None:
        scan(door.event, token_of(invitee), door.staff)
        service.replay_batch(door.event, [QueuedScan(nonce(), token_of(invitee), utcnow())], staff=door.staff)

    def queries() -> int:
        with count_queries() as counted:
            assert client.get(url).status_code == 200
        return counted.n

    used_twice(door.an)
    small = queries()
    for i in range(8):
        used_twice(make_invitee(door.event, f"Khách Mời {i}"))
    assert queries() == small
    assert client.get(url).get_data(as_text=True).count("Khách Mời") == 8
