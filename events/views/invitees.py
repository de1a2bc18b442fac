"""The invitees of an event: the list with its counts, adding people (by hand, from a contest or a campaign, from a
guest list with a preview), cancelling, revoking and reissuing a pass, mailing the invitations."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select

from app.accounts.permissions import require
from app.extensions import db
from app.forms import options
from app.timefmt import parse_date
from competitions.models import Contest
from events import bp
from events.forms import (
    GROUP_LABELS,
    CancelForm,
    ConfirmImportForm,
    ImportForm,
    InviteeForm,
    RevokeForm,
    SourceForm,
)
from events.models.events import INVITEE_ROLES, INVITEE_STATUSES, Event
from events.services import imports, passes
from events.services import invitees as invitee_services
from events.services.invitees import PersonIn
from events.views._common import event_or_404, invitee_or_404

PER_PAGE = 50
MAX_IMPORT_BYTES = 5 * 1024 * 1024
IMPORT_SALT = "events.guest-list"


def _source_forms(event: Event) -> list[tuple[str, SourceForm]]:
    """One form per kind of source the organizer can use: contests (and their judges), campaigns."""
    forms = []
    contests = [
        c
        for c in db.session.scalars(select(Contest).order_by(Contest.year.desc(), Contest.id.desc()))
        if current_user.can("manage_contest", c)
    ]
    if contests:
        form = SourceForm(prefix="contest", source="contest")
        form.record_id.choices = options((c.id, c.name) for c in contests)
        form.group.choices = options((g, GROUP_LABELS[g]) for g in invitee_services.CONTEST_GROUPS)
        if event.contest_id and request.method == "GET":
            form.record_id.data = event.contest_id
        forms.append(("contest", form))
    if invitee_services.campaigns_available():
        from honors.models.campaigns import Campaign

        campaigns = [
            c
            for c in db.session.scalars(select(Campaign).order_by(Campaign.id.desc()))
            if current_user.can("manage_campaign", c)
        ]
        if campaigns:
            form = SourceForm(prefix="campaign", source="campaign")
            form.record_id.choices = options((c.id, c.name) for c in campaigns)
            form.group.choices = options((g, GROUP_LABELS[g]) for g in invitee_services.CAMPAIGN_GROUPS)
            if event.campaign_id and request.method == "GET":
                form.record_id.data = event.campaign_id
            forms.append(("campaign", form))
    return forms


def render_invitees(event: Event, *, add_form: InviteeForm | None = None, source_forms=None, status: int = 200):
    q = request.args.get("q", "").strip()[:100]
    role = request.args.get("role", "")
    state = request.args.get("status", "")
    role = role if role in INVITEE_ROLES else ""
    state = state if state in INVITEE_STATUSES else ""
    page = request.args.get("page", 1, type=int)
    pagination = db.paginate(
        invitee_services.list_query(event, q=q, role=role, status=state), page=page, per_page=PER_PAGE, error_out=False
    )
    return (
        render_template(
            "events/manage/invitees.html",
            event=event,
            pagination=pagination,
            counts=invitee_services.counts(event),
            filters={"q": q, "role": role, "status": state},
            add_form=add_form or InviteeForm(),
            source_forms=source_forms if source_forms is not None else _source_forms(event),
            import_form=ImportForm(),
            cancel_form=CancelForm(),
            revoke_form=RevokeForm(),
        ),
        status,
    )


@bp.route("/manage/<int:event_id>/invitees")
@require("manage_event", scope=event_or_404)
def invitees(event_id: int):
    """The invitees with their status and pass, filtered and paged; the counts by status and role; the ways to add
    people. A bounded number of queries whatever the number of invitees."""
    return render_invitees(event_or_404(event_id))


def _person(form) -> PersonIn:
    return PersonIn(
        full_name=form.full_name.data,
        email=form.email.data or "",
        phone=(form.phone.data or "").replace(" ", "").replace(".", ""),
        unit=form.unit.data or "",
        birth_date=form.birth_date.data,
        role=(getattr(form, "role", None) and form.role.data) or "guest",
    )


@bp.route("/manage/<int:event_id>/invitees/add", methods=["POST"])
@require("manage_event", scope=event_or_404)
def invitee_add(event_id: int):
    event = event_or_404(event_id)
    form = InviteeForm()
    if form.validate_on_submit():
        person = _person(form)
        duplicate = invitee_services.find_duplicate(event, person)
        if duplicate is not None:
            form.full_name.errors.append(_("%(name)s is already on the list of this event.", name=duplicate.full_name))
        else:
            invitee_services.add_one(event, person, by=current_user)
            db.session.commit()
            flash(_("%(name)s has been invited.", name=person.full_name), "success")
            return redirect(url_for("events.invitees", event_id=event.id))
    return render_invitees(event, add_form=form)


@bp.route("/manage/<int:event_id>/invitees/from/<source>", methods=["POST"])
@require("manage_event", scope=event_or_404)
def invitees_from(event_id: int, source: str):
    """Invite a group from a contest (authors, finalists, winners, judges) or a campaign (nominees, honorees,
    council), one invitee per person."""
    event = event_or_404(event_id)
    forms = _source_forms(event)
    form = dict(forms).get(source)
    if form is None:
        abort(404)
    if not form.validate_on_submit():
        return render_invitees(event, source_forms=forms)
    if source == "contest":
        record = db.session.get(Contest, form.record_id.data)
        if record is None or not current_user.can("manage_contest", record):
            abort(404)
        people = invitee_services.contest_people(record, form.group.data)
        kind = "judges" if form.group.data == "judges" else "contest"
    else:
        from honors.models.campaigns import Campaign

        record = db.session.get(Campaign, form.record_id.data)
        if record is None or not current_user.can("manage_campaign", record):
            abort(404)
        people = invitee_services.campaign_people(record, form.group.data)
        kind = "campaign"
    result = invitee_services.add_people(event, people, source=kind, by=current_user)
    db.session.commit()
    if not people:
        flash(_("Nobody was found in this group."), "warning")
    else:
        flash(
            ngettext("%(num)d person invited", "%(num)d people invited", len(result.added))
            + "; "
            + ngettext(
                "%(num)d already on the list (one pass per person).",
                "%(num)d already on the list (one pass per person).",
                len(result.already),
            ),
            "success",
        )
    return redirect(url_for("events.invitees", event_id=event.id))


# --- guest list ---------------------------------------------------------------------------------------------


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=IMPORT_SALT)


@bp.route("/manage/<int:event_id>/invitees/import", methods=["GET", "POST"])
@require("manage_event", scope=event_or_404)
def invitees_import(event_id: int):
    """Upload a guest list and see it checked row by row; nothing is written here."""
    event = event_or_404(event_id)
    form = ImportForm()
    result = None
    confirm = None
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read(MAX_IMPORT_BYTES + 1) if upload else b""
        if not upload or not upload.filename:
            form.file.errors.append(_("Please choose a file."))
        elif len(data) > MAX_IMPORT_BYTES:
            form.file.errors.append(_("The file is larger than 5 MB."))
        elif not upload.filename.lower().endswith((".xlsx", ".csv")):
            form.file.errors.append(_("Please send an Excel (.xlsx) or CSV file."))
        else:
            result = imports.read_guest_list(data, upload.filename)
            if result.valid:
                confirm = ConfirmImportForm(
                    payload=_serializer().dumps({"event": event.id, "rows": [r.as_dict() for r in result.rows]})
                )
    return render_template(
        "events/manage/import.html", event=event, form=form, result=result, confirm=confirm, problems=PROBLEMS
    )


@bp.route("/manage/<int:event_id>/invitees/import/confirm", methods=["POST"])
@require("manage_event", scope=event_or_404)
def invitees_import_confirm(event_id: int):
    event = event_or_404(event_id)
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        payload = _serializer().loads(form.payload.data or "")
    except BadSignature:
        abort(400)
    if payload.get("event") != event.id:
        abort(400)
    people = [
        PersonIn(
            full_name=row["full_name"],
            email=row["email"],
            phone=row["phone"],
            unit=row["unit"],
            role=row["role"],
            birth_date=parse_date(row["birth_date"]) if row["birth_date"] else None,
            source_ref="import",
        )
        for row in payload["rows"]
    ]
    result = invitee_services.add_people(event, people, source="import", by=current_user)
    db.session.commit()
    flash(
        ngettext("%(num)d person invited", "%(num)d people invited", len(result.added))
        + "; "
        + ngettext(
            "%(num)d already on the list (one pass per person).",
            "%(num)d already on the list (one pass per person).",
            len(result.already),
        ),
        "success",
    )
    return redirect(url_for("events.invitees", event_id=event.id))


# --- one invitee --------------------------------------------------------------------------------------------


@bp.route("/manage/<int:event_id>/invitees/<int:invitee_id>/cancel", methods=["POST"])
@require("manage_event", scope=event_or_404)
def invitee_cancel(event_id: int, invitee_id: int):
    event = event_or_404(event_id)
    invitee = invitee_or_404(event, invitee_id)
    form = CancelForm()
    if form.validate_on_submit():
        invitee_services.cancel(invitee, by=current_user, reason=form.reason.data or "")
        db.session.commit()
        flash(_("The invitation of %(name)s has been cancelled.", name=invitee.full_name), "success")
    return redirect(url_for("events.invitees", event_id=event.id))


@bp.route("/manage/<int:event_id>/invitees/<int:invitee_id>/revoke", methods=["POST"])
@require("manage_event", scope=event_or_404)
def pass_revoke(event_id: int, invitee_id: int):
    """Revoke the invitee's pass (it then scans as revoked) and issue a new one, mailed to them."""
    event = event_or_404(event_id)
    invitee = invitee_or_404(event, invitee_id)
    form = RevokeForm()
    current = invitee.current_pass
    if current is None:
        flash(_("%(name)s has no valid pass.", name=invitee.full_name), "warning")
    elif not form.validate_on_submit():
        flash(_("Please give the reason for revoking the pass."), "danger")
    else:
        passes.revoke_pass(current, form.reason.data, by=current_user)
        passes.send_invitation(invitee, by=current_user)
        db.session.commit()
        flash(_("The pass of %(name)s has been revoked and a new one issued.", name=invitee.full_name), "success")
    return redirect(url_for("events.invitees", event_id=event.id, q=invitee.full_name))


@bp.route("/manage/<int:event_id>/invitations", methods=["POST"])
@require("manage_event", scope=event_or_404)
def invitations_send(event_id: int):
    """Mail their invitation and pass to every invitee with an address who has not had it yet."""
    event = event_or_404(event_id)
    sent = passes.send_invitations(event, by=current_user)
    db.session.commit()
    flash(ngettext("%(num)d invitation sent.", "%(num)d invitations sent.", sent), "success")
    return redirect(url_for("events.invitees", event_id=event.id))


PROBLEMS = {
    "required": _l("Please fill in this field."),
    "email": _l("Not a valid email address."),
    "phone": _l("Not a valid phone number."),
    "date": _l("Not a date as dd/mm/yyyy."),
    "role": _l("Unknown role."),
    "duplicate": _l("This person is already on an earlier row."),
    "unreadable": _l("The file cannot be read: please send an Excel (.xlsx) or CSV (UTF-8) file."),
    "no_name_column": _l("The first row must name the columns, with a column “Họ và tên”."),
    "empty": _l("The file has no rows of people."),
    "too_many": _l("The file has too many rows (at most 5000)."),
}
