"""Accounts, role grants and API tokens."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from flask import current_app, has_app_context
from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint, bindparam, select
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.accounts.roles import Grant, Scoped, grants_allow, scopes_of
from app.extensions import db
from app.reads import column_rows
from app.text import name_sort_string, normalize_search
from app.timefmt import utcnow

#: scrypt, werkzeug's current default; tests lower the cost through PASSWORD_HASH_METHOD.
DEFAULT_PASSWORD_HASH = "scrypt"


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    search_name: Mapped[str] = mapped_column(String(400), index=True, default="")
    #: `name_sort_string(full_name)`: ORDER BY it lists people in Vietnamese order.
    sort_name: Mapped[str] = mapped_column(String(800), index=True, default="")
    phone: Mapped[str] = mapped_column(String(20), default="")
    password_hash: Mapped[str] = mapped_column(String(255), default="")
    is_active_account: Mapped[bool] = mapped_column("is_active", default=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"))
    locale: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    organisation = relationship("Organisation", lazy="joined")
    role_grants: Mapped[list[RoleGrant]] = relationship(
        back_populates="user",
        cascade="all, delete-orphan",
        foreign_keys="RoleGrant.user_id",
        lazy="selectin",
    )

    def __repr__(self) -> str:
        return f"<User {self.email}>"

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.is_active_account

    def set_name(self, full_name: str) -> None:
        self.full_name = " ".join(full_name.split())
        self.search_name = normalize_search(f"{self.full_name} {self.email or ''}")
        self.sort_name = name_sort_string(self.full_name)

    def set_password(self, password: str) -> None:
        method = current_app.config["PASSWORD_HASH_METHOD"] if has_app_context() else DEFAULT_PASSWORD_HASH
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    @property
    def password_fingerprint(self) -> str:
        """Changes whenever the password does; makes reset links single-use."""
        return hashlib.sha256(self.password_hash.encode()).hexdigest()[:16]

    @property
    def grants(self) -> list[Grant]:
        return [Grant(g.role, g.scope_type, g.scope_id) for g in self.role_grants]

    def can(self, capability: str, target: Scoped | None = None) -> bool:
        """Whether this account holds `capability` (anywhere, or for `target`)."""
        return grants_allow(self.grants, capability, scopes_of(target))

    def has_role(self, role: str) -> bool:
        return any(g.role == role for g in self.role_grants)

    @property
    def roles(self) -> list[str]:
        return sorted({g.role for g in self.role_grants})


class RoleGrant(db.Model):
    __tablename__ = "role_grants"
    __table_args__ = (
        UniqueConstraint("user_id", "role", "scope_type", "scope_id", name="uq_role_grants_user_role_scope"),
        CheckConstraint("(scope_type IS NULL) = (scope_id IS NULL)", name="scope_complete"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(32))
    scope_type: Mapped[str | None] = mapped_column(String(32))
    scope_id: Mapped[int | None]
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(back_populates="role_grants", foreign_keys=[user_id])

    def describe(self) -> dict:
        return {"role": self.role, "scope_type": self.scope_type, "scope_id": self.scope_id}


class ApiToken(db.Model):
    """A per-account token for the JSON API; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def find_active(cls, raw: str) -> ApiAccount | None:
        """The account of the unrevoked token whose hash `raw` has, when the account is active: read with its grants
        in one query as plain values (every API request asks what the account may do; no ORM record is loaded,
        tracked and expired for it), None otherwise."""
        rows = column_rows(_active_token_query(), {"token_hash": cls.hash(raw)}).all()
        if not rows or not rows[0].is_active:
            return None
        first = rows[0]
        grants = tuple(Grant(r.role, r.scope_type, r.scope_id) for r in rows if r.role is not None)
        return ApiAccount(
            id=first.user_id,
            email=first.email,
            full_name=first.full_name,
            organisation_id=first.organisation_id,
            locale=first.locale,
            grants=grants,
            token_id=first.token_id,
            token_last_used_at=first.last_used_at,
        )


@dataclass(frozen=True)
class ApiAccount:
    """The account an API token belongs to, as the API uses it (`g.api_user`): its identity, language and grants
    as read when the request began, asked with the same `can` as `User.can`. Not a `User` record: a view that
    needs one (to change the account, say) loads it with `db.session.get(User, account.id)`."""

    id: int
    email: str
    full_name: str
    organisation_id: int | None
    locale: str | None
    grants: tuple[Grant, ...]
    #: The token the request came with, and when it was last used before this request.
    token_id: int
    token_last_used_at: datetime | None

    is_active = True  # find_active answers active accounts only
    is_authenticated = True

    def can(self, capability: str, target: Scoped | None = None) -> bool:
        return grants_allow(self.grants, capability, scopes_of(target))

    @property
    def roles(self) -> list[str]:
        return sorted({g.role for g in self.grants})


@cache
def _active_token_query():
    """`ApiToken.find_active`'s query, built once (the API runs it on every request): one row per grant of the
    token's account (one row with no grant when it holds none)."""
    return (
        select(
            ApiToken.id.label("token_id"),
            ApiToken.last_used_at,
            User.id.label("user_id"),
            User.email,
            User.full_name,
            User.organisation_id,
            User.locale,
            User.is_active_account.label("is_active"),
            RoleGrant.role,
            RoleGrant.scope_type,
            RoleGrant.scope_id,
        )
        .join(User, User.id == ApiToken.user_id)
        .outerjoin(RoleGrant, RoleGrant.user_id == User.id)
        .where(ApiToken.token_hash == bindparam("token_hash"), ApiToken.revoked_at.is_(None))
        .order_by(RoleGrant.id)
    )
