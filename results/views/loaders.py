"""The records results URLs name, or 404 (an edition, an entry and a round as judging's pages find them)."""

from __future__ import annotations

from app.extensions import db
from judging.views.loaders import contest_or_404, entry_or_404, round_or_404
from results.models import Award, AwardExclusion, Certificate, Publication

__all__ = [
    "award_or_404",
    "certificate_or_404",
    "contest_or_404",
    "entry_or_404",
    "exclusion_or_404",
    "publication_or_404",
    "round_or_404",
]


def award_or_404(award_id: int) -> Award:
    return db.get_or_404(Award, award_id)


def publication_or_404(publication_id: int) -> Publication:
    return db.get_or_404(Publication, publication_id)


def certificate_or_404(certificate_id: int) -> Certificate:
    return db.get_or_404(Certificate, certificate_id)


def exclusion_or_404(exclusion_id: int) -> AwardExclusion:
    return db.get_or_404(AwardExclusion, exclusion_id)
