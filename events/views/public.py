"""Public pages: the published events, an event's page, and self-registration (with a capacity and a waiting list)
for the events open to the public."""

from __future__ import annotations

from flask import abort, current_app, flash, render_template
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.extensions import db, limiter
from app.timefmt import utcnow
from events import bp
from events.forms import RegistrationForm
from events.models.events import Event
from events.services import registration
from events.services.invitees import PersonIn
from events.views._common import event_or_404


@bp.route("/")
def index():
    """Published events still to come (and those of the last 30 days), soonest first."""
    from datetime import timedelta

    since = utcnow() - timedelta(days=30)
    query = (
        select(Event)
        .where(Event.status == "published", Event.starts_at >= since)
        .order_by(Event.starts_at, Event.id)
        .limit(200)
    )
    return render_template("events/index.html", events=list(db.session.scalars(query)))


def _published(event_id: int) -> Event:
    event = event_or_404(event_id)
    if event.status != "published" and not (current_user.is_authenticated and current_user.can("manage_event", event)):
        abort(404)
    return event


def render_event_page(event: Event, form: RegistrationForm | None = None, status: int = 200):
    state = registration.window_state(event)
    if form is None and state == "open":
        form = RegistrationForm()
        if current_user.is_authenticated and not form.is_submitted():
            form.full_name.data = current_user.full_name
            form.email.data = current_user.email
            form.phone.data = current_user.phone
    left = None
    if event.capacity is not None:
        left = max(event.capacity - registration.holding(event), 0)
    return render_template("events/event.html", event=event, state=state, form=form, places_left=left), status


@bp.route("/<int:event_id>")
def event_page(event_id: int):
    return render_event_page(_published(event_id))


def public_post_limit() -> str:
    """How often one address may register or send questions (spam from a script stays bounded)."""
    return current_app.config.get("EVENT_REGISTER_RATE_LIMIT", "10 per minute;60 per hour")


@bp.route("/<int:event_id>/register", methods=["POST"])
@limiter.limit(public_post_limit)
def register(event_id: int):
    """Register for a public event: a place and a pass by mail while places last, else the waiting list."""
    event = _published(event_id)
    form = RegistrationForm()
    if not form.validate_on_submit():
        return render_event_page(event, form)
    person = PersonIn(
        full_name=form.full_name.data,
        email=form.email.data,
        phone=(form.phone.data or "").replace(" ", "").replace(".", ""),
        unit=form.unit.data or "",
        birth_date=form.birth_date.data,
    )
    try:
        invitee = registration.register(event, person, user=current_user if current_user.is_authenticated else None)
    except registration.RegistrationError as exc:
        db.session.rollback()
        if exc.code == "already":
            form.email.errors.append(
                _("This person is already registered for this event: see the mail sent at registration.")
            )
        else:
            flash(_("Registration for this event is not open."), "warning")
        return render_event_page(event, form)
    db.session.commit()
    return render_template("events/registered.html", event=event, invitee=invitee)
