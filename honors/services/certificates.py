"""Certificates for honorees: numbered ("2026/TVTT3/0001": year of issue, the campaign, a sequence never reused),
with a random verification token whose public page (/honors/verify/<token>) says valid, revoked or unknown, as
contest certificates do. Issuing is idempotent; revoking needs a reason; what a certificate prints is copied when
it is issued. Each change commits once and is audited."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable

from sqlalchemy import select, update

from app.audit.service import record, snapshot
from app.extensions import db
from app.orgs.models import get_settings
from app.timefmt import to_local, utcnow
from honors.documents import HonorSheet
from honors.models.ballots import HonorCertificate, Honoree, HonorList
from honors.models.campaigns import Campaign
from results.services.certificate_print import place_name

TOKEN_BYTES = 24
NUMBER_DIGITS = 4
REASON_MAX = 1000
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{16,64}")
ERROR_CODES = ("not_published", "reason_required", "reason_too_long", "already_revoked")
REVOKE_FIELDS = ("number", "holder_name", "revoked_at", "revoked_by_id", "revoke_reason")


class HonorCertificateError(Exception):
    def __init__(self, code: str):
        if code not in ERROR_CODES:
            raise ValueError(f"unknown certificate error code {code!r}")
        super().__init__(code)
        self.code = code


def number_prefix(campaign: Campaign, year: int) -> str:
    return f"{year}/TVTT{campaign.id}/"


def _last_sequence(prefix: str) -> int:
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    numbers = db.session.scalars(
        select(HonorCertificate.number).where(HonorCertificate.number.like(f"{escaped}%", escape="\\"))
    )
    tails = (n[len(prefix) :] for n in numbers)
    return max((int(t) for t in tails if t.isdigit() and t.isascii()), default=0)


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
    prefix = number_prefix(campaign, to_local(now).year)
    sequence = _last_sequence(prefix)
    numbers = []
    for honoree in waiting:
        sequence += 1
        number = f"{prefix}{sequence:0{NUMBER_DIGITS}d}"
        numbers.append(number)
        db.session.add(
            HonorCertificate(
                number=number,
                token=secrets.token_urlsafe(TOKEN_BYTES),
                campaign_id=campaign.id,
                honoree_id=honoree.id,
                holder_name=honoree.display_name,
                unit_name=honoree.unit_name,
                campaign_name=campaign.name,
                issued_at=now,
            )
        )
    db.session.flush()
    record(
        "honor_certificates.issue",
        campaign,
        after={"count": len(numbers), "first": numbers[0], "last": numbers[-1]},
        summary=f"{len(numbers)}: {numbers[0]} – {numbers[-1]}",
        actor=by,
    )
    db.session.commit()
    return len(numbers)


def revoke(certificate: HonorCertificate, reason: str, *, by) -> HonorCertificate:
    """Revoke a certificate with a reason (kept; its page then says revoked, and when)."""
    reason = (reason or "").strip()
    if not reason:
        raise HonorCertificateError("reason_required")
    if len(reason) > REASON_MAX:
        raise HonorCertificateError("reason_too_long")
    if certificate.revoked_at is not None:
        raise HonorCertificateError("already_revoked")
    before = snapshot(certificate, REVOKE_FIELDS)
    changed = db.session.execute(
        update(HonorCertificate)
        .where(HonorCertificate.id == certificate.id, HonorCertificate.revoked_at.is_(None))
        .values(revoked_at=utcnow(), revoked_by_id=getattr(by, "id", None), revoke_reason=reason)
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:
        raise HonorCertificateError("already_revoked")
    db.session.refresh(certificate)
    record(
        "honor_certificate.revoke",
        certificate,
        before=before,
        after=snapshot(certificate, REVOKE_FIELDS),
        summary=certificate.number,
        actor=by,
    )
    db.session.commit()
    return certificate


def certificates_of(campaign: Campaign, *, valid_only: bool = False) -> list[HonorCertificate]:
    query = select(HonorCertificate).where(HonorCertificate.campaign_id == campaign.id)
    if valid_only:
        query = query.where(HonorCertificate.revoked_at.is_(None))
    return list(db.session.scalars(query.order_by(HonorCertificate.number)))


def by_token(token: str) -> HonorCertificate | None:
    if not TOKEN_RE.fullmatch(token or ""):
        return None
    return db.session.scalar(select(HonorCertificate).where(HonorCertificate.token == token))


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
