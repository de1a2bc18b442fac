"""The door's pure rules (events/checkin.py): nonces, the outcome order, the offline replay order."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from events.checkin import (
    Decision,
    Outcome,
    PassState,
    Prior,
    QueuedScan,
    clean_device,
    clean_nonce,
    decide,
    replay_order,
)

T0 = datetime(2026, 11, 28, 8, 0)
PRIOR = Prior(at=T0, by="Trần Thị Bích")


def test_nonces_and_devices_are_kept_only_when_well_formed():
    assert clean_nonce("0b6f8a4e-3c1d-4f7a-9a2b-6c3d2e1f0a9b") == "0b6f8a4e-3c1d-4f7a-9a2b-6c3d2e1f0a9b"
    assert clean_nonce(None) is None
    assert clean_nonce("short") is None
    assert clean_nonce("bad nonce with spaces") is None
    assert clean_device("cua-chinh-01") == "cua-chinh-01"
    assert clean_device("<script>") == ""
    assert clean_device(None) == ""


def test_every_outcome():
    assert decide(None, 1, None) == Decision(Outcome.UNKNOWN)
    assert decide(PassState(event_id=2, revoked=False), 1, None) == Decision(Outcome.WRONG_EVENT)
    assert decide(PassState(event_id=1, revoked=True), 1, None) == Decision(Outcome.REVOKED)
    assert decide(PassState(event_id=1, revoked=False), 1, PRIOR) == Decision(Outcome.ALREADY, PRIOR)
    decision = decide(PassState(event_id=1, revoked=False), 1, None)
    assert decision == Decision(Outcome.CHECKED_IN) and decision.admits


@given(
    st.one_of(st.none(), st.builds(PassState, event_id=st.integers(1, 3), revoked=st.booleans())),
    st.one_of(st.none(), st.just(PRIOR)),
)
def test_only_a_live_pass_of_this_event_without_a_prior_check_in_admits(pass_state, prior):
    decision = decide(pass_state, 1, prior)
    expected = pass_state is not None and pass_state.event_id == 1 and not pass_state.revoked and prior is None
    assert decision.admits is expected
    # another event's pass never tells whether it is revoked or used
    if pass_state is not None and pass_state.event_id != 1:
        assert decision == Decision(Outcome.WRONG_EVENT)
    assert (decision.prior is not None) is (decision.outcome is Outcome.ALREADY)


def test_the_queue_is_replayed_by_the_device_clock_with_untimed_scans_last_and_duplicates_once():
    a = QueuedScan("nonce-aaaa", "c1", T0 + timedelta(seconds=30))
    b = QueuedScan("nonce-bbbb", "c2", T0)
    c = QueuedScan("nonce-cccc", "c3", None)
    d = QueuedScan("nonce-dddd", "c4", None)
    again = QueuedScan("nonce-aaaa", "other", T0 - timedelta(hours=1))
    assert replay_order([c, a, again, d, b]) == [b, a, c, d]


@given(
    st.lists(
        st.builds(
            QueuedScan,
            nonce=st.sampled_from([f"nonce-{i:04d}" for i in range(8)]),
            code=st.just("x"),
            client_at=st.one_of(st.none(), st.datetimes(min_value=T0, max_value=T0 + timedelta(days=1))),
        ),
        max_size=20,
    )
)
def test_replay_keeps_one_copy_of_each_nonce_in_clock_order(scans):
    replayed = replay_order(scans)
    nonces = [s.nonce for s in replayed]
    assert len(nonces) == len(set(nonces)) == len({s.nonce for s in scans})
    timed = [s.client_at for s in replayed if s.client_at is not None]
    assert timed == sorted(timed)
    first_untimed = next((i for i, s in enumerate(replayed) if s.client_at is None), len(replayed))
    assert all(s.client_at is None for s in replayed[first_untimed:])
