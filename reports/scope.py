"""Whose records a report covers: the records the signed-in organizer manages (every one for an organizer without a
scope; a district union's organizer, its own and those of the bodies below it; the province's, the district rounds
of its contests too, as each record's `access_scopes` says): contest editions (`manage_contest`), honoring
campaigns (`manage_campaign`), events (`manage_event`).

Each kind is read in one query whatever its number; the organisations above them come with them (joined) or from
the session's identity map."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from app.accounts.roles import grants_allow
from app.extensions import db
from competitions.models import Contest


def visible_contests(user, *, statuses: Iterable[str] | None = None, year: int | None = None) -> list[Contest]:
    """The editions `user` may manage (`manage_contest`), optionally only those in `statuses` or of `year`,
    newest year first, then by name."""
    # Every edition in one query (a child edition's parent is then found in the session, not queried again).
    contests = list(db.session.scalars(select(Contest).order_by(Contest.year.desc(), Contest.name, Contest.id)))
    wanted = None if statuses is None else set(statuses)
    contests = [c for c in contests if (wanted is None or c.status in wanted) and (year is None or c.year == year)]
    return managed(user, "manage_contest", contests)


def managed(user, capability: str, records: list) -> list:
    """The `records` `user` holds `capability` for (all of them with an unscoped grant), in their order."""
    if grants_allow(user.grants, capability, []):  # an unscoped grant: every record
        return records
    return [r for r in records if user.can(capability, r)]
