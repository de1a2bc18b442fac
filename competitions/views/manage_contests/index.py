"""The editions an organizer manages, and a new edition from a preset."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from app.accounts.permissions import require
from app.accounts.roles import grants_allow
from app.extensions import db
from app.orgs.models import Organisation, descendant_ids
from app.text import text_key
from app.timefmt import to_local, utcnow
from competitions import bp, eligibility, services
from competitions.models import Contest, Entry
from competitions.presets import PRESETS
from competitions.setup_forms import NewContestForm

# --- The editions this organizer manages ------------------------------------------------------------------


def _managed_contests() -> list[Contest]:
    """The editions of the bodies (and below) and the editions this account organizes, with the child editions of
    all those (a provincial organizer of one contest manages its district rounds): one query, and one more per
    level of child editions."""
    grants = [g for g in current_user.grants if grants_allow([g], "manage_contest")]
    query = select(Contest).options(selectinload(Contest.parent))
    if any(g.scope is None for g in grants):
        return list(db.session.scalars(query).unique())
    org_ids: set[int] = set()
    contest_ids: set[int] = set()
    for grant in grants:
        if grant.scope_type == "organisation":
            org_ids |= descendant_ids(grant.scope_id)
        elif grant.scope_type == "contest":
            contest_ids.add(grant.scope_id)
    contests = list(
        db.session.scalars(query.where(or_(Contest.organisation_id.in_(org_ids), Contest.id.in_(contest_ids)))).unique()
    )
    found = {c.id for c in contests}
    frontier = set(found)
    while frontier:
        below = list(
            db.session.scalars(query.where(Contest.parent_id.in_(frontier), Contest.id.not_in(found))).unique()
        )
        frontier = {c.id for c in below}
        found |= frontier
        contests += below
    return contests


def _tree(contests: list[Contest]) -> list[tuple[Contest, int]]:
    """The editions newest first, each followed by its child editions (in the order they were created) with their
    depth; a child edition whose parent is not shown stands on its own."""
    shown = {c.id for c in contests}
    below: dict[int, list[Contest]] = defaultdict(list)
    for contest in sorted(contests, key=lambda c: c.id):
        if contest.parent_id in shown:
            below[contest.parent_id].append(contest)
    rows: list[tuple[Contest, int]] = []
    seen: set[int] = set()

    def walk(contest: Contest, depth: int) -> None:
        if contest.id in seen:
            return
        seen.add(contest.id)
        rows.append((contest, depth))
        for child in below[contest.id]:
            walk(child, depth + 1)

    newest_first = sorted(contests, key=lambda c: (-c.year, -c.id))
    for contest in newest_first:
        if contest.parent_id not in shown:
            walk(contest, 0)
    for contest in newest_first:  # (never left out, whatever the links)
        walk(contest, 0)
    return rows


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
    """The editions this organizer manages (all of them for a Union-wide organizer), child editions under their
    parent, with their entries counted by status in one grouped query."""
    contests = _managed_contests()
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
        rows=_tree(contests),
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
