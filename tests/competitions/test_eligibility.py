"""The pure registration rules (competitions.eligibility): every rule on both sides, its boundaries, the full
status-transition matrix, and properties that hold for any entry."""

from __future__ import annotations

import ast
import itertools
import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from competitions import eligibility
from competitions.eligibility import (
    CONTEST_STATUSES,
    ENTRY_STATUSES,
    EntryData,
    PersonData,
    Problem,
    Rules,
    age_on,
    check_entry,
    entry_transition_allowed,
    missing_documents,
    registration_state,
)


@pytest.fixture(autouse=True)
def _app_context():
    """These rules are pure: no application and no database (replaces tests/conftest.py's autouse fixture)."""
    yield


NOW = datetime(2026, 5, 10, 3, 0)  # naive UTC: 10:00 in Vietnam
OPENS = datetime(2026, 3, 1, 0, 0)
CLOSES = datetime(2026, 7, 31, 17, 0)

YOUTH = Rules(
    kind="youth",
    field_ids=frozenset({1, 2, 3, 4, 5}),
    age_group_ids=frozenset({10, 11, 12}),
    max_authors=5,
    max_teachers=2,
    lookback_date=date(2025, 1, 1),
    birth_from=date(2008, 7, 31),
    birth_to=date(2020, 7, 31),
    opens_at=OPENS,
    closes_at=CLOSES,
)
INNOVATION = Rules(
    kind="innovation",
    field_ids=frozenset(range(21, 28)),
    max_authors=5,
    lookback_date=date(2023, 1, 1),
    opens_at=OPENS,
    closes_at=CLOSES,
)

YOUTH_ENTRY = EntryData(
    title="Máy tưới cây tự động",
    field_id=2,
    age_group_id=11,
    authors=(
        PersonData("Nguyễn Văn An", date(2012, 3, 4), Decimal(60), is_lead=True),
        PersonData("Trần Thị Bình", date(2013, 5, 6), Decimal(40)),
    ),
    teachers=(PersonData("Lê Văn Cường"),),
)
INNOVATION_ENTRY = EntryData(
    title="Hệ thống giám sát vườn điều",
    field_id=24,
    created_on=date(2024, 6, 1),
    applied_on=date(2025, 2, 1),
    authors=(
        PersonData("Phạm Minh Đức", date(1980, 1, 2), Decimal(50), is_lead=True),
        PersonData("Hoàng Thị Em", date(1985, 3, 4), Decimal(30)),
        PersonData("Võ Văn Giang", None, Decimal(20)),
    ),
)

COMPLETENESS_CODES = {
    "missing_title",
    "missing_field",
    "missing_age_group",
    "missing_solution_date",
    "missing_name",
    "missing_birth_date",
    "missing_share",
    "no_authors",
    "no_lead",
    "shares_sum",
}
ALL_CODES = COMPLETENESS_CODES | {
    "registration_not_open",
    "registration_closed",
    "unknown_field",
    "unknown_age_group",
    "before_lookback",
    "date_in_future",
    "too_many_authors",
    "several_leads",
    "birth_outside_window",
    "bad_share",
    "too_many_teachers",
}
FIELD_NAME = re.compile(
    r"(registration|title|field_id|age_group_id|created_on|applied_on|authors|teachers)"
    r"|authors-\d+-(full_name|birth_date|share)|teachers-\d+-full_name"
)


def found(problems: list[Problem]) -> list[tuple[str, str]]:
    return [(p.field, p.code) for p in problems]


def check(entry: EntryData, rules: Rules, *, submit: bool = True, now: datetime = NOW) -> list[tuple[str, str]]:
    return found(check_entry(entry, rules, now=now, for_submit=submit))


def problem(entry: EntryData, rules: Rules, field: str, code: str, *, submit: bool = True) -> Problem:
    matches = [p for p in check_entry(entry, rules, now=NOW, for_submit=submit) if (p.field, p.code) == (field, code)]
    assert len(matches) == 1, check(entry, rules, submit=submit)
    return matches[0]


def with_author(entry: EntryData, i: int, **changes) -> EntryData:
    authors = list(entry.authors)
    authors[i] = replace(authors[i], **changes)
    return replace(entry, authors=tuple(authors))


def shares(entry: EntryData, *values: str | None) -> EntryData:
    people = [
        PersonData(f"Tác giả {i}", date(2012, 1, 1), None if v is None else Decimal(v), is_lead=i == 0)
        for i, v in enumerate(values)
    ]
    return replace(entry, authors=tuple(people))


# --- complete entries -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("submit", [True, False])
@pytest.mark.parametrize(("entry", "rules"), [(YOUTH_ENTRY, YOUTH), (INNOVATION_ENTRY, INNOVATION)])
def test_a_complete_entry_has_no_problem(entry, rules, submit):
    assert check(entry, rules, submit=submit) == []


def test_an_empty_draft_is_saved_while_registration_is_open():
    assert check(EntryData(), YOUTH, submit=False) == []
    assert check(EntryData(), INNOVATION, submit=False) == []


# --- registration state -----------------------------------------------------------------------------------------


def test_registration_opens_at_the_instant_opens_at():
    assert registration_state(YOUTH, OPENS - timedelta(microseconds=1)) == "not_yet"
    assert registration_state(YOUTH, OPENS) == "open"


def test_registration_is_closed_at_the_instant_closes_at():
    assert registration_state(YOUTH, CLOSES - timedelta(microseconds=1)) == "open"
    assert registration_state(YOUTH, CLOSES) == "closed"
    assert registration_state(YOUTH, CLOSES + timedelta(days=1)) == "closed"


def test_registration_without_dates_follows_the_status_alone():
    rules = Rules(kind="youth", field_ids=frozenset({1}))
    assert registration_state(rules, datetime(1900, 1, 1)) == "open"
    assert registration_state(rules, datetime(2999, 1, 1)) == "open"


@pytest.mark.parametrize("status", CONTEST_STATUSES)
def test_registration_state_by_contest_status(status):
    expected = {"draft": "not_yet", "open": "open"}.get(status, "closed")
    assert registration_state(replace(YOUTH, contest_status=status), NOW) == expected


def test_a_draft_contest_is_not_yet_open_even_inside_its_window_and_a_closed_one_is_closed_before_it():
    assert registration_state(replace(YOUTH, contest_status="draft"), CLOSES + timedelta(days=9)) == "not_yet"
    assert registration_state(replace(YOUTH, contest_status="closed"), OPENS - timedelta(days=9)) == "closed"
    assert registration_state(replace(YOUTH, contest_status="something else"), NOW) == "closed"


def test_an_aware_now_is_compared_in_utc():
    vietnam = timezone(timedelta(hours=7))
    assert registration_state(YOUTH, CLOSES.replace(tzinfo=UTC).astimezone(vietnam)) == "closed"
    assert registration_state(YOUTH, (CLOSES - timedelta(seconds=1)).replace(tzinfo=UTC).astimezone(vietnam)) == "open"
    aware_rules = replace(YOUTH, closes_at=CLOSES.replace(tzinfo=UTC).astimezone(vietnam))
    assert aware_rules.closes_at == CLOSES
    assert registration_state(aware_rules, CLOSES) == "closed"


@pytest.mark.parametrize("submit", [True, False])
def test_nothing_is_saved_outside_registration(submit):
    assert check(YOUTH_ENTRY, YOUTH, submit=submit, now=CLOSES) == [("registration", "registration_closed")]
    assert check(YOUTH_ENTRY, YOUTH, submit=submit, now=OPENS - timedelta(seconds=1)) == [
        ("registration", "registration_not_open")
    ]
    assert check(YOUTH_ENTRY, replace(YOUTH, contest_status="draft"), submit=submit) == [
        ("registration", "registration_not_open")
    ]
    assert check(YOUTH_ENTRY, replace(YOUTH, contest_status="judging"), submit=submit) == [
        ("registration", "registration_closed")
    ]
    assert check(YOUTH_ENTRY, YOUTH, submit=submit, now=OPENS) == []


# --- structure: checked for drafts and submissions alike --------------------------------------------------------


@pytest.mark.parametrize("submit", [True, False])
def test_at_most_max_authors(submit):
    five = shares(YOUTH_ENTRY, "20", "20", "20", "20", "20")
    six = shares(YOUTH_ENTRY, "20", "20", "20", "20", "10", "10")
    assert check(five, YOUTH, submit=submit) == []
    assert check(six, YOUTH, submit=submit) == [("authors", "too_many_authors")]
    assert problem(six, YOUTH, "authors", "too_many_authors", submit=submit).params == {"max": 5, "count": 6}
    assert check(six, replace(YOUTH, max_authors=6), submit=submit) == []


@pytest.mark.parametrize("submit", [True, False])
def test_at_most_max_teachers(submit):
    two = replace(YOUTH_ENTRY, teachers=(PersonData("Cô Hoa"), PersonData("Thầy Khánh")))
    three = replace(two, teachers=(*two.teachers, PersonData("Thầy Long")))
    assert check(two, YOUTH, submit=submit) == []
    assert check(three, YOUTH, submit=submit) == [("teachers", "too_many_teachers")]
    assert problem(three, YOUTH, "teachers", "too_many_teachers", submit=submit).params == {"max": 2, "count": 3}


def test_an_innovation_entry_has_no_teacher_by_default():
    with_teacher = replace(INNOVATION_ENTRY, teachers=(PersonData("Thầy Minh"),))
    assert check(with_teacher, INNOVATION) == [("teachers", "too_many_teachers")]


@pytest.mark.parametrize("submit", [True, False])
def test_the_field_is_one_of_the_contest(submit):
    assert check(replace(YOUTH_ENTRY, field_id=5), YOUTH, submit=submit) == []
    assert check(replace(YOUTH_ENTRY, field_id=24), YOUTH, submit=submit) == [("field_id", "unknown_field")]
    assert problem(replace(YOUTH_ENTRY, field_id=24), YOUTH, "field_id", "unknown_field").params == {"field_id": 24}


@pytest.mark.parametrize("submit", [True, False])
def test_the_age_group_is_one_of_the_contest(submit):
    assert check(replace(YOUTH_ENTRY, age_group_id=12), YOUTH, submit=submit) == []
    assert check(replace(YOUTH_ENTRY, age_group_id=99), YOUTH, submit=submit) == [("age_group_id", "unknown_age_group")]
    assert check(replace(INNOVATION_ENTRY, age_group_id=10), INNOVATION, submit=submit) == [
        ("age_group_id", "unknown_age_group")
    ]


@pytest.mark.parametrize("good", ["0.01", "1", "33.33", "50.5", "99.99", "100", "100.00", "20.000"])
@pytest.mark.parametrize("submit", [True, False])
def test_a_good_share(good, submit):
    entry = with_author(replace(YOUTH_ENTRY, authors=YOUTH_ENTRY.authors[:1]), 0, share=Decimal(good))
    codes = {code for _, code in check(entry, YOUTH, submit=submit)}
    assert "bad_share" not in codes


@pytest.mark.parametrize("bad", ["0", "0.00", "-5", "100.01", "101", "33.333", "0.001", "NaN", "sNaN", "Infinity"])
@pytest.mark.parametrize("submit", [True, False])
def test_a_bad_share(bad, submit):
    entry = with_author(YOUTH_ENTRY, 1, share=Decimal(bad))
    assert ("authors-1-share", "bad_share") in check(entry, YOUTH, submit=submit)
    assert ("authors-0-share", "bad_share") not in check(entry, YOUTH, submit=submit)


def test_an_int_share_counts_as_a_decimal():
    entry = replace(YOUTH_ENTRY, authors=tuple(replace(a, share=int(a.share)) for a in YOUTH_ENTRY.authors))
    assert check(entry, YOUTH) == []


@pytest.mark.parametrize("submit", [True, False])
def test_at_most_one_lead(submit):
    two_leads = with_author(YOUTH_ENTRY, 1, is_lead=True)
    assert check(two_leads, YOUTH, submit=submit) == [("authors", "several_leads")]
    assert problem(two_leads, YOUTH, "authors", "several_leads", submit=submit).params == {"count": 2}


@pytest.mark.parametrize("submit", [True, False])
def test_youth_authors_are_born_inside_the_window_bounds_included(submit):
    window = {"from": YOUTH.birth_from, "to": YOUTH.birth_to}
    for birth in (YOUTH.birth_from, YOUTH.birth_to, date(2014, 1, 1)):
        assert check(with_author(YOUTH_ENTRY, 1, birth_date=birth), YOUTH, submit=submit) == []
    for birth in (YOUTH.birth_from - timedelta(days=1), YOUTH.birth_to + timedelta(days=1)):
        entry = with_author(YOUTH_ENTRY, 1, birth_date=birth)
        assert check(entry, YOUTH, submit=submit) == [("authors-1-birth_date", "birth_outside_window")]
        assert problem(entry, YOUTH, "authors-1-birth_date", "birth_outside_window", submit=submit).params == window


def test_a_window_with_one_bound_checks_that_bound():
    only_from = replace(YOUTH, birth_to=None)
    assert check(with_author(YOUTH_ENTRY, 0, birth_date=date(2025, 1, 1)), only_from) == []
    assert check(with_author(YOUTH_ENTRY, 0, birth_date=date(2000, 1, 1)), only_from) == [
        ("authors-0-birth_date", "birth_outside_window")
    ]


def test_innovation_authors_and_youth_teachers_have_no_birth_window():
    rules = replace(INNOVATION, birth_from=date(2008, 7, 31), birth_to=date(2020, 7, 31))
    assert check(INNOVATION_ENTRY, rules) == []
    old_teacher = replace(YOUTH_ENTRY, teachers=(PersonData("Thầy Nam", date(1960, 1, 1)),))
    assert check(old_teacher, YOUTH) == []


def test_teachers_have_no_share():
    entry = replace(YOUTH_ENTRY, teachers=(PersonData("Cô Oanh", share=Decimal(0), is_lead=True),))
    assert check(entry, YOUTH) == []


@pytest.mark.parametrize("name", ["created_on", "applied_on"])
@pytest.mark.parametrize("submit", [True, False])
def test_solution_dates_are_not_before_the_lookback_date(name, submit):
    lookback = INNOVATION.lookback_date
    assert check(replace(INNOVATION_ENTRY, **{name: lookback}), INNOVATION, submit=submit) == []
    early = replace(INNOVATION_ENTRY, **{name: lookback - timedelta(days=1)})
    assert check(early, INNOVATION, submit=submit) == [(name, "before_lookback")]
    assert problem(early, INNOVATION, name, "before_lookback", submit=submit).params == {"date": lookback}
    assert check(early, replace(INNOVATION, lookback_date=None), submit=submit) == []


def test_the_lookback_date_applies_to_youth_entries_too():
    entry = replace(YOUTH_ENTRY, created_on=date(2024, 12, 31))
    assert check(entry, YOUTH) == [("created_on", "before_lookback")]


@pytest.mark.parametrize("name", ["created_on", "applied_on"])
@pytest.mark.parametrize("submit", [True, False])
def test_solution_dates_are_not_in_the_future(name, submit):
    today = NOW.date()
    assert check(replace(INNOVATION_ENTRY, **{name: today}), INNOVATION, submit=submit) == []
    tomorrow = replace(INNOVATION_ENTRY, **{name: today + timedelta(days=1)})
    assert check(tomorrow, INNOVATION, submit=submit) == [(name, "date_in_future")]


def test_the_local_today_is_not_in_the_future_while_utc_is_still_yesterday():
    late_evening_utc = datetime(2026, 5, 10, 20, 0)  # 11 May, 03:00 in Vietnam
    entry = replace(INNOVATION_ENTRY, applied_on=date(2026, 5, 11))
    assert check(entry, INNOVATION, now=late_evening_utc) == []
    entry = replace(INNOVATION_ENTRY, applied_on=date(2026, 5, 12))
    assert check(entry, INNOVATION, now=late_evening_utc) == [("applied_on", "date_in_future")]


def test_datetimes_given_for_dates_count_as_their_date():
    entry = replace(INNOVATION_ENTRY, created_on=datetime(2023, 1, 1, 23, 59))
    assert check(entry, replace(INNOVATION, lookback_date=datetime(2023, 1, 1, 12, 0))) == []


# --- completeness: checked on submit only -----------------------------------------------------------------------


@pytest.mark.parametrize("title", ["", "   ", "\t\n"])
def test_a_submitted_entry_has_a_title(title):
    assert check(replace(YOUTH_ENTRY, title=title), YOUTH) == [("title", "missing_title")]
    assert check(replace(YOUTH_ENTRY, title=title), YOUTH, submit=False) == []


def test_a_submitted_entry_has_a_field():
    assert check(replace(YOUTH_ENTRY, field_id=None), YOUTH) == [("field_id", "missing_field")]
    assert check(replace(YOUTH_ENTRY, field_id=None), YOUTH, submit=False) == []


def test_a_submitted_youth_entry_has_an_age_group_when_the_contest_uses_them():
    no_group = replace(YOUTH_ENTRY, age_group_id=None)
    assert check(no_group, YOUTH) == [("age_group_id", "missing_age_group")]
    assert check(no_group, YOUTH, submit=False) == []
    assert check(no_group, replace(YOUTH, age_group_ids=frozenset())) == []
    assert check(INNOVATION_ENTRY, replace(INNOVATION, age_group_ids=frozenset({10}))) == []


def test_a_submitted_entry_has_an_author():
    no_author = replace(YOUTH_ENTRY, authors=())
    assert check(no_author, YOUTH) == [("authors", "no_authors")]
    assert check(no_author, YOUTH, submit=False) == []


def test_a_submitted_entry_has_a_lead_author():
    no_lead = with_author(YOUTH_ENTRY, 0, is_lead=False)
    assert check(no_lead, YOUTH) == [("authors", "no_lead")]
    assert check(no_lead, YOUTH, submit=False) == []
    assert check(with_author(no_lead, 1, is_lead=True), YOUTH) == []


def test_every_submitted_author_has_a_name():
    nameless = with_author(YOUTH_ENTRY, 1, full_name="  ")
    assert check(nameless, YOUTH) == [("authors-1-full_name", "missing_name")]
    assert check(nameless, YOUTH, submit=False) == []
    nameless_teacher = replace(YOUTH_ENTRY, teachers=(PersonData("Cô Phương"), PersonData("")))
    assert check(nameless_teacher, YOUTH) == [("teachers-1-full_name", "missing_name")]
    assert check(nameless_teacher, YOUTH, submit=False) == []


def test_every_submitted_author_has_a_share():
    no_share = with_author(YOUTH_ENTRY, 1, share=None)
    assert check(no_share, YOUTH) == [("authors-1-share", "missing_share")]  # and no total of the shares given
    assert check(no_share, YOUTH, submit=False) == []


@pytest.mark.parametrize(
    "values",
    [("100",), ("50", "50"), ("33.33", "33.33", "33.34"), ("0.01", "99.99"), ("50.00", "25.5", "24.50"), ("20",) * 5],
)
def test_shares_summing_to_100_are_accepted(values):
    assert check(shares(YOUTH_ENTRY, *values), YOUTH) == []


@pytest.mark.parametrize(
    ("values", "total"),
    [
        (("33.33", "33.33", "33.33"), "99.99"),
        (("50", "40"), "90"),
        (("60", "40.01"), "100.01"),
        (("90",), "90"),
        (("100", "100"), "200"),
        (("1E+2", "1E+1"), "110"),
    ],
)
def test_shares_not_summing_to_100_are_refused_on_submit(values, total):
    entry = shares(YOUTH_ENTRY, *values)
    assert check(entry, YOUTH) == [("authors", "shares_sum")]
    assert problem(entry, YOUTH, "authors", "shares_sum").params == {"total": total}
    assert check(entry, YOUTH, submit=False) == []


def test_bad_shares_still_count_in_the_total():
    assert check(shares(YOUTH_ENTRY, "60", "0"), YOUTH) == [("authors", "shares_sum"), ("authors-1-share", "bad_share")]
    assert check(shares(YOUTH_ENTRY, "100.5", "-0.5"), YOUTH) == [
        ("authors-0-share", "bad_share"),
        ("authors-1-share", "bad_share"),
    ]


def test_every_submitted_youth_author_has_a_birth_date():
    unborn = with_author(YOUTH_ENTRY, 0, birth_date=None)
    assert check(unborn, YOUTH) == [("authors-0-birth_date", "missing_birth_date")]
    assert check(unborn, YOUTH, submit=False) == []
    assert check(with_author(INNOVATION_ENTRY, 0, birth_date=None), INNOVATION) == []


def test_a_submitted_innovation_entry_has_a_creation_or_application_date():
    undated = replace(INNOVATION_ENTRY, created_on=None, applied_on=None)
    assert check(undated, INNOVATION) == [("created_on", "missing_solution_date")]
    assert check(undated, INNOVATION, submit=False) == []
    assert check(replace(INNOVATION_ENTRY, created_on=None), INNOVATION) == []
    assert check(replace(INNOVATION_ENTRY, applied_on=None), INNOVATION) == []
    assert check(replace(YOUTH_ENTRY, created_on=None, applied_on=None), YOUTH) == []


# --- order --------------------------------------------------------------------------------------------------------


def test_problems_come_in_form_order():
    entry = EntryData(
        title="",
        field_id=99,
        age_group_id=None,
        created_on=date(2020, 1, 1),
        applied_on=date(2030, 1, 1),
        authors=(
            PersonData("", date(1990, 1, 1), Decimal("0"), is_lead=True),
            PersonData("Bình", None, None, is_lead=True),
            *(PersonData(f"Tác giả {i}", date(2012, 1, 1), Decimal(10)) for i in range(4)),
        ),
        teachers=(PersonData("Thầy An"), PersonData(""), PersonData("Cô Ba")),
    )
    assert check(entry, YOUTH, now=CLOSES) == [
        ("registration", "registration_closed"),
        ("title", "missing_title"),
        ("field_id", "unknown_field"),
        ("age_group_id", "missing_age_group"),
        ("created_on", "before_lookback"),
        ("applied_on", "date_in_future"),
        ("authors", "too_many_authors"),
        ("authors", "several_leads"),
        ("authors-0-full_name", "missing_name"),
        ("authors-0-birth_date", "birth_outside_window"),
        ("authors-0-share", "bad_share"),
        ("authors-1-birth_date", "missing_birth_date"),
        ("authors-1-share", "missing_share"),
        ("teachers", "too_many_teachers"),
        ("teachers-1-full_name", "missing_name"),
    ]


# --- status transitions -------------------------------------------------------------------------------------------

ALLOWED = {
    # (actor, from, to, registration_open), written out by hand from the rules
    ("contestant", "draft", "submitted", True),
    ("contestant", "returned", "submitted", True),
    ("contestant", "draft", "withdrawn", True),
    ("contestant", "draft", "withdrawn", False),
    ("contestant", "submitted", "withdrawn", True),
    ("contestant", "submitted", "withdrawn", False),
    ("contestant", "returned", "withdrawn", True),
    ("contestant", "returned", "withdrawn", False),
    ("organizer", "submitted", "eligible", True),
    ("organizer", "submitted", "eligible", False),
    ("organizer", "submitted", "ineligible", True),
    ("organizer", "submitted", "ineligible", False),
    ("organizer", "submitted", "returned", True),
    ("organizer", "submitted", "returned", False),
    ("organizer", "returned", "eligible", True),
    ("organizer", "returned", "eligible", False),
    ("organizer", "returned", "ineligible", True),
    ("organizer", "returned", "ineligible", False),
    ("organizer", "eligible", "ineligible", True),
    ("organizer", "eligible", "ineligible", False),
    ("organizer", "ineligible", "eligible", True),
    ("organizer", "ineligible", "eligible", False),
    ("organizer", "eligible", "returned", True),
    ("organizer", "eligible", "returned", False),
    ("organizer", "ineligible", "returned", True),
    ("organizer", "ineligible", "returned", False),
}
MATRIX = list(itertools.product(("contestant", "organizer"), ENTRY_STATUSES, ENTRY_STATUSES, (True, False)))


def test_the_matrix_covers_every_case():
    assert len(MATRIX) == 2 * 6 * 6 * 2
    assert ALLOWED.issubset(MATRIX)


@pytest.mark.parametrize(("actor", "current", "target", "registration_open"), MATRIX, ids=lambda v: str(v))
def test_entry_transition(actor, current, target, registration_open):
    expected = (actor, current, target, registration_open) in ALLOWED
    assert entry_transition_allowed(current, target, actor, registration_open=registration_open) is expected


@pytest.mark.parametrize(
    ("current", "target", "actor"),
    [
        ("draft", "submitted", "judge"),
        ("draft", "submitted", "admin"),
        ("submitted", "eligible", "contestant"),
        ("archived", "submitted", "contestant"),
        ("submitted", "won", "organizer"),
        ("", "", ""),
    ],
)
def test_unknown_actors_and_statuses_move_nothing(current, target, actor):
    assert entry_transition_allowed(current, target, actor, registration_open=True) is False


# --- documents and ages -------------------------------------------------------------------------------------------


def test_missing_documents():
    assert missing_documents([1, 2, 3], [2, 2, 9]) == {1, 3}
    assert missing_documents([1, 2], [1, 2]) == set()
    assert missing_documents([], [4]) == set()
    assert missing_documents(iter([5]), iter([])) == {5}


@pytest.mark.parametrize(
    ("birth", "day", "age"),
    [
        (date(2010, 7, 31), date(2026, 7, 31), 16),
        (date(2010, 7, 31), date(2026, 7, 30), 15),
        (date(2010, 7, 31), date(2010, 7, 31), 0),
        (date(2012, 2, 29), date(2013, 2, 28), 0),
        (date(2012, 2, 29), date(2013, 3, 1), 1),
        (date(2012, 2, 29), date(2016, 2, 29), 4),
        (date(2010, 12, 31), date(2011, 1, 1), 0),
        (date(2010, 5, 10), date(2010, 5, 9), -1),
    ],
)
def test_age_on(birth, day, age):
    assert age_on(birth, day) == age


# --- rules ----------------------------------------------------------------------------------------------------------


def test_rules_know_two_kinds_only():
    with pytest.raises(ValueError, match="kind"):
        Rules(kind="honors", field_ids=frozenset())


def test_rules_store_sets_as_frozensets():
    rules = Rules(kind="youth", field_ids={1, 2}, age_group_ids=[3])
    assert rules.field_ids == frozenset({1, 2}) and rules.age_group_ids == frozenset({3})
    assert hash(rules) == hash(Rules(kind="youth", field_ids=frozenset({1, 2}), age_group_ids=frozenset({3})))


def test_the_rules_import_nothing_but_the_standard_library():
    source = Path(eligibility.__file__).read_text(encoding="utf-8")
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module.split(".")[0])
    assert imported <= {"__future__", "collections", "dataclasses", "datetime", "decimal"}


def test_a_float_share_is_a_programming_error():
    with pytest.raises(TypeError):
        check_entry(with_author(YOUTH_ENTRY, 0, share=60.0), YOUTH, now=NOW, for_submit=True)


# --- properties -------------------------------------------------------------------------------------------------

PROPERTY = settings(max_examples=150, deadline=None)


@st.composite
def complete_youth_entries(draw) -> EntryData:
    """1-5 authors, positive integer shares summing to 100, one lead, births in the window; complete."""
    count = draw(st.integers(1, 5))
    cuts = sorted(draw(st.lists(st.integers(1, 99), min_size=count - 1, max_size=count - 1, unique=True)))
    values = [b - a for a, b in itertools.pairwise([0, *cuts, 100])]
    lead = draw(st.integers(0, count - 1))
    names = st.text(min_size=1, max_size=20).filter(str.strip)
    authors = tuple(
        PersonData(
            full_name=draw(names),
            birth_date=draw(st.dates(YOUTH.birth_from, YOUTH.birth_to)),
            share=Decimal(value),
            is_lead=i == lead,
        )
        for i, value in enumerate(values)
    )
    teachers = tuple(draw(st.lists(st.builds(PersonData, full_name=names), max_size=YOUTH.max_teachers)))
    solution_dates = st.none() | st.dates(YOUTH.lookback_date, OPENS.date())  # never after any open moment
    return EntryData(
        title=draw(names),
        field_id=draw(st.sampled_from(sorted(YOUTH.field_ids))),
        age_group_id=draw(st.sampled_from(sorted(YOUTH.age_group_ids))),
        created_on=draw(solution_dates),
        applied_on=draw(solution_dates),
        authors=authors,
        teachers=teachers,
    )


open_moments = st.datetimes(OPENS, CLOSES - timedelta(microseconds=1))


@PROPERTY
@given(entry=complete_youth_entries(), now=open_moments, submit=st.booleans())
def test_property_a_complete_youth_entry_has_no_problem(entry, now, submit):
    assert check_entry(entry, YOUTH, now=now, for_submit=submit) == []


@PROPERTY
@given(
    entry=complete_youth_entries(),
    data=st.data(),
    delta=st.decimals(-150, 150, places=2, allow_nan=False, allow_infinity=False).filter(bool),
)
def test_property_changing_one_share_breaks_the_sum(entry, data, delta):
    i = data.draw(st.integers(0, len(entry.authors) - 1))
    changed = with_author(entry, i, share=entry.authors[i].share + delta)
    problems = check_entry(changed, YOUTH, now=NOW, for_submit=True)
    assert ("authors", "shares_sum") in found(problems)
    assert {p.code for p in problems} <= {"shares_sum", "bad_share"}


people = st.builds(PersonData)
entries = st.builds(
    EntryData,
    authors=st.lists(people, max_size=8).map(tuple),
    teachers=st.lists(people, max_size=4).map(tuple),
)
ids = st.frozensets(st.integers(0, 30), max_size=8)
maybe_dates = st.none() | st.dates()
maybe_datetimes = st.none() | st.datetimes()
any_rules = st.builds(
    Rules,
    kind=st.sampled_from(["innovation", "youth"]),
    field_ids=ids,
    age_group_ids=ids,
    max_authors=st.integers(0, 8),
    max_teachers=st.integers(0, 4),
    lookback_date=maybe_dates,
    birth_from=maybe_dates,
    birth_to=maybe_dates,
    opens_at=maybe_datetimes,
    closes_at=maybe_datetimes,
    contest_status=st.sampled_from(CONTEST_STATUSES),
)


def form_position(field: str) -> tuple:
    head, _, rest = field.partition("-")
    index, _, name = rest.partition("-")
    order = ["registration", "title", "field_id", "age_group_id", "created_on", "applied_on", "authors", "teachers"]
    subfield = ["", "full_name", "birth_date", "share"]
    return (order.index(head), int(index) if index else -1, subfield.index(name))


@settings(max_examples=200, deadline=None)
@given(entry=entries, rules=any_rules, now=st.datetimes(), submit=st.booleans())
def test_property_any_entry_is_checked_without_raising(entry, rules, now, submit):
    problems = check_entry(entry, rules, now=now, for_submit=submit)
    for p in problems:
        assert FIELD_NAME.fullmatch(p.field), p
        assert p.code in ALL_CODES, p
        assert isinstance(p.params, dict)
    positions = [form_position(p.field) for p in problems]
    assert positions == sorted(positions)
    assert len(set(found(problems))) == len(problems)


@PROPERTY
@given(entry=entries, rules=any_rules, now=st.datetimes())
def test_property_drafts_never_get_completeness_problems(entry, rules, now):
    codes = {p.code for p in check_entry(entry, rules, now=now, for_submit=False)}
    assert not codes & COMPLETENESS_CODES
    assert not any(code.startswith("missing_") for code in codes)


@PROPERTY
@given(entry=entries, rules=any_rules, now=st.datetimes())
def test_property_a_draft_problem_is_also_a_submission_problem(entry, rules, now):
    draft = set(found(check_entry(entry, rules, now=now, for_submit=False)))
    assert draft <= set(found(check_entry(entry, rules, now=now, for_submit=True)))
