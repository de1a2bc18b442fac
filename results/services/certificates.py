"""Numbered certificates (giấy chứng nhận) for the authors of awarded entries and for units holding a special
prize: issuing them (idempotent, numbers
never reused), revoking one with a reason, and what the organizers' list, the public verification page and the
PDFs read. Services audit and flush; the view commits.

A certificate copies what it certifies (holder, prize, entry title, decision number) when it is issued: what was
printed stays what the verification page confirms, even if the award or the entry changes later. The list flags
such certificates so that an organizer can revoke them and issue new ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import certificate_register as register
from app.certificate_register import REASON_MAX, REVOKE_CODES, TOKEN_BYTES, CertificateRefused
from app.extensions import db
from competitions.models import Contest, Entry, EntryPerson
from results.models import Award, AwardDecision, AwardPlan, AwardTier, Certificate, Publication
from results.services.certificate_print import decision_of, organisation_name, place_name, printable

__all__ = [
    "ERROR_CODES",
    "REASON_MAX",
    "TOKEN_BYTES",
    "CertificateError",
    "CertificateList",
    "Holder",
    "Listed",
    "by_token",
    "certificate_list",
    "decision_of",
    "issue_certificates",
    "latest_decision",
    "number_prefix",
    "organisation_name",
    "pending_holders",
    "place_name",
    "printable",
    "revoke_certificate",
]

#: Why a change was refused (`CertificateError.code`): no approving decision is recorded (a certificate cites its
#: number), or a revocation's refusals (`app.certificate_register.REVOKE_CODES`).
ERROR_CODES = ("no_decision", *REVOKE_CODES)

REVOKE_FIELDS = ("number", "holder_name", "prize_name", "revoked_at", "revoked_by_id", "revoke_reason")


class CertificateError(CertificateRefused):
    """A change to certificates was refused; `code` is one of `ERROR_CODES`."""

    codes = ERROR_CODES


# --- numbers and holders ------------------------------------------------------------------------------------------


def number_prefix(contest: Contest) -> str:
    """ "2026/STKT/": a certificate's number is this prefix and a four-digit sequence (0001, 0002...)."""
    return f"{contest.year}/{contest.code_prefix}/"


@dataclass(frozen=True)
class Holder:
    """An author of an awarded entry, who gets (or has) a certificate for that award; or, `person` None, the unit
    a prize to a unit went to."""

    award: Award
    person: EntryPerson | None

    @property
    def name(self) -> str:
        return " ".join((self.person.full_name if self.person is not None else self.award.unit_name).split())


def _awards(contest: Contest) -> list[Award]:
    """The edition's awards with their entries and people (three queries), in the order certificates are numbered:
    by the plan's tier order (tiers the plan lacks last), then field, rank and entry code."""
    awards = list(
        db.session.scalars(
            select(Award)
            .where(Award.contest_id == contest.id)
            .options(selectinload(Award.entry).selectinload(Entry.people), selectinload(Award.person))
        )
    )
    positions = dict(
        db.session.execute(
            select(AwardTier.code, AwardTier.position)
            .join(AwardPlan, AwardPlan.id == AwardTier.plan_id)
            .where(AwardPlan.contest_id == contest.id)
        ).all()
    )
    unknown = len(positions) + 1

    def order(award: Award) -> tuple:
        entry = award.entry
        field_position = entry.field.position if entry is not None and entry.field is not None else unknown
        return (
            positions.get(award.tier_code, unknown),
            award.special,
            field_position,
            award.rank if award.rank is not None else 10**9,
            (entry.code or "") if entry is not None else award.unit_name,
            award.id,
        )

    return sorted(awards, key=order)


def _holders_of(award: Award) -> list[EntryPerson | None]:
    """Who a certificate of `award` goes to: the person of a person prize, the unit (None) of a unit's prize,
    otherwise every author of the entry."""
    if award.person_id is not None:
        return [award.person] if award.person is not None else []
    if award.entry is None:
        return [None]
    return award.entry.authors


def pending_holders(contest: Contest, awards: list[Award] | None = None) -> list[Holder]:
    """The authors of awarded entries (and the units holding a prize) who have no valid certificate for that award
    (none yet, or only revoked ones: a corrected certificate replaces a revoked one), in numbering order."""
    awards = _awards(contest) if awards is None else awards
    issued = set(
        db.session.execute(
            select(Certificate.award_id, Certificate.person_id).where(
                Certificate.contest_id == contest.id, Certificate.revoked_at.is_(None)
            )
        ).all()
    )
    return [
        Holder(award, person)
        for award in awards
        for person in _holders_of(award)
        if (award.id, person.id if person is not None else None) not in issued
    ]


def latest_decision(contest: Contest) -> AwardDecision | None:
    """The edition's most recently recorded approving decision."""
    return db.session.scalar(
        select(AwardDecision).where(AwardDecision.contest_id == contest.id).order_by(AwardDecision.id.desc()).limit(1)
    )


def _latest_publication_id(contest: Contest) -> int | None:
    return db.session.scalar(
        select(Publication.id).where(Publication.contest_id == contest.id).order_by(Publication.version.desc()).limit(1)
    )


# --- state changes ------------------------------------------------------------------------------------------------


def issue_certificates(contest: Contest, *, by) -> int:
    """Give a numbered certificate to every author of every awarded entry who has none for that award yet, and
    return how many were issued. Idempotent: an author certified for an award keeps their certificate and number;
    after a revocation (a misspelt name, say, corrected on the entry), issuing again gives them a new certificate
    with the next number, the revoked one staying as it was. Numbers continue the edition's sequence
    ("2026/STKT/0007") and are never reused; each certificate gets a random verification token. Cites the latest
    approving decision (refused without one) and the latest publication, if any. Audited as "certificates.issue"
    when at least one is issued."""
    # Two organizers issuing at once: the second waits here (PostgreSQL), then sees the first one's certificates.
    db.session.execute(select(Contest.id).where(Contest.id == contest.id).with_for_update())
    decision = latest_decision(contest)
    if decision is None:
        raise CertificateError("no_decision")
    pending = pending_holders(contest)
    if not pending:
        return 0
    publication_id = _latest_publication_id(contest)
    holders = [
        {
            "contest_id": contest.id,
            "award_id": holder.award.id,
            "publication_id": publication_id,
            "entry_id": holder.award.entry_id,
            "person_id": holder.person.id if holder.person is not None else None,
            "holder_name": holder.name,
            "prize_name": holder.award.tier_name,
            "entry_title": holder.award.entry.title if holder.award.entry is not None else "",
            "decision_number": decision.number,
        }
        for holder in pending
    ]
    numbers = register.issue(
        Certificate,
        number_prefix(contest),
        holders,
        action="certificates.issue",
        subject=contest,
        by=by,
        audit={"decision": decision.number},
    )
    return len(numbers)


def revoke_certificate(certificate: Certificate, reason: str, *, by) -> Certificate:
    """Revoke a certificate (kept, never deleted: its page then says it was revoked, and when). The reason is
    required and stays internal; audited as "certificate.revoke". Refused when it is already revoked, also when
    someone else revoked it a moment ago."""
    return register.revoke(
        certificate, reason, by=by, action="certificate.revoke", fields=REVOKE_FIELDS, error=CertificateError
    )


# --- reading ------------------------------------------------------------------------------------------------------

#: Why a certificate no longer matches what it certifies (the organizer may revoke it and issue a new one).
STALE_AWARD_GONE = "award_gone"
STALE_PRIZE = "prize_changed"
STALE_HOLDER = "holder_changed"
STALE_TITLE = "title_changed"


@dataclass
class Listed:
    """A certificate of the organizers' list, with its entry's code and what no longer matches, if anything."""

    certificate: Certificate
    entry_code: str
    stale: list[str] = field(default_factory=list)


@dataclass
class CertificateList:
    rows: list[Listed]
    pending: int
    decision: AwardDecision | None

    @property
    def valid(self) -> int:
        return sum(1 for r in self.rows if r.certificate.valid)

    @property
    def revoked(self) -> int:
        return len(self.rows) - self.valid


def certificate_list(contest: Contest) -> CertificateList:
    """The edition's certificates in number order, how many authors still wait for one, and the decision they
    cite; a fixed number of queries (seven) whatever the number of certificates."""
    awards = _awards(contest)
    by_id = {a.id: a for a in awards}
    people = {p.id: p for a in awards if a.entry is not None for p in a.entry.people}
    rows = []
    for certificate, code in db.session.execute(
        select(Certificate, Entry.code)
        .outerjoin(Entry, Entry.id == Certificate.entry_id)
        .where(Certificate.contest_id == contest.id)
        .order_by(Certificate.number)
    ):
        rows.append(Listed(certificate, code or "", _stale(certificate, by_id, people)))
    return CertificateList(rows, len(pending_holders(contest, awards)), latest_decision(contest))


def _stale(certificate: Certificate, awards: dict[int, Award], people: dict[int, EntryPerson]) -> list[str]:
    if not certificate.valid:
        return []
    award = awards.get(certificate.award_id) if certificate.award_id is not None else None
    if award is None:
        return [STALE_AWARD_GONE]
    found = []
    if award.tier_name != certificate.prize_name:
        found.append(STALE_PRIZE)
    if award.entry is None:  # a unit's prize
        holder = " ".join(award.unit_name.split())
    else:
        person = people.get(certificate.person_id) if certificate.person_id is not None else None
        holder = " ".join(person.full_name.split()) if person is not None else None
    if holder != certificate.holder_name:
        found.append(STALE_HOLDER)
    if (award.entry.title if award.entry is not None else "") != certificate.entry_title:
        found.append(STALE_TITLE)
    return found


def by_token(token: str) -> Certificate | None:
    """The certificate a verification link names (one query; none for anything that is not a token)."""
    return register.by_token(Certificate, token)
