"""Test data for ballots: a campaign in its voting stage with an open ballot, votes, a published list with its
certificates, an evidence file on disk."""

from __future__ import annotations

import hashlib
import secrets

from app.extensions import db
from app.uploads import upload_dir
from honors.models.ballots import Ballot, HonorCertificate
from honors.models.campaigns import UPLOAD_FOLDER, Dossier, DossierFile
from honors.services import ballots as service
from honors.services import certificates as certificate_service
from honors.services import publication
from tests.honors.factories import Honors, make_honors

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def voting_honors(dossiers=("eligible", "eligible", "eligible", "ineligible", "withdrawn"), **options) -> Honors:
    """`make_honors` with the campaign in its voting stage."""
    options.setdefault("status", "voting")
    return make_honors(dossiers, **options)


def open_ballot(honors: Honors, *, opens_at=None, closes_at=None) -> Ballot:
    return service.open_ballot(honors.campaign, opens_at=opens_at, closes_at=closes_at, by=honors.organizer)


def vote_all(ballot: Ballot, honors: Honors, plan: dict[int, list[str]]) -> None:
    """plan: dossier id -> the choices of the council's members, in order ("" or a missing member: no vote)."""
    for dossier_id, choices in plan.items():
        dossier = db.session.get(Dossier, dossier_id)
        for member, choice in zip(honors.council, choices, strict=False):
            if choice:
                service.cast_vote(ballot, dossier, member, choice)


def closed_ballot(honors: Honors, plan: dict[int, list[str]]) -> Ballot:
    ballot = open_ballot(honors)
    vote_all(ballot, honors, plan)
    return service.close_ballot(ballot, by=honors.organizer, reason="organizer")


def evidence_file(dossier: Dossier, name: str = "Bằng khen.pdf") -> DossierFile:
    stored = secrets.token_hex(16) + ".pdf"
    (upload_dir(UPLOAD_FOLDER) / stored).write_bytes(PDF)
    row = DossierFile(
        dossier_id=dossier.id,
        label="Bằng khen của UBND tỉnh",
        original_name=name,
        stored_name=stored,
        kind="pdf",
        mimetype="application/pdf",
        size=len(PDF),
        sha256=hashlib.sha256(PDF).hexdigest(),
    )
    db.session.add(row)
    db.session.commit()
    return row


def published_honors(
    dossiers=("eligible", "eligible", "ineligible"), council: int = 2, **options
) -> tuple[Honors, HonorCertificate, DossierFile]:
    """A campaign whose ballot is closed (every member agreeing on every nominee), list published and certificates
    issued: (honors, the first certificate, an evidence file of the first eligible dossier)."""
    honors = voting_honors(dossiers, council=council, **options)
    evidence = evidence_file(honors.eligible()[0])
    closed_ballot(honors, {d.id: ["agree"] * council for d in honors.eligible()})
    publication.publish(honors.campaign, by=honors.organizer)
    certificate_service.issue(honors.campaign, by=honors.organizer)
    certificate = certificate_service.certificates_of(honors.campaign)[0]
    return honors, certificate, evidence
