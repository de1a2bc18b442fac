"""An edition's delegation to the level outside this system (the national contest): its organizers choose the
entries (by award, or by hand), take one out with a reason, and download the registration sheet (XLSX), every
dossier in one ZIP with its manifest, or one entry's dossier."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.accounts.permissions import require
from app.exports import ascii_filename, send_xlsx
from app.extensions import db
from app.forms import options
from competitions.models import Contest
from forwarding import bp, exports, rules, services
from forwarding.forms import ChoiceForm, DelegationForm
from forwarding.messages import problem_messages
from forwarding.services import ForwardingError
from forwarding.views.child import checked_ids, load_entries, withdraw_form
from forwarding.views.loaders import contest_or_404, entry_or_404


def delegating_contest(contest_id: int) -> Contest:
    """The edition, when it may have a delegation (an edition with a parent forwards there instead: 404)."""
    contest = contest_or_404(contest_id)
    if contest.parent_id is not None:
        abort(404)
    return contest


def _level(contest: Contest, forwards) -> str:
    """The outside level's name: the delegation's, else the default for the kind of contest."""
    return forwards[0].external_level if forwards else services.EXTERNAL_LEVELS.get(contest.kind, "")


def render_delegation(
    contest: Contest,
    *,
    form: DelegationForm | None = None,
    errors: list[str] | None = None,
    checked: set[int] | None = None,
    withdrawing=None,
):
    """The delegation page, also after a refusal (status 200, the refusal said where it belongs)."""
    rows = services.delegation_candidates(contest)
    tiers = services.award_tiers(contest) if rows else []
    forwards = services.delegation(contest)
    choice = ChoiceForm(formdata=request.args if request.method == "GET" else None)
    choice.tier.choices = options([("", _("every award")), *((t.code, t.name) for t in tiers)])
    basis = "manual"
    if checked is None:
        checked = set()
        if request.method == "GET" and choice.by.data == "award":
            position = next((t.position for t in tiers if t.code == choice.tier.data), None)
            items = [
                rules.Ranking(r.entry.id, r.entry.code or "", r.result.rank, r.result.score, r.result.award_position)
                for r in rows
                if not r.delegated
            ]
            checked, basis = set(rules.awarded_from(items, position)), "award"
    if form is None:
        form = DelegationForm(formdata=None, external_level=_level(contest, forwards), basis=basis)
    forms = {f.id: (withdrawing[1] if withdrawing and withdrawing[0] == f.id else withdraw_form(f)) for f in forwards}
    return render_template(
        "forwarding/delegation.html",
        contest=contest,
        rows=rows,
        choice=choice,
        checked=checked,
        form=form,
        errors=errors or [],
        forwards=forwards,
        withdraw_forms=forms,
        numbers={f.id: n for n, f in enumerate(forwards, start=1)},
    )


@bp.route("/<int:contest_id>/delegation", methods=["GET", "POST"])
@require("manage_contest", scope=lambda contest_id: delegating_contest(contest_id))
def delegation(contest_id: int):
    """GET: the delegation and the entries that may join it. POST: add the checked entries."""
    contest = delegating_contest(contest_id)
    if request.method == "GET":
        return render_delegation(contest)
    form = DelegationForm()
    ids = checked_ids(request.form.getlist("entry_ids"))
    if not form.validate_on_submit():
        return render_delegation(contest, form=form, checked=set(ids))
    try:
        made = services.add_to_delegation(
            contest, load_entries(ids), form.external_level.data, form.basis.data or "manual", by=current_user
        )
    except ForwardingError as exc:
        db.session.rollback()
        level = [p for p in exc.problems if p.code.startswith("level_")]
        form.external_level.errors = problem_messages(level)
        others = [p for p in exc.problems if not p.code.startswith("level_")]
        return render_delegation(contest, form=form, errors=problem_messages(others), checked=set(ids))
    db.session.commit()
    flash(
        ngettext(
            "%(num)d entry has been added to the delegation.",
            "%(num)d entries have been added to the delegation.",
            len(made),
        ),
        "success",
    )
    return redirect(url_for("forwarding.delegation", contest_id=contest.id, _anchor="delegated"))


def _name(contest: Contest, what: str, extension: str) -> str:
    return ascii_filename(f"{what}-{contest.code_prefix}-{contest.year}.{extension}")


@bp.route("/<int:contest_id>/delegation.xlsx")
@require("manage_contest", scope=lambda contest_id: delegating_contest(contest_id))
def delegation_xlsx(contest_id: int):
    """The national registration sheet: one row per entry of the delegation."""
    contest = delegating_contest(contest_id)
    forwards = services.delegation(contest)
    data = exports.registration_sheet(contest, forwards, _level(contest, forwards))
    return send_xlsx(data, _name(contest, "dang-ky-du-thi", "xlsx"))


@bp.route("/<int:contest_id>/delegation.zip")
@require("manage_contest", scope=lambda contest_id: delegating_contest(contest_id))
def delegation_zip(contest_id: int):
    """Every dossier of the delegation in one ZIP, numbered as in the registration sheet, with its manifest."""
    contest = delegating_contest(contest_id)
    numbered = [(n, f.entry) for n, f in enumerate(services.delegation(contest), start=1)]
    return exports.send_zip(exports.dossiers_zip(contest, numbered), _name(contest, "ho-so-du-thi", "zip"))


@bp.route("/entries/<int:entry_id>/package.zip")
@require("manage_contest", scope=lambda entry_id: entry_or_404(entry_id))
def entry_package(entry_id: int):
    """One entry's dossier as a ZIP with its manifest, numbered as in its edition's delegation (1 otherwise)."""
    entry = entry_or_404(entry_id)
    contest = entry.contest
    number = 1
    if contest.parent_id is None:
        order = [f.entry_id for f in services.delegation(contest)]
        number = order.index(entry.id) + 1 if entry.id in order else 1
    filename = ascii_filename(f"ho-so-{entry.code or entry.id}.zip")
    return exports.send_zip(exports.dossiers_zip(contest, [(number, entry)]), filename)
