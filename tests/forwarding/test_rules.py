"""The pure forwarding rules: the parent's window, the child's quota (its own or the parent's default), entries
that may go, choices by rank and award, and when a forward may be withdrawn."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from forwarding import rules
from forwarding.rules import Candidate, Ranking

NOW = datetime(2026, 5, 10, 3, 0)
HOUR = timedelta(hours=1)


@pytest.mark.parametrize(
    ("opens", "closes", "state"),
    [
        (None, None, "unset"),
        (NOW + HOUR, NOW + 9 * HOUR, "not_yet"),
        (NOW - HOUR, NOW + HOUR, "open"),
        (NOW - HOUR, NOW, "open"),  # the closing minute still counts
        (NOW, None, "open"),
        (None, NOW + HOUR, "open"),
        (None, NOW - HOUR, "closed"),
        (NOW - 9 * HOUR, NOW - HOUR, "closed"),
    ],
)
def test_the_window(opens, closes, state):
    assert rules.window_state(opens, closes, NOW) == state


def test_a_childs_own_quota_overrides_the_parents_default():
    assert rules.quota_for(None, 10) == 10
    assert rules.quota_for(3, 10) == 3
    assert rules.quota_for(0, 10) == 0  # zero is a quota, not "unset"
    assert rules.quota_for(5, None) == 5
    assert rules.quota_for(None, None) is None
    assert rules.quota_left(3, 1) == 2 and rules.quota_left(3, 5) == 0 and rules.quota_left(None, 99) is None


def eligible(n: int, **changes) -> Candidate:
    return Candidate(n, f"BP-{n:04d}", changes.pop("status", "eligible"), **changes)


def problems(chosen, *, window="open", quota=None, used=0, has_parent=True):
    return rules.forward_problems(chosen, has_parent=has_parent, window=window, quota=quota, used=used)


def test_eligible_entries_go_within_the_window_and_quota():
    assert problems([eligible(1), eligible(2)], quota=3, used=1) == []
    assert problems([eligible(1), eligible(2)]) == []  # no quota: no limit


@pytest.mark.parametrize("window", ["unset", "not_yet", "closed"])
def test_nothing_goes_outside_the_window(window):
    assert [p.code for p in problems([eligible(1)], window=window)] == [f"window_{window}"]


def test_an_edition_without_parent_forwards_nothing():
    assert [p.code for p in problems([eligible(1)], has_parent=False)] == ["no_parent"]


def test_a_batch_over_what_is_left_of_the_quota_is_refused_whole():
    found = problems([eligible(1), eligible(2), eligible(3)], quota=4, used=2)
    assert [(p.code, p.quota, p.left) for p in found] == [("quota", 4, 2)]
    assert problems([eligible(1), eligible(1)], quota=1) == []  # the same entry twice counts once
    assert [p.code for p in problems([eligible(1)], quota=0)] == ["quota"]


def test_every_entry_that_cannot_go_is_named():
    chosen = [
        eligible(1),
        eligible(2, forwarded=True),
        eligible(3, status="submitted"),
        eligible(4, in_child=False),
        eligible(5, mappable=False),
        eligible(6, status="ineligible"),
    ]
    found = {p.code: p.codes for p in problems(chosen)}
    assert found == {
        "not_in_child": ("BP-0004",),
        "already_forwarded": ("BP-0002",),
        "not_eligible": ("BP-0003", "BP-0006"),
        "unmapped": ("BP-0005",),
    }
    assert [p.code for p in problems([])] == ["nothing_chosen"]


def withdraw(**facts):
    values = {
        "active": True,
        "external": False,
        "window": "open",
        "entry_in_target": True,
        "in_target_round": False,
        "entry_status": "submitted",
    } | facts
    return [p.code for p in rules.withdraw_problems(**values)]


def test_a_forward_is_withdrawn_while_the_window_is_open_and_the_entry_is_in_no_parent_round():
    assert withdraw() == []
    assert withdraw(entry_status="eligible") == []  # screened at the parent: still possible
    assert withdraw(window="unset") == []  # no closing time: no end
    assert withdraw(window="closed") == ["window_closed"]
    assert withdraw(in_target_round=True) == ["in_round"]
    assert withdraw(entry_in_target=False) == ["moved_on"]
    assert withdraw(entry_status="withdrawn") == ["entry_withdrawn"]
    assert withdraw(active=False) == ["already_withdrawn"]
    assert withdraw(window="closed", in_target_round=True) == ["window_closed", "in_round"]


def test_the_delegation_to_the_outside_level_is_left_at_any_time():
    assert withdraw(external=True, window="closed", in_target_round=True) == []
    assert withdraw(external=True, active=False) == ["already_withdrawn"]


def test_choosing_by_rank_takes_the_best_of_each_field_first():
    items = [
        Ranking(1, "A-1", 1, Decimal("90")),
        Ranking(2, "A-2", 2, Decimal("85")),
        Ranking(3, "B-1", 1, Decimal("70")),
        Ranking(4, "B-2", 2, Decimal("88")),
        Ranking(5, "C-1", None),
    ]
    assert rules.top_ranked(items, 3) == [1, 3, 4]
    assert rules.top_ranked(items, 10) == [1, 3, 4, 2]  # an entry without a rank is never chosen
    assert rules.top_ranked(items, 0) == []


def test_choosing_by_award_takes_every_award_or_those_from_a_tier_up():
    items = [
        Ranking(1, "A", 1, award_position=0),
        Ranking(2, "B", 3, award_position=2),
        Ranking(3, "C", 2, award_position=1),
        Ranking(4, "D", 4),
        Ranking(5, "E", None, award_position=1000),  # a special prize only
    ]
    assert rules.awarded_from(items) == [1, 3, 2, 5]
    assert rules.awarded_from(items, 1) == [1, 3]
    assert rules.awarded_from(items, 0) == [1]


@given(
    quota=st.one_of(st.none(), st.integers(0, 20)),
    used=st.integers(0, 20),
    n=st.integers(1, 20),
)
def test_a_batch_goes_exactly_when_it_fits_in_what_is_left(quota, used, n):
    found = problems([eligible(i) for i in range(n)], quota=quota, used=used)
    fits = quota is None or n <= max(quota - used, 0)
    assert (found == []) == fits
