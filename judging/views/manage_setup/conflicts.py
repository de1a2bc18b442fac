"""Conflicts of interest: listed, found automatically, added by the organizers, lifted with a reason."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.accounts.permissions import require
from app.extensions import db
from competitions.models import Contest, Entry
from judging import bp, services
from judging.messages import error_message
from judging.models import Assignment, Conflict, Panel, PanelMember
from judging.services import JudgingError
from judging.setup_forms import ConflictFilters, ConflictForm, LiftForm
from judging.views.loaders import conflict_or_404, contest_or_404
from judging.views.manage_setup.common import contest_scope, refused_archived

CONFLICTS_PER_PAGE = 50


def _panel_judges(contest: Contest) -> list[User]:
    """The judges sitting on the contest's sub-panels, in name order."""
    seated = select(PanelMember.user_id).join(Panel, Panel.id == PanelMember.panel_id)
    seated = seated.where(Panel.contest_id == contest.id)
    return list(db.session.scalars(select(User).where(User.id.in_(seated)).order_by(User.sort_name, User.id)))


def _conflicts_query(contest: Contest, filters: ConflictFilters):
    query = select(Conflict).where(Conflict.contest_id == contest.id)
    if filters.status == "active":
        query = query.where(Conflict.lifted_at.is_(None))
    elif filters.status == "lifted":
        query = query.where(Conflict.lifted_at.is_not(None))
    if filters.kind:
        query = query.where(Conflict.kind == filters.kind)
    if filters.judge_id is not None:
        query = query.where(Conflict.judge_id == filters.judge_id)
    return query.options(joinedload(Conflict.entry)).order_by(Conflict.created_at.desc(), Conflict.id.desc())


def _render_conflicts(contest: Contest, filters: ConflictFilters, form=None, *, lift=None, status=200):
    """The list; `lift` is (conflict id, the lift form sent) when lifting one was refused."""
    pagination = db.paginate(
        _conflicts_query(contest, filters), page=filters.page, per_page=CONFLICTS_PER_PAGE, error_out=False
    )
    people_ids = {c.lifted_by_id for c in pagination.items} | {c.created_by_id for c in pagination.items}
    people_ids.discard(None)
    people = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(people_ids)))} if people_ids else {}
    judges = _panel_judges(contest)
    with_conflicts = select(Conflict.judge_id).where(Conflict.contest_id == contest.id)
    filter_judges = list(
        db.session.scalars(select(User).where(User.id.in_(with_conflicts)).order_by(User.sort_name, User.id))
    )
    if form is None:
        form = ConflictForm(formdata=None)
        form.setup(judges)
    return render_template(
        "judging/manage/conflicts.html",
        contest=contest,
        filters=filters,
        pagination=pagination,
        people=people,
        filter_judges=filter_judges,
        form=form,
        lift=lift,
        has_panels=bool(judges),
    ), status


@bp.route("/manage/<int:contest_id>/conflicts")
@require("manage_contest", scope=contest_scope)
def conflicts(contest_id: int):
    """Conflicts of interest: in force or lifted, by kind and judge, in pages; find, add and lift them."""
    contest = contest_or_404(contest_id)
    return _render_conflicts(contest, ConflictFilters.from_args(request.args))


@bp.route("/manage/<int:contest_id>/conflicts/detect", methods=["POST"])
@require("manage_contest", scope=contest_scope)
def conflicts_detect(contest_id: int):
    """Look for authors and units shared by the sub-panels' judges and the entries; lifted conflicts stay lifted."""
    contest = contest_or_404(contest_id)
    back = url_for("judging.conflicts", contest_id=contest.id)
    if refused_archived(contest):
        return redirect(back)
    added = services.detect_conflicts(contest, by=current_user)
    db.session.commit()
    if added:
        flash(
            ngettext(
                "%(num)d new conflict of interest has been found.",
                "%(num)d new conflicts of interest have been found.",
                added,
            ),
            "warning",
        )
    else:
        flash(_("No new conflict of interest has been found."), "info")
    return redirect(back)


@bp.route("/manage/<int:contest_id>/conflicts/new", methods=["POST"])
@require("manage_contest", scope=contest_scope)
def conflict_new(contest_id: int):
    """The organizers record a conflict between a judge of a sub-panel and an entry given by its code."""
    contest = contest_or_404(contest_id)
    filters = ConflictFilters.from_args(request.args)
    back = url_for("judging.conflicts", contest_id=contest.id, **filters.to_args())
    if refused_archived(contest):
        return redirect(back)
    form = ConflictForm()
    form.setup(_panel_judges(contest))
    valid = form.validate_on_submit()
    entry = None
    if form.entry_code.data and not form.entry_code.errors:
        entry = db.session.scalar(
            select(Entry).where(Entry.contest_id == contest.id, Entry.code == form.entry_code.data)
        )
        if entry is None:
            form.entry_code.errors = [*form.entry_code.errors, _("No entry of this contest has this code.")]
            valid = False
    if not valid:
        return _render_conflicts(contest, filters, form, status=400)
    judge = db.session.get(User, form.judge_id.data)
    try:
        services.declare_conflict(judge, entry, form.kind.data, form.note.data, source="organizer", by=current_user)
    except JudgingError as exc:
        form.kind.errors = [*form.kind.errors, error_message(exc)]
        return _render_conflicts(contest, filters, form, status=400)
    assigned = db.session.scalar(
        select(func.count(Assignment.id)).where(Assignment.judge_id == judge.id, Assignment.entry_id == entry.id)
    )
    db.session.commit()
    flash(_("The conflict of interest has been recorded."), "success")
    if assigned:
        flash(
            _(
                "%(judge)s is still assigned %(code)s: take the entry back from them on the round's assignment page.",
                judge=judge.full_name,
                code=entry.code,
            ),
            "warning",
        )
    return redirect(back)


@bp.route("/manage/conflicts/<int:conflict_id>/lift", methods=["POST"])
@require("manage_contest", scope=lambda conflict_id: conflict_or_404(conflict_id))
def conflict_lift(conflict_id: int):
    """Lift a conflict (the organizers judged it harmless), with a written reason; the record stays."""
    conflict = conflict_or_404(conflict_id)
    contest = contest_or_404(conflict.contest_id)
    filters = ConflictFilters.from_args(request.args)
    back = url_for("judging.conflicts", contest_id=contest.id, **filters.to_args())
    if refused_archived(contest):
        return redirect(back)
    form = LiftForm()
    if not form.validate_on_submit():
        return _render_conflicts(contest, filters, lift=(conflict.id, form), status=400)
    try:
        services.lift_conflict(conflict, form.reason.data, by=current_user)
    except JudgingError as exc:
        if exc.code != "missing_reason":
            flash(error_message(exc), "warning")
            return redirect(back)
        form.reason.errors = [*form.reason.errors, error_message(exc)]
        return _render_conflicts(contest, filters, lift=(conflict.id, form), status=400)
    db.session.commit()
    flash(_("The conflict of interest has been lifted."), "success")
    return redirect(back)
