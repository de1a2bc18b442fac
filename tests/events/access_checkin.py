"""Access-matrix rows of the check-in side (events/views/console.py, events/views/api.py): the console and its JSON
endpoints are for the event's check-in staff and its organizers; attendance and its exports for organizers; the
API takes a bearer token only (the session cookie gets 401)."""

from __future__ import annotations

from tests.access import everyone, only

C = "/events/{chk_event_id}/checkin"
DOOR = only("checkin", "organizer")

ROWS: list[tuple[str, str, dict[str, object]]] = [
    ("GET", "/events/checkin/", only("checkin")),
    ("GET", C, DOOR),
    ("POST", C, DOOR),
    ("POST", C + "/scan", DOOR),
    ("POST", C + "/batch", DOOR),
    ("GET", C + "/search", DOOR),
    ("POST", C + "/invitees/{chk_invitee_id}", DOOR),
    ("GET", C + "/roster.json", DOOR),
    ("GET", C + "/{chk_check_in_id}/undo", DOOR),
    ("POST", C + "/{chk_check_in_id}/undo", DOOR),
    ("GET", C + "/double-uses", DOOR),
    ("GET", "/events/{chk_event_id}/attendance/counts.json", DOOR),
    ("GET", "/events/{chk_event_id}/attendance", only("organizer")),
    ("GET", "/events/{chk_event_id}/attendance.xlsx", only("organizer")),
    ("GET", "/events/{chk_event_id}/attendance.csv", only("organizer")),
    ("POST", "/api/events/{chk_event_id}/scans", everyone(401)),
    ("POST", "/api/events/{chk_event_id}/scans/batch", everyone(401)),
    ("GET", "/api/events/{chk_event_id}/counts", everyone(401)),
    ("GET", "/api/events/{chk_event_id}/search", everyone(401)),
]


def make_targets() -> dict:
    """An event with two invitees, one of them checked in (the check-in the undo page names)."""
    from tests.events.checkin_factories import make_door, scan, token_of

    door = make_door(title="Lễ trao giải Hội thi")
    answer = scan(door.event, token_of(door.an), door.staff)
    return {"chk_event_id": door.event.id, "chk_invitee_id": door.binh.id, "chk_check_in_id": answer.check_in.id}
