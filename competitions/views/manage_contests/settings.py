"""An edition's settings and status; for a child edition, the rules it follows from its parent (each can follow
the parent again), and for a parent, its child editions."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.accounts.permissions import require
from app.extensions import db
from app.timefmt import local_to_utc, to_local, utcnow
from competitions import bp, services
from competitions.labels import CONTEST_STATUS_LABELS
from competitions.models import Contest
from competitions.setup_forms import InheritForm, SettingsForm, StatusForm
from competitions.views.manage_contests._common import (
    changeable,
    contest_scope,
    link,
    managed_contest,
    refuse_archived,
)

#: What a status button says, and the question asked before it acts.
TRANSITION_LABELS = {
    ("draft", "open"): (
        _l("Open the edition"),
        _l("Open the edition? It becomes public, and contestants can register within the registration window."),
    ),
    ("open", "closed"): (
        _l("Close registration"),
        _l("Close registration now? Contestants can no longer submit or change their entries."),
    ),
    ("open", "draft"): (
        _l("Back to preparation"),
        _l("Take the edition back to preparation? It will no longer be shown to the public."),
    ),
    ("closed", "judging"): (_l("Start judging"), _l("Start judging? Registration stays closed.")),
    ("closed", "open"): (
        _l("Reopen registration"),
        _l("Reopen registration? Contestants can register again until the closing time in the settings."),
    ),
    ("judging", "results"): (_l("Move to results"), _l("Move the edition to results?")),
    ("judging", "closed"): (_l("Back to screening"), _l("Take the edition back from judging to screening?")),
    ("results", "archived"): (
        _l("Archive"),
        _l("Archive the edition? Its settings and lists can no longer be changed until it is taken out."),
    ),
    ("archived", "results"): (_l("Take out of the archive"), _l("Take the edition out of the archive?")),
}

STATUS_PROBLEMS = {
    "not_allowed": _l("This status change is not possible from the edition's current status."),
    "no_fields": _l("Add at least one field first."),
    "no_registration_window": _l("Set when registration opens and closes first."),
    "closes_in_past": _l("The registration closing time has passed: set a later one in the settings first."),
    "no_age_groups": _l("Add at least one age group first."),
    "no_birth_window": _l("Set the authors' birth-date window first."),
    "has_entries": _l("Entries are already registered: the edition can no longer go back to preparation."),
}

#: Settings only one kind of contest uses.
INNOVATION_ONLY = ("lookback_date",)
YOUTH_ONLY = ("birth_from", "birth_to")
#: What the settings page edits: the edition's settings but its status and organising body.
SETTINGS = tuple(name for name in services.CONTEST_FIELDS if name not in ("status", "organisation_id"))
DATETIMES = ("registration_opens_at", "registration_closes_at")


# --- Settings and status ------------------------------------------------------------------------------------


def _settings_data(contest: Contest) -> dict:
    data = {name: getattr(contest, name) for name in SETTINGS}
    for name in DATETIMES:
        if data[name] is not None:
            data[name] = to_local(data[name]).replace(tzinfo=None)
    return data


def _shown_settings(contest: Contest) -> tuple[str, ...]:
    hidden = INNOVATION_ONLY if contest.is_youth else YOUTH_ONLY
    return tuple(name for name in SETTINGS if name not in hidden)


def _prefix_taken(contest: Contest, prefix: str, year: int) -> Contest | None:
    """Another edition of the same year with the same prefix: their entry codes would clash."""
    return db.session.scalar(
        select(Contest).where(Contest.code_prefix == prefix, Contest.year == year, Contest.id != contest.id).limit(1)
    )


def _transitions(contest: Contest) -> list[dict]:
    """The status buttons of the edition, with what stands in the way of each."""
    now = utcnow()
    result = []
    for target in services.CONTEST_TRANSITIONS.get(contest.status, ()):
        label, question = TRANSITION_LABELS[(contest.status, target)]
        problems = services.contest_status_problems(contest, target, now)
        result.append(
            {
                "target": target,
                "label": label,
                "confirm": question,
                "problems": [str(STATUS_PROBLEMS.get(p, p)) for p in problems],
            }
        )
    return result


def _render_settings(contest: Contest, form: SettingsForm, status: int = 200):
    shown = _shown_settings(contest)
    return render_template(
        "competitions/manage/settings.html",
        contest=contest,
        form=form,
        shown=shown,
        transitions=_transitions(contest),
        status_form=StatusForm(),
        changeable=changeable(contest),
        entries_url=link("competitions.manage_entries", contest_id=contest.id),
        active="settings",
        rules=[r for r in services.inheritance(contest) if r.rule in shown],
        inherit_form=InheritForm(),
        children=services.children_of(contest),
        children_url=link("forwarding.parent", contest_id=contest.id),
    ), status


@bp.route("/manage/<int:contest_id>/settings", methods=["GET", "POST"])
@require("manage_contest", scope=contest_scope)
def setup_settings(contest_id: int):
    contest = managed_contest(contest_id)
    if request.method == "GET":
        return _render_settings(contest, SettingsForm(data=_settings_data(contest)))
    if not changeable(contest):
        return refuse_archived("competitions.setup_settings", contest)
    form = SettingsForm()
    valid = form.validate_on_submit()
    if form.code_prefix.data and not form.code_prefix.errors and form.year.data and not form.year.errors:
        other = _prefix_taken(contest, form.code_prefix.data, form.year.data)
        if other is not None:
            form.code_prefix.errors.append(
                _(
                    "“%(name)s” already uses this prefix for %(year)d: entry codes would clash.",
                    name=other.name,
                    year=form.year.data,
                )
            )
            valid = False
    if not valid:
        return _render_settings(contest, form, 400)
    values = {name: getattr(form, name).data for name in _shown_settings(contest)}
    for name in DATETIMES:
        if values[name] is not None:
            values[name] = local_to_utc(values[name])
    values["description"] = values["description"] or ""
    services.update_contest(contest, values)
    db.session.commit()
    flash(_("The settings have been saved."), "success")
    return redirect(url_for("competitions.setup_settings", contest_id=contest.id))


@bp.route("/manage/<int:contest_id>/status", methods=["POST"])
@require("manage_contest", scope=contest_scope)
def setup_status(contest_id: int):
    contest = managed_contest(contest_id)
    form = StatusForm()
    if not form.validate_on_submit():
        abort(400)
    before = contest.status
    target = form.status.data or ""
    try:
        services.change_contest_status(contest, target)
    except services.ContestNotReady as exc:
        for problem in exc.problems:
            flash(str(STATUS_PROBLEMS.get(problem, problem)), "danger")
        return redirect(url_for("competitions.setup_settings", contest_id=contest.id))
    db.session.commit()
    flash(
        _(
            "The edition has moved from “%(before)s” to “%(after)s”.",
            before=_status_label(before),
            after=_status_label(target),
        ),
        "success",
    )
    return redirect(url_for("competitions.setup_settings", contest_id=contest.id))


@bp.route("/manage/<int:contest_id>/inherit", methods=["POST"])
@require("manage_contest", scope=contest_scope)
def setup_inherit(contest_id: int):
    """A child edition follows its parent's rule again (its own value replaced by the parent's)."""
    contest = managed_contest(contest_id)
    if contest.parent_id is None:
        abort(404)
    if not changeable(contest):
        return refuse_archived("competitions.setup_settings", contest)
    form = InheritForm()
    if not form.validate_on_submit() or form.rule.data not in services.INHERITABLE_RULES:
        abort(400)
    rule = form.rule.data
    label = SettingsForm(formdata=None)[rule].label.text
    if rule in (contest.inherits or []):
        flash(_("“%(rule)s” already follows the parent edition.", rule=label), "info")
    else:
        services.set_inherited(contest, rule, True)
        db.session.commit()
        flash(_("“%(rule)s” follows the parent edition again.", rule=label), "success")
    return redirect(url_for("competitions.setup_settings", contest_id=contest.id))


def _status_label(status: str) -> str:
    return str(CONTEST_STATUS_LABELS.get(status, status))
