"""The award plan: every setting on one page (ranking round, scope, tiers and special prizes as rows added and
removed on screen, the tie-break chain with its default, feedback to contestants, team points), stored on save."""

from __future__ import annotations

import re

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from app.accounts.permissions import require
from app.extensions import db
from competitions.models import Contest
from judging.models import Round
from results import bp
from results.forms import RULE_LABELS, PlanForm
from results.models import AwardPlan
from results.ranking import BOARD, default_chain
from results.services import plan_edit
from results.services.plan_edit import PlanError, Problem
from results.services.plans import chain_for, criterion_key, plan_for, ranked_tiers, ranking_round
from results.services.review import team_points, tier_usage
from results.views.loaders import contest_or_404
from results.views.manage_awards._common import as_int, contest_scope, error_message, refused_when_archived

ROW_KEY = re.compile(r"^(tiers|specials)-([0-9]{1,4})-")


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
        max_rows=plan_edit.MAX_TIERS,
    ), status


def _plan_values(form: PlanForm) -> dict:
    return {
        "round_id": form.round_id.data,
        "scope": form.scope.data,
        "tiers": [
            {
                "id": as_int(row.form.id.data),
                "name": row.form.name.data,
                "quota": row.form.quota.data,
                "min_score": row.form.min_score.data,
                "points": row.form.points.data,
            }
            for row in form.tiers
        ],
        "specials": [
            {"id": as_int(row.form.id.data), "name": row.form.name.data, "rule": row.form.rule.data}
            for row in form.specials
        ],
        "tie_break": [link.data for link in form.chain if link.data],
        "show_feedback": form.show_feedback.data,
    }


def _place_problems(form: PlanForm, problems: list[Problem]) -> list[str]:
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
@require("manage_contest", scope=contest_scope)
def plan(contest_id: int):
    """The award plan: every setting on one page; rows are added and removed on screen, stored on save."""
    contest = contest_or_404(contest_id)
    plan = plan_for(contest)
    if request.method == "GET":
        db.session.commit()  # a new plan with its defaults: its tiers' ids are in the form
        form, criteria = _plan_form(contest, plan, data=_plan_data(plan, chain_for(plan, ranking_round(contest, plan))))
        return _render_plan(contest, plan, form, criteria)
    refused = refused_when_archived(contest, "results.plan")
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
        position = as_int(index)
        if verb == "remove" and position in indices:
            tier_id = as_int(formdata.get(f"{relation}-{position}-id"))
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
            if len(form.tiers) + len(form.specials) < plan_edit.MAX_TIERS:
                getattr(form, relation).append_entry({"rule": "manual"} if relation == "specials" else {})
            else:
                flash(_("A plan holds at most %(n)d tiers and special prizes.", n=plan_edit.MAX_TIERS), "warning")
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
        changed = plan_edit.update_plan(plan, values, by=current_user)
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
