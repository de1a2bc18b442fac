"""Pure rules of events: who is the same person, pass tokens, capacity and the waiting list, the registration
window. No Flask import; tested directly."""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from app.text import normalize_search

#: Random bytes in a pass token: 24 bytes = 192 bits (at least 128 asked), 32 URL-safe characters.
TOKEN_BYTES = 24
#: A token as `new_token` makes it (and nothing else: a scan that does not match is "unknown" at once).
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def new_token() -> str:
    """A fresh pass token: 192 bits from the operating system's CSPRNG, URL-safe."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_from_scan(scanned: str) -> str | None:
    """The token in what a scanner read: the bare token, or the URL of a pass page ending with it (query string
    and trailing slash ignored). None when it cannot be a token."""
    text = (scanned or "").strip()
    if "/" in text:
        text = text.split("?", 1)[0].split("#", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    return text if TOKEN_PATTERN.match(text) else None


def normalise_email(email: str | None) -> str:
    return (email or "").strip().lower()


def is_email(email: str) -> bool:
    return bool(_EMAIL.match(email))


def dedupe_key(full_name: str, email: str = "", birth_date: date | None = None, unit: str = "") -> str:
    """Who a person is, for "one pass per person per event": their e-mail address when they have one,
    else their name (without diacritics nor case) with their birth date, else with their unit.

    Two authors of different entries with the same e-mail are one invitee; "Nguyễn Văn An" born 18/05/1985 and
    "NGUYEN VAN AN" born the same day are one; two people of the same name in different units are two."""
    mail = normalise_email(email)
    if mail:
        return f"email:{mail}"[:400]
    name = normalize_search(full_name)
    if birth_date is not None:
        return f"name:{name}|{birth_date.isoformat()}"[:400]
    return f"name:{name}|{normalize_search(unit)}"[:400]


def admits(capacity: int | None, holding: int) -> bool:
    """Whether one more person gets a place when `holding` places are taken (no capacity: always)."""
    return capacity is None or holding < capacity


def places_left(capacity: int | None, holding: int) -> int | None:
    """Free places (never negative: organizers may invite past the capacity); None without a capacity."""
    return None if capacity is None else max(capacity - holding, 0)


def to_promote(capacity: int | None, holding: int, waiting: int) -> int:
    """How many people of the waiting list (first come, first served) move up when places free."""
    free = places_left(capacity, holding)
    return waiting if free is None else min(free, waiting)


@dataclass(frozen=True)
class Window:
    """A registration window: either end may be open."""

    opens_at: datetime | None
    closes_at: datetime | None

    def state(self, now: datetime) -> str:
        """'not_yet', 'open' or 'closed' at `now` (naive UTC, like the stored values)."""
        if self.opens_at is not None and now < self.opens_at:
            return "not_yet"
        if self.closes_at is not None and now >= self.closes_at:
            return "closed"
        return "open"


def renumber(positions: Sequence[int | None]) -> list[int]:
    """The waiting list's positions made 1..n in their current order (gaps closed after a promotion or a
    cancellation); rows without a position go last in their given order."""
    order = sorted(range(len(positions)), key=lambda i: (positions[i] is None, positions[i] or 0, i))
    result = [0] * len(positions)
    for rank, index in enumerate(order, start=1):
        result[index] = rank
    return result


#: Question statuses an organizer may move a question to, from each status.
QUESTION_MOVES: dict[str, frozenset[str]] = {
    "new": frozenset({"routed", "answered", "withdrawn"}),
    "routed": frozenset({"routed", "answered", "withdrawn"}),
    "answered": frozenset({"answered"}),
    "withdrawn": frozenset(),
}


def question_may_move(current: str, target: str) -> bool:
    """Whether a question in `current` may become `target` (re-routing and correcting an answer allowed;
    a withdrawn question stays withdrawn)."""
    return target in QUESTION_MOVES.get(current, frozenset())
