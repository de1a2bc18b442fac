"""Organizers set up contest editions (being built)."""

from flask import render_template
from flask_login import current_user
from sqlalchemy import select

from app.accounts.permissions import require
from app.extensions import db
from competitions import bp
from competitions.models import Contest


@bp.route("/manage/")
@require("manage_contest")
def manage_index():
    """The editions this organizer manages (all of them for a Union-wide organizer)."""
    contests = [
        c
        for c in db.session.scalars(select(Contest).order_by(Contest.year.desc(), Contest.id.desc()))
        if current_user.can("manage_contest", c)
    ]
    return render_template("competitions/manage/index.html", contests=contests)
