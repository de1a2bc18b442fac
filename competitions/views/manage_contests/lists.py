"""An edition's lists (fields, age groups, required documents, default criteria): every row at once. A child
edition's fields and age groups are its parent's: shown read-only, they change in the parent edition, and the
parent's page says which child editions its changes reach (and the rows kept there because entries use them)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from app.accounts.permissions import require
from app.extensions import db
from app.forms import reordered, row_indices
from app.uploads import GROUPS
from competitions import bp, services
from competitions.models import Contest
from competitions.setup_forms import LIST_FORMS, STEPS
from competitions.views.manage_contests._common import (
    as_int,
    changeable,
    contest_scope,
    link,
    managed_contest,
    refuse_archived,
)

#: At most this many rows in one list.
MAX_ROWS = 50


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
    values: dict = {"id": as_int(sub.id.data)}
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


FOLLOWED_INTRO = {
    "fields": _l(
        "The fields are those of the parent edition, %(parent)s: an entry forwarded there keeps its field. They "
        "change in the parent edition only, and its changes show here."
    ),
    "age_groups": _l(
        "The age groups are those of the parent edition, %(parent)s: an entry forwarded there keeps its age group. "
        "They change in the parent edition only, and its changes show here."
    ),
}
FOLLOWED_REFUSED = {
    "fields": _l("This edition's fields follow its parent edition: change them there."),
    "age_groups": _l("This edition's age groups follow its parent edition: change them there."),
}


def _kept_message(row: services.KeptRow) -> str:
    return ngettext(
        "“%(name)s”, removed here, stays in %(child)s: %(num)d entry there uses it.",
        "“%(name)s”, removed here, stays in %(child)s: %(num)d entries there use it.",
        row.entries,
        name=row.item.name,
        child=row.contest.name,
    )


def _render_followed(contest: Contest, spec: ListSpec, usage: dict, *, general=(), status=200):
    """A child edition's fields or age groups: its parent's, read-only."""
    parent = contest.parent
    return render_template(
        "competitions/manage/lists.html",
        contest=contest,
        spec=spec,
        followed=True,
        items=getattr(contest, spec.relation),
        usage=usage,
        intro=FOLLOWED_INTRO[spec.relation],
        parent_url=url_for(spec.endpoint, contest_id=parent.id) if current_user.can("manage_contest", parent) else None,
        general=list(general),
        changeable=False,
        entries_url=link("competitions.manage_entries", contest_id=contest.id),
        active=spec.relation,
    ), status


def _render_list(contest: Contest, spec: ListSpec, form, usage: dict, *, row_errors=None, general=(), status=200):
    followed_below = spec.relation in services.FOLLOWED_LISTS
    total = None
    if spec.relation == "criteria":
        points = [sub.form.max_points.data for sub in form.rows]
        total = sum((p for p in points if p is not None and 0 < p <= 1000), Decimal(0))  # out of range: said beside
    return render_template(
        "competitions/manage/lists.html",
        contest=contest,
        spec=spec,
        form=form,
        usage={i: usage.get(as_int(sub.form.id.data)) for i, sub in enumerate(form.rows)},
        row_errors=row_errors or {},
        general=list(general),
        total=total,
        max_rows=MAX_ROWS,
        changeable=changeable(contest),
        entries_url=link("competitions.manage_entries", contest_id=contest.id),
        active=spec.relation,
        children=len(contest.children) if followed_below else 0,
        kept=[_kept_message(row) for row in services.detached_rows(contest, spec.relation)] if followed_below else [],
    ), status


def _edit_list(contest_id: int, relation: str):
    """One list of the edition: every row at once; add, remove and move rows, then save them all."""
    contest = managed_contest(contest_id)
    spec = LISTS[relation]
    if spec.youth_only and not contest.is_youth:
        abort(404)
    form_class = LIST_FORMS[relation]
    usage = services.list_usage(contest, relation)
    if relation in services.FOLLOWED_LISTS and contest.parent_id is not None:
        if request.method == "GET":
            return _render_followed(contest, spec, usage)
        return _render_followed(contest, spec, usage, general=[FOLLOWED_REFUSED[relation]], status=409)
    if request.method == "GET":
        form = form_class(data={"rows": [_row_data(relation, item) for item in getattr(contest, relation)]})
        return _render_list(contest, spec, form, usage)
    if not changeable(contest):
        return refuse_archived(spec.endpoint, contest)

    formdata = request.form
    if "action" not in formdata:
        abort(400)  # every button of the page sends one, the hidden default "save" included
    indices = row_indices(formdata)
    verb, _sep, arg = (formdata.get("action") or "save").partition("-")
    position = indices.index(as_int(arg)) if as_int(arg) in indices else None

    if verb in ("add", "remove", "up", "down"):
        # Rows change on screen only; nothing is stored until "Save".
        order, row_errors = list(indices), {}
        if verb == "remove" and position is not None:
            used = usage.get(as_int(formdata.get(f"rows-{arg}-id")))
            if used:
                name = formdata.get(f"rows-{arg}-name", "")
                row_errors[position] = _used_message(relation, name, used)
            else:
                order.pop(position)
        elif verb == "up" and position:
            order[position - 1], order[position] = order[position], order[position - 1]
        elif verb == "down" and position is not None and position + 1 < len(order):
            order[position + 1], order[position] = order[position], order[position + 1]
        form = form_class(formdata=reordered(formdata, order))
        if verb == "add":
            if len(form.rows) < MAX_ROWS:
                form.rows.append_entry(NEW_ROWS.get(relation, {}))
            else:
                flash(_("A list holds at most %(n)d rows.", n=MAX_ROWS), "warning")
        return _render_list(contest, spec, form, usage, row_errors=row_errors)

    form = form_class(formdata=reordered(formdata, [i for i in indices if not _blank(formdata, i)]))
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
@require("manage_contest", scope=contest_scope)
def setup_fields(contest_id: int):
    return _edit_list(contest_id, "fields")


@bp.route("/manage/<int:contest_id>/age-groups", methods=["GET", "POST"])
@require("manage_contest", scope=contest_scope)
def setup_age_groups(contest_id: int):
    return _edit_list(contest_id, "age_groups")


@bp.route("/manage/<int:contest_id>/documents", methods=["GET", "POST"])
@require("manage_contest", scope=contest_scope)
def setup_documents(contest_id: int):
    return _edit_list(contest_id, "document_types")


@bp.route("/manage/<int:contest_id>/criteria", methods=["GET", "POST"])
@require("manage_contest", scope=contest_scope)
def setup_criteria(contest_id: int):
    return _edit_list(contest_id, "criteria")
