"""A parent edition's organizers follow its children: per child edition the entries registered, judged and
forwarded and how the forwarded ones fared here; they set the forwarding window and the quotas (a default and a
child's own), and create a child edition for a body under their own."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.accounts.permissions import require
from app.extensions import db
from app.forms import options
from app.orgs.models import Organisation, descendant_ids
from app.text import text_key
from app.timefmt import local_to_utc, to_local
from competitions import services as contests
from competitions.models import Contest
from forwarding import bp, services
from forwarding.forms import ChildEditionForm, QuotasForm, WindowForm
from forwarding.messages import problem_messages
from forwarding.services import ForwardingError
from forwarding.views.loaders import contest_or_404

WINDOW = ("forward_opens_at", "forward_closes_at")


def child_organisations(parent: Contest) -> list[Organisation]:
    """The active bodies a child edition may be run by: the parent's organising body and those below it (that
    this organizer manages), in Vietnamese alphabetical order."""
    ids = descendant_ids(parent.organisation_id)
    bodies = db.session.scalars(select(Organisation).where(Organisation.id.in_(ids), Organisation.is_active)).all()
    return sorted((o for o in bodies if current_user.can("manage_contest", o)), key=lambda o: text_key(o.name))


def _window_form(parent: Contest) -> WindowForm:
    data = {name: getattr(parent, name) for name in (*WINDOW, "forward_quota")}
    for name in WINDOW:
        if data[name] is not None:
            data[name] = to_local(data[name]).replace(tzinfo=None)
    return WindowForm(formdata=None, data=data)


def _child_form(organisations) -> ChildEditionForm:
    form = ChildEditionForm(formdata=None)
    form.organisation_id.choices = options((o.id, o.name) for o in organisations)
    return form


def render_parent(
    contest: Contest,
    *,
    window_form: WindowForm | None = None,
    quotas_form: QuotasForm | None = None,
    child_form: ChildEditionForm | None = None,
):
    """The parent's page, also after a refusal (status 200, the refusal beside its field, what was typed kept)."""
    summaries = services.child_summary(contest)
    organisations = child_organisations(contest)
    if child_form is None:
        child_form = _child_form(organisations)
    else:
        child_form.organisation_id.choices = options((o.id, o.name) for o in organisations)
    # Each child's quota as stored, or as sent back with its error (rows matched by child, not by position).
    quotas = {
        s.child.id: ("" if s.child.quota_at_parent is None else str(s.child.quota_at_parent), []) for s in summaries
    }
    if quotas_form is not None:
        for sub in quotas_form.rows:
            if sub.form.child_id.data in quotas:
                raw = sub.form.quota.raw_data[0] if sub.form.quota.raw_data else ""
                quotas[sub.form.child_id.data] = (raw, list(sub.form.quota.errors))
    return render_template(
        "forwarding/parent.html",
        contest=contest,
        summaries=summaries,
        quotas=quotas,
        quotas_form=quotas_form or QuotasForm(formdata=None),
        window_form=window_form or _window_form(contest),
        child_form=child_form,
        organisations=organisations,
    )


@bp.route("/<int:contest_id>/children")
@require("manage_contest", scope=lambda contest_id: contest_or_404(contest_id))
def parent(contest_id: int):
    """Per child edition: registered, judged, forwarded, and at this edition eligible, in a round, awarded."""
    return render_parent(contest_or_404(contest_id))


@bp.route("/<int:contest_id>/children/window", methods=["POST"])
@require("manage_contest", scope=lambda contest_id: contest_or_404(contest_id))
def window(contest_id: int):
    """Set the window (Vietnam time) and the default quota per child."""
    contest = contest_or_404(contest_id)
    form = WindowForm()
    if not form.validate_on_submit():
        return render_parent(contest, window_form=form)
    opens, closes = (
        local_to_utc(v) if v is not None else None for v in (form.forward_opens_at.data, form.forward_closes_at.data)
    )
    try:
        changed = services.set_forwarding(
            contest, opens_at=opens, closes_at=closes, quota=form.forward_quota.data, by=current_user
        )
    except ForwardingError as exc:
        db.session.rollback()
        target = form.forward_closes_at if "window_order" in exc.codes else form.forward_quota
        target.errors = problem_messages(exc.problems)
        return render_parent(contest, window_form=form)
    db.session.commit()
    flash(
        _("The forwarding window has been saved.") if changed else _("Nothing has changed."),
        "success" if changed else "info",
    )
    return redirect(url_for("forwarding.parent", contest_id=contest.id, _anchor="window"))


@bp.route("/<int:contest_id>/children/quotas", methods=["POST"])
@require("manage_contest", scope=lambda contest_id: contest_or_404(contest_id))
def quotas(contest_id: int):
    """Set each child edition's own quota (empty: the default)."""
    contest = contest_or_404(contest_id)
    form = QuotasForm()
    if not form.validate_on_submit():
        return render_parent(contest, quotas_form=form)
    children = {c.id: c for c in contest.children}
    changed = 0
    for sub in form.rows:
        child = children.get(sub.form.child_id.data)
        if child is not None and services.set_child_quota(child, sub.form.quota.data, by=current_user):
            changed += 1
    db.session.commit()
    flash(_("The quotas have been saved.") if changed else _("Nothing has changed."), "success" if changed else "info")
    return redirect(url_for("forwarding.parent", contest_id=contest.id, _anchor="children"))


@bp.route("/<int:contest_id>/children/new", methods=["POST"])
@require("manage_contest", scope=lambda contest_id: contest_or_404(contest_id))
def new_child(contest_id: int):
    """Create a child edition (a district or school round) for a body under this edition's organising body."""
    contest = contest_or_404(contest_id)
    organisations = child_organisations(contest)
    form = ChildEditionForm()
    form.organisation_id.choices = options((o.id, o.name) for o in organisations)
    valid = form.validate_on_submit()
    if valid and form.organisation_id.data not in {o.id for o in organisations}:
        form.organisation_id.errors = [_("Choose one of the bodies listed.")]
        valid = False
    if not valid:
        return render_parent(contest, child_form=form)
    child = contests.create_child_contest(
        contest,
        form.organisation_id.data,
        name=form.name.data or None,
        code_prefix=form.code_prefix.data or None,
        by=current_user,
    )
    db.session.commit()
    flash(
        _(
            "The child edition “%(name)s” has been created in preparation; its entry codes start with %(prefix)s.",
            name=child.name,
            prefix=child.code_prefix,
        ),
        "success",
    )
    return redirect(url_for("forwarding.parent", contest_id=contest.id, _anchor="children"))
