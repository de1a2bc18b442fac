"""Dates stored in UTC and shown dd/mm/yyyy in Asia/Ho_Chi_Minh (app/timefmt.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.timefmt import (
    LOCAL_TZ,
    format_date,
    format_datetime,
    local_to_utc,
    parse_date,
    to_local,
    utcnow,
)

PROPERTY_SETTINGS = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
SEVEN_HOURS = timedelta(hours=7)
#: Vietnam has kept UTC+7 without daylight saving since 13/06/1975.
modern_datetimes = st.datetimes(min_value=datetime(1976, 1, 1), max_value=datetime(2100, 12, 31, 23, 59, 59))


# --- formatting -------------------------------------------------------------------------------------------------


def test_format_date_of_a_date_is_dd_mm_yyyy():
    assert format_date(date(2026, 1, 5)) == "05/01/2026"
    assert format_date(date(2025, 12, 31)) == "31/12/2025"


def test_format_date_of_none_is_empty():
    assert format_date(None) == ""
    assert format_datetime(None) == ""


def test_new_year_in_utc_evening_is_already_new_year_in_vietnam():
    stored = datetime(2025, 12, 31, 17, 30)  # naive UTC, as columns store it
    assert format_date(stored) == "01/01/2026"
    assert format_datetime(stored) == "01/01/2026 00:30"


def test_just_before_local_midnight_is_still_the_old_day():
    stored = datetime(2025, 12, 31, 16, 59)
    assert format_date(stored) == "31/12/2025"
    assert format_datetime(stored) == "31/12/2025 23:59"


def test_format_datetime_adds_seven_hours_and_pads():
    assert format_datetime(datetime(2026, 3, 4, 1, 5, 59)) == "04/03/2026 08:05"
    assert format_datetime(datetime(2026, 3, 4, 0, 0)) == "04/03/2026 07:00"


def test_aware_datetimes_are_converted_from_their_own_zone():
    aware_utc = datetime(2025, 12, 31, 17, 30, tzinfo=UTC)
    assert format_datetime(aware_utc) == "01/01/2026 00:30"
    paris_winter = timezone(timedelta(hours=1))
    assert format_datetime(datetime(2025, 12, 31, 18, 30, tzinfo=paris_winter)) == "01/01/2026 00:30"
    already_local = datetime(2026, 1, 1, 0, 30, tzinfo=LOCAL_TZ)
    assert format_datetime(already_local) == "01/01/2026 00:30"
    assert format_date(already_local) == "01/01/2026"


def test_format_date_does_not_shift_a_plain_date():
    # a date has no time and no zone: 31/12 stays 31/12 (only datetimes move to Vietnam's time)
    assert format_date(date(2025, 12, 31)) == "31/12/2025"


# --- time zone conversion ---------------------------------------------------------------------------------------


def test_to_local_reads_naive_values_as_utc():
    local = to_local(datetime(2025, 12, 31, 17, 30))
    assert local.tzinfo is not None
    assert local.utcoffset() == SEVEN_HOURS
    assert local.replace(tzinfo=None) == datetime(2026, 1, 1, 0, 30)
    assert local == datetime(2025, 12, 31, 17, 30, tzinfo=UTC)


def test_to_local_converts_aware_values():
    local = to_local(datetime(2026, 6, 1, 12, 0, tzinfo=timezone(timedelta(hours=-5))))
    assert local.replace(tzinfo=None) == datetime(2026, 6, 2, 0, 0)


def test_local_to_utc_reads_naive_values_as_vietnamese_time():
    stored = local_to_utc(datetime(2026, 1, 1, 0, 30))
    assert stored == datetime(2025, 12, 31, 17, 30)
    assert stored.tzinfo is None


def test_local_to_utc_converts_aware_values_and_drops_the_zone():
    stored = local_to_utc(datetime(2026, 1, 1, 9, 0, tzinfo=timezone(timedelta(hours=9))))
    assert stored == datetime(2026, 1, 1, 0, 0)
    assert stored.tzinfo is None


def test_utcnow_is_naive_utc():
    before = datetime.now(UTC).replace(tzinfo=None)
    now = utcnow()
    after = datetime.now(UTC).replace(tzinfo=None)
    assert now.tzinfo is None
    assert before <= now <= after


@PROPERTY_SETTINGS
@given(modern_datetimes)
def test_utc_to_local_and_back(stored):
    local = to_local(stored)
    assert local.utcoffset() == SEVEN_HOURS
    assert local.replace(tzinfo=None) - stored == SEVEN_HOURS
    assert local_to_utc(local) == stored
    assert local_to_utc(local.replace(tzinfo=None)) == stored


@PROPERTY_SETTINGS
@given(modern_datetimes)
def test_local_to_utc_and_back(typed):
    stored = local_to_utc(typed)
    assert typed - stored == SEVEN_HOURS
    assert to_local(stored).replace(tzinfo=None) == typed


@PROPERTY_SETTINGS
@given(modern_datetimes)
def test_formatted_datetime_is_the_local_wall_clock(stored):
    local = stored + SEVEN_HOURS
    assert format_datetime(stored) == f"{local.day:02d}/{local.month:02d}/{local.year} {local:%H:%M}"
    assert format_date(stored) == f"{local.day:02d}/{local.month:02d}/{local.year}"
    assert parse_date(format_date(stored)) == local.date()


# --- parsing ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("05/01/2026", date(2026, 1, 5)),
        ("5/1/2026", date(2026, 1, 5)),
        ("31/12/2025", date(2025, 12, 31)),
        ("29/02/2024", date(2024, 2, 29)),
        ("  05/01/2026\n", date(2026, 1, 5)),
        ("2026-01-05", date(2026, 1, 5)),
        ("2025-12-31", date(2025, 12, 31)),
        (" 2024-02-29 ", date(2024, 2, 29)),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected
    assert type(parse_date(text)) is date


def test_parse_date_reads_day_before_month():
    # 01/02 is the first of February, not the second of January
    assert parse_date("01/02/2026") == date(2026, 2, 1)
    assert parse_date("13/01/2026") == date(2026, 1, 13)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        None,
        "hôm nay",
        "31/02/2026",  # no such day
        "29/02/2025",  # not a leap year
        "32/01/2026",
        "01/13/2026",  # month first (US) is not accepted
        "12/31/2025",
        "05/01/26",  # two-digit year
        "05-01-2026",
        "05.01.2026",
        "2026/01/05",
        "2026-13-01",
        "2026-02-30",
        "05/01/2026 10:00",
        "2026-01-05T10:00",
    ],
)
def test_parse_date_refuses(text):
    with pytest.raises(ValueError):
        parse_date(text)


@PROPERTY_SETTINGS
@given(st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31)))
def test_parse_date_reads_what_format_date_writes(day):
    assert parse_date(format_date(day)) == day
    assert parse_date(day.isoformat()) == day
    assert parse_date(f"{day.day}/{day.month}/{day.year}") == day
