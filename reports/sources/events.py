"""The events part of the annual report: the events held in the year with the people invited and present, by kind,
and the years' trend.

Data of record only: an event held is a published event that has started (not a draft, not cancelled), in the year
of its start (Vietnam time); the people invited are its invitees invited or registered (not cancelled, not on the
waiting list); the people present are those with a check-in at the door that was not undone (the check-in log).

Three queries whatever the number of invitees or scans: the events, the invitees grouped by event and status, and
the people checked in grouped by event."""

from __future__ import annotations

from collections import defaultdict

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.extensions import db
from app.timefmt import format_date, to_local, utcnow
from events.forms import KIND_LABELS
from events.models.checkin import CheckIn
from events.models.events import ATTENDING_STATUSES, EVENT_KINDS, Event, Invitee
from reports.scope import managed
from reports.sources import AnnualContext
from reports.tables import Chart, Table, bar_of
from reports.tally import every_year


def visible_events(user) -> list[Event]:
    events = list(db.session.scalars(select(Event).order_by(Event.starts_at, Event.id)))
    return managed(user, "manage_event", events)


def held(events: list[Event], now=None) -> list[Event]:
    """Published events that have started."""
    now = now or utcnow()
    return [e for e in events if e.status == "published" and e.starts_at <= now]


def year_of(event: Event) -> int:
    return to_local(event.starts_at).year


def years(user) -> set[int]:
    return {year_of(e) for e in held(visible_events(user))}


def invited_counts(event_ids: list[int]) -> dict[int, int]:
    """Invitees invited or registered, per event id (one grouped query)."""
    if not event_ids:
        return {}
    return dict(
        db.session.execute(
            select(Invitee.event_id, func.count(Invitee.id))
            .where(Invitee.event_id.in_(event_ids), Invitee.status.in_(ATTENDING_STATUSES))
            .group_by(Invitee.event_id)
        ).all()
    )


def present_counts(event_ids: list[int]) -> dict[int, int]:
    """People with a check-in not undone, per event id (one grouped query)."""
    if not event_ids:
        return {}
    return dict(
        db.session.execute(
            select(CheckIn.event_id, func.count(func.distinct(CheckIn.invitee_id)))
            .where(CheckIn.event_id.in_(event_ids), CheckIn.undone_at.is_(None))
            .group_by(CheckIn.event_id)
        ).all()
    )


def annual(context: AnnualContext) -> list[Table]:
    events = [e for e in held(visible_events(context.user)) if year_of(e) <= context.year]
    ids = [e.id for e in events]
    invited, present = invited_counts(ids), present_counts(ids)
    of_year = [e for e in events if year_of(e) == context.year]
    return [
        _events_table(context, of_year, invited, present),
        _kinds_table(context, of_year, invited, present),
        _trend_table(events, invited, present),
    ]


def _percent(present: int, invited: int) -> int:
    return round(100 * present / invited) if invited else 0


def _events_table(context, events, invited, present) -> Table:
    rows, links = [], []
    for e in events:
        rows.append(
            (
                e.title,
                str(KIND_LABELS.get(e.kind, e.kind)),
                format_date(e.starts_at),
                invited.get(e.id, 0),
                present.get(e.id, 0),
                _percent(present.get(e.id, 0), invited.get(e.id, 0)),
            )
        )
        links.append(url_for("events.attendance_overview", event_id=e.id))
    headers = (
        _("Event"),
        _("Kind of event"),
        _("Date"),
        _("People invited"),
        _("People present"),
        _("Share present (%)"),
    )
    all_invited, all_present = sum(r[3] for r in rows), sum(r[4] for r in rows)
    return Table(
        key="events",
        section=_("Events"),
        title=_("Events held in %(year)s", year=context.year),
        note=_(
            "Published events that took place in the year. Invited: invitees invited or registered (not "
            "cancelled, not on the waiting list). Present: people checked in at the door (check-ins undone are "
            "not counted)."
        ),
        headers=headers,
        rows=tuple(rows),
        links=tuple(links),
        total=(_("All events"), "", "", all_invited, all_present, _percent(all_present, all_invited)) if rows else None,
        chart=bar_of(rows[:15], 0, (3, 4), headers[3:5]) if rows else None,
        minor=(1, 5),
    )


def _kinds_table(context, events, invited, present) -> Table:
    counts: dict[str, list[int]] = {}
    for e in events:
        row = counts.setdefault(e.kind, [0, 0, 0])
        row[0] += 1
        row[1] += invited.get(e.id, 0)
        row[2] += present.get(e.id, 0)
    kinds = sorted(counts, key=lambda k: EVENT_KINDS.index(k) if k in EVENT_KINDS else 99)
    rows = tuple((str(KIND_LABELS.get(k, k)), *counts[k]) for k in kinds)
    headers = (_("Kind of event"), _("Events"), _("People invited"), _("People present"))
    return Table(
        key="event_kinds",
        section=_("Events"),
        title=_("Events by kind, %(year)s", year=context.year),
        note=_("The events held in the year by kind, with the people invited and present (as counted above)."),
        headers=headers,
        rows=rows,
        chart=bar_of(rows, 0, (2, 3), headers[2:4]) if rows else None,
    )


def _trend_table(events, invited, present) -> Table:
    per_year: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for e in events:
        row = per_year[year_of(e)]
        row[0] += 1
        row[1] += invited.get(e.id, 0)
        row[2] += present.get(e.id, 0)
    rows = tuple((str(y), *v) for y, v in every_year(dict(per_year), lambda: [0, 0, 0]).items())
    headers = (_("Year"), _("Events"), _("People invited"), _("People present"))
    chart = None
    if rows:
        from reports.charts import Series

        chart = Chart(
            "line", tuple(r[0] for r in rows), tuple(Series(headers[i], tuple(r[i] for r in rows)) for i in (1, 2, 3))
        )
    return Table(
        key="events_trend",
        section=_("Events"),
        title=_("Events over the years"),
        note=_("Every year up to this one with events held you can see: events, people invited and present."),
        headers=headers,
        rows=rows,
        chart=chart,
    )


# --- the dashboard ----------------------------------------------------------------------------------------------


def dashboard(user, now):
    """Coming events (not over, not cancelled) with registrations and check-ins (three queries)."""
    from events.forms import EVENT_STATUS_LABELS, INVITEE_STATUS_LABELS
    from reports.cards import Card, Figure, Section

    coming = [e for e in visible_events(user) if e.status != "cancelled" and (e.ends_at or e.starts_at) >= now]
    ids = [e.id for e in coming]
    by_status: dict[int, dict[str, int]] = defaultdict(dict)
    present: dict[int, int] = {}
    if ids:
        for event_id, status, n in db.session.execute(
            select(Invitee.event_id, Invitee.status, func.count(Invitee.id))
            .where(Invitee.event_id.in_(ids))
            .group_by(Invitee.event_id, Invitee.status)
        ):
            by_status[event_id][status] = n
        present = present_counts(ids)
    cards = []
    for e in coming:
        counts = by_status.get(e.id, {})
        invitees = url_for("events.invitees", event_id=e.id)
        figures = [
            Figure(str(INVITEE_STATUS_LABELS.get(s, s)), counts[s], url_for("events.invitees", event_id=e.id, status=s))
            for s in ("invited", "registered", "waitlisted")
            if counts.get(s)
        ]
        figures.append(
            Figure(_("People checked in"), present.get(e.id, 0), url_for("events.attendance_overview", event_id=e.id))
        )
        deadlines = []
        if e.registration_closes_at and e.registration_closes_at >= now:
            deadlines.append((_("Registration closes"), e.registration_closes_at))
        if e.starts_at >= now:
            deadlines.append((_("The event starts"), e.starts_at))
        cards.append(
            Card(
                title=e.title,
                link=url_for("events.manage_event", event_id=e.id),
                subtitle=f"{KIND_LABELS.get(e.kind, e.kind)} · {e.venue}"
                if e.venue
                else str(KIND_LABELS.get(e.kind, e.kind)),
                stage=str(EVENT_STATUS_LABELS.get(e.status, e.status)),
                deadlines=tuple(sorted(deadlines, key=lambda d: d[1])),
                figures=tuple(figures) if figures else (Figure(_("Invitees"), 0, invitees),),
            )
        )
    return Section("events", _("Coming events"), tuple(cards), _("No event you manage is coming."))
