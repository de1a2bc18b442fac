"""Access-matrix rows: the organizers' award pages (results/views/manage_awards.py), organizers only. An organizer
of another organisation is refused too (tests/results/test_manage_awards.py)."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from competitions.models import Contest
from results.models import Award, AwardExclusion
from results.services.awards import generate_awards, remove_award
from tests.access import only

ROWS: list[tuple[str, str, dict[str, object]]] = [
    ("GET", "/results/manage/{results_contest_id}/plan", only("organizer")),
    ("POST", "/results/manage/{results_contest_id}/plan", only("organizer")),
    ("GET", "/results/manage/{results_contest_id}/awards", only("organizer")),
    ("POST", "/results/manage/{results_contest_id}/awards/generate", only("organizer")),
    ("POST", "/results/manage/{results_contest_id}/awards/new", only("organizer")),
    ("POST", "/results/manage/awards/{results_award_id}/change", only("organizer")),
    ("POST", "/results/manage/{results_contest_id}/ties", only("organizer")),
    ("POST", "/results/manage/exclusions/{results_exclusion_id}/lift", only("organizer")),
    ("GET", "/results/manage/{results_contest_id}/decision", only("organizer")),
    ("POST", "/results/manage/{results_contest_id}/decision", only("organizer")),
]


def extend_targets(targets: dict) -> dict:
    """The proposal stored as awards; the first one's id; the last one removed by hand (an exclusion's id)."""
    contest = db.session.get(Contest, targets["results_contest_id"])
    generate_awards(contest, by=None)
    db.session.commit()
    awards = list(db.session.scalars(select(Award).where(Award.contest_id == contest.id).order_by(Award.id)))
    remove_award(awards[-1], "Trùng giải pháp đã đoạt giải", by=None)
    db.session.commit()
    exclusion_id = db.session.scalar(select(AwardExclusion.id).where(AwardExclusion.contest_id == contest.id))
    return {"results_award_id": awards[0].id, "results_exclusion_id": exclusion_id}
