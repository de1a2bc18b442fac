"""Demo data of forwarding: the Bù Đăng district round has forwarded two of its eligible entries to the provincial
Youth contest (by hand, within the province's window), where they await screening; it may forward one more, and
the Đồng Xoài round has forwarded nothing yet."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from competitions.models import Contest, Entry
from forwarding import services
from forwarding.models import Forward

#: How many of the Bù Đăng round's eligible entries the demo forwards.
FORWARDED = 2


def seed(context: dict) -> dict:
    """Forward the first two eligible entries of the Bù Đăng round, as its organizer would."""
    child: Contest | None = context.get("contests", {}).get("districts", {}).get("bu_dang")
    if child is None:
        return context
    if db.session.scalar(select(Forward.id).where(Forward.from_contest_id == child.id).limit(1)) is not None:
        return context  # already forwarded
    entries = list(
        db.session.scalars(
            select(Entry)
            .where(Entry.contest_id == child.id, Entry.status == "eligible")
            .order_by(Entry.seq)
            .limit(FORWARDED)
        )
    )
    with current_app.test_request_context():
        forwards = services.forward_entries(child, entries, "manual", by=context["accounts"]["organizer_2"])
    db.session.flush()
    return context | {"forwarding": {"forwards": forwards}}
