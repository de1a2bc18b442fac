"""The records forwarding URLs name, or 404; used by `require(..., scope=...)` and by the views.

As on the contests package's set-up pages, an organizer of another body (a district organizer looking at the
neighbouring district's edition) gets 404: for them the record does not exist. Accounts that organize nothing get
403 from `require`."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from app.extensions import db
from competitions.models import Contest, Entry
from forwarding.models import Forward


def _hidden_from_this_organizer(record) -> bool:
    return bool(
        current_user.is_authenticated
        and current_user.can("manage_contest")
        and not current_user.can("manage_contest", record)
    )


def _or_404(record):
    if record is None or _hidden_from_this_organizer(record):
        abort(404)
    return record


def contest_or_404(contest_id: int) -> Contest:
    return _or_404(db.session.get(Contest, contest_id))


def forward_or_404(forward_id: int) -> Forward:
    return _or_404(db.session.get(Forward, forward_id))


def entry_or_404(entry_id: int) -> Entry:
    return _or_404(db.session.get(Entry, entry_id))
