"""Withdrawing a forward, from a child edition's page (back into the child) or from the delegation's page (out of
the national delegation); a refusal shows the page it came from again, said beside the reason."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.permissions import require
from app.extensions import db
from forwarding import bp, services
from forwarding.messages import problem_messages
from forwarding.services import ForwardingError
from forwarding.views.child import render_child, withdraw_form
from forwarding.views.delegation import Filters, render_delegation
from forwarding.views.loaders import forward_or_404


@bp.route("/forwards/<int:forward_id>/withdraw", methods=["POST"])
@require("manage_contest", scope=lambda forward_id: forward_or_404(forward_id))
def withdraw(forward_id: int):
    """Withdraw a forward with a reason: back into the child edition, or out of the national delegation. A refusal
    is said beside the reason, with what was typed."""
    forward = forward_or_404(forward_id)
    contest = forward.from_contest
    external = forward.to_contest_id is None
    form = withdraw_form(forward, sent=True)
    if form.validate_on_submit():
        try:
            services.withdraw_forward(forward, form.reason.data, by=current_user)
        except ForwardingError as exc:
            db.session.rollback()
            target = forward.to_contest
            form.reason.errors = problem_messages(
                exc.problems,
                closes_at=target.forward_closes_at if target is not None else None,
                withdrawing=True,
            )
        else:
            db.session.commit()
            if external:
                flash(_("%(code)s has been taken out of the delegation.", code=forward.entry.code), "success")
                return redirect(url_for("forwarding.delegation", contest_id=contest.id, _anchor="delegated"))
            flash(
                _(
                    "The forward of %(code)s has been withdrawn: the entry is back in this edition.",
                    code=forward.entry.code,
                ),
                "success",
            )
            return redirect(url_for("forwarding.child", contest_id=contest.id, _anchor="forwarded"))
    if external:
        # The refusal beside its row: the page shows that entry of the delegation.
        shown = Filters(show="delegated", q=forward.entry.code or "")
        return render_delegation(contest, withdrawing=(forward.id, form), filters=shown)
    return render_child(contest, withdrawing=(forward.id, form))
