"""The awards: the proposal by group with the chain in words and the ties the Board decides, the special prizes'
candidates and the team ranking; storing the proposal; changing, removing and giving an award with a reason;
lifting the exclusion a rule award removed by hand leaves."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.accounts.permissions import require
from app.extensions import db
from app.forms import Form
from competitions.models import Contest
from results import bp
from results.forms import RULE_LABELS, SCOPE_LABELS, AwardChangeForm, AwardGiveForm, ExclusionLiftForm, TieForm
from results.models import Award
from results.services import awards as service
from results.services.awards import AwardError
from results.services.plans import plan_for, ranked_tiers
from results.services.review import Review, decisions, review
from results.views.loaders import award_or_404, contest_or_404, exclusion_or_404
from results.views.manage_awards._common import (
    as_int,
    award_scope,
    contest_scope,
    error_message,
    exclusion_scope,
    field_error,
    refused_when_archived,
)


class GenerateForm(Form):
    """Storing the proposal: a button with the CSRF token."""


def _change_form(award: Award, tiers, formdata=None) -> AwardChangeForm:
    form = AwardChangeForm(formdata=formdata, prefix=f"award-{award.id}", data={"tier_code": award.tier_code})
    form.tier_code.choices = [(t.code, t.name) for t in tiers]
    form.tier_code.validate_choice = False  # the service says which tier is refused, beside the field
    return form


def _give_form(tiers, formdata=None, data=None) -> AwardGiveForm:
    form = AwardGiveForm(formdata=formdata, prefix="give", data=data)
    form.tier_code.choices = [(t.code, t.name) for t in tiers]
    form.tier_code.validate_choice = False
    return form


def _lift_form(exclusion_id: int, formdata=None) -> ExclusionLiftForm:
    return ExclusionLiftForm(formdata=formdata, prefix=f"lift-{exclusion_id}")


def _tie_form(tie, formdata=None) -> TieForm:
    data = {"rows": [{"entry_id": row.score.entry_id, "position": i} for i, row in enumerate(tie.rows, start=1)]}
    form = TieForm(formdata=formdata, prefix=f"tie-{tie.key}", data=data)
    form.setup(len(tie.rows))
    return form


def _render_awards(
    contest: Contest,
    *,
    data: Review | None = None,
    give: AwardGiveForm | None = None,
    changed: tuple[int, AwardChangeForm] | None = None,
    tie: tuple[int, TieForm] | None = None,
    lifted: tuple[int, ExclusionLiftForm] | None = None,
    status: int = 200,
):
    data = data or review(contest)
    plan = data.plan
    ranked = ranked_tiers(plan)
    change_forms = {a.id: _change_form(a, ranked) for a in data.stored}
    if changed is not None:
        change_forms[changed[0]] = changed[1]
    tie_forms = {t.key: _tie_form(t) for g in data.groups for t in g.ties}
    if tie is not None and tie[0] in tie_forms:
        tie_forms[tie[0]] = tie[1]
    lift_forms = {x.id: _lift_form(x.id) for x in data.active_exclusions}
    if lifted is not None and lifted[0] in lift_forms:
        lift_forms[lifted[0]] = lifted[1]
    if give is None:
        prefill = {
            "entry_code": request.args.get("give_entry", ""),
            "tier_code": request.args.get("give_tier", ""),
            "person": request.args.get("give_person", ""),
            "unit": request.args.get("give_unit", ""),
        }
        give = _give_form(plan.tiers, data=prefill)
    tier_position = {t.code: t.position for t in plan.tiers}
    stored = sorted(
        data.stored,
        key=lambda a: (
            tier_position.get(a.tier_code, len(tier_position)),
            a.rank if a.rank is not None else 10**9,
            a.entry_id is None,
            a.holder_label,
            a.id,
        ),
    )
    return render_template(
        "results/manage/awards.html",
        contest=contest,
        review=data,
        plan=plan,
        stored=stored,
        change_forms=change_forms,
        tie_forms=tie_forms,
        lift_forms=lift_forms,
        give_form=give,
        generate_form=GenerateForm(),
        scope_label=SCOPE_LABELS.get(plan.scope, plan.scope),
        rule_labels=RULE_LABELS,
        decision=next(iter(decisions(contest)), None),
    ), status


@bp.route("/manage/<int:contest_id>/awards")
@require("manage_contest", scope=contest_scope)
def awards(contest_id: int):
    """The proposal by group, the ties the Board must decide, the special prizes, the team ranking (youth), and the
    stored awards with their changes."""
    contest = contest_or_404(contest_id)
    plan_for(contest)
    db.session.commit()  # a new plan with its defaults
    return _render_awards(contest)


@bp.route("/manage/<int:contest_id>/awards/generate", methods=["POST"])
@require("manage_contest", scope=contest_scope)
def awards_generate(contest_id: int):
    """Store the proposal as awards; awards changed or given by hand are kept."""
    contest = contest_or_404(contest_id)
    if not GenerateForm().validate_on_submit():
        abort(400)
    refused = refused_when_archived(contest, "results.awards")
    if refused is not None:
        return refused
    result = service.generate_awards(contest, by=current_user)
    db.session.commit()
    flash(
        _(
            "The proposal has been stored: %(created)d new, %(updated)d changed, %(removed)d removed, "
            "%(unchanged)d unchanged; %(kept)d awards changed or given by hand were kept.",
            created=result.created,
            updated=result.updated,
            removed=result.removed,
            unchanged=result.unchanged,
            kept=result.kept_manual,
        ),
        "success",
    )
    if result.excluded:
        flash(
            ngettext(
                "%(num)d award removed by hand was not given again: see the exclusions.",
                "%(num)d awards removed by hand were not given again: see the exclusions.",
                result.excluded,
            ),
            "info",
        )
    for name in result.undecided:
        flash(_("“%(name)s” was not given by its rule: see its candidates and give it by hand.", name=name), "warning")
    return redirect(url_for("results.awards", contest_id=contest.id, _anchor="stored"))


@bp.route("/manage/awards/<int:award_id>/change", methods=["POST"])
@require("manage_contest", scope=award_scope)
def award_change(award_id: int):
    """Another ranked tier for a stored award, or its removal ("remove" button); both need a written reason."""
    award = award_or_404(award_id)
    contest = award.contest
    refused = refused_when_archived(contest, "results.awards")
    if refused is not None:
        return refused
    form = _change_form(award, ranked_tiers(plan_for(contest)), formdata=request.form)
    if not form.validate_on_submit():
        return _render_awards(contest, changed=(award.id, form), status=400)
    holder, special = award.holder_label, award.special
    try:
        if form.remove.data:
            service.remove_award(award, form.reason.data, by=current_user)
        else:
            service.change_award(award, form.tier_code.data, form.reason.data, by=current_user)
    except AwardError as exc:
        db.session.rollback()
        if special and exc.field == "tier_code":  # a special prize's form has no tier: said beside the reason
            form.reason.errors = [*form.reason.errors, error_message(exc.code)]
        else:
            field_error(form, exc, "tier_code")
        return _render_awards(contest, changed=(award_id, form), status=400)
    db.session.commit()
    if form.remove.data:
        flash(_("The award of %(code)s has been removed.", code=holder), "success")
    else:
        flash(_("The award of %(code)s has been changed.", code=holder), "success")
    return redirect(url_for("results.awards", contest_id=contest.id, _anchor="stored"))


@bp.route("/manage/<int:contest_id>/awards/new", methods=["POST"])
@require("manage_contest", scope=contest_scope)
def award_new(contest_id: int):
    """Give an award by hand: a tier or a special prize to an entry, or a special prize to one of its authors."""
    contest = contest_or_404(contest_id)
    refused = refused_when_archived(contest, "results.awards")
    if refused is not None:
        return refused
    form = _give_form(plan_for(contest).tiers, formdata=request.form)
    if not form.validate_on_submit():
        return _render_awards(contest, give=form, status=400)
    try:
        award = service.give_award(
            contest,
            form.entry_code.data,
            form.tier_code.data,
            form.reason.data,
            person_name=form.person.data or "",
            unit=form.unit.data or "",
            by=current_user,
        )
    except AwardError as exc:
        db.session.rollback()
        field_error(form, exc)
        return _render_awards(contest, give=form, status=400)
    db.session.commit()
    flash(_("“%(prize)s” has been given to %(code)s.", prize=award.tier_name, code=award.holder_label), "success")
    return redirect(url_for("results.awards", contest_id=contest.id, _anchor="stored"))


@bp.route("/manage/<int:contest_id>/ties", methods=["POST"])
@require("manage_contest", scope=contest_scope)
def tie_decide(contest_id: int):
    """Record the Board's order for tied entries, with its reason; the ranking and the allocation follow it."""
    contest = contest_or_404(contest_id)
    refused = refused_when_archived(contest, "results.awards")
    if refused is not None:
        return refused
    key = as_int(request.form.get("tie"))
    data = review(contest)
    tie = next((t for g in data.groups for t in g.ties if t.key == key), None)
    if tie is None:
        flash(_("This tie is no longer in the proposal: someone may have decided it already."), "warning")
        return redirect(url_for("results.awards", contest_id=contest.id))
    form = _tie_form(tie, formdata=request.form)
    expected = {row.score.entry_id for row in tie.rows}
    posted = {as_int(row.form.entry_id.data) for row in form.rows}
    if not form.validate_on_submit() or posted != expected:
        if posted != expected:
            form.rows.errors = [*form.rows.errors, error_message("tie_foreign_entry")]
        return _render_awards(contest, data=data, tie=(tie.key, form), status=400)
    try:
        service.decide_tie(contest, form.order(), form.reason.data, by=current_user)
    except AwardError as exc:
        db.session.rollback()
        if exc.field == "reason":
            form.reason.errors = [*form.reason.errors, error_message(exc.code)]
        else:
            form.rows.errors = [*form.rows.errors, error_message(exc.code)]
        return _render_awards(contest, tie=(tie.key, form), status=400)
    db.session.commit()
    flash(_("The Board's decision has been recorded: the proposal follows it."), "success")
    return redirect(url_for("results.awards", contest_id=contest.id))


@bp.route("/manage/exclusions/<int:exclusion_id>/lift", methods=["POST"])
@require("manage_contest", scope=exclusion_scope)
def exclusion_lift(exclusion_id: int):
    """Lift the exclusion a rule award removed by hand left, with a reason: storing the proposal may give it again."""
    exclusion = exclusion_or_404(exclusion_id)
    contest = exclusion.contest
    refused = refused_when_archived(contest, "results.awards")
    if refused is not None:
        return refused
    form = _lift_form(exclusion.id, formdata=request.form)
    if not form.validate_on_submit():
        return _render_awards(contest, lifted=(exclusion.id, form), status=400)
    try:
        service.lift_exclusion(exclusion, form.reason.data, by=current_user)
    except AwardError as exc:
        db.session.rollback()
        if exc.code == "already_lifted":
            flash(error_message(exc.code), "warning")
            return redirect(url_for("results.awards", contest_id=contest.id, _anchor="exclusions"))
        field_error(form, exc)
        return _render_awards(contest, lifted=(exclusion.id, form), status=400)
    db.session.commit()
    flash(_("The exclusion has been lifted: store the proposal again to give the award back."), "success")
    return redirect(url_for("results.awards", contest_id=contest.id, _anchor="exclusions"))
