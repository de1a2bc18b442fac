"""Passes: the holder's page (reached by the unguessable link in the mail, or from "My passes"), its QR code as PNG
and SVG, and every invitee's badge in one A4 PDF for the organizers."""

from __future__ import annotations

from flask import abort, render_template
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.accounts.permissions import login_required, require
from app.extensions import db
from app.pdf import send_pdf
from app.qr import send_qr
from app.timefmt import format_datetime
from events import bp, rules
from events.documents import Badge, badges_pdf
from events.forms import ROLE_LABELS, QuestionForm
from events.models.events import Invitee, Pass
from events.services import passes
from events.services import questions as question_services
from events.views._common import event_or_404


def pass_or_404(token: str) -> Pass:
    if rules.token_from_scan(token) != token:
        abort(404)
    pass_ = passes.find_by_token(token)
    if pass_ is None or pass_.event.status == "draft":
        abort(404)
    return pass_


@bp.route("/pass/<token>")
def pass_page(token: str):
    """The holder's pass: the QR code large enough to scan from a phone, the event, and (for a dialogue meeting)
    the questions they sent. A revoked pass says so and shows no code."""
    pass_ = pass_or_404(token)
    sent = question_services.of_invitee(pass_.invitee) if pass_.event.kind == "dialogue" else []
    form = QuestionForm() if pass_.event.kind == "dialogue" and pass_.is_valid else None
    return render_template(
        "events/pass.html", pass_=pass_, event=pass_.event, invitee=pass_.invitee, questions=sent, form=form
    )


@bp.route("/pass/<token>/qr.<any(png, svg):fmt>")
def pass_qr(token: str, fmt: str):
    """The pass's QR code (it holds the pass's URL and nothing personal); none for a revoked pass."""
    if fmt == "png":  # the image shown at the door and on phones, again and again: one indexed lookup
        if not passes.is_valid_token(token):
            abort(404)
        return send_qr(passes.pass_url(token), fmt, level="Q")
    pass_ = pass_or_404(token)
    if not pass_.is_valid:
        abort(404)
    return send_qr(passes.pass_url(pass_), fmt, filename=f"pass-{pass_.event_id}-{pass_.id}.svg", level="Q")


@bp.route("/my-passes")
@login_required
def my_passes():
    """The valid passes of the signed-in account's invitations, soonest event first."""
    return render_template("events/my_passes.html", passes=passes.passes_of(current_user))


@bp.route("/manage/<int:event_id>/badges.pdf")
@require("manage_event", scope=event_or_404)
def badges(event_id: int):
    """Every invitee holding a place, with a valid pass, as badges on A4 pages (name order)."""
    event = event_or_404(event_id)
    query = (
        select(Pass)
        .join(Invitee, Invitee.id == Pass.invitee_id)
        .where(Pass.event_id == event.id, Pass.revoked_at.is_(None), Invitee.status.in_(("invited", "registered")))
        .options(joinedload(Pass.invitee))
        .order_by(Invitee.sort_name, Invitee.id)
    )
    items = [
        Badge(
            name=p.invitee.full_name,
            unit=p.invitee.unit,
            role=str(ROLE_LABELS.get(p.invitee.role, p.invitee.role)),
            qr_text=passes.pass_url(p),
        )
        for p in db.session.scalars(query).unique()
    ]
    when = format_datetime(event.starts_at) + (f" · {event.venue}" if event.venue else "")
    data = badges_pdf(event.title, when, items)
    return send_pdf(data, f"badges-{event.id}.pdf", attachment=False)
