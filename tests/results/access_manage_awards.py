"""Access-matrix rows: the organizers' award pages (results/views/manage_awards.py), organizers only. An organizer
of another organisation is refused too (tests/results/test_manage_awards.py)."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from competitions.models import Contest
from results.models import Award
from results.services.awards import generate_awards
from tests.access import only

ROWS: list[tuple[str, str, dict[str, object]]] = [
    ("GET", "/results/manage/{results_contest_id}/plan", only("organizer")),
    ("POST", "/results/manage/{results_contest_id}/plan", only("organizer")),
    ("GET", "/results/manage/{results_contest_id}/awards", only("organizer")),
    ("POST", "/results/manage/{results_contest_id}/awards/generate", only("organizer")),
    ("POST", "/results/manage/{results_contest_id}/awards/new", only("organizer")),
    ("POST", "/results/manage/awards/{results_award_id}/change", only("organizer")),
    ("POST", "/results/manage/{results_contest_id}/ties", only("organizer")),
    ("GET", "/results/manage/{results_contest_id}/decision", only("organizer")),
    ("POST", "/results/manage/{results_contest_id}/decision", only("organizer")),
]


def extend_targets(targets: dict) -> dict:
    """The proposal stored as awards; the first one's id."""
    contest = db.session.get(Contest, targets["results_contest_id"])
    generate_awards(contest, by=None)
    db.session.commit()
    award_id = db.session.scalar(select(Award.id).where(Award.contest_id == contest.id).order_by(Award.id).limit(1))
    return {"results_award_id": award_id}
