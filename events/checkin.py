"""The door's rules, with no Flask import: what a scan's answer is, and in which order an offline queue is
replayed (what a scanned code holds is `events.rules.token_from_scan`).

A scan's outcome, checked in this order (the first that holds wins):

1. ``unknown``: the code is no pass at all (a typo, another system's QR, a forged token);
2. ``wrong_event``: a real pass, but for another event (nothing more about it is told);
3. ``revoked``: the pass was revoked (a replaced pass is revoked too: only its replacement admits), its holder no
   longer holds a place (cancelled, waitlisted), or the event was cancelled;
4. ``already``: the holder is checked in already (when, and by which staff member, is told);
5. ``checked_in``: let them in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TypeVar


class Outcome(StrEnum):
    CHECKED_IN = "checked_in"
    ALREADY = "already"
    WRONG_EVENT = "wrong_event"
    REVOKED = "revoked"
    UNKNOWN = "unknown"


#: Outcomes that let nobody in; the console shows them in red.
REFUSALS = frozenset({Outcome.WRONG_EVENT, Outcome.REVOKED, Outcome.UNKNOWN})

#: A client's nonce (a UUID, or any 8 to 64 URL-safe characters).
NONCE_RE = re.compile(r"[A-Za-z0-9_-]{8,64}")
#: A device's id as the console makes it (kept as sent when it is well-formed, otherwise dropped).
DEVICE_RE = re.compile(r"[A-Za-z0-9_.:-]{1,64}")


def clean_nonce(nonce: str | None) -> str | None:
    """The nonce when well-formed, else None (the caller refuses the request: without one a retry would count twice)."""
    if nonce is None:
        return None
    nonce = nonce.strip()
    return nonce if NONCE_RE.fullmatch(nonce) else None


def clean_device(device: str | None) -> str:
    device = (device or "").strip()
    return device if DEVICE_RE.fullmatch(device) else ""


@dataclass(frozen=True)
class PassState:
    """What the door needs to know of a pass."""

    event_id: int
    revoked: bool


@dataclass(frozen=True)
class Prior:
    """The holder's live check-in, if any: when, and by whom."""

    at: datetime
    by: str


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    prior: Prior | None = None

    @property
    def admits(self) -> bool:
        return self.outcome is Outcome.CHECKED_IN


def decide(pass_state: PassState | None, event_id: int, prior: Prior | None) -> Decision:
    """The answer to one scan at the door of event `event_id` (see the module's docstring for the order)."""
    if pass_state is None:
        return Decision(Outcome.UNKNOWN)
    if pass_state.event_id != event_id:
        return Decision(Outcome.WRONG_EVENT)
    if pass_state.revoked:
        return Decision(Outcome.REVOKED)
    if prior is not None:
        return Decision(Outcome.ALREADY, prior)
    return Decision(Outcome.CHECKED_IN)


@dataclass(frozen=True)
class QueuedScan:
    """One scan a console kept while offline: its nonce, what it read, and the device's clock at the time."""

    nonce: str
    code: str
    client_at: datetime | None
    source: str = "offline"


Q = TypeVar("Q", bound=QueuedScan)


def replay_order(scans: Iterable[Q]) -> list[Q]:
    """The queue as the server replays it: by the device's clock (scans without a time last, in the order sent),
    the nonce breaking ties; a nonce sent twice in one batch is replayed once (its first copy)."""
    seen: set[str] = set()
    unique: list[tuple[int, Q]] = []
    for position, scan in enumerate(scans):
        if scan.nonce in seen:
            continue
        seen.add(scan.nonce)
        unique.append((position, scan))

    def key(item: tuple[int, Q]) -> tuple:
        position, scan = item
        if scan.client_at is None:
            return (1, datetime.max, position, scan.nonce)
        return (0, scan.client_at, 0, scan.nonce)

    return [scan for _, scan in sorted(unique, key=key)]
