"""What certificates print and what their verification page cites: the decision a certificate names, the place
(`app.certificates.place_name`) and the organisation its documents carry, and each certificate's printed sheet
(re-exported by `results.services.certificates`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlalchemy import select

from app.certificates import place_name
from app.extensions import db
from app.orgs.models import get_settings
from app.timefmt import to_local
from competitions.models import Contest
from results.documents import CertificateSheet
from results.models import AwardDecision, Certificate

__all__ = ["decision_of", "organisation_name", "place_name", "printable"]


def _decisions(contest_ids: Iterable[int]) -> dict[tuple[int, str], AwardDecision]:
    """The decisions of the editions, by (contest id, number); the latest one of a number wins."""
    found: dict[tuple[int, str], AwardDecision] = {}
    for decision in db.session.scalars(
        select(AwardDecision).where(AwardDecision.contest_id.in_(set(contest_ids))).order_by(AwardDecision.id)
    ):
        found[(decision.contest_id, decision.number)] = decision
    return found


def decision_of(certificate: Certificate) -> AwardDecision | None:
    """The decision a certificate cites (by its number), if it is still recorded."""
    return _decisions([certificate.contest_id]).get((certificate.contest_id, certificate.decision_number))


def organisation_name(contest: Contest) -> str:
    """The name the edition's documents carry: its organising body's, else the site's organisation name."""
    return (
        contest.organisation.name if contest.organisation and contest.organisation.name else get_settings()["org_name"]
    )


def printable(certificates: list[Certificate], verify_url: Callable[[Certificate], str]) -> list[CertificateSheet]:
    """What each certificate's page prints (see `results.documents.certificate_pdf`); a fixed number of queries."""
    if not certificates:
        return []
    contests = {c.contest_id: c.contest for c in certificates}
    decisions = _decisions(contests)
    names = {contest_id: organisation_name(contest) for contest_id, contest in contests.items()}
    places = {contest_id: place_name(contest.organisation) for contest_id, contest in contests.items()}
    sheets = []
    for certificate in certificates:
        contest = contests[certificate.contest_id]
        decision = decisions.get((contest.id, certificate.decision_number))
        sheets.append(
            CertificateSheet(
                number=certificate.number,
                holder=certificate.holder_name,
                prize=certificate.prize_name,
                entry_title=certificate.entry_title,
                edition=contest.name,
                organisation=names[contest.id],
                decision_number=certificate.decision_number,
                decision_date=decision.signed_on if decision is not None else None,
                signer=decision.signer if decision is not None else "",
                signer_title=decision.signer_title if decision is not None else "",
                place=places[contest.id],
                issued_on=to_local(certificate.issued_at).date(),
                verify_url=verify_url(certificate),
                revoked_on=to_local(certificate.revoked_at).date() if certificate.revoked_at else None,
                to_unit=certificate.for_unit,
            )
        )
    return sheets
