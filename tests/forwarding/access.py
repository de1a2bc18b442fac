"""Access-matrix rows of the forwarding package (see tests/test_access_matrix.py): every route is the organizers'.
`make_targets` builds a provincial edition with one district edition, one entry forwarded from it (the forward a
withdrawal names) and one in the province's delegation to the national level; placeholders are prefixed `fwd_`.
Scoping between districts and the province has its own matrix in tests/forwarding/test_scoping.py."""

from __future__ import annotations

from app.extensions import db
from forwarding import services
from tests.access import only
from tests.forwarding.factories import make_levels

ORGANIZERS = only("organizer")

ROWS: list[tuple[str, str, dict[str, object]]] = [
    ("GET", "/forwarding/{fwd_child_id}", ORGANIZERS),
    ("POST", "/forwarding/{fwd_child_id}", ORGANIZERS),
    ("POST", "/forwarding/forwards/{fwd_forward_id}/withdraw", ORGANIZERS),
    ("GET", "/forwarding/{fwd_parent_id}/children", ORGANIZERS),
    ("POST", "/forwarding/{fwd_parent_id}/children/window", ORGANIZERS),
    ("POST", "/forwarding/{fwd_parent_id}/children/quotas", ORGANIZERS),
    ("POST", "/forwarding/{fwd_parent_id}/children/new", ORGANIZERS),
    ("GET", "/forwarding/{fwd_parent_id}/delegation", ORGANIZERS),
    ("POST", "/forwarding/{fwd_parent_id}/delegation", ORGANIZERS),
    ("GET", "/forwarding/{fwd_parent_id}/delegation.xlsx", ORGANIZERS),
    ("GET", "/forwarding/{fwd_parent_id}/delegation.zip", ORGANIZERS),
    ("GET", "/forwarding/entries/{fwd_entry_id}/package.zip", ORGANIZERS),
]


def make_targets() -> dict:
    levels = make_levels(children=1, entries=2, files=True)
    child, parent = levels.children[0], levels.parent
    forwarded, kept = levels.entries[0]
    (forward,) = services.forward_entries(child, [forwarded], "manual", by=levels.organizers[0])
    db.session.commit()
    forwarded.status = "eligible"  # screened at the province, then sent on to the national contest
    db.session.commit()
    services.add_to_delegation(parent, [forwarded], "Hội thi Sáng tạo kỹ thuật toàn quốc", "manual", by=None)
    db.session.commit()
    return {
        "fwd_child_id": child.id,
        "fwd_parent_id": parent.id,
        "fwd_forward_id": forward.id,
        "fwd_entry_id": forwarded.id,
        "fwd_kept_entry_id": kept.id,
    }
