"""Dates the Vietnamese way: stored in UTC, shown as dd/mm/yyyy in Asia/Ho_Chi_Minh."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DATE_FORMAT = "%d/%m/%Y"
DATETIME_FORMAT = "%d/%m/%Y %H:%M"


def utcnow() -> datetime:
    """The current time as a naive UTC datetime, as every column stores it."""
    return datetime.now(UTC).replace(tzinfo=None)


def to_local(value: datetime) -> datetime:
    """A stored (naive UTC, or aware) datetime in Vietnam's time zone."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(LOCAL_TZ)


def local_to_utc(value: datetime) -> datetime:
    """A datetime typed in Vietnam's time zone (naive) as the naive UTC value to store."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=LOCAL_TZ)
    return value.astimezone(UTC).replace(tzinfo=None)


def format_date(value: date | datetime | None) -> str:
    """dd/mm/yyyy; a datetime is first moved to Vietnam's time zone."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_local(value)
    return value.strftime(DATE_FORMAT)


def format_datetime(value: datetime | None) -> str:
    """dd/mm/yyyy HH:MM in Vietnam's time zone."""
    if value is None:
        return ""
    return to_local(value).strftime(DATETIME_FORMAT)


def parse_date(text: str) -> date:
    """Parse dd/mm/yyyy (also d/m/yyyy and ISO yyyy-mm-dd); raises ValueError."""
    text = (text or "").strip()
    for fmt in (DATE_FORMAT, "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)
