"""The Secretariat screens submitted dossiers: eligible, or not with a reason. Commits once, audited."""

from __future__ import annotations

from app.accounts.models import User
from app.audit.service import record
from app.extensions import db
from app.timefmt import utcnow
from honors.eligibility import can_screen
from honors.models.campaigns import Dossier
from honors.services.common import HonorsError


def screen(dossier: Dossier, eligible: bool, reason: str, *, by: User) -> None:
    """Find `dossier` eligible or not. A finding of ineligible needs its reason ("reason_required"); only submitted
    (or already screened) dossiers of a campaign still nominating or screening are screened ("not_screenable")."""
    reason = (reason or "").strip()
    if not can_screen(dossier.status, dossier.campaign.status):
        raise HonorsError("not_screenable")
    if not eligible and not reason:
        raise HonorsError("reason_required")
    before = {"status": dossier.status, "reason": dossier.screening_reason}
    dossier.status = "eligible" if eligible else "ineligible"
    dossier.screening_reason = reason
    dossier.screened_by_id = by.id
    dossier.screened_at = utcnow()
    record(
        "honors.dossier.screen",
        dossier,
        before=before,
        after={"status": dossier.status, "reason": reason},
        actor=by,
        summary=dossier.full_name,
    )
    db.session.commit()


def reopen(dossier: Dossier, *, by: User) -> None:
    """Put a screened dossier back to submitted (a finding made by mistake), while screening is still possible."""
    if dossier.status not in ("eligible", "ineligible") or not can_screen(dossier.status, dossier.campaign.status):
        raise HonorsError("not_screenable")
    before = {"status": dossier.status, "reason": dossier.screening_reason}
    dossier.status = "submitted"
    dossier.screening_reason = ""
    dossier.screened_by_id = None
    dossier.screened_at = None
    record("honors.dossier.reopen", dossier, before=before, after={"status": "submitted"}, actor=by,
           summary=dossier.full_name)  # fmt: skip
    db.session.commit()
