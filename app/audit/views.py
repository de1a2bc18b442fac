"""Administrators browse and filter the audit log."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from flask import abort, render_template, request
from sqlalchemy import select

from app.accounts.models import User
from app.accounts.permissions import require
from app.audit import bp
from app.audit.models import AuditEntry
from app.extensions import db
from app.timefmt import local_to_utc, parse_date


def _day_bound(text: str, end: bool) -> datetime | None:
    try:
        day = parse_date(text)
    except ValueError:
        return None
    moment = datetime.combine(day, time.min) + (timedelta(days=1) if end else timedelta())
    return local_to_utc(moment)


@bp.route("/")
@require("view_audit")
def index():
    args = request.args
    query = select(AuditEntry).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    if args.get("action"):
        query = query.where(AuditEntry.action == args["action"])
    if args.get("object_type"):
        query = query.where(AuditEntry.object_type == args["object_type"])
    if args.get("object_id"):
        query = query.where(AuditEntry.object_id == args["object_id"].strip())
    if args.get("actor"):
        query = query.where(AuditEntry.actor_label.contains(args["actor"].strip().lower(), autoescape=True))
    errors = {}
    for key, end in (("date_from", False), ("date_to", True)):
        if args.get(key):
            bound = _day_bound(args[key], end)
            if bound is None:
                errors[key] = True
            else:
                query = query.where(AuditEntry.created_at < bound if end else AuditEntry.created_at >= bound)
    pagination = db.paginate(query, per_page=50, error_out=False)
    actions = db.session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action)).all()
    object_types = db.session.scalars(
        select(AuditEntry.object_type).distinct().where(AuditEntry.object_type != "").order_by(AuditEntry.object_type)
    ).all()
    return render_template(
        "audit/index.html", pagination=pagination, actions=actions, object_types=object_types, errors=errors
    )


@bp.route("/<int:entry_id>")
@require("view_audit")
def detail(entry_id: int):
    entry = db.session.get(AuditEntry, entry_id) or abort(404)
    subject = (
        db.session.get(User, int(entry.object_id))
        if entry.object_type == "users" and entry.object_id.isdigit()
        else None
    )
    return render_template("audit/detail.html", entry=entry, subject=subject)
