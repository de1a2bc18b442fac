"""What the set-up pages share: finding the edition an organizer manages, links, archived editions."""

from __future__ import annotations

import re

from flask import abort, current_app, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.extensions import db
from competitions.models import Contest


def as_int(text) -> int | None:
    """A row number or id sent by the page (ASCII digits only; anything else is no number)."""
    text = str(text or "").strip()
    return int(text) if re.fullmatch(r"[0-9]{1,18}", text) else None


def link(endpoint: str, **values) -> str | None:
    """The URL of `endpoint` when the application has it (other parts of the package are built separately)."""
    return url_for(endpoint, **values) if endpoint in current_app.view_functions else None


def managed_contest(contest_id: int) -> Contest:
    """The edition, or 404 when it does not exist or belongs to a body this organizer does not manage."""
    contest = db.session.get(Contest, contest_id)
    if contest is None:
        abort(404)
    if current_user.can("manage_contest") and not current_user.can("manage_contest", contest):
        abort(404)
    return contest


def contest_scope(contest_id: int) -> Contest:
    """The record `require` checks the capability on (404 for another body's edition, see `managed_contest`)."""
    return managed_contest(contest_id)


def changeable(contest: Contest) -> bool:
    """An archived edition is read-only until it is taken out of the archive."""
    return contest.status != "archived"


def refuse_archived(endpoint: str, contest: Contest):
    flash(_("This edition is archived: take it out of the archive to change it."), "warning")
    return redirect(url_for(endpoint, contest_id=contest.id))
