"""The register of numbered certificates, kept the same way by every package that issues them (results' certificates
for awarded authors and units, honors' certificates for honorees): a number is a prefix and a four-digit sequence
("2026/STKT/0007") never reused, revoked certificates included; each certificate has a random verification token;
revoking one needs a reason, is refused when someone else revoked it a moment ago, and is audited; a verification
link finds its certificate in one query.

Generic over the certificate's model (any model with `id`, `number`, `token`, `revoked_at`, `revoked_by_id` and
`revoke_reason`), and each package keeps its own refusal class (a `CertificateRefused` with its own codes): app
knows no domain package. Nothing here commits: the caller does, or its view.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from app.audit.service import record, snapshot
from app.extensions import db
from app.timefmt import utcnow

#: Random bytes of a verification token (192 bits, 32 URL-safe characters): unguessable, never derived from data.
TOKEN_BYTES = 24
NUMBER_DIGITS = 4
REASON_MAX = 1000
#: What a verification token looks like (anything else is unknown without asking the database).
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{16,64}")

#: Why a revocation was refused: no reason given, a reason over REASON_MAX characters, revoked already.
REVOKE_CODES = ("reason_required", "reason_too_long", "already_revoked")


class CertificateRefused(Exception):
    """A change to certificates was refused; `code` is one of the class's `codes` (each package's subclass names
    its own, the revocation's among them)."""

    codes: tuple[str, ...] = REVOKE_CODES

    def __init__(self, code: str):
        if code not in self.codes:
            raise ValueError(f"unknown certificate error code {code!r}")
        super().__init__(code)
        self.code = code


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def next_numbers(model: Any, prefix: str, count: int) -> list[str]:
    """The `count` numbers that follow the highest sequence already used after `prefix` by any certificate of
    `model`, revoked ones included (certificates are revoked, never deleted, so numbers are never reused)."""
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    numbers = db.session.scalars(select(model.number).where(model.number.like(f"{escaped}%", escape="\\")))
    tails = (n[len(prefix) :] for n in numbers)
    last = max((int(t) for t in tails if t.isdigit() and t.isascii()), default=0)
    return [f"{prefix}{sequence:0{NUMBER_DIGITS}d}" for sequence in range(last + 1, last + 1 + count)]


def issue(
    model: Any,
    prefix: str,
    holders: Sequence[dict[str, Any]],
    *,
    action: str,
    subject: Any,
    by,
    now: datetime | None = None,
    audit: dict[str, Any] | None = None,
) -> list[str]:
    """A certificate of `model` for each of `holders` (the columns it copies: holder, what it certifies...), in
    that order: numbered after the last one used under `prefix`, each with a fresh token, all issued at `now`
    (default: this moment). Flushes, audits the numbers as `action` on the edition or campaign `subject` (with
    `audit`'s values too) and returns them. The caller locks `subject` first, so that two organizers issuing at
    once do not take the same numbers."""
    if not holders:
        return []
    now = now or utcnow()
    numbers = next_numbers(model, prefix, len(holders))
    for number, columns in zip(numbers, holders, strict=True):
        db.session.add(model(number=number, token=new_token(), issued_at=now, **columns))
    db.session.flush()
    record(
        action,
        subject,
        after={"count": len(numbers), "first": numbers[0], "last": numbers[-1], **(audit or {})},
        summary=f"{len(numbers)}: {numbers[0]} – {numbers[-1]}",
        actor=by,
    )
    return numbers


def revoke(
    certificate: Any, reason: str, *, by, action: str, fields: tuple[str, ...], error: type[CertificateRefused]
) -> Any:
    """Revoke a certificate with a reason (kept, never deleted: its page then says it was revoked, and when); audited
    as `action` with the `fields` before and after. Refused with `error` when the reason is missing or too long, and
    when the certificate is revoked already, also by someone else a moment ago (a guarded update)."""
    reason = (reason or "").strip()
    if not reason:
        raise error("reason_required")
    if len(reason) > REASON_MAX:
        raise error("reason_too_long")
    if certificate.revoked_at is not None:
        raise error("already_revoked")
    model = type(certificate)
    before = snapshot(certificate, fields)
    changed = db.session.execute(
        update(model)
        .where(model.id == certificate.id, model.revoked_at.is_(None))
        .values(revoked_at=utcnow(), revoked_by_id=getattr(by, "id", None), revoke_reason=reason)
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:
        raise error("already_revoked")
    db.session.refresh(certificate)
    record(
        action, certificate, before=before, after=snapshot(certificate, fields), summary=certificate.number, actor=by
    )
    return certificate


def by_token(model: Any, token: str) -> Any | None:
    """The certificate of `model` a verification link names (one query; none for anything that is not a token)."""
    if not TOKEN_RE.fullmatch(token or ""):
        return None
    return db.session.scalar(select(model).where(model.token == token))
