"""The pure honors rules: the campaign's stages, the nomination window, a body's quota, the checklist and a complete
profile, and everything a submission weighs."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from honors import eligibility as rules
from honors.eligibility import Profile, Submission
from honors.models.campaigns import CAMPAIGN_STATUSES, CAMPAIGN_TRANSITIONS, DOSSIER_STATUSES

NOW = datetime(2026, 4, 10, 3, 0)
HOUR = timedelta(hours=1)
COMPLETE = Profile(
    full_name="Nguyễn Thị Hoa",
    birth_date=date(1975, 3, 2),
    gender="female",
    unit_name="Bệnh viện Đa khoa tỉnh",
    field="Y học",
    years_of_work=22,
    achievements="Chủ nhiệm đề tài cấp tỉnh",
    confirmed_by="Giám đốc Bệnh viện",
    confirmed_on=date(2026, 3, 1),
)


def submission(**changes) -> Submission:
    values = {
        "campaign_status": "nominating",
        "opens_at": NOW - HOUR,
        "closes_at": NOW + HOUR,
        "now": NOW,
        "dossier_status": "draft",
        "quota": 2,
        "other_statuses": ("submitted",),
        "checklist": ((1, True), (2, True), (3, False)),
        "answers": {1: True, 2: True, 3: None},
        "profile": COMPLETE,
    }
    return Submission(**(values | changes))


@pytest.mark.parametrize(
    ("opens", "closes", "problem"),
    [
        (None, None, "not_set"),
        (NOW - HOUR, None, "not_set"),
        (NOW + HOUR, NOW + 9 * HOUR, "not_open"),
        (NOW - HOUR, NOW + HOUR, None),
        (NOW, NOW + HOUR, None),  # the opening minute counts
        (NOW - HOUR, NOW, None),  # so does the closing one
        (NOW - 9 * HOUR, NOW - HOUR, "closed"),
    ],
)
def test_the_window(opens, closes, problem):
    assert rules.window_problem(opens, closes, NOW) == problem


def test_withdrawn_and_draft_dossiers_do_not_use_the_quota_but_ineligible_ones_do():
    statuses = ["draft", "withdrawn", "withdrawn", "submitted", "eligible", "ineligible"]
    assert rules.quota_used(statuses) == 3
    assert rules.quota_left(5, statuses) == 2
    assert rules.quota_left(2, statuses) == 0  # never below zero
    assert rules.quota_left(None, statuses) is None


@given(st.lists(st.sampled_from(DOSSIER_STATUSES), max_size=30), st.integers(min_value=0, max_value=20))
def test_places_left_and_used_add_up_to_the_quota_until_it_is_full(statuses, quota):
    used = rules.quota_used(statuses)
    left = rules.quota_left(quota, statuses)
    assert 0 <= left <= quota
    assert left == max(0, quota - used)
    assert used == len([s for s in statuses if s not in ("draft", "withdrawn")])


def test_a_submission_inside_the_window_and_the_quota_with_everything_answered_passes():
    assert rules.submit_problems(submission()) == []


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"campaign_status": "screening"}, "campaign_not_nominating"),
        ({"opens_at": NOW + HOUR, "closes_at": NOW + 2 * HOUR}, "not_open"),
        ({"closes_at": NOW - timedelta(seconds=1)}, "closed"),
        ({"opens_at": None}, "not_set"),
        ({"dossier_status": "submitted"}, "status"),
        ({"other_statuses": ("submitted", "ineligible")}, "quota"),
        ({"quota": 0, "other_statuses": ()}, "quota"),
        ({"answers": {1: True, 2: False}}, "checklist"),
        ({"answers": {1: True}}, "checklist"),
        ({"profile": Profile(**(COMPLETE.__dict__ | {"full_name": "  "}))}, "profile:full_name"),
        ({"profile": Profile(**(COMPLETE.__dict__ | {"confirmed_on": None}))}, "profile:confirmation"),
        ({"profile": Profile(**(COMPLETE.__dict__ | {"years_of_work": 60}))}, "profile:years_of_work_range"),
        ({"profile": Profile(**(COMPLETE.__dict__ | {"birth_date": date(2027, 1, 1)}))}, "profile:birth_date_future"),
    ],
)
def test_what_refuses_a_submission(changes, problem):
    assert problem in rules.submit_problems(submission(**changes))


def test_withdrawn_dossiers_free_their_place():
    assert rules.submit_problems(submission(other_statuses=("submitted", "withdrawn", "withdrawn"))) == []
    assert rules.submit_problems(submission(quota=None, other_statuses=("eligible",) * 40)) == []


def test_an_optional_checklist_item_may_stay_unanswered_or_be_no():
    assert rules.checklist_problems([(1, True), (2, False)], {1: True, 2: False}) == []
    assert rules.checklist_problems([(1, True), (2, True)], {1: True, 2: None}) == [2]


def test_every_problem_is_reported_at_once():
    problems = rules.submit_problems(
        submission(campaign_status="draft", dossier_status="withdrawn", answers={}, profile=Profile())
    )
    assert {"campaign_not_nominating", "status", "checklist", "profile:full_name", "profile:achievements"} <= set(
        problems
    )


def test_the_campaign_moves_step_by_step():
    assert rules.can_move("draft", "nominating")
    assert not rules.can_move("draft", "voting")
    assert not rules.can_move("published", "draft")
    for status, targets in CAMPAIGN_TRANSITIONS.items():
        assert status in CAMPAIGN_STATUSES
        assert set(targets) <= set(CAMPAIGN_STATUSES)
        for target in targets:  # each step forward has its way back and the other way round
            assert status in CAMPAIGN_TRANSITIONS[target]


def test_who_may_change_what_when():
    assert rules.can_edit("draft", "nominating")
    assert not rules.can_edit("submitted", "nominating")
    assert not rules.can_edit("draft", "screening")
    assert rules.can_withdraw("eligible", "screening")
    assert not rules.can_withdraw("ineligible", "screening")  # it keeps its place as screened
    assert not rules.can_withdraw("submitted", "voting")
    assert rules.can_screen("submitted", "screening")
    assert not rules.can_screen("draft", "screening")
    assert not rules.can_screen("withdrawn", "screening")
    assert not rules.can_screen("submitted", "voting")
