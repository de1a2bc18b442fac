"""A child edition's organizers forward their best entries to the parent edition: the parent's window and this
child's quota, the eligible entries with their rank, score and award here (pre-checked by rank or by award, or
checked by hand), the forward itself, and the forwards made, each withdrawn with a reason while allowed."""

from __future__ import annotations

import re

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.accounts.permissions import require
from app.audit.labels import register_labels
from app.extensions import db
from app.forms import options
from competitions.models import Contest, Entry
from forwarding import bp, rules, services
from forwarding.forms import ChoiceForm, ForwardForm, WithdrawForm
from forwarding.messages import problem_message, problem_messages
from forwarding.models import Forward
from forwarding.services import ForwardingError
from forwarding.views.loaders import contest_or_404

register_labels(
    {
        "entry.forward": _l("Forwarded an entry to the parent edition"),
        "entry.forward_withdraw": _l("Withdrew the forward of an entry"),
        "entry.delegate": _l("Added an entry to the delegation to the national level"),
        "entry.delegate_remove": _l("Took an entry out of the delegation to the national level"),
        "contest.forwarding": _l("Changed the forwarding window and quota of an edition"),
        "contest.quota_at_parent": _l("Changed a child edition's quota"),
        "contest.create_child": _l("Created a child edition"),
    }
)

_ID = re.compile(r"^[0-9]{1,18}$")


def checked_ids(values) -> list[int]:
    """The entry ids of the checked boxes (anything that is not a plain number is ignored)."""
    return list(dict.fromkeys(int(v) for v in values if _ID.match(str(v or "").strip())))


def load_entries(ids: list[int]) -> list[Entry]:
    """The entries with their documents (a forward maps each document's type), in the order given."""
    if not ids:
        return []
    found = {
        e.id: e
        for e in db.session.scalars(select(Entry).where(Entry.id.in_(ids)).options(selectinload(Entry.documents)))
    }
    return [found[i] for i in ids if i in found]


#: How the child's organizers chose a forwarded entry.
BASIS_LABELS = {"rank": _l("by rank"), "award": _l("by award"), "manual": _l("by hand")}


def window_message(state: services.ForwardingState) -> str:
    """Why the child cannot forward now ("" when it can)."""
    if state.parent is None:
        return problem_message(rules.Problem("no_parent"))
    if state.window == "open":
        return ""
    return problem_message(rules.Problem(f"window_{state.window}"), opens_at=state.opens_at, closes_at=state.closes_at)


def withdraw_form(forward: Forward, *, sent: bool = False) -> WithdrawForm:
    """The withdrawal form of one forward (its fields prefixed, several on a page): new, or as sent."""
    if sent:
        return WithdrawForm(prefix=f"f{forward.id}")
    return WithdrawForm(formdata=None, prefix=f"f{forward.id}")


def preselected(choice: ChoiceForm, rows, tiers) -> tuple[set[int], str]:
    """The entries the choice by rank or award checks beforehand, and the basis it records."""
    items = [r.ranking for r in rows]
    if choice.by.data == "rank" and choice.top.data and not choice.top.errors:
        return set(rules.top_ranked(items, choice.top.data)), "rank"
    if choice.by.data == "award":
        position = next((t.position for t in tiers if t.code == choice.tier.data), None)
        return set(rules.awarded_from(items, position)), "award"
    return set(), "manual"


def render_child(
    contest: Contest,
    *,
    forward_errors: list[str] | None = None,
    checked: set[int] | None = None,
    basis: str | None = None,
    withdrawing: tuple[int, WithdrawForm] | None = None,
):
    """The child's page, also after a refusal (status 200: the refusal is said where it belongs, what was checked
    or typed is kept)."""
    state = services.forwarding_state(contest)
    rows = services.candidates(contest) if contest.parent_id is not None else []
    tiers = services.award_tiers(contest) if rows else []
    choice = ChoiceForm(formdata=request.args if request.method == "GET" else None)
    choice.tier.choices = options([("", _("every award")), *((t.code, t.name) for t in tiers)])
    if request.method == "GET" and request.args:
        choice.validate()
    if checked is None:
        checked, basis = preselected(choice, rows, tiers)
    forwards = services.forwards_from(contest)
    forms = {
        row.forward.id: (
            withdrawing[1] if withdrawing and withdrawing[0] == row.forward.id else withdraw_form(row.forward)
        )
        for row in forwards
        if row.forward.active
    }
    return render_template(
        "forwarding/child.html",
        contest=contest,
        state=state,
        rows=rows,
        choice=choice,
        checked=checked,
        forward_form=ForwardForm(formdata=None, basis=basis or "manual"),
        forward_errors=forward_errors or [],
        forwards=forwards,
        withdraw_forms=forms,
        window_message=window_message(state),
        basis_labels=BASIS_LABELS,
    )


@bp.route("/<int:contest_id>", methods=["GET", "POST"])
@require("manage_contest", scope=lambda contest_id: contest_or_404(contest_id))
def child(contest_id: int):
    """GET: the page. POST: forward the checked entries (refused whole, with every reason, when they cannot all
    go: outside the window, over the quota, not eligible, already forwarded)."""
    contest = contest_or_404(contest_id)
    if request.method == "GET":
        return render_child(contest)
    form = ForwardForm()
    ids = checked_ids(request.form.getlist("entry_ids"))
    basis = form.basis.data if form.validate_on_submit() else "manual"
    try:
        made = services.forward_entries(contest, load_entries(ids), basis, by=current_user)
    except ForwardingError as exc:
        db.session.rollback()
        state = services.forwarding_state(contest)
        messages = problem_messages(exc.problems, opens_at=state.opens_at, closes_at=state.closes_at)
        return render_child(contest, forward_errors=messages, checked=set(ids), basis=basis)
    db.session.commit()
    flash(
        ngettext(
            "%(num)d entry has been forwarded to “%(parent)s”; it awaits screening there.",
            "%(num)d entries have been forwarded to “%(parent)s”; they await screening there.",
            len(made),
            parent=contest.parent.name,
        ),
        "success",
    )
    return redirect(url_for("forwarding.child", contest_id=contest.id, _anchor="forwarded"))
