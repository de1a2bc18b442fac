"""Certificates for honorees: numbered ("2026/TVTT3/0001": year of issue, the campaign, a sequence never reused),
with a random verification token whose public page (/honors/verify/<token>) says valid, revoked or unknown, as
contest certificates do. Issuing is idempotent; revoking needs a reason; what a certificate prints is copied when
it is issued. Each change commits once and is audited."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from app import certificate_register as register
from app.certificate_register import REVOKE_CODES, CertificateRefused
from app.certificates import place_name
from app.extensions import db
from app.orgs.models import get_settings
from app.timefmt import to_local, utcnow
from honors.documents import HonorSheet
from honors.models.ballots import HonorCertificate, Honoree, HonorList
from honors.models.campaigns import Campaign

#: Why a change was refused: the campaign's list is not published yet, or a revocation's refusals.
ERROR_CODES = ("not_published", *REVOKE_CODES)
REVOKE_FIELDS = ("number", "holder_name", "revoked_at", "revoked_by_id", "revoke_reason")


class HonorCertificateError(CertificateRefused):
    """A change to honor certificates was refused; `code` is one of `ERROR_CODES`."""

    codes = ERROR_CODES


def number_prefix(campaign: Campaign, year: int) -> str:
    return f"{year}/TVTT{campaign.id}/"


def pending(campaign: Campaign) -> list[Honoree]:
    """The published honorees without a valid certificate, in list order (two queries)."""
    certified = set(
        db.session.scalars(
            select(HonorCertificate.honoree_id).where(
                HonorCertificate.campaign_id == campaign.id, HonorCertificate.revoked_at.is_(None)
            )
        )
    )
    honorees = db.session.scalars(
        select(Honoree)
        .join(HonorList, HonorList.id == Honoree.list_id)
        .where(HonorList.campaign_id == campaign.id)
        .order_by(Honoree.position)
    )
    return [h for h in honorees if h.id not in certified]


def issue(campaign: Campaign, *, by) -> int:
    """A numbered certificate for every published honoree who has none valid; returns how many were issued."""
    db.session.execute(select(Campaign.id).where(Campaign.id == campaign.id).with_for_update())
    if db.session.scalar(select(HonorList.id).where(HonorList.campaign_id == campaign.id)) is None:
        raise HonorCertificateError("not_published")
    waiting = pending(campaign)
    if not waiting:
        return 0
    now = utcnow()
    holders = [
        {
            "campaign_id": campaign.id,
            "honoree_id": honoree.id,
            "holder_name": honoree.display_name,
            "unit_name": honoree.unit_name,
            "campaign_name": campaign.name,
        }
        for honoree in waiting
    ]
    numbers = register.issue(
        HonorCertificate,
        number_prefix(campaign, to_local(now).year),
        holders,
        action="honor_certificates.issue",
        subject=campaign,
        by=by,
        now=now,
    )
    db.session.commit()
    return len(numbers)


def revoke(certificate: HonorCertificate, reason: str, *, by) -> HonorCertificate:
    """Revoke a certificate with a reason (kept; its page then says revoked, and when)."""
    register.revoke(
        certificate, reason, by=by, action="honor_certificate.revoke", fields=REVOKE_FIELDS, error=HonorCertificateError
    )
    db.session.commit()
    return certificate


def certificates_of(campaign: Campaign, *, valid_only: bool = False) -> list[HonorCertificate]:
    query = select(HonorCertificate).where(HonorCertificate.campaign_id == campaign.id)
    if valid_only:
        query = query.where(HonorCertificate.revoked_at.is_(None))
    return list(db.session.scalars(query.order_by(HonorCertificate.number)))


def by_token(token: str) -> HonorCertificate | None:
    return register.by_token(HonorCertificate, token)


def printable(certificates: list[HonorCertificate], verify_url: Callable[[HonorCertificate], str]) -> list[HonorSheet]:
    """What each certificate prints (the campaign's organisation and place read once per campaign)."""
    campaigns = {c.campaign_id: c.campaign for c in certificates}
    default_org = get_settings()["org_name"] if campaigns else ""
    names = {i: (c.organisation.name if c.organisation else "") or default_org for i, c in campaigns.items()}
    places = {i: place_name(c.organisation) for i, c in campaigns.items()}
    return [
        HonorSheet(
            number=c.number,
            holder=c.holder_name,
            unit=c.unit_name,
            campaign=c.campaign_name,
            occasion=campaigns[c.campaign_id].occasion,
            organisation=names[c.campaign_id],
            place=places[c.campaign_id],
            issued_on=to_local(c.issued_at).date(),
            verify_url=verify_url(c),
            revoked_on=to_local(c.revoked_at).date() if c.revoked_at else None,
        )
        for c in certificates
    ]
