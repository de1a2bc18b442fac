"""The check-in API for scanners and door apps, under /api/events/: a staff account's bearer token (the check-in
role for the event, or an organizer of it), never the session cookie. The same answers as the console's.

A blueprint of its own, registered on the application when the events blueprint is; its operations are declared
with `app.api.openapi.operation` like every other API route."""

from __future__ import annotations

from flask import Blueprint, abort, g, jsonify, request

from app.api.openapi import operation, query_param, register_schema
from app.extensions import csrf, db
from events.checkin import Outcome, clean_device, clean_nonce
from events.models.events import Event
from events.services import attendance
from events.services import checkin as service
from events.views.console import batch_payload, queued_scans

api_bp = Blueprint("events_api", __name__, url_prefix="/api/events")
csrf.exempt(api_bp)

_TEXT = {"type": "string"}

ANSWER = register_schema(
    "CheckInAnswer",
    {
        "type": "object",
        "description": "The answer to one scan. A request repeated with the same nonce gets the same answer "
        "(with replayed true) and changes nothing.",
        "required": ["nonce", "outcome", "message", "replayed", "offline", "invitee", "check_in"],
        "properties": {
            "nonce": _TEXT,
            "outcome": {"enum": [o.value for o in Outcome]},
            "message": {"type": "string", "description": "The outcome in the reader's language"},
            "detail": {"type": "string", "description": "For 'already': when and by whom"},
            "replayed": {"type": "boolean"},
            "offline": {"type": "boolean"},
            "invitee": {
                "type": ["object", "null"],
                "description": "The person, when the pass is this event's and admits or admitted them",
                "required": ["id", "name", "unit", "role", "role_label"],
                "properties": {
                    "id": {"type": "integer"},
                    "name": _TEXT,
                    "unit": _TEXT,
                    "role": _TEXT,
                    "role_label": _TEXT,
                },
            },
            "check_in": {
                "type": ["object", "null"],
                "description": "The check-in made (checked_in) or met (already)",
                "required": ["id", "at", "at_local", "by", "undone"],
                "properties": {
                    "id": {"type": "integer"},
                    "at": {"type": "string", "format": "date-time"},
                    "at_local": {"type": "string", "description": "dd/mm/yyyy HH:MM in Asia/Ho_Chi_Minh"},
                    "by": _TEXT,
                    "undone": {"type": "boolean"},
                },
            },
        },
    },
)
BATCH = register_schema(
    "CheckInBatchResult",
    {
        "type": "object",
        "required": ["answers", "double_uses"],
        "properties": {
            "answers": {"type": "array", "items": ANSWER, "description": "In the order replayed (device clock)"},
            "double_uses": {
                "type": "array",
                "items": ANSWER,
                "description": "Offline scans of a pass already used: someone came in twice while offline",
            },
        },
    },
)
COUNTS = register_schema(
    "AttendanceCounts",
    {
        "type": "object",
        "required": ["invited", "checked_in", "by_role"],
        "properties": {
            "invited": {"type": "integer"},
            "checked_in": {"type": "integer"},
            "by_role": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["role", "label", "invited", "checked_in"],
                    "properties": {
                        "role": _TEXT,
                        "label": _TEXT,
                        "invited": {"type": "integer"},
                        "checked_in": {"type": "integer"},
                    },
                },
            },
        },
    },
)


def _event_for_staff(event_id: int) -> Event:
    """The event, when the token's account may check people in at its door (else 404 or 403, as JSON)."""
    event = db.get_or_404(Event, event_id)
    user = g.api_user
    if not (user.can("checkin", event) or user.can("manage_event", event)):
        abort(403)
    return event


def _may_scan_at(event_id: int) -> None:
    """`_event_for_staff`'s check without loading the event when one of the token's grants names it (a check-in
    staff member's grant is scoped to the event) or covers every event; the scan's own query then finds whether
    the event exists. Any other account (an organizer, say) is checked against the event's scopes as before."""
    if not g.api_user.can("checkin", [("event", event_id)]):
        _event_for_staff(event_id)


def _bad_request(message: str):
    response = jsonify(error={"code": 400, "title": "Bad Request", "message": message})
    response.status_code = 400
    return response


def _body() -> dict:
    body = request.get_json(silent=True)
    return body if isinstance(body, dict) else {}


@operation(
    api_bp,
    "/<int:event_id>/scans",
    methods=("POST",),
    summary="Check a scanned pass at the event's door",
    description=(
        'JSON body: {"code": what the scanner read (the token, or the pass link), "nonce": 8 to 64 letters, digits, '
        '"-" or "_", new for each scan and kept for its retries, "device_id": optional}. Answers checked_in, already '
        "(with when and by whom), wrong_event, revoked or unknown; every scan is logged. A retry with the same nonce "
        "gets the first answer back. Two scans of one pass at the same instant give one checked_in and one already."
    ),
    tag="check-in",
    capability="checkin",
    response=ANSWER,
    autocommit=True,  # a scan's writes are one statement each (events.services.checkin)
)
def scan(event_id: int):
    _may_scan_at(event_id)
    body = _body()
    nonce = clean_nonce(body.get("nonce"))
    if nonce is None:
        db.get_or_404(Event, event_id)  # a missing event is told before a malformed body
        return _bad_request("Each scan needs a 'nonce' of 8 to 64 letters, digits, '-' or '_'.")
    answer = service.scan_at(
        event_id,
        str(body.get("code") or ""),
        staff=g.api_user,
        nonce=nonce,
        device_id=clean_device(body.get("device_id")),
        source="api",
    )
    if answer is None:
        abort(404)
    return jsonify(service.answer_payload(answer, attendance.role_label))


@operation(
    api_bp,
    "/<int:event_id>/scans/batch",
    methods=("POST",),
    summary="Send the scans a device kept while offline",
    description=(
        'JSON body: {"device_id": optional, "scans": [{"nonce", "code", "client_at": ISO 8601 time of the scan on '
        "the device}, ...]} (at most "
        + str(service.BATCH_MAX)
        + "). Replayed in client_at order, each idempotent by its nonce: sending a batch again changes nothing. "
        "double_uses lists the offline scans of passes already used."
    ),
    tag="check-in",
    capability="checkin",
    response=BATCH,
)
def scan_batch(event_id: int):
    event = _event_for_staff(event_id)
    body = _body()
    scans = queued_scans(body.get("scans"))
    if scans is None:
        return _bad_request(f"Send 'scans': a list of at most {service.BATCH_MAX} scans, each with its 'nonce'.")
    result = service.replay_batch(event, scans, staff=g.api_user, device_id=clean_device(body.get("device_id")))
    return jsonify(batch_payload(result))


@operation(
    api_bp,
    "/<int:event_id>/counts",
    summary="Live attendance counts of the event",
    tag="check-in",
    capability="checkin",
    response=COUNTS,
)
def counts(event_id: int):
    """Invited (holding a place) and checked in, in total and by role."""
    return jsonify(attendance.counts(_event_for_staff(event_id)).as_json())


@operation(
    api_bp,
    "/<int:event_id>/search",
    summary="Find the event's invitees by name",
    tag="check-in",
    capability="checkin",
    response={
        "type": "object",
        "properties": {
            "results": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "integer"},
                        "name": _TEXT,
                        "unit": _TEXT,
                        "role_label": _TEXT,
                        "checked_in": {"type": "boolean"},
                    },
                },
            }
        },
    },
    query=[query_param("q", "Words of the name, unit or e-mail, ignoring diacritics and case")],
)
def search(event_id: int):
    """At most 20 people, in Vietnamese name order."""
    found = attendance.search(_event_for_staff(event_id), request.args.get("q", ""))
    return jsonify(
        results=[
            {
                "id": row.invitee.id,
                "name": row.invitee.full_name,
                "unit": row.invitee.unit,
                "role_label": attendance.role_label(row.invitee.role),
                "checked_in": row.check_in is not None,
            }
            for row in found
        ]
    )


def init_app(state) -> None:
    """Register the API blueprint on the application the events blueprint is registered on."""
    state.app.register_blueprint(api_bp)
