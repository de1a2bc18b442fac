"""Access-matrix rows: certificates and the official summary (results/views/certificates.py). Organizers manage,
download and print; the verification page is public."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from competitions.models import Contest, Entry
from results.models import Award, AwardDecision, Certificate
from results.services.certificates import issue_certificates
from tests.access import everyone, only
from tests.results.certificate_factories import award, decide

ROWS: list[tuple[str, str, dict[str, object]]] = [
    ("GET", "/results/manage/{results_contest_id}/certificates", only("organizer")),
    ("POST", "/results/manage/{results_contest_id}/certificates/issue", only("organizer")),
    ("POST", "/results/manage/certificates/{results_certificate_id}/revoke", only("organizer")),
    ("GET", "/results/manage/certificates/{results_certificate_id}.pdf", only("organizer")),
    ("GET", "/results/manage/{results_contest_id}/certificates.pdf", only("organizer")),
    ("GET", "/results/manage/{results_contest_id}/certificates.zip", only("organizer")),
    ("GET", "/results/verify/{results_certificate_token}", everyone()),
    # the entry's owner and authors (none of the matrix's accounts) and its organizers
    ("GET", "/results/entries/{results_entry_id}/certificates/{results_certificate_id}.pdf", only("organizer")),
    ("GET", "/results/manage/{results_contest_id}/summary", only("organizer")),
    ("GET", "/results/manage/{results_contest_id}/summary.pdf", only("organizer")),
]


def extend_targets(targets: dict) -> dict:
    """An award for the first entry (unless another part gave it one), a decision (unless recorded), certificates."""
    contest = db.session.get(Contest, targets["results_contest_id"])
    entry = db.session.get(Entry, targets["results_entry_id"])
    if db.session.scalar(select(Award.id).where(Award.entry_id == entry.id).limit(1)) is None:
        award(contest, entry, "first", "Giải Nhất", 1, "88.00")
    if db.session.scalar(select(AwardDecision.id).where(AwardDecision.contest_id == contest.id).limit(1)) is None:
        decide(contest)
    issue_certificates(contest, by=None)
    db.session.commit()
    certificate = db.session.scalars(
        select(Certificate).where(Certificate.entry_id == entry.id).order_by(Certificate.number)
    ).first()
    return {"results_certificate_id": certificate.id, "results_certificate_token": certificate.token}
