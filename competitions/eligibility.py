"""The rules an entry must meet to be saved and submitted in one contest edition, and who may move it where.

Pure Python: no Flask, no SQLAlchemy. Services turn their records into the frozen dataclasses below, call
`check_entry`, and put each `Problem` under the form field it names (WTForms naming: "title",
"authors-0-share", ...); `Problem.code` picks the message and `Problem.params` fills it.

A draft is saved whenever registration is open, even incomplete, but never with an impossible structure (too
many authors, an unknown field, a share of 0 %, an author born outside the window, ...). Submitting needs
everything. Problems come out in the order the fields appear in the form:

    registration, title, field_id, age_group_id, created_on, applied_on,
    authors, authors-0-full_name, authors-0-birth_date, authors-0-share, authors-1-..., teachers, teachers-0-full_name

Times are naive UTC. Dates a person types (birth, creation, application) are calendar dates: one is "in the
future" only when it is later than today's date everywhere on Earth (UTC+14), so a contestant in Vietnam (UTC+7)
may type their own today between 00:00 and 07:00 local time, when the UTC date is still yesterday.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import MAX_EMAX, MIN_EMIN, ROUND_HALF_EVEN, Context, Decimal, Inexact, localcontext

__all__ = [
    "CONTEST_STATUSES",
    "ENTRY_STATUSES",
    "EntryData",
    "PersonData",
    "Problem",
    "Rules",
    "age_on",
    "check_entry",
    "entry_transition_allowed",
    "missing_documents",
    "registration_state",
]

ENTRY_STATUSES = ("draft", "submitted", "returned", "eligible", "ineligible", "withdrawn")
CONTEST_STATUSES = ("draft", "open", "closed", "judging", "results", "archived")

_KINDS = ("innovation", "youth")
_HUNDRED = Decimal(100)
_CENT = Decimal("0.01")
# The most eastern time zone: a date later than now + 14 h is in the future for everyone.
_LATEST_UTC_OFFSET = timedelta(hours=14)


def _decimal_context() -> Context:
    """Exact for any real shares (<= 100, two decimals); never traps, whatever the caller's context is."""
    return Context(prec=28, rounding=ROUND_HALF_EVEN, Emax=MAX_EMAX, Emin=MIN_EMIN, traps=[])


def _naive_utc(value: datetime | None) -> datetime | None:
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone(UTC).replace(tzinfo=None)


def _day(value: date | None) -> date | None:
    """A datetime given where a date is meant counts as its date (comparing the two would raise)."""
    return value.date() if isinstance(value, datetime) else value


@dataclass(frozen=True)
class Rules:
    """One contest edition's rules. Sets are stored as frozensets, aware datetimes as naive UTC."""

    kind: str  # "innovation" | "youth"
    field_ids: frozenset[int]
    age_group_ids: frozenset[int] = frozenset()  # youth: age groups or school levels; empty = not used
    max_authors: int = 5
    max_teachers: int = 0
    lookback_date: date | None = None  # solutions created or applied on/after this date
    birth_from: date | None = None  # youth: authors born on/after
    birth_to: date | None = None  # youth: authors born on/before
    opens_at: datetime | None = None  # naive UTC
    closes_at: datetime | None = None  # naive UTC (registration closes at this instant)
    contest_status: str = "open"

    def __post_init__(self) -> None:
        if self.kind not in _KINDS:
            raise ValueError(f"unknown contest kind {self.kind!r}, expected one of {_KINDS}")
        normalized = {
            "field_ids": frozenset(self.field_ids),
            "age_group_ids": frozenset(self.age_group_ids),
            "lookback_date": _day(self.lookback_date),
            "birth_from": _day(self.birth_from),
            "birth_to": _day(self.birth_to),
            "opens_at": _naive_utc(self.opens_at),
            "closes_at": _naive_utc(self.closes_at),
        }
        for name, value in normalized.items():
            object.__setattr__(self, name, value)


@dataclass(frozen=True)
class PersonData:
    full_name: str = ""
    birth_date: date | None = None
    share: Decimal | None = None  # contribution share in percent (authors only)
    is_lead: bool = False


@dataclass(frozen=True)
class EntryData:
    title: str = ""
    field_id: int | None = None
    age_group_id: int | None = None
    created_on: date | None = None  # when the solution was created
    applied_on: date | None = None  # when it was first applied
    authors: tuple[PersonData, ...] = ()
    teachers: tuple[PersonData, ...] = ()


@dataclass(frozen=True)
class Problem:
    """What is wrong, where: `field` in WTForms naming, `code` a stable machine code, `params` for the message.

    Codes, by field:

    ==========================  ==================================================  ==========================
    field                       code                                                params
    ==========================  ==================================================  ==========================
    registration                registration_not_open                               opens_at
    registration                registration_closed                                 closes_at
    title                       missing_title (submit)
    field_id                    unknown_field; missing_field (submit)               field_id
    age_group_id                unknown_age_group; missing_age_group (submit)       age_group_id
    created_on, applied_on      before_lookback                                     date (the look-back date)
    created_on, applied_on      date_in_future                                      date (the date given)
    created_on                  missing_solution_date (submit, innovation)
    authors                     too_many_authors                                    max, count
    authors                     no_authors, no_lead (submit); several_leads         count (several_leads)
    authors                     shares_sum (submit)                                 total (a string)
    authors-i-full_name         missing_name (submit)
    authors-i-birth_date        birth_outside_window (youth)                        from, to (either may be None)
    authors-i-birth_date        missing_birth_date (submit, youth)
    authors-i-share             bad_share; missing_share (submit)
    teachers                    too_many_teachers                                   max, count
    teachers-i-full_name        missing_name (submit)
    ==========================  ==================================================  ==========================
    """

    field: str
    code: str
    params: dict = dataclasses.field(default_factory=dict)


def registration_state(rules: Rules, now: datetime) -> str:
    """The registration state at `now`: "not_yet", "open" or "closed" (naive UTC; an aware datetime is converted).

    A draft contest is "not_yet"; any other status but "open" is "closed". An open contest is "not_yet" before
    `opens_at`, and "closed" from the instant `closes_at` on (opens_at is inclusive, closes_at exclusive).
    """
    if rules.contest_status == "draft":
        return "not_yet"
    if rules.contest_status != "open":
        return "closed"
    now = _naive_utc(now)
    if rules.opens_at is not None and now < rules.opens_at:
        return "not_yet"
    if rules.closes_at is not None and now >= rules.closes_at:
        return "closed"
    return "open"


def _latest_today(now: datetime) -> date:
    try:
        return (now + _LATEST_UTC_OFFSET).date()
    except OverflowError:
        return date.max


def _bad_share(share: Decimal) -> bool:
    with localcontext(_decimal_context()):
        if not share.is_finite() or share <= 0 or share > _HUNDRED:
            return True
        return share.quantize(_CENT) != share


def _shares_total(shares: list[Decimal]) -> tuple[Decimal, bool]:
    """The sum and whether it is exact (it always is for shares that pass `_bad_share`)."""
    with localcontext(_decimal_context()) as ctx:
        total = sum(shares, Decimal(0))
        return total, not ctx.flags[Inexact]


def _decimal_text(value: Decimal) -> str:
    """Plain notation ("99.99", "100.00", "90"), whatever exponent the inputs had (scientific if absurdly large)."""
    if value.is_finite() and -30 < value.adjusted() < 30:
        return f"{value:f}"
    return str(value)


def _as_share(value: object) -> Decimal | None:
    if value is None or isinstance(value, Decimal):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    raise TypeError(f"a share is a Decimal (or an int), not {type(value).__name__}")


def check_entry(entry: EntryData, rules: Rules, *, now: datetime, for_submit: bool) -> list[Problem]:
    """Every problem with `entry` under `rules` at `now`, in form order; empty when it may be saved (as a draft,
    `for_submit=False`) or submitted (`for_submit=True`). See `Problem` for the codes."""
    problems: list[Problem] = []

    def add(field: str, code: str, params: dict | None = None) -> None:
        problems.append(Problem(field, code, params or {}))

    youth = rules.kind == "youth"

    state = registration_state(rules, now)
    if state == "not_yet":
        add("registration", "registration_not_open", {"opens_at": rules.opens_at})
    elif state == "closed":
        add("registration", "registration_closed", {"closes_at": rules.closes_at})

    if for_submit and not (entry.title or "").strip():
        add("title", "missing_title")

    if entry.field_id is None:
        if for_submit:
            add("field_id", "missing_field")
    elif entry.field_id not in rules.field_ids:
        add("field_id", "unknown_field", {"field_id": entry.field_id})

    if entry.age_group_id is None:
        if for_submit and youth and rules.age_group_ids:
            add("age_group_id", "missing_age_group")
    elif entry.age_group_id not in rules.age_group_ids:
        add("age_group_id", "unknown_age_group", {"age_group_id": entry.age_group_id})

    latest_today = _latest_today(_naive_utc(now))
    created_on, applied_on = _day(entry.created_on), _day(entry.applied_on)
    if for_submit and not youth and created_on is None and applied_on is None:
        add("created_on", "missing_solution_date")
    for name, day in (("created_on", created_on), ("applied_on", applied_on)):
        if day is None:
            continue
        if rules.lookback_date is not None and day < rules.lookback_date:
            add(name, "before_lookback", {"date": rules.lookback_date})
        if day > latest_today:
            add(name, "date_in_future", {"date": day})

    authors = tuple(entry.authors)
    shares = [_as_share(author.share) for author in authors]
    if len(authors) > rules.max_authors:
        add("authors", "too_many_authors", {"max": rules.max_authors, "count": len(authors)})
    leads = sum(1 for author in authors if author.is_lead)
    if for_submit and not authors:
        add("authors", "no_authors")
    elif leads > 1:
        add("authors", "several_leads", {"count": leads})
    elif for_submit and leads == 0:
        add("authors", "no_lead")
    if for_submit and authors and all(share is not None and share.is_finite() for share in shares):
        total, exact = _shares_total(shares)
        if not exact or total != _HUNDRED:
            add("authors", "shares_sum", {"total": _decimal_text(total)})

    for i, (author, share) in enumerate(zip(authors, shares, strict=True)):
        prefix = f"authors-{i}-"
        if for_submit and not (author.full_name or "").strip():
            add(prefix + "full_name", "missing_name")
        birth = _day(author.birth_date)
        if birth is None:
            if for_submit and youth:
                add(prefix + "birth_date", "missing_birth_date")
        elif youth and (
            (rules.birth_from is not None and birth < rules.birth_from)
            or (rules.birth_to is not None and birth > rules.birth_to)
        ):
            add(prefix + "birth_date", "birth_outside_window", {"from": rules.birth_from, "to": rules.birth_to})
        if share is None:
            if for_submit:
                add(prefix + "share", "missing_share")
        elif _bad_share(share):
            add(prefix + "share", "bad_share")

    teachers = tuple(entry.teachers)
    if len(teachers) > rules.max_teachers:
        add("teachers", "too_many_teachers", {"max": rules.max_teachers, "count": len(teachers)})
    if for_submit:
        for i, teacher in enumerate(teachers):
            if not (teacher.full_name or "").strip():
                add(f"teachers-{i}-full_name", "missing_name")

    return problems


# (actor, from, to) -> only while registration is open
_TRANSITIONS: dict[tuple[str, str, str], bool] = {
    ("contestant", "draft", "submitted"): True,
    ("contestant", "returned", "submitted"): True,
    ("contestant", "draft", "withdrawn"): False,
    ("contestant", "submitted", "withdrawn"): False,
    ("contestant", "returned", "withdrawn"): False,
    ("organizer", "submitted", "eligible"): False,
    ("organizer", "submitted", "ineligible"): False,
    ("organizer", "submitted", "returned"): False,
    ("organizer", "returned", "eligible"): False,
    ("organizer", "returned", "ineligible"): False,
    ("organizer", "eligible", "ineligible"): False,
    ("organizer", "ineligible", "eligible"): False,
    ("organizer", "eligible", "returned"): False,
    ("organizer", "ineligible", "returned"): False,
}


def entry_transition_allowed(current: str, target: str, actor: str, *, registration_open: bool) -> bool:
    """Whether `actor` ("contestant" or "organizer") may move an entry from `current` to `target`.

    ==========  ==========  ==========  ===============================
    actor       from        to          when
    ==========  ==========  ==========  ===============================
    contestant  draft       submitted   only while registration is open
    contestant  returned    submitted   only while registration is open
    contestant  draft       withdrawn   any time
    contestant  submitted   withdrawn   any time
    contestant  returned    withdrawn   any time
    organizer   submitted   eligible    any time
    organizer   submitted   ineligible  any time
    organizer   submitted   returned    any time
    organizer   returned    eligible    any time
    organizer   returned    ineligible  any time
    organizer   eligible    ineligible  any time (re-screening)
    organizer   ineligible  eligible    any time (re-screening)
    organizer   eligible    returned    any time (re-screening)
    organizer   ineligible  returned    any time (re-screening)
    ==========  ==========  ==========  ===============================

    Anything else is refused: staying in the same status, leaving "withdrawn", a contestant withdrawing after
    the screening result (eligible, ineligible), an organizer moving a draft or a withdrawn entry, or moving one
    to draft, submitted or withdrawn, and any unknown status or actor. A contestant editing a submitted entry
    is not a transition.
    """
    needs_open = _TRANSITIONS.get((actor, current, target))
    if needs_open is None:
        return False
    return registration_open or not needs_open


def missing_documents(required_type_ids: Iterable[int], uploaded_type_ids: Iterable[int]) -> set[int]:
    """The required document types of which nothing is uploaded yet."""
    return set(required_type_ids) - set(uploaded_type_ids)


def age_on(birth: date, day: date) -> int:
    """Full years from `birth` to `day`: the birthday itself counts; someone born on 29 February turns a year
    older on 1 March in other years. Negative when `day` is before `birth`."""
    birth, day = _day(birth), _day(day)
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
