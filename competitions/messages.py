"""What each rule problem (`competitions.eligibility.Problem.code`) says to the person who typed."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l

from app.timefmt import format_date, format_datetime
from competitions.eligibility import Problem

MESSAGES = {
    "registration_closed": _l("Registration is closed; the entry can no longer be changed or submitted."),
    "registration_not_open": _l("Registration has not opened yet."),
    "contest_not_open": _l("This contest is not open for registration."),
    "missing_title": _l("Please give the entry a title."),
    "missing_name": _l("Give the full name."),
    "missing_field": _l("Please choose a field."),
    "unknown_field": _l("This field does not belong to the contest."),
    "missing_age_group": _l("Please choose an age group."),
    "unknown_age_group": _l("This age group does not belong to the contest."),
    "missing_solution_date": _l("Give the date the solution was created or first applied."),
    "before_lookback": _l("The solution must date from %(date)s or later."),
    "date_in_future": _l("This date is in the future."),
    "no_authors": _l("Add at least one author."),
    "too_many_authors": _l("At most %(max)s authors."),
    "too_many_teachers": _l("At most %(max)s guiding teachers."),
    "no_lead": _l("Choose the lead author."),
    "several_leads": _l("Only one author can be the lead author."),
    "missing_share": _l("Give this author's contribution share."),
    "bad_share": _l("A share is a percentage above 0 and at most 100, with at most two decimals."),
    "shares_sum": _l("The shares must add up to 100%%; they add up to %(total)s%%."),
    "missing_birth_date": _l("Give the author's birth date."),
    "birth_outside_window": _l("Authors must be born between %(from)s and %(to)s."),
    "missing_documents": _l("Upload the required documents first."),
}


def _plain(value):
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, date):
        return format_date(value)
    return value


def message(problem: Problem) -> str:
    """The problem in the visitor's language, with its dates as dd/mm/yyyy."""
    text = MESSAGES.get(problem.code)
    if text is None:
        return problem.code
    params = {key: _plain(value) for key, value in (problem.params or {}).items()}
    try:
        return str(text) % params if params else str(text).replace("%%", "%")
    except (KeyError, TypeError, ValueError):
        return str(text)
