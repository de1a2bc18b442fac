"""Organizers set up contest editions: the editions they manage, a new edition from a preset, its settings and
status, and its lists (fields, age groups, required documents, default criteria).

An organizer scoped to an organisation manages the editions of that body and of the bodies below it; another
body's edition answers 404 to them (it does not exist for them), while accounts that organize nothing get 403.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import func, or_, select
from werkzeug.datastructures import MultiDict

from app.accounts.permissions import require
from app.accounts.roles import grants_allow
from app.audit.labels import register_labels
from app.extensions import db
from app.orgs.models import Organisation, descendant_ids
from app.text import text_key
from app.timefmt import local_to_utc, to_local, utcnow
from app.uploads import GROUPS
from competitions import bp, eligibility, services
from competitions.labels import CONTEST_STATUS_LABELS
from competitions.models import Contest, Entry
from competitions.presets import PRESETS
from competitions.setup_forms import LIST_FORMS, STEPS, NewContestForm, SettingsForm, StatusForm

register_labels(
    {
        "contest.create": _l("Created a contest edition"),
        "contest.update": _l("Changed a contest edition's settings"),
        "contest.status": _l("Changed a contest edition's status"),
        "contest.fields.update": _l("Changed a contest edition's fields"),
        "contest.age_groups.update": _l("Changed a contest edition's age groups"),
        "contest.document_types.update": _l("Changed a contest edition's required documents"),
        "contest.criteria.update": _l("Changed a contest edition's criteria"),
    },
    {"contests": _l("Contest edition")},
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

#: At most this many rows in one list.
MAX_ROWS = 50
ROW_KEY = re.compile(r"^rows-([0-9]{1,6})-")


def _as_int(text) -> int | None:
    """A row number or id sent by the page (ASCII digits only; anything else is no number)."""
    text = str(text or "").strip()
    return int(text) if re.fullmatch(r"[0-9]{1,18}", text) else None


def _link(endpoint: str, **values) -> str | None:
    """The URL of `endpoint` when the application has it (other parts of the package are built separately)."""
    return url_for(endpoint, **values) if endpoint in current_app.view_functions else None


def _managed_contest(contest_id: int) -> Contest:
    """The edition, or 404 when it does not exist or belongs to a body this organizer does not manage."""
    contest = db.session.get(Contest, contest_id)
    if contest is None:
        abort(404)
    if current_user.can("manage_contest") and not current_user.can("manage_contest", contest):
        abort(404)
    return contest


def _contest_scope(contest_id: int) -> Contest:
    """The record `require` checks the capability on (404 for another body's edition, see `_managed_contest`)."""
    return _managed_contest(contest_id)


def _changeable(contest: Contest) -> bool:
    """An archived edition is read-only until it is taken out of the archive."""
    return contest.status != "archived"


def _refuse_archived(endpoint: str, contest: Contest):
    flash(_("This edition is archived: take it out of the archive to change it."), "warning")
    return redirect(url_for(endpoint, contest_id=contest.id))


# --- The editions this organizer manages ------------------------------------------------------------------


def _managed_query():
    """The editions of the bodies (and below) and the editions this account organizes, in one query."""
    grants = [g for g in current_user.grants if grants_allow([g], "manage_contest")]
    query = select(Contest).order_by(Contest.year.desc(), Contest.id.desc())
    if any(g.scope is None for g in grants):
        return query
    org_ids: set[int] = set()
    contest_ids: set[int] = set()
    for grant in grants:
        if grant.scope_type == "organisation":
            org_ids |= descendant_ids(grant.scope_id)
        elif grant.scope_type == "contest":
            contest_ids.add(grant.scope_id)
    return query.where(or_(Contest.organisation_id.in_(org_ids), Contest.id.in_(contest_ids)))


def _registration_state(contest: Contest, now: datetime) -> str:
    rules = eligibility.Rules(
        kind=contest.kind,
        field_ids=frozenset(),
        opens_at=contest.registration_opens_at,
        closes_at=contest.registration_closes_at,
        contest_status=contest.status,
    )
    return eligibility.registration_state(rules, now)


@bp.route("/manage/")
@require("manage_contest")
def manage_index():
    """The editions this organizer manages (all of them for a Union-wide organizer), with their entries counted
    by status in one grouped query."""
    contests = db.session.scalars(_managed_query()).unique().all()
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    if contests:
        rows = db.session.execute(
            select(Entry.contest_id, Entry.status, func.count(Entry.id))
            .where(Entry.contest_id.in_([c.id for c in contests]))
            .group_by(Entry.contest_id, Entry.status)
        )
        for contest_id, status, n in rows:
            counts[contest_id][status] = int(n)
    now = utcnow()
    return render_template(
        "competitions/manage/index.html",
        contests=contests,
        counts=counts,
        states={c.id: _registration_state(c, now) for c in contests},
        entries_endpoint="competitions.manage_entries"
        if "competitions.manage_entries" in current_app.view_functions
        else None,
    )


# --- A new edition ------------------------------------------------------------------------------------------


def _organisations() -> list[Organisation]:
    """The active bodies this organizer may create editions for, in Vietnamese alphabetical order."""
    bodies = db.session.scalars(select(Organisation).where(Organisation.is_active)).all()
    return sorted((o for o in bodies if current_user.can("manage_contest", o)), key=lambda o: text_key(o.name))


@bp.route("/manage/new", methods=["GET", "POST"])
@require("manage_contest")
def setup_new():
    organisations = _organisations()
    form = NewContestForm()
    form.setup(organisations)
    if request.method == "GET":
        form.year.data = to_local(utcnow()).year
        if len(organisations) == 1:
            form.organisation_id.data = organisations[0].id
    elif form.validate_on_submit():
        contest = services.create_contest(
            form.kind.data,
            form.organisation_id.data,
            form.year.data,
            name=form.name.data or None,
            number=form.number.data,
        )
        db.session.commit()
        flash(_("The edition “%(name)s” has been created from its preset.", name=contest.name), "success")
        return redirect(url_for("competitions.setup_settings", contest_id=contest.id))
    status = 400 if form.errors else 200
    return render_template(
        "competitions/manage/new.html", form=form, presets=PRESETS, organisations=organisations
    ), status


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
    return render_template(
        "competitions/manage/settings.html",
        contest=contest,
        form=form,
        shown=_shown_settings(contest),
        transitions=_transitions(contest),
        status_form=StatusForm(),
        changeable=_changeable(contest),
        entries_url=_link("competitions.manage_entries", contest_id=contest.id),
        active="settings",
    ), status


@bp.route("/manage/<int:contest_id>/settings", methods=["GET", "POST"])
@require("manage_contest", scope=_contest_scope)
def setup_settings(contest_id: int):
    contest = _managed_contest(contest_id)
    if request.method == "GET":
        return _render_settings(contest, SettingsForm(data=_settings_data(contest)))
    if not _changeable(contest):
        return _refuse_archived("competitions.setup_settings", contest)
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
@require("manage_contest", scope=_contest_scope)
def setup_status(contest_id: int):
    contest = _managed_contest(contest_id)
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


def _status_label(status: str) -> str:
    return str(CONTEST_STATUS_LABELS.get(status, status))


# --- The lists of an edition --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ListSpec:
    relation: str
    endpoint: str
    title: object
    intro: object
    add_label: object
    #: Bootstrap column classes of the row's inputs.
    layout: dict
    youth_only: bool = False


LISTS = {
    "fields": ListSpec(
        "fields",
        "competitions.setup_fields",
        _l("Fields"),
        _l("The fields entries compete in; judges' sub-panels follow them."),
        _l("Add a field"),
        {"code": "col-md-2", "name": "col-md-10", "description": "col-12"},
    ),
    "age_groups": ListSpec(
        "age_groups",
        "competitions.setup_age_groups",
        _l("Age groups"),
        _l("Age groups or school levels; each entry chooses one."),
        _l("Add an age group"),
        {"name": "col-12"},
        youth_only=True,
    ),
    "document_types": ListSpec(
        "document_types",
        "competitions.setup_documents",
        _l("Required documents"),
        _l("The documents of the dossier: contestants upload one file for each; required ones before submitting."),
        _l("Add a document"),
        {
            "name": "col-md-8",
            "max_mb": "col-md-4",
            "description": "col-12",
            "accepted": "col-md-8",
            "required": "col-md-4 pt-md-4",
        },
    ),
    "criteria": ListSpec(
        "criteria",
        "competitions.setup_criteria",
        _l("Default criteria"),
        _l("The criteria judging rounds start from, with their maximum points (usually 100 in all)."),
        _l("Add a criterion"),
        {
            "name": "col-md-12",
            "description": "col-12",
            "max_points": "col-md-4",
            "weight": "col-md-4",
            "step": "col-md-4",
        },
    ),
}


def _row_data(relation: str, item) -> dict:
    """What one stored row shows in the form."""
    if relation == "fields":
        return {"id": item.id, "code": item.code, "name": item.name, "description": item.description}
    if relation == "age_groups":
        return {"id": item.id, "name": item.name}
    if relation == "document_types":
        return {
            "id": item.id,
            "name": item.name,
            "description": item.description,
            "required": item.required,
            "accepted": item.accepted_groups,
            "max_mb": item.max_mb,
        }
    step = f"{Decimal(item.step).normalize():f}"
    return {
        "id": item.id,
        "name": item.name,
        "description": item.description,
        "max_points": Decimal(item.max_points),
        "weight": Decimal(item.weight),
        "step": step if step in STEPS else "0.5",
    }


NEW_ROWS = {
    "document_types": {"required": True, "accepted": ["pdf"], "max_mb": 10},
    "criteria": {"weight": Decimal(1), "step": "0.5"},
}


def _row_values(relation: str, sub) -> dict:
    """What one row of the form stores."""
    values: dict = {"id": _as_int(sub.id.data)}
    if relation == "fields":
        values |= {"code": sub.code.data or "", "name": sub.name.data, "description": sub.description.data or ""}
    elif relation == "age_groups":
        values |= {"name": sub.name.data}
    elif relation == "document_types":
        values |= {
            "name": sub.name.data,
            "description": sub.description.data or "",
            "required": bool(sub.required.data),
            "accepted": ",".join(g for g in GROUPS if g in (sub.accepted.data or [])),
            "max_mb": sub.max_mb.data,
        }
    else:
        values |= {
            "name": sub.name.data,
            "description": sub.description.data or "",
            "max_points": sub.max_points.data,
            "weight": sub.weight.data,
            "step": Decimal(sub.step.data),
        }
    return values


def _indices(formdata: MultiDict) -> list[int]:
    found = {int(m.group(1)) for key in formdata if (m := ROW_KEY.match(key))}
    return sorted(found)


def _reordered(formdata: MultiDict, order: list[int]) -> MultiDict:
    """The form data with its rows in `order` (old indices; a row left out is dropped), numbered from 0."""
    new_index = {old: new for new, old in enumerate(order)}
    result = MultiDict()
    for key, value in formdata.items(multi=True):
        match = ROW_KEY.match(key)
        if match:
            old = int(match.group(1))
            if old not in new_index:
                continue
            key = f"rows-{new_index[old]}-{key[match.end() :]}"
        elif key.startswith("rows-"):
            continue  # not a row of ours ("rows-²-name" would even break WTForms' FieldList)
        result.add(key, value)
    return result


def _blank(formdata: MultiDict, index: int) -> bool:
    """A row added and left empty (no id, no name, code or description typed) is ignored on save."""
    return not any(
        (formdata.get(f"rows-{index}-{name}") or "").strip() for name in ("id", "code", "name", "description")
    )


def _used_message(relation: str, name: str, n: int) -> str:
    if relation == "fields":
        return ngettext(
            "“%(name)s” is the field of %(num)d entry: it cannot be removed.",
            "“%(name)s” is the field of %(num)d entries: it cannot be removed.",
            n,
            name=name,
        )
    if relation == "age_groups":
        return ngettext(
            "“%(name)s” is the age group of %(num)d entry: it cannot be removed.",
            "“%(name)s” is the age group of %(num)d entries: it cannot be removed.",
            n,
            name=name,
        )
    return ngettext(
        "%(num)d entry has a file for “%(name)s”: it cannot be removed.",
        "%(num)d entries have a file for “%(name)s”: it cannot be removed.",
        n,
        name=name,
    )


def _render_list(contest: Contest, spec: ListSpec, form, usage: dict, *, row_errors=None, general=(), status=200):
    total = None
    if spec.relation == "criteria":
        points = [sub.form.max_points.data for sub in form.rows]
        total = sum((p for p in points if p is not None and 0 < p <= 1000), Decimal(0))  # out of range: said beside
    return render_template(
        "competitions/manage/lists.html",
        contest=contest,
        spec=spec,
        form=form,
        usage={i: usage.get(_as_int(sub.form.id.data)) for i, sub in enumerate(form.rows)},
        row_errors=row_errors or {},
        general=list(general),
        total=total,
        max_rows=MAX_ROWS,
        changeable=_changeable(contest),
        entries_url=_link("competitions.manage_entries", contest_id=contest.id),
        active=spec.relation,
    ), status


def _edit_list(contest_id: int, relation: str):
    """One list of the edition: every row at once; add, remove and move rows, then save them all."""
    contest = _managed_contest(contest_id)
    spec = LISTS[relation]
    if spec.youth_only and not contest.is_youth:
        abort(404)
    form_class = LIST_FORMS[relation]
    usage = services.list_usage(contest, relation)
    if request.method == "GET":
        form = form_class(data={"rows": [_row_data(relation, item) for item in getattr(contest, relation)]})
        return _render_list(contest, spec, form, usage)
    if not _changeable(contest):
        return _refuse_archived(spec.endpoint, contest)

    formdata = request.form
    if "action" not in formdata:
        abort(400)  # every button of the page sends one, the hidden default "save" included
    indices = _indices(formdata)
    verb, _sep, arg = (formdata.get("action") or "save").partition("-")
    position = indices.index(_as_int(arg)) if _as_int(arg) in indices else None

    if verb in ("add", "remove", "up", "down"):
        # Rows change on screen only; nothing is stored until "Save".
        order, row_errors = list(indices), {}
        if verb == "remove" and position is not None:
            used = usage.get(_as_int(formdata.get(f"rows-{arg}-id")))
            if used:
                name = formdata.get(f"rows-{arg}-name", "")
                row_errors[position] = _used_message(relation, name, used)
            else:
                order.pop(position)
        elif verb == "up" and position:
            order[position - 1], order[position] = order[position], order[position - 1]
        elif verb == "down" and position is not None and position + 1 < len(order):
            order[position + 1], order[position] = order[position], order[position + 1]
        form = form_class(formdata=_reordered(formdata, order))
        if verb == "add":
            if len(form.rows) < MAX_ROWS:
                form.rows.append_entry(NEW_ROWS.get(relation, {}))
            else:
                flash(_("A list holds at most %(n)d rows.", n=MAX_ROWS), "warning")
        return _render_list(contest, spec, form, usage, row_errors=row_errors)

    form = form_class(formdata=_reordered(formdata, [i for i in indices if not _blank(formdata, i)]))
    valid = form.validate()
    if len(form.rows) > MAX_ROWS:
        flash(_("A list holds at most %(n)d rows.", n=MAX_ROWS), "danger")
        valid = False
    if relation == "fields":
        codes: set[str] = set()
        for sub in form.rows:
            code = (sub.form.code.data or "").casefold()
            if code and code in codes:
                sub.form.code.errors = [*sub.form.code.errors, _("Another field already has this code.")]
                valid = False
            codes.add(code)
    if not valid:
        return _render_list(contest, spec, form, usage, status=400)
    try:
        changed = services.update_contest_list(contest, relation, [_row_values(relation, s.form) for s in form.rows])
    except services.ItemsInUse as exc:
        general = [_used_message(relation, item.name, n) for item, n in exc.items]
        return _render_list(contest, spec, form, usage, general=general, status=409)
    db.session.commit()
    flash(_("The list has been saved.") if changed else _("Nothing has changed."), "success" if changed else "info")
    return redirect(url_for(spec.endpoint, contest_id=contest.id))


@bp.route("/manage/<int:contest_id>/fields", methods=["GET", "POST"])
@require("manage_contest", scope=_contest_scope)
def setup_fields(contest_id: int):
    return _edit_list(contest_id, "fields")


@bp.route("/manage/<int:contest_id>/age-groups", methods=["GET", "POST"])
@require("manage_contest", scope=_contest_scope)
def setup_age_groups(contest_id: int):
    return _edit_list(contest_id, "age_groups")


@bp.route("/manage/<int:contest_id>/documents", methods=["GET", "POST"])
@require("manage_contest", scope=_contest_scope)
def setup_documents(contest_id: int):
    return _edit_list(contest_id, "document_types")


@bp.route("/manage/<int:contest_id>/criteria", methods=["GET", "POST"])
@require("manage_contest", scope=_contest_scope)
def setup_criteria(contest_id: int):
    return _edit_list(contest_id, "criteria")
