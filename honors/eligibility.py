"""The honors rules, pure (no Flask, no database): the campaign's state machine, the nomination window, a body's
quota, the eligibility checklist and a complete nominee profile. Services ask these before they write.

Each check returns the problems it found as short codes (an empty list means "allowed"); the services turn the
codes into messages in the visitor's language (`honors.messages`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from honors.models.campaigns import CAMPAIGN_TRANSITIONS, QUOTA_STATUSES

#: Profile fields a dossier must fill in before it is submitted.
PROFILE_FIELDS = ("full_name", "birth_date", "gender", "unit_name", "field", "years_of_work", "achievements")
#: Plausible bounds of a nominee's years of work and age.
MAX_YEARS_OF_WORK = 70


def can_move(status: str, target: str) -> bool:
    """Whether a campaign may go from `status` to `target` (see CAMPAIGN_TRANSITIONS)."""
    return target in CAMPAIGN_TRANSITIONS.get(status, ())


def window_problem(opens_at: datetime | None, closes_at: datetime | None, now: datetime) -> str | None:
    """ "not_set", "not_open" or "closed" when nominations are outside the window at `now`; None inside it.

    The window holds both ends: a dossier sent at exactly `closes_at` is on time."""
    if opens_at is None or closes_at is None:
        return "not_set"
    if now < opens_at:
        return "not_open"
    if now > closes_at:
        return "closed"
    return None


def quota_used(statuses: Iterable[str]) -> int:
    """How many of a body's dossiers use its quota: submitted, eligible and ineligible ones (drafts and withdrawn
    dossiers do not; a dossier screened out still used its place)."""
    return sum(1 for s in statuses if s in QUOTA_STATUSES)


def quota_left(quota: int | None, statuses: Iterable[str]) -> int | None:
    """Places left to a body with `quota` (None: no limit) whose dossiers are in `statuses`; never below 0."""
    if quota is None:
        return None
    return max(0, quota - quota_used(statuses))


def checklist_problems(items: Iterable[tuple[int, bool]], answers: Mapping[int, bool | None]) -> list[int]:
    """The ids of the required items (`items`: (id, required) pairs) not answered yes in `answers` (id -> answer)."""
    return [item_id for item_id, required in items if required and answers.get(item_id) is not True]


@dataclass(frozen=True)
class Profile:
    """What the rules read of a nominee's profile."""

    full_name: str = ""
    birth_date: date | None = None
    gender: str = ""
    unit_name: str = ""
    field: str = ""
    years_of_work: int | None = None
    achievements: str = ""
    confirmed_by: str = ""
    confirmed_on: date | None = None


def profile_problems(profile: Profile, today: date) -> list[str]:
    """The missing or implausible parts of a profile: a field name for each empty one of PROFILE_FIELDS, plus
    "confirmation" (achievements not confirmed by the unit: who and when), "birth_date_future",
    "years_of_work_range" (negative, too many, or more than the nominee's age)."""
    problems = [
        name
        for name in PROFILE_FIELDS
        if getattr(profile, name) in (None, "")
        or (isinstance(getattr(profile, name), str) and not getattr(profile, name).strip())
    ]
    if not profile.confirmed_by.strip() or profile.confirmed_on is None:
        problems.append("confirmation")
    if profile.birth_date is not None and profile.birth_date >= today:
        problems.append("birth_date_future")
    if profile.years_of_work is not None:
        age = None if profile.birth_date is None else (today - profile.birth_date).days // 365
        if not 0 <= profile.years_of_work <= MAX_YEARS_OF_WORK or (age is not None and profile.years_of_work > age):
            problems.append("years_of_work_range")
    return problems


@dataclass(frozen=True)
class Submission:
    """Everything `submit_problems` weighs for one dossier."""

    campaign_status: str
    opens_at: datetime | None
    closes_at: datetime | None
    now: datetime
    dossier_status: str
    quota: int | None
    #: The statuses of the body's OTHER dossiers in the campaign.
    other_statuses: tuple[str, ...]
    checklist: tuple[tuple[int, bool], ...]
    answers: Mapping[int, bool | None]
    profile: Profile


def submit_problems(s: Submission) -> list[str]:
    """Why a dossier cannot be submitted now (empty: it can). Codes: "campaign_not_nominating", "not_set",
    "not_open", "closed" (window), "status" (only drafts are submitted), "quota", "checklist", and the
    `profile_problems` codes prefixed "profile:"."""
    problems: list[str] = []
    if s.campaign_status != "nominating":
        problems.append("campaign_not_nominating")
    if (window := window_problem(s.opens_at, s.closes_at, s.now)) is not None:
        problems.append(window)
    if s.dossier_status != "draft":
        problems.append("status")
    if s.quota is not None and quota_used(s.other_statuses) >= s.quota:
        problems.append("quota")
    if checklist_problems(s.checklist, s.answers):
        problems.append("checklist")
    problems += [f"profile:{p}" for p in profile_problems(s.profile, s.now.date())]
    return problems


def can_edit(dossier_status: str, campaign_status: str) -> bool:
    """A nominator edits a dossier only while it is a draft and the campaign is taking nominations."""
    return dossier_status == "draft" and campaign_status in ("draft", "nominating")


def can_withdraw(dossier_status: str, campaign_status: str) -> bool:
    """A body withdraws its draft, submitted or eligible dossier (a nominee may decline) until the council votes;
    an ineligible one stays as screened (it keeps its place in the quota)."""
    return dossier_status in ("draft", "submitted", "eligible") and campaign_status in (
        "draft",
        "nominating",
        "screening",
    )


def can_screen(dossier_status: str, campaign_status: str) -> bool:
    """The Secretariat screens submitted dossiers (and may change its finding) while nominating or screening."""
    return dossier_status in ("submitted", "eligible", "ineligible") and campaign_status in ("nominating", "screening")
