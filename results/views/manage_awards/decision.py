"""The decision approving the awards; a later one (a correction) is recorded beside the earlier ones."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.permissions import require
from app.extensions import db
from results import bp
from results.forms import DecisionForm
from results.services import awards as service
from results.services.awards import AwardError
from results.services.review import decisions
from results.views.loaders import contest_or_404
from results.views.manage_awards._common import contest_scope, field_error, refused_when_archived


@bp.route("/manage/<int:contest_id>/decision", methods=["GET", "POST"])
@require("manage_contest", scope=contest_scope)
def decision(contest_id: int):
    """The decision approving the awards; a later one (a correction) is recorded beside the earlier ones."""
    contest = contest_or_404(contest_id)
    form = DecisionForm()
    status = 200
    if request.method == "POST":
        refused = refused_when_archived(contest, "results.decision")
        if refused is not None:
            return refused
        if form.validate_on_submit():
            try:
                recorded = service.record_decision(
                    contest,
                    number=form.number.data,
                    signed_on=form.signed_on.data,
                    signer=form.signer.data,
                    signer_title=form.signer_title.data or "",
                    by=current_user,
                )
            except AwardError as exc:
                db.session.rollback()
                field_error(form, exc, "number")
            else:
                db.session.commit()
                flash(_("Decision %(number)s has been recorded.", number=recorded.number), "success")
                return redirect(url_for("results.decision", contest_id=contest.id))
        status = 400
    return render_template(
        "results/manage/decision.html", contest=contest, form=form, decisions=decisions(contest)
    ), status
