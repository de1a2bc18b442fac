"""Access-matrix rows of publication (results/views/public.py, results/api.py): organizers publish; everyone reads
the published versions, as pages and as JSON (no token: public data)."""

from __future__ import annotations

from app.extensions import db
from app.timefmt import utcnow
from competitions.models import Contest
from results import snapshot
from results.models import Publication
from results.services.publication import gather
from tests.access import everyone, only

ROWS: list[tuple[str, str, dict[str, object]]] = [
    ("GET", "/results/manage/{results_contest_id}/publish", only("organizer")),
    ("POST", "/results/manage/{results_contest_id}/publish", only("organizer")),
    ("GET", "/results/{results_contest_id}", everyone()),
    ("GET", "/results/{results_contest_id}/v/{results_version}", everyone()),
    ("GET", "/api/results/{results_contest_id}", everyone()),
    ("GET", "/api/results/{results_contest_id}/v/{results_version}", everyone()),
    ("GET", "/api/results/{results_contest_id}/versions", everyone()),
]


def extend_targets(targets: dict) -> dict:
    """Version 1 of the contest's results, stored directly (no award nor decision is recorded, so that the other
    parts' pages see the contest as they made it)."""
    contest = db.session.get(Contest, targets["results_contest_id"])
    now = utcnow().replace(microsecond=0)
    payload, digest = snapshot.freeze(snapshot.build(gather(contest), version=1, published_at=now))
    db.session.add(
        Publication(contest_id=contest.id, version=1, published_at=now, payload=payload, content_hash=digest)
    )
    db.session.commit()
    return {"results_version": 1}
