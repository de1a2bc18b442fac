"""What forwarding adds to the contests package's pages, registered (never imported by it): a "Forwarding" tab on
an edition's set-up pages, and on an entry's page, for the organizers of the edition it is in (never its judges),
where it was forwarded from with its lower-level result, and whether it is in the national delegation."""

from __future__ import annotations

from flask import render_template
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from competitions.navigation import register_contest_tab, register_entry_panel
from forwarding.models import Forward


def entry_forwarding_panel(entry) -> str:
    """Shown to the organizers of the edition the entry is in: the forward that brought it here (from which child
    edition, when, and its result there), and its place in the delegation to the national level."""
    if not (current_user.is_authenticated and current_user.can("manage_contest", entry.contest)):
        return ""
    forwards = db.session.scalars(
        select(Forward)
        .where(Forward.entry_id == entry.id, Forward.withdrawn_at.is_(None))
        .options(selectinload(Forward.from_contest))
        .order_by(Forward.forwarded_at, Forward.id)
    ).all()
    arrived = [f for f in forwards if f.to_contest_id == entry.contest_id]
    delegated = [f for f in forwards if f.to_contest_id is None and f.from_contest_id == entry.contest_id]
    if not arrived and not delegated:
        return ""
    return render_template("forwarding/_entry_panel.html", entry=entry, arrived=arrived, delegated=delegated)


def init_app(state) -> None:
    register_contest_tab("forwarding", _l("Forwarding"), "forwarding.child")
    register_entry_panel("forwarding", entry_forwarding_panel)
