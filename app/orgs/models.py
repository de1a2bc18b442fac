from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.text import normalize_search

#: Kinds of organisation around the Union (value, Vietnamese label is translated in the interface).
ORGANISATION_KINDS = (
    "union",  # Liên hiệp các hội KH&KT
    "association",  # hội thành viên
    "department",  # sở, ban, ngành
    "locality_union",  # liên hiệp hội / UBND cấp huyện, xã
    "school",
    "enterprise",
    "other",
)

#: Levels of administrative unit: 1 province, 2 district (abolished 1/7/2025), 3 commune or ward.
UNIT_LEVELS = (1, 2, 3)


class AdministrativeUnit(db.Model):
    """A province, district or commune, valid for a period; merged units point to their successor."""

    __tablename__ = "administrative_units"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(32))  # tỉnh, thành phố, thị xã, huyện, xã, phường, thị trấn
    level: Mapped[int]
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("administrative_units.id"), index=True)
    valid_from: Mapped[date | None]
    valid_to: Mapped[date | None]
    successor_id: Mapped[int | None] = mapped_column(ForeignKey("administrative_units.id"))

    parent: Mapped[AdministrativeUnit | None] = relationship(
        remote_side=[id], foreign_keys=[parent_id], lazy="joined", join_depth=1
    )
    successor: Mapped[AdministrativeUnit | None] = relationship(remote_side=[id], foreign_keys=[successor_id])

    @property
    def full_name(self) -> str:
        return f"{self.kind.capitalize()} {self.name}" if self.kind else self.name

    @property
    def label(self) -> str:
        """ "Huyện Bù Đăng, Bình Phước (to 30/06/2025)": the name with its parent and end of validity."""
        from app.timefmt import format_date

        text = self.full_name
        if self.parent is not None:
            text += f", {self.parent.name}"
        if self.valid_to is not None:
            text += f" (-{format_date(self.valid_to)})"
        return text

    def is_valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)

    def current_successor(self, max_hops: int = 10) -> AdministrativeUnit:
        """The unit that now stands for this one (itself when it was never merged)."""
        unit = self
        for _ in range(max_hops):
            if unit.successor is None:
                break
            unit = unit.successor
        return unit


class Organisation(db.Model):
    """The Union and the bodies around it; contests, campaigns and events belong to one."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str] = mapped_column(String(60), default="")
    kind: Mapped[str] = mapped_column(String(32), default="other")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    admin_unit_id: Mapped[int | None] = mapped_column(ForeignKey("administrative_units.id"))
    address: Mapped[str] = mapped_column(String(255), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(20), default="")
    is_active: Mapped[bool] = mapped_column(default=True)
    search_name: Mapped[str] = mapped_column(String(400), default="", index=True)

    parent: Mapped[Organisation | None] = relationship(remote_side=[id], lazy="joined", join_depth=2)
    admin_unit: Mapped[AdministrativeUnit | None] = relationship(lazy="joined")

    def set_name(self, name: str, short_name: str = "") -> None:
        self.name = " ".join(name.split())
        self.short_name = short_name.strip()
        self.search_name = normalize_search(f"{self.name} {self.short_name}")

    def ancestors(self, max_depth: int = 10) -> list[Organisation]:
        chain, node = [], self.parent
        while node is not None and len(chain) < max_depth:
            chain.append(node)
            node = node.parent
        return chain

    def access_scopes(self) -> list[tuple[str, int]]:
        """This body and every body above it: an organizer of a parent manages its children too."""
        return [("organisation", self.id)] + [("organisation", o.id) for o in self.ancestors()]


class Setting(db.Model):
    """A key/value setting edited in the app (organisation name, short name, logo)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


SETTING_DEFAULTS = {
    "org_name": "Liên hiệp các hội Khoa học và Kỹ thuật tỉnh",
    "org_short_name": "Liên hiệp các Hội",
    "logo": "",
}


def get_settings() -> dict[str, str]:
    """All settings with their defaults filled in (one query)."""
    values = dict(SETTING_DEFAULTS)
    values.update({s.key: s.value for s in db.session.scalars(select(Setting))})
    return values


def set_setting(key: str, value: str) -> None:
    setting = db.session.get(Setting, key) or Setting(key=key)
    setting.value = value
    db.session.add(setting)


def descendant_ids(org_id: int) -> set[int]:
    """The ids of an organisation and of every body below it (one query per level)."""
    found, frontier = {org_id}, {org_id}
    while frontier:
        children = set(db.session.scalars(select(Organisation.id).where(Organisation.parent_id.in_(frontier))))
        frontier = children - found
        found |= frontier
    return found


def _organisation_name(org_id: int) -> str | None:
    org = db.session.get(Organisation, org_id)
    return org.name if org else None


def _register() -> None:
    from app.accounts.scopes import register_scope_namer

    register_scope_namer("organisation", _organisation_name)


_register()
