"""The awards: the summary of the whole edition, the proposal by group (one at a time and a page at a time at
scale, with filters) with the chain in words and the ties the Board decides, the special prizes'
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
from results.paging import page_of
from results.services import awards as service
from results.services import awards_page
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


#: Rows of the proposal a page, and stored awards a page.
ROWS_PER_PAGE = 100
STORED_PER_PAGE = 50
TEAMS_PER_PAGE = 100
#: What the group chooser says for every group at once.
ALL = "all"


#: The page's place, kept by its forms' addresses and the redirect after a change: the group, filters and pages.
PLACE = ("group", "show", "q", "page", "spage", "tpage")


def _place() -> dict[str, str]:
    return {k: v for k in PLACE if (v := request.args.get(k, "").strip())}


def _back(contest: Contest, anchor: str | None = None):
    """Back to the awards page where the organizer was (`PLACE`)."""
    return redirect(url_for("results.awards", contest_id=contest.id, **_place(), _anchor=anchor))


def _group_param(key) -> str:
    return "-" if key is None else str(key)


def _chosen(data: Review) -> tuple[str, set | None]:
    """The group shown (the parameter's value) and the group keys it stands for (None: all). By default every
    group when the whole proposal fits on a page (a small edition looks as it always did), else the first."""
    params = {_group_param(g.key): g.key for g in data.groups}
    asked = request.args.get("group", "")
    if asked == ALL:
        return ALL, None
    if asked in params:
        return asked, {params[asked]}
    if sum(len(g.rows) for g in data.groups) <= ROWS_PER_PAGE or not data.groups:
        return ALL, None
    first = data.groups[0].key
    return _group_param(first), {first}


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
    """The page: the summary of the whole edition, the proposal's rows of the chosen group with its filters a
    page at a time, the ties the Board must decide, the special prizes, the team ranking, and the stored awards
    of the chosen group a page at a time. Only the forms shown are built; a form sent back with its errors is
    shown whatever the page."""
    data = data or review(contest)
    plan = data.plan
    ranked = ranked_tiers(plan)
    group, keys = _chosen(data)
    show = request.args.get("show", "")
    show = show if show in awards_page.ROW_FILTERS else ""
    q = (request.args.get("q") or "").strip()[:100]
    rows = page_of(awards_page.review_rows(data, keys, show, q), as_int(request.args.get("page")) or 1, ROWS_PER_PAGE)
    on_page = {row.score.entry_id for _g, row in rows.items}
    # ties: those at a quota boundary (whole edition, bounded by the groups and tiers) apart above, the others
    # under their group's rows when one of their entries is on the page
    all_ties = {t.key: t for g in data.groups for t in g.ties}
    board_ties = [t for t in all_ties.values() if t.boundary]
    sent = all_ties.get(tie[0]) if tie is not None else None
    if sent is not None and not sent.boundary and not any(r.score.entry_id in on_page for r in sent.rows):
        board_ties.append(sent)  # a decision sent back with its errors, whatever the page
    page_sections = [
        (g, g_rows, [t for t in g.ties if not t.boundary and any(r.score.entry_id in on_page for r in t.rows)])
        for g, g_rows in awards_page.sections(list(rows.items))
    ]
    shown_ties = board_ties + [t for _g, _r, ts in page_sections for t in ts]
    tie_forms = {t.key: _tie_form(t) for t in shown_ties}
    if tie is not None and tie[0] in tie_forms:
        tie_forms[tie[0]] = tie[1]
    stored = page_of(awards_page.stored_rows(data, keys, q), as_int(request.args.get("spage")) or 1, STORED_PER_PAGE)
    stored_items = list(stored.items)
    if changed is not None and all(a.id != changed[0] for a in stored_items):
        stored_items[:0] = [a for a in data.stored if a.id == changed[0]]
    change_forms = {a.id: _change_form(a, ranked) for a in stored_items}
    if changed is not None and changed[0] in change_forms:
        change_forms[changed[0]] = changed[1]
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
    counts, total = awards_page.group_counts(data)
    teams = page_of(data.teams or [], as_int(request.args.get("tpage")) or 1, TEAMS_PER_PAGE)
    here = {"contest_id": contest.id, "group": group, "show": show or None, "q": q or None}
    return render_template(
        "results/manage/awards.html",
        contest=contest,
        review=data,
        plan=plan,
        ranked_tiers=ranked,
        counts=counts,
        total=total,
        chosen_group=group,
        group_param=_group_param,
        place=_place(),
        show=show,
        q=q,
        rows=rows,
        page_sections=page_sections,
        board_ties=board_ties,
        stored=stored,
        stored_items=stored_items,
        rows_url=lambda page: url_for(
            "results.awards", **here, page=page, spage=stored.page if stored.page > 1 else None, _anchor="proposal"
        ),
        stored_url=lambda page: url_for(
            "results.awards", **here, page=rows.page if rows.page > 1 else None, spage=page, _anchor="stored"
        ),
        teams=teams,
        teams_url=lambda page: url_for("results.awards", **here, tpage=page, _anchor="teams"),
        group_url=lambda key: url_for("results.awards", contest_id=contest.id, group=key, _anchor="proposal"),
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
    return _back(contest, "stored")


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
    return _back(contest, "stored")


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
    return _back(contest, "stored")


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
        return _back(contest)
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
    return _back(contest)


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
            return _back(contest, "exclusions")
        field_error(form, exc)
        return _render_awards(contest, lifted=(exclusion.id, form), status=400)
    db.session.commit()
    flash(_("The exclusion has been lifted: store the proposal again to give the award back."), "success")
    return _back(contest, "exclusions")
