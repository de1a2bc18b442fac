"""Organizers' pages: the events they manage, a new event, its settings, its overview and its check-in staff."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from app.accounts.models import RoleGrant, User
from app.accounts.permissions import require
from app.extensions import db
from app.orgs.models import Organisation
from app.text import text_key
from app.timefmt import local_to_utc, to_local
from competitions.models import Contest
from events import bp
from events.forms import EventForm, StaffForm
from events.models.events import Event, Invitee, Question
from events.services import events as event_services
from events.services import invitees as invitee_services
from events.services.events import EventInput
from events.views._common import event_or_404


@bp.route("/manage/")
@require("manage_event")
def manage_index():
    """The events this organizer manages, soonest last, with their invitees counted (one grouped query)."""
    events = event_services.managed_events(current_user)
    counts: dict[int, int] = {}
    if events:
        rows = db.session.execute(
            select(Invitee.event_id, func.count(Invitee.id))
            .where(Invitee.event_id.in_([e.id for e in events]), Invitee.status.in_(("invited", "registered")))
            .group_by(Invitee.event_id)
        )
        counts = dict(rows.all())
    return render_template("events/manage/index.html", events=events, counts=counts)


def _choices() -> tuple[list[Organisation], list[Contest], list]:
    bodies = db.session.scalars(select(Organisation).where(Organisation.is_active)).all()
    organisations = sorted((o for o in bodies if current_user.can("manage_event", o)), key=lambda o: text_key(o.name))
    contests = [
        c
        for c in db.session.scalars(select(Contest).order_by(Contest.year.desc(), Contest.id.desc()))
        if current_user.can("manage_event", c)
    ]
    campaigns: list = []
    if invitee_services.campaigns_available():
        from honors.models.campaigns import Campaign

        campaigns = [
            c
            for c in db.session.scalars(select(Campaign).order_by(Campaign.id.desc()))
            if current_user.can("manage_event", c)
        ]
    return organisations, contests, campaigns


def _form(event: Event | None = None) -> EventForm:
    form = EventForm(obj=None)
    form.setup(*_choices())
    if request.method == "GET" and event is not None:
        data = EventInput.of(event)
        for name, value in vars(data).items():
            if name.endswith("_at") and value is not None:
                value = to_local(value).replace(tzinfo=None)
            if name in ("contest_id", "campaign_id") and value is None:
                value = 0
            getattr(form, name).data = value
    return form


def _input(form: EventForm) -> EventInput:
    def utc(field):
        return local_to_utc(field.data) if field.data else None

    return EventInput(
        organisation_id=form.organisation_id.data,
        kind=form.kind.data,
        title=form.title.data,
        description=form.description.data or "",
        starts_at=utc(form.starts_at),
        ends_at=utc(form.ends_at),
        venue=form.venue.data or "",
        capacity=form.capacity.data,
        contest_id=form.contest_id.data or None,
        campaign_id=form.campaign_id.data or None,
        is_public=form.is_public.data,
        registration_opens_at=utc(form.registration_opens_at),
        registration_closes_at=utc(form.registration_closes_at),
        status=form.status.data,
    )


@bp.route("/manage/new", methods=["GET", "POST"])
@require("manage_event")
def manage_new():
    form = _form()
    if form.validate_on_submit():
        event = event_services.create_event(_input(form), by=current_user)
        db.session.commit()
        flash(_("The event has been created."), "success")
        return redirect(url_for("events.manage_event", event_id=event.id))
    return render_template("events/manage/form.html", form=form, event=None)


@bp.route("/manage/<int:event_id>/edit", methods=["GET", "POST"])
@require("manage_event", scope=event_or_404)
def manage_edit(event_id: int):
    event = event_or_404(event_id)
    form = _form(event)
    if form.validate_on_submit():
        event_services.update_event(event, _input(form), by=current_user)
        db.session.commit()
        flash(_("The event has been saved."), "success")
        return redirect(url_for("events.manage_event", event_id=event.id))
    return render_template("events/manage/form.html", form=form, event=event)


def render_event(event: Event, staff_form: StaffForm | None = None, status: int = 200):
    counts = invitee_services.counts(event)
    questions = db.session.scalar(select(func.count(Question.id)).where(Question.event_id == event.id))
    return (
        render_template(
            "events/manage/event.html",
            event=event,
            counts=counts,
            questions=questions,
            staff=event_services.staff_grants(event),
            staff_form=staff_form or StaffForm(),
        ),
        status,
    )


@bp.route("/manage/<int:event_id>")
@require("manage_event", scope=event_or_404)
def manage_event(event_id: int):
    """An event's overview: counts by status and role, the links to its lists, its check-in staff."""
    return render_event(event_or_404(event_id))


@bp.route("/manage/<int:event_id>/staff", methods=["POST"])
@require("manage_event", scope=event_or_404)
def staff_add(event_id: int):
    event = event_or_404(event_id)
    form = StaffForm()
    if form.validate_on_submit():
        user = db.session.scalar(select(User).where(func.lower(User.email) == form.email.data.lower()))
        if user is None or not user.is_active:
            form.email.errors.append(_("No active account has this email address."))
        else:
            added = event_services.add_staff(event, user, by=current_user)
            db.session.commit()
            if added is None:
                flash(_("%(name)s already checks people in at this event.", name=user.full_name), "info")
            else:
                flash(_("%(name)s can now check people in at this event.", name=user.full_name), "success")
            return redirect(url_for("events.manage_event", event_id=event.id, _anchor="staff"))
    return render_event(event, staff_form=form)


@bp.route("/manage/<int:event_id>/staff/<int:grant_id>/remove", methods=["POST"])
@require("manage_event", scope=event_or_404)
def staff_remove(event_id: int, grant_id: int):
    event = event_or_404(event_id)
    grant = db.session.get(RoleGrant, grant_id)
    if grant is None or (grant.role, grant.scope_type, grant.scope_id) != ("checkin", "event", event.id):
        abort(404)
    name = grant.user.full_name
    event_services.remove_staff(event, grant, by=current_user)
    db.session.commit()
    flash(_("%(name)s no longer checks people in at this event.", name=name), "success")
    return redirect(url_for("events.manage_event", event_id=event.id, _anchor="staff"))
