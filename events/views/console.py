"""The check-in console at the door, and what the organizers see of attendance.

Staff holding the check-in role for this event (and the event's organizers) open the console: a camera reading QR
codes, a field a USB or Bluetooth scanner types into, and a name search. Its script sends each scan as JSON with a
client nonce (`checkin_scan`, `checkin_found`), queues scans while offline and sends the queue back
(`checkin_batch`); without the script the scanner field is an ordinary form. Organizers follow live counts and
export the attendance.
"""

from __future__ import annotations

import hashlib
import uuid
from functools import wraps

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.accounts.permissions import language_settled, require
from app.audit.labels import register_labels
from app.exports import send_csv, send_xlsx
from app.extensions import db, login_manager
from app.reads import autocommitted
from app.timefmt import format_date, format_datetime, utcnow
from events import bp
from events.checkin import QueuedScan, clean_device, clean_nonce
from events.checkin_forms import ScanForm, UndoForm
from events.models.checkin import CheckIn
from events.models.events import Event, Invitee
from events.services import attendance
from events.services import checkin as service

register_labels(
    {"checkin.create": _l("Checked a person in"), "checkin.undo": _l("Undid a check-in")},
    {"event_check_ins": _l("Check-in")},
)

UNDO_ERRORS = {
    "reason_required": _l("Give the reason for undoing the check-in."),
    "reason_too_long": _l("The reason is too long."),
    "already_undone": _l("This check-in has already been undone."),
}
#: Roster entries carry this many hex digits of a token's SHA-256 (64 bits: enough to tell passes apart, useless
#: to forge one).
ROSTER_HASH_HEX = 16


def event_or_404(event_id: int) -> Event:
    return db.get_or_404(Event, event_id)


def may_check_in(event: Event) -> bool:
    return current_user.can("checkin", event) or current_user.can("manage_event", event)


def door_staff(view):
    """Let the view run for the event's check-in staff and its organizers, the language settled; anonymous visitors
    log in first."""

    run = language_settled(view)

    @wraps(view)
    def wrapped(event_id: int, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not may_check_in(event_or_404(event_id)):
            abort(403)
        return run(event_id, **kwargs)

    wrapped.required_capability = "checkin"  # type: ignore[attr-defined]
    return wrapped


def organizers(view):
    """Let the view run for the event's organizers only, the language settled."""

    run = language_settled(view)

    @wraps(view)
    def wrapped(event_id: int, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not current_user.can("manage_event", event_or_404(event_id)):
            abort(403)
        return run(event_id, **kwargs)

    wrapped.required_capability = "manage_event"  # type: ignore[attr-defined]
    return wrapped


def _json_error(message: str, status: int = 400):
    return jsonify(error={"code": status, "title": "Bad Request", "message": message}), status


def _payload(answer: service.ScanAnswer) -> dict:
    return service.answer_payload(answer, attendance.role_label)


# --- the console ---------------------------------------------------------------------------------------------------


@bp.route("/checkin/")
@require("checkin")
def checkin_index():
    """The events whose door the signed-in staff member keeps (one grant per event; an unscoped grant: every
    event not cancelled), soonest first, each with its console."""
    return render_template(
        "events/checkin/index.html", events=attendance.door_events(current_user.grants), now=utcnow()
    )


def _console(event: Event, form: ScanForm, answer: service.ScanAnswer | None = None, status: int = 200):
    return render_template(
        "events/checkin/console.html",
        event=event,
        form=form,
        answer=_payload(answer) if answer else None,
        counts=attendance.counts(event),
        recent=attendance.recent_check_ins(event, limit=10),
        role_label=attendance.role_label,
        new_nonce=uuid.uuid4().hex,
    ), status


@bp.route("/<int:event_id>/checkin", methods=["GET", "POST"])
@door_staff
def checkin_console(event_id: int):
    """The console; a scan sent by the page's own form (no script) is answered on the page itself."""
    event = event_or_404(event_id)
    form = ScanForm()
    if request.method == "GET":
        return _console(event, ScanForm(formdata=None))
    if not form.validate_on_submit():
        return _console(event, form)
    answer = service.scan_code(
        event,
        form.code.data,
        staff=current_user,
        nonce=clean_nonce(form.nonce.data) or uuid.uuid4().hex,
        device_id=clean_device(form.device_id.data),
        source="scanner",
    )
    return _console(event, ScanForm(formdata=None), answer)


def _json_body() -> dict:
    body = request.get_json(silent=True)
    return body if isinstance(body, dict) else {}


@bp.route("/<int:event_id>/checkin/scan", methods=["POST"])
@autocommitted  # a scan's writes are one statement each (events.services.checkin)
@door_staff
def checkin_scan(event_id: int):
    """One scan as JSON ({code, nonce, device_id, source}); the answer as JSON. A retried nonce changes nothing."""
    event = event_or_404(event_id)
    body = _json_body()
    nonce = clean_nonce(body.get("nonce"))
    if nonce is None:
        return _json_error(_("Each scan needs a nonce of 8 to 64 letters, digits, '-' or '_'."))
    answer = service.scan_code(
        event,
        str(body.get("code") or ""),
        staff=current_user,
        nonce=nonce,
        device_id=clean_device(body.get("device_id")),
        source=str(body.get("source") or "scanner"),
    )
    return jsonify(_payload(answer))


def queued_scans(items) -> list[QueuedScan] | None:
    """The scans of a batch's JSON, or None when it is not a list of at most `BATCH_MAX` well-formed scans."""
    if not isinstance(items, list) or len(items) > service.BATCH_MAX:
        return None
    scans = []
    for item in items:
        nonce = clean_nonce(item.get("nonce")) if isinstance(item, dict) else None
        if nonce is None:
            return None
        scans.append(QueuedScan(nonce, str(item.get("code") or ""), service.parse_client_time(item.get("client_at"))))
    return scans


def batch_payload(result: service.BatchResult) -> dict:
    return {
        "answers": [_payload(a) for a in result.answers],
        "double_uses": [_payload(a) for a in result.conflicts],
    }


@bp.route("/<int:event_id>/checkin/batch", methods=["POST"])
@door_staff
def checkin_batch(event_id: int):
    """A console's offline queue ({device_id, scans: [{nonce, code, client_at}]}), replayed in the device's clock
    order; each answer, and the passes used twice while offline."""
    event = event_or_404(event_id)
    body = _json_body()
    scans = queued_scans(body.get("scans"))
    if scans is None:
        return _json_error(_("Send at most %(max)d scans, each with its nonce.", max=service.BATCH_MAX))
    result = service.replay_batch(event, scans, staff=current_user, device_id=clean_device(body.get("device_id")))
    return jsonify(batch_payload(result))


def _found(row: attendance.Attendee) -> dict:
    invitee, check_in = row.invitee, row.check_in
    return {
        "id": invitee.id,
        "name": invitee.full_name,
        "unit": invitee.unit,
        "role_label": attendance.role_label(invitee.role),
        "holds_place": invitee.holds_place,
        "checked_in": check_in is not None,
        "check_in": None
        if check_in is None
        else {"id": check_in.id, "by": check_in.by_name, "at_local": format_datetime(check_in.when)},
        "check_in_url": url_for("events.checkin_found", event_id=invitee.event_id, invitee_id=invitee.id),
    }


@bp.route("/<int:event_id>/checkin/search")
@door_staff
def checkin_search(event_id: int):
    """People of the event found by name, unit or e-mail, ignoring diacritics and case (JSON)."""
    event = event_or_404(event_id)
    found = attendance.search(event, request.args.get("q", ""))
    return jsonify(results=[_found(row) for row in found])


@bp.route("/<int:event_id>/checkin/invitees/<int:invitee_id>", methods=["POST"])
@door_staff
def checkin_found(event_id: int, invitee_id: int):
    """Check in a person found by the search ({nonce, device_id}); answered like a scan."""
    event = event_or_404(event_id)
    invitee = db.get_or_404(Invitee, invitee_id)
    if invitee.event_id != event.id:
        abort(404)
    body = _json_body()
    nonce = clean_nonce(body.get("nonce"))
    if nonce is None:
        return _json_error(_("Each scan needs a nonce of 8 to 64 letters, digits, '-' or '_'."))
    answer = service.check_in_invitee(
        event, invitee, staff=current_user, nonce=nonce, device_id=clean_device(body.get("device_id"))
    )
    return jsonify(_payload(answer))


@bp.route("/<int:event_id>/checkin/roster.json")
@door_staff
def checkin_roster(event_id: int):
    """What a console keeps to answer while offline: a short hash of each valid pass's token (never the token),
    with the holder's name, unit and role and whether they are checked in."""
    event = event_or_404(event_id)
    entries = [
        {
            "h": hashlib.sha256(token.encode()).hexdigest()[:ROSTER_HASH_HEX],
            "name": invitee.full_name,
            "unit": invitee.unit,
            "role_label": attendance.role_label(invitee.role),
            "in": checked_in,
        }
        for token, invitee, checked_in in attendance.roster(event)
    ]
    return jsonify(event_id=event.id, hash_hex=ROSTER_HASH_HEX, passes=entries)


def _check_in_or_404(event: Event, check_in_id: int) -> CheckIn:
    check_in = db.get_or_404(CheckIn, check_in_id)
    if check_in.event_id != event.id:
        abort(404)
    return check_in


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


@bp.route("/<int:event_id>/checkin/<int:check_in_id>/undo", methods=["GET", "POST"])
@door_staff
def checkin_undo(event_id: int, check_in_id: int):
    """Undo a check-in with a reason (audited); a missing reason comes back beside its field."""
    event = event_or_404(event_id)
    check_in = _check_in_or_404(event, check_in_id)
    form = UndoForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            service.undo_check_in(check_in, by=current_user, reason=form.reason.data)
        except service.CheckInError as error:
            db.session.rollback()
            form.reason.errors = [*form.reason.errors, str(UNDO_ERRORS[error.code])]
        else:
            message = _("The check-in of %(name)s has been undone.", name=check_in.invitee.full_name)
            if _wants_json():
                return jsonify(undone=True, message=message)
            flash(message, "success")
            return redirect(url_for("events.checkin_console", event_id=event.id))
    if request.method == "POST" and _wants_json():
        errors = form.reason.errors or [_("The form has expired. Please reload the page and submit it again.")]
        return _json_error(str(errors[0]))
    if request.method == "GET":
        form = UndoForm(formdata=None)
    return render_template(
        "events/checkin/undo.html", event=event, check_in=check_in, form=form, role_label=attendance.role_label
    )


@bp.route("/<int:event_id>/checkin/double-uses")
@door_staff
def checkin_double_uses(event_id: int):
    """Passes used twice while a console was offline: who, the check-in they met, and each offline scan."""
    event = event_or_404(event_id)
    return render_template(
        "events/checkin/double_uses.html",
        event=event,
        uses=attendance.offline_double_uses(event),
        role_label=attendance.role_label,
    )


# --- organizers: counts and attendance ----------------------------------------------------------------------------


@bp.route("/<int:event_id>/attendance")
@organizers
def attendance_overview(event_id: int):
    """Live counts (invited, checked in, by role), everyone with their check-in, and the exports."""
    event = event_or_404(event_id)
    return render_template(
        "events/checkin/attendance.html",
        event=event,
        counts=attendance.counts(event),
        rows=attendance.attendance(event),
        double_uses=len(attendance.offline_double_uses(event)),
        role_label=attendance.role_label,
    )


@bp.route("/<int:event_id>/attendance/counts.json")
@door_staff
def attendance_counts(event_id: int):
    """The live counts as JSON (the attendance page and the console refresh themselves from it)."""
    return jsonify(attendance.counts(event_or_404(event_id)).as_json())


def _export_name(event: Event, extension: str) -> str:
    return f"{_('Attendance')} - {event.title} - {format_date(event.starts_at).replace('/', '-')}.{extension}"


@bp.route("/<int:event_id>/attendance.xlsx")
@organizers
def attendance_xlsx(event_id: int):
    event = event_or_404(event_id)
    return send_xlsx(attendance.attendance_xlsx(event), _export_name(event, "xlsx"))


@bp.route("/<int:event_id>/attendance.csv")
@organizers
def attendance_csv(event_id: int):
    event = event_or_404(event_id)
    return send_csv(attendance.attendance_csv(event), _export_name(event, "csv"))
