"""Organizers decide an edition's awards: the award plan (ranking round, scope, tiers and special prizes, tie-break
chain, feedback to contestants, team points), the proposal with the ties the Board must decide, storing it as
awards, changing, giving and removing an award with a written reason, and the approving decision. State changes
are in `results.services.awards`, what the page reads in `results.services.review`."""

from __future__ import annotations

import re

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from app.accounts.permissions import require
from app.audit.labels import register_labels
from app.extensions import db
from app.forms import Form
from competitions.models import Contest
from judging.models import Round
from results import bp
from results.forms import (
    RULE_LABELS,
    SCOPE_LABELS,
    AwardChangeForm,
    AwardGiveForm,
    DecisionForm,
    PlanForm,
    TieForm,
)
from results.models import Award, AwardPlan
from results.ranking import BOARD, default_chain
from results.services import awards as service
from results.services.awards import AwardError, PlanError
from results.services.plans import chain_for, criterion_key, plan_for, ranked_tiers, ranking_round
from results.services.review import Review, decisions, review, team_points, tier_usage
from results.views.loaders import award_or_404, contest_or_404

register_labels(
    {
        "award_plan.update": _l("Changed an edition's award plan"),
        "awards.generate": _l("Stored the proposed awards"),
        "award.change": _l("Changed an award"),
        "award.create": _l("Gave an award by hand"),
        "award.delete": _l("Removed an award"),
        "tie.decide": _l("Recorded the Board's decision on a tie"),
        "award_decision.create": _l("Recorded the approving decision"),
    },
    {
        "award_plans": _l("Award plan"),
        "awards": _l("Award"),
        "tie_decisions": _l("Board decision on a tie"),
        "award_decisions": _l("Approving decision"),
    },
)

#: Why a change was refused, in words (`AwardError.code`, `Problem.code`).
ERROR_MESSAGES = {
    "round_not_in_contest": _l("Choose one of this edition's rounds."),
    "scope_invalid": _l("Not a valid choice."),
    "no_tiers": _l("The plan needs at least one tier."),
    "too_many_tiers": _l("A plan holds at most %(n)d tiers and special prizes.", n=service.MAX_TIERS),
    "name_required": _l("Please fill in this field."),
    "name_too_long": _l("At most %(max)d characters.", max=120),
    "name_taken": _l("Another tier or special prize already has this name."),
    "quota_invalid": _l("A whole number from 0 to %(n)d.", n=service.MAX_QUOTA),
    "min_score_invalid": _l("A score from 0 to %(max)s.", max=service.MAX_MIN_SCORE),
    "points_invalid": _l("A whole number from 0 to %(n)d.", n=service.MAX_POINTS),
    "rule_invalid": _l("Not a valid choice."),
    "rule_taken": _l("Another special prize already has this rule."),
    "chain_unknown": _l("Choose criteria of the ranking round's rubric."),
    "chain_repeated": _l("Each criterion may appear once in the chain."),
    "reason_required": _l("Please write the reason: it is kept with the award and in the audit log."),
    "reason_too_long": _l("At most %(max)d characters.", max=service.REASON_MAX),
    "tier_unknown": _l("Choose one of the plan's tiers."),
    "tier_not_ranked": _l("A ranked award can only move to another ranked tier."),
    "tier_unchanged": _l("The award already has this tier."),
    "special_not_changed": _l("A special prize cannot move to another tier: remove it and give another."),
    "entry_unknown": _l("No entry of this edition has this code."),
    "tier_taken": _l("The entry already holds this award."),
    "entry_has_ranked_award": _l("The entry already holds a ranked award: change that one instead."),
    "person_unknown": _l("No author of this entry has this name."),
    "person_for_special_only": _l("A ranked award goes to the whole entry: leave the author empty."),
    "tie_too_small": _l("A tie needs at least two entries."),
    "tie_repeated": _l("Give each entry its own position."),
    "tie_foreign_entry": _l("These entries are not all of this edition."),
    "number_required": _l("Please fill in this field."),
    "number_too_long": _l("At most %(max)d characters.", max=64),
    "date_required": _l("Please fill in this field."),
    "signer_required": _l("Please fill in this field."),
    "signer_too_long": _l("At most %(max)d characters.", max=120),
    "signer_title_too_long": _l("At most %(max)d characters.", max=160),
}


def error_message(code: str) -> str:
    return str(ERROR_MESSAGES.get(code, code))


def _contest_scope(contest_id: int) -> Contest:
    return contest_or_404(contest_id)


def _award_scope(award_id: int) -> Award:
    return award_or_404(award_id)


def _refused_when_archived(contest: Contest, endpoint: str):
    """An archived edition is read-only: a redirect with a message, or None."""
    if contest.status != "archived":
        return None
    flash(_("This edition is archived: take it out of the archive to change it."), "warning")
    return redirect(url_for(endpoint, contest_id=contest.id))


# --- the plan ----------------------------------------------------------------------------------------------------

ROW_KEY = re.compile(r"^(tiers|specials)-([0-9]{1,4})-")


def _as_int(text) -> int | None:
    text = str(text or "").strip()
    return int(text) if re.fullmatch(r"[0-9]{1,18}", text) else None


def _plan_data(plan: AwardPlan, chain: list[str]) -> dict:
    points = team_points(plan)
    return {
        "round_id": plan.round_id,
        "scope": plan.scope,
        "tiers": [
            {"id": t.id, "name": t.name, "quota": t.quota, "min_score": t.min_score, "points": points.get(t.code)}
            for t in ranked_tiers(plan)
        ],
        "specials": [{"id": t.id, "name": t.name, "rule": t.rule or "manual"} for t in plan.tiers if t.special],
        "chain": [link for link in chain if link != BOARD],
        "show_feedback": plan.show_feedback,
    }


def _reordered(formdata: MultiDict, relation: str, keep: list[int]) -> MultiDict:
    """The form data with the rows of `relation` limited to `keep` (old indices, in order), numbered from 0."""
    new_index = {old: new for new, old in enumerate(keep)}
    result = MultiDict()
    for key, value in formdata.items(multi=True):
        match = ROW_KEY.match(key)
        if match and match.group(1) == relation:
            old = int(match.group(2))
            if old not in new_index:
                continue
            key = f"{relation}-{new_index[old]}-{key[match.end() :]}"
        elif key.startswith(f"{relation}-") and not match:
            continue
        result.add(key, value)
    return result


def _indices(formdata: MultiDict, relation: str) -> list[int]:
    return sorted({int(m.group(2)) for key in formdata if (m := ROW_KEY.match(key)) and m.group(1) == relation})


def _blank(formdata: MultiDict, relation: str, index: int) -> bool:
    """A row added and left empty is ignored on save."""
    names = ("id", "name", "quota", "min_score") if relation == "tiers" else ("id", "name")
    return not any((formdata.get(f"{relation}-{index}-{name}") or "").strip() for name in names)


def _plan_form(contest: Contest, plan: AwardPlan, formdata=None, data=None) -> tuple[PlanForm, list]:
    rounds = list(
        db.session.scalars(select(Round).where(Round.contest_id == contest.id).order_by(Round.position, Round.id))
    )
    current = ranking_round(contest, plan)
    criteria = [(criterion_key(c.id), c.name) for c in current.criteria] if current is not None else []
    form = PlanForm(formdata=formdata, data=data)
    form.setup(rounds=rounds, last_round=rounds[-1] if rounds else None, youth=contest.is_youth, criteria=criteria)
    return form, criteria


def _render_plan(
    contest: Contest, plan: AwardPlan, form: PlanForm, criteria, *, row_errors=None, general=(), status=200
):
    names = dict(criteria)
    default = [names[k] for k in default_chain(criteria) if k != BOARD]
    return render_template(
        "results/manage/plan.html",
        contest=contest,
        plan=plan,
        form=form,
        default_chain=default,
        usage=tier_usage(contest),
        codes={t.id: t.code for t in plan.tiers},
        row_errors=row_errors or {},
        general=list(general),
        rule_labels=RULE_LABELS,
        max_rows=service.MAX_TIERS,
    ), status


def _plan_values(form: PlanForm) -> dict:
    return {
        "round_id": form.round_id.data,
        "scope": form.scope.data,
        "tiers": [
            {
                "id": _as_int(row.form.id.data),
                "name": row.form.name.data,
                "quota": row.form.quota.data,
                "min_score": row.form.min_score.data,
                "points": row.form.points.data,
            }
            for row in form.tiers
        ],
        "specials": [
            {"id": _as_int(row.form.id.data), "name": row.form.name.data, "rule": row.form.rule.data}
            for row in form.specials
        ],
        "tie_break": [link.data for link in form.chain if link.data],
        "show_feedback": form.show_feedback.data,
    }


def _place_problems(form: PlanForm, problems: list[service.Problem]) -> list[str]:
    """Put each problem beside its field; what belongs to no field is returned (shown above the form)."""
    general = []
    for p in problems:
        if p.code == "tier_in_use":
            general.append(
                _(
                    "“%(name)s” has %(n)d stored awards: remove or change them before removing the tier.",
                    name=p.name,
                    n=p.count,
                )
            )
            continue
        text = error_message(p.code)
        if p.row is not None:
            rows = getattr(form, p.field)
            if p.row < len(rows):
                getattr(rows[p.row].form, p.column).errors.append(text)
                continue
        target = {"round_id": form.round_id, "scope": form.scope, "tie_break": form.chain}.get(p.field)
        if target is not None:
            target.errors = [*target.errors, text]
        else:
            general.append(text)
    return general


@bp.route("/manage/<int:contest_id>/plan", methods=["GET", "POST"])
@require("manage_contest", scope=_contest_scope)
def plan(contest_id: int):
    """The award plan: every setting on one page; rows are added and removed on screen, stored on save."""
    contest = contest_or_404(contest_id)
    plan = plan_for(contest)
    if request.method == "GET":
        db.session.commit()  # a new plan with its defaults: its tiers' ids are in the form
        form, criteria = _plan_form(contest, plan, data=_plan_data(plan, chain_for(plan, ranking_round(contest, plan))))
        return _render_plan(contest, plan, form, criteria)
    refused = _refused_when_archived(contest, "results.plan")
    if refused is not None:
        return refused

    formdata = request.form
    if "action" not in formdata:
        abort(400)  # every button of the page sends one, the hidden default "save" included
    verb, _sep, arg = (formdata.get("action") or "save").partition("-")
    if verb in ("add", "remove"):
        relation, _sep, index = arg.partition("-")
        if relation not in ("tiers", "specials"):
            abort(400)
        indices = _indices(formdata, relation)
        row_errors: dict[tuple[str, int], str] = {}
        position = _as_int(index)
        if verb == "remove" and position in indices:
            tier_id = _as_int(formdata.get(f"{relation}-{position}-id"))
            tier = next((t for t in plan.tiers if t.id == tier_id), None)
            used = tier_usage(contest).get(tier.code) if tier is not None else 0
            if used:
                row_errors[(relation, indices.index(position))] = _(
                    "“%(name)s” has %(n)d stored awards: remove or change them before removing the tier.",
                    name=tier.name,
                    n=used,
                )
            else:
                indices.remove(position)
        form, criteria = _plan_form(contest, plan, formdata=_reordered(formdata, relation, indices))
        if verb == "add":
            if len(form.tiers) + len(form.specials) < service.MAX_TIERS:
                getattr(form, relation).append_entry({"rule": "manual"} if relation == "specials" else {})
            else:
                flash(_("A plan holds at most %(n)d tiers and special prizes.", n=service.MAX_TIERS), "warning")
        return _render_plan(contest, plan, form, criteria, row_errors=row_errors)

    cleaned = formdata
    for relation in ("tiers", "specials"):
        keep = [i for i in _indices(cleaned, relation) if not _blank(cleaned, relation, i)]
        cleaned = _reordered(cleaned, relation, keep)
    form, criteria = _plan_form(contest, plan, formdata=cleaned)
    if not form.validate():
        return _render_plan(contest, plan, form, criteria, status=400)
    values = _plan_values(form)
    current = ranking_round(contest, plan)
    chosen = ranking_round(contest) if values["round_id"] is None else db.session.get(Round, values["round_id"])
    round_changed = getattr(chosen, "id", None) != getattr(current, "id", None)
    if round_changed:
        values["tie_break"] = None  # the chain chosen was the old round's: the new round's default applies
    try:
        changed = service.update_plan(plan, values, by=current_user)
    except PlanError as exc:
        db.session.rollback()
        plan = plan_for(contest)
        general = _place_problems(form, exc.problems)
        return _render_plan(contest, plan, form, criteria, general=general, status=400)
    db.session.commit()
    if changed:
        flash(_("The award plan has been saved."), "success")
        if round_changed:
            flash(_("The ranking round changed: the tie-break chain is now the default for its rubric."), "info")
    else:
        flash(_("Nothing has changed."), "info")
    return redirect(url_for("results.plan", contest_id=contest.id))


# --- the awards --------------------------------------------------------------------------------------------------


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
    if give is None:
        prefill = {
            "entry_code": request.args.get("give_entry", ""),
            "tier_code": request.args.get("give_tier", ""),
            "person": request.args.get("give_person", ""),
        }
        give = _give_form(plan.tiers, data=prefill)
    tier_position = {t.code: t.position for t in plan.tiers}
    stored = sorted(
        data.stored,
        key=lambda a: (
            tier_position.get(a.tier_code, len(tier_position)),
            a.rank if a.rank is not None else 10**9,
            a.entry.code or "",
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
        give_form=give,
        generate_form=GenerateForm(),
        scope_label=SCOPE_LABELS.get(plan.scope, plan.scope),
        rule_labels=RULE_LABELS,
        decision=next(iter(decisions(contest)), None),
    ), status


@bp.route("/manage/<int:contest_id>/awards")
@require("manage_contest", scope=_contest_scope)
def awards(contest_id: int):
    """The proposal by group, the ties the Board must decide, the special prizes, the team ranking (youth), and the
    stored awards with their changes."""
    contest = contest_or_404(contest_id)
    plan_for(contest)
    db.session.commit()  # a new plan with its defaults
    return _render_awards(contest)


@bp.route("/manage/<int:contest_id>/awards/generate", methods=["POST"])
@require("manage_contest", scope=_contest_scope)
def awards_generate(contest_id: int):
    """Store the proposal as awards; awards changed or given by hand are kept."""
    contest = contest_or_404(contest_id)
    if not GenerateForm().validate_on_submit():
        abort(400)
    refused = _refused_when_archived(contest, "results.awards")
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
    for name in result.undecided:
        flash(_("“%(name)s” was not given by its rule: see its candidates and give it by hand.", name=name), "warning")
    return redirect(url_for("results.awards", contest_id=contest.id, _anchor="stored"))


def _field_error(form, error: AwardError, fallback: str = "reason") -> None:
    target = getattr(form, error.field or fallback, None) or getattr(form, fallback)
    target.errors = [*target.errors, error_message(error.code)]


@bp.route("/manage/awards/<int:award_id>/change", methods=["POST"])
@require("manage_contest", scope=_award_scope)
def award_change(award_id: int):
    """Another ranked tier for a stored award, or its removal ("remove" button); both need a written reason."""
    award = award_or_404(award_id)
    contest = award.contest
    refused = _refused_when_archived(contest, "results.awards")
    if refused is not None:
        return refused
    form = _change_form(award, ranked_tiers(plan_for(contest)), formdata=request.form)
    if not form.validate_on_submit():
        return _render_awards(contest, changed=(award.id, form), status=400)
    entry = award.entry
    try:
        if form.remove.data:
            service.remove_award(award, form.reason.data, by=current_user)
        else:
            service.change_award(award, form.tier_code.data, form.reason.data, by=current_user)
    except AwardError as exc:
        db.session.rollback()
        _field_error(form, exc, "tier_code")
        return _render_awards(contest, changed=(award_id, form), status=400)
    db.session.commit()
    if form.remove.data:
        flash(_("The award of %(code)s has been removed.", code=entry.code or ""), "success")
    else:
        flash(_("The award of %(code)s has been changed.", code=entry.code or ""), "success")
    return redirect(url_for("results.awards", contest_id=contest.id, _anchor="stored"))


@bp.route("/manage/<int:contest_id>/awards/new", methods=["POST"])
@require("manage_contest", scope=_contest_scope)
def award_new(contest_id: int):
    """Give an award by hand: a tier or a special prize to an entry, or a special prize to one of its authors."""
    contest = contest_or_404(contest_id)
    refused = _refused_when_archived(contest, "results.awards")
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
            by=current_user,
        )
    except AwardError as exc:
        db.session.rollback()
        _field_error(form, exc)
        return _render_awards(contest, give=form, status=400)
    db.session.commit()
    flash(_("“%(prize)s” has been given to %(code)s.", prize=award.tier_name, code=award.entry.code or ""), "success")
    return redirect(url_for("results.awards", contest_id=contest.id, _anchor="stored"))


@bp.route("/manage/<int:contest_id>/ties", methods=["POST"])
@require("manage_contest", scope=_contest_scope)
def tie_decide(contest_id: int):
    """Record the Board's order for tied entries, with its reason; the ranking and the allocation follow it."""
    contest = contest_or_404(contest_id)
    refused = _refused_when_archived(contest, "results.awards")
    if refused is not None:
        return refused
    key = _as_int(request.form.get("tie"))
    data = review(contest)
    tie = next((t for g in data.groups for t in g.ties if t.key == key), None)
    if tie is None:
        flash(_("This tie is no longer in the proposal: someone may have decided it already."), "warning")
        return redirect(url_for("results.awards", contest_id=contest.id))
    form = _tie_form(tie, formdata=request.form)
    expected = {row.score.entry_id for row in tie.rows}
    posted = {_as_int(row.form.entry_id.data) for row in form.rows}
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


# --- the approving decision --------------------------------------------------------------------------------------


@bp.route("/manage/<int:contest_id>/decision", methods=["GET", "POST"])
@require("manage_contest", scope=_contest_scope)
def decision(contest_id: int):
    """The decision approving the awards; a later one (a correction) is recorded beside the earlier ones."""
    contest = contest_or_404(contest_id)
    form = DecisionForm()
    status = 200
    if request.method == "POST":
        refused = _refused_when_archived(contest, "results.decision")
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
                _field_error(form, exc, "number")
            else:
                db.session.commit()
                flash(_("Decision %(number)s has been recorded.", number=recorded.number), "success")
                return redirect(url_for("results.decision", contest_id=contest.id))
        status = 400
    return render_template(
        "results/manage/decision.html", contest=contest, form=form, decisions=decisions(contest)
    ), status
