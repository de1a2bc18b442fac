"""Passes: issuing, revoking and reissuing, finding one by its token, and mailing invitations with the pass link.

For the check-in side: `find_by_token(token)` gives the `Pass` whatever its state, or None; the pass names its
event (`pass_.event_id`) and its holder (`pass_.invitee`); `pass_.revoked_at` set means it scans as "revoked".
`token_from_scan` (in `events.rules`) takes the token out of a scanned URL.
"""

from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.audit.service import record
from app.extensions import db
from app.mail.service import send_templated
from app.timefmt import utcnow
from events import rules
from events.models.events import Event, Invitee, Pass


def find_by_token(token: str | None) -> Pass | None:
    """The pass (valid or revoked) with this token, its invitee and event loaded; None for anything else.
    Accepts the bare token or a scanned pass URL."""
    token = rules.token_from_scan(token or "")
    if token is None:
        return None
    query = (
        select(Pass)
        .where(Pass.token == token)
        .options(joinedload(Pass.invitee), joinedload(Pass.event), joinedload(Pass.replaced_by))
    )
    return db.session.scalar(query)


def is_valid_token(token: str) -> bool:
    """Whether a valid (not revoked) pass holds exactly this token: one indexed lookup of one column, for the QR
    image, which is asked for again and again and needs nothing else."""
    if rules.token_from_scan(token) != token:
        return False
    query = select(Pass.id).where(Pass.token == token, Pass.revoked_at.is_(None))
    return db.session.scalar(query) is not None


def pass_url(pass_: Pass | str) -> str:
    """The holder's page of this pass (what the QR code holds: the token is its only secret)."""
    token = pass_ if isinstance(pass_, str) else pass_.token
    return url_for("events.pass_page", token=token, _external=True)


def issue_pass(invitee: Invitee, *, by: User | None = None) -> Pass:
    """The invitee's valid pass, issued now if they have none (only to those holding a place)."""
    current = invitee.current_pass
    if current is not None:
        return current
    if not invitee.holds_place:
        raise ValueError("only an invited or registered person gets a pass")
    pass_ = Pass(
        token=rules.new_token(), event_id=invitee.event_id, invitee_id=invitee.id, issued_by_id=getattr(by, "id", None)
    )
    invitee.passes.append(pass_)
    db.session.flush()
    return pass_


def revoke_pass(pass_: Pass, reason: str, *, by: User | None, reissue: bool = True) -> Pass | None:
    """Revoke a pass (it then scans as "revoked"); with `reissue`, issue a new one in its place and return it."""
    if pass_.revoked_at is not None:
        raise ValueError("already revoked")
    pass_.revoked_at = utcnow()
    pass_.revoked_by_id = getattr(by, "id", None)
    pass_.revoke_reason = reason
    db.session.flush()
    new = None
    if reissue and pass_.invitee.holds_place:
        new = issue_pass(pass_.invitee, by=by)
        pass_.replaced_by_id = new.id
    record(
        "event.pass_revoke",
        pass_.invitee,
        before={"pass_id": pass_.id},
        after={"reason": reason, "reissued_pass_id": new.id if new else None},
        actor=by,
        summary=pass_.invitee.full_name,
    )
    return new


def revoke_current(invitee: Invitee, reason: str, *, by: User | None) -> None:
    """Revoke the invitee's valid pass without a replacement (they were cancelled or waitlisted)."""
    current = invitee.current_pass
    if current is not None:
        revoke_pass(current, reason, by=by, reissue=False)


def send_invitation(invitee: Invitee, *, by: User | None = None) -> bool:
    """Mail the invitee their invitation with the link to their pass (issued if needed); False without an
    address or a place."""
    if not invitee.email or not invitee.holds_place:
        return False
    pass_ = issue_pass(invitee, by=by)
    user = invitee.user
    send_templated(
        invitee.email,
        getattr(user, "locale", None),
        _l("Your invitation: %(title)s", title=invitee.event.title),
        "emails/event_invitation.txt",
        invitee=invitee,
        event=invitee.event,
        link=pass_url(pass_),
    )
    invitee.invited_at = utcnow()
    return True


def send_invitations(event: Event, *, by: User, only_new: bool = True) -> int:
    """Mail every invitee holding a place (only those never mailed, by default); the number of mails."""
    query = (
        select(Invitee)
        .where(Invitee.event_id == event.id, Invitee.status.in_(("invited", "registered")), Invitee.email != "")
        .options(joinedload(Invitee.user))
        .order_by(Invitee.sort_name, Invitee.id)
    )
    if only_new:
        query = query.where(Invitee.invited_at.is_(None))
    sent = sum(send_invitation(invitee, by=by) for invitee in db.session.scalars(query).unique())
    if sent:
        record("event.invitations_sent", event, after={"count": sent}, actor=by, summary=str(sent))
    return sent


def passes_of(user: User) -> list[Pass]:
    """The valid passes of invitees linked to this account, soonest event first (one query)."""
    query = (
        select(Pass)
        .join(Invitee, Invitee.id == Pass.invitee_id)
        .join(Event, Event.id == Pass.event_id)
        .where(Invitee.user_id == user.id, Pass.revoked_at.is_(None), Event.status != "draft")
        .options(joinedload(Pass.invitee), joinedload(Pass.event))
        .order_by(Event.starts_at, Pass.id)
    )
    return list(db.session.scalars(query).unique())


def has_passes(user: User) -> bool:
    query = (
        select(Pass.id)
        .join(Invitee, Invitee.id == Pass.invitee_id)
        .where(Invitee.user_id == user.id, Pass.revoked_at.is_(None))
        .limit(1)
    )
    return db.session.scalar(query) is not None
