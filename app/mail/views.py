"""The outbox: every message the app sent or kept, for administrators."""

from __future__ import annotations

from flask import abort, render_template, request
from sqlalchemy import select

from app.accounts.permissions import require
from app.extensions import db
from app.mail import bp
from app.mail.models import MailMessage
from app.text import normalize_search


@bp.route("/")
@require("read_outbox")
def index():
    q = request.args.get("q", "").strip()
    query = select(MailMessage).order_by(MailMessage.created_at.desc(), MailMessage.id.desc())
    if q:
        query = query.where(MailMessage.recipient.contains(normalize_search(q), autoescape=True))
    pagination = db.paginate(query, per_page=50, error_out=False)
    return render_template("mail/index.html", pagination=pagination, q=q)


@bp.route("/<int:message_id>")
@require("read_outbox")
def detail(message_id: int):
    message = db.session.get(MailMessage, message_id) or abort(404)
    return render_template("mail/detail.html", message=message)
