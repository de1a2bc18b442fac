"""State changes on accounts. Each function records the audit log; the caller (a view) commits once."""

from __future__ import annotations

import secrets

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import and_, func, or_, select, tuple_

from app.accounts.models import ApiToken, RoleGrant, User
from app.accounts.roles import CONTESTANT, ROLE_CAPABILITIES, ROLES, scopes_of
from app.audit.service import record, snapshot
from app.extensions import db
from app.forms import normalize_phone
from app.mail.service import send_templated
from app.timefmt import utcnow

RESET_SALT = "password-reset"
INVITE_SALT = "account-invite"
INVITE_MAX_AGE = 7 * 24 * 3600
ACCOUNT_FIELDS = ("full_name", "email", "phone", "organisation_id", "is_active_account", "locale")


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def register(full_name: str, email: str, phone: str, password: str) -> User:
    """A visitor signs up: the account is a contestant's."""
    user = User(email=email.strip().lower(), phone=normalize_phone(phone))
    user.set_name(full_name)
    user.set_password(password)
    user.role_grants.append(RoleGrant(role=CONTESTANT))
    db.session.add(user)
    record("account.signup", user, after=snapshot(user, ACCOUNT_FIELDS), actor=user)
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active account with these credentials, or None (the same answer for every kind of failure)."""
    user = find_by_email(email)
    if user is None or not user.check_password(password) or not user.is_active:
        record("account.login_failed", object_type="users", summary=email.strip().lower()[:200])
        return None
    user.last_login_at = utcnow()
    record("account.login", user, actor=user)
    return user


def change_password(user: User, new_password: str, *, via: str = "form") -> None:
    user.set_password(new_password)
    record("account.password_change", user, summary=via, actor=user)


def update_profile(user: User, full_name: str, phone: str, locale: str) -> None:
    before = snapshot(user, ACCOUNT_FIELDS)
    user.set_name(full_name)
    user.phone = normalize_phone(phone)
    user.locale = locale
    record("account.update", user, before=before, after=snapshot(user, ACCOUNT_FIELDS))


# --- Links sent by mail: signed, expiring, and single-use (they carry the password's fingerprint) ---


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def make_token(user: User, salt: str = RESET_SALT) -> str:
    return _serializer(salt).dumps({"uid": user.id, "pw": user.password_fingerprint})


def load_token(token: str, salt: str = RESET_SALT) -> User | None:
    """The account a link is for, or None when it is forged, expired or already used."""
    max_age = INVITE_MAX_AGE if salt == INVITE_SALT else current_app.config["PASSWORD_RESET_MAX_AGE"]
    try:
        data = _serializer(salt).loads(token, max_age=max_age)
    except (BadSignature, SignatureExpired):
        return None
    if not isinstance(data, dict):
        return None
    user = db.session.get(User, data.get("uid"))
    if user is None or not user.is_active or data.get("pw") != user.password_fingerprint:
        return None
    return user


def request_password_reset(email: str) -> None:
    """Mail a reset link when the account exists; the visitor is told the same either way."""
    user = find_by_email(email)
    if user is None or not user.is_active:
        return
    link = url_for("auth.reset_password", token=make_token(user), _external=True)
    minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
    send_templated(
        user.email,
        user.locale,
        _l("Reset your sangtao password"),
        "emails/reset_password.txt",
        user=user,
        link=link,
        minutes=minutes,
    )
    record("account.password_reset_requested", user, actor=user)


def create_account(full_name: str, email: str, phone: str, organisation_id: int | None, role: str, *, by: User) -> User:
    """An administrator creates an account and mails an invitation to set its password."""
    user = User(email=email.strip().lower(), phone=normalize_phone(phone), organisation_id=organisation_id or None)
    user.set_name(full_name)
    db.session.add(user)
    db.session.flush()
    record("account.create", user, after=snapshot(user, ACCOUNT_FIELDS), actor=by)
    grant_role(user, role, by=by)
    link = url_for("auth.accept_invitation", token=make_token(user, INVITE_SALT), _external=True)
    send_templated(
        user.email, user.locale, _l("Your sangtao account"), "emails/invitation.txt", user=user, link=link, by=by
    )
    return user


def grant_role(
    user: User, role: str, *, by: User, scope_type: str | None = None, scope_id: int | None = None
) -> RoleGrant | None:
    """Give `user` a role, everywhere or for one record; None when the same grant already exists."""
    if role not in ROLES:
        raise ValueError(role)
    for grant in user.role_grants:
        if (grant.role, grant.scope_type, grant.scope_id) == (role, scope_type, scope_id):
            return None
    grant = RoleGrant(role=role, scope_type=scope_type, scope_id=scope_id, granted_by_id=by.id)
    user.role_grants.append(grant)
    db.session.flush()
    record("role.grant", user, after=grant.describe(), actor=by, summary=role)
    return grant


def revoke_role(grant: RoleGrant, *, by: User) -> None:
    user = grant.user
    record("role.revoke", user, before=grant.describe(), actor=by, summary=grant.role)
    user.role_grants.remove(grant)


def set_active(user: User, active: bool, *, by: User) -> None:
    before = snapshot(user, ("is_active_account",))
    user.is_active_account = active
    record(
        "account.activate" if active else "account.deactivate",
        user,
        before=before,
        after=snapshot(user, ("is_active_account",)),
        actor=by,
    )


def create_api_token(user: User, name: str) -> tuple[ApiToken, str]:
    """A new API token; the raw value is shown once and never stored."""
    raw = "st_" + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, token_hash=ApiToken.hash(raw), prefix=raw[:10])
    db.session.add(token)
    record("api_token.create", token, after={"name": name, "prefix": token.prefix}, actor=user)
    return token, raw


def revoke_api_token(token: ApiToken, *, by: User) -> None:
    token.revoked_at = utcnow()
    record("api_token.revoke", token, before={"name": token.name, "prefix": token.prefix}, actor=by)


def holders(capability: str, target=None) -> list[User]:
    """Active accounts holding `capability` for `target` (a record with `access_scopes()`), or anywhere when
    `target` is None; in Vietnamese name order. One query: grants unscoped or scoped to one of the target's
    scopes, of a role giving the capability."""
    roles = [role for role, caps in ROLE_CAPABILITIES.items() if capability in caps]
    if not roles:
        raise ValueError(f"unknown capability {capability!r}")
    grant = RoleGrant.role.in_(roles)
    scopes = scopes_of(target)
    if scopes is not None:
        unscoped = and_(RoleGrant.scope_type.is_(None), RoleGrant.scope_id.is_(None))
        grant = and_(
            grant, or_(unscoped, tuple_(RoleGrant.scope_type, RoleGrant.scope_id).in_(scopes)) if scopes else unscoped
        )
    query = (
        select(User)
        .where(User.is_active_account.is_(True), User.id.in_(select(RoleGrant.user_id).where(grant)))
        .order_by(User.sort_name, User.id)
    )
    return list(db.session.scalars(query))
