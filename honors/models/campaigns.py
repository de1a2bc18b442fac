"""Campaigns, nominating bodies and their dossiers.

Who may do what, in data:

- Organizers manage a campaign through `Campaign.access_scopes()`: the campaign itself and its organising body with
  the bodies above it (an organizer of the province's Union manages the campaigns of its own and lower bodies).
- A council member holds `RoleGrant(role="council_member", scope_type="campaign", scope_id=campaign.id)`; the chair
  is one of them, named by `Campaign.chair_id`.
- A nominating body (đơn vị đề cử) is an organisation taking part in one campaign (`NominatingBody`). The accounts
  that nominate for it are listed in `BodyNominator` rows (an account nominates for at most one body per campaign)
  AND hold `RoleGrant(role="nominator", scope_type="campaign", scope_id=campaign.id)`: the grant lets them into the
  campaign's nominator pages, the row says which body's dossiers are theirs. Both are made and removed together by
  `honors.services.campaigns.add_nominator` / `remove_nominator`.

Quota: a body's dossiers that are submitted, eligible or ineligible count against its quota; drafts and withdrawn
dossiers do not (withdrawing frees a place; a dossier screened out still used the body's place, as in the rules
of the campaigns we follow, so a body cannot swap a rejected nominee for another after screening).
"""

from __future__ import annotations

from datetime import date, datetime
from fractions import Fraction

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.text import name_sort_string, normalize_search
from app.timefmt import utcnow

#: A campaign's life: draft (being set up) -> nominating (the window may be open) -> screening (the Secretariat
#: screens) -> voting (the council votes) -> closed (tallied) -> published (honorees listed publicly).
CAMPAIGN_STATUSES = ("draft", "nominating", "screening", "voting", "closed", "published")
#: The moves an organizer may make from each status (`honors.eligibility.can_move`).
CAMPAIGN_TRANSITIONS: dict[str, tuple[str, ...]] = {
    "draft": ("nominating",),
    "nominating": ("draft", "screening"),
    "screening": ("nominating", "voting"),
    "voting": ("screening", "closed"),
    "closed": ("voting", "published"),
    "published": ("closed",),
}
#: Dossier statuses: draft -> submitted -> eligible | ineligible (screening); submitted -> withdrawn;
#: a draft may be withdrawn too (then it is only kept for the record).
DOSSIER_STATUSES = ("draft", "submitted", "withdrawn", "eligible", "ineligible")
#: The statuses that use a place in the body's quota.
QUOTA_STATUSES = ("submitted", "eligible", "ineligible")
BALLOT_MODES = ("open", "secret")
QUORUM_MODES = ("share", "count")
GENDERS = ("female", "male", "other")
#: Academic titles (chức danh): Giáo sư, Phó Giáo sư; "" for none.
ACADEMIC_TITLES = ("", "GS", "PGS")
#: Degrees (học vị): Tiến sĩ khoa học, Tiến sĩ, Thạc sĩ, Kỹ sư/Cử nhân (and equivalents), other.
DEGREES = ("", "TSKH", "TS", "ThS", "KS/CN", "BS", "other")

#: The default eligibility checklist a new campaign starts with: (text, required). Data, in the campaigns' language.
DEFAULT_CHECKLIST = (
    ("Có ít nhất 10 năm hoạt động trong lĩnh vực khoa học và công nghệ", True),
    ("Có thành tích, công trình tiêu biểu được ứng dụng vào thực tiễn, được đơn vị công tác xác nhận", True),
    ("Có phẩm chất chính trị, đạo đức tốt; không bị kỷ luật trong 5 năm gần nhất", True),
    ("Chưa được tuyên dương, tôn vinh ở đợt trước với cùng thành tích", True),
    ("Là hội viên của một hội thành viên Liên hiệp các Hội", False),
)
#: The categories a new campaign starts with.
DEFAULT_CATEGORIES = (
    "Khoa học tự nhiên",
    "Khoa học kỹ thuật và công nghệ",
    "Khoa học y, dược",
    "Khoa học nông nghiệp",
    "Khoa học xã hội và nhân văn",
)


class Campaign(db.Model):
    """An honoring campaign (đợt xét chọn tuyên dương, tôn vinh trí thức tiêu biểu), per year or occasion."""

    __tablename__ = "honor_campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The organising body: organizers scoped to it (or to a body above it) manage the campaign.
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    #: The year or the occasion ("2026", "Ngày Khoa học và Công nghệ Việt Nam 18/5/2026").
    occasion: Mapped[str] = mapped_column(String(255), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    #: The nomination window, naive UTC (shown in Vietnam time); nominators submit within [opens_at, closes_at].
    opens_at: Mapped[datetime | None]
    closes_at: Mapped[datetime | None]
    #: How many dossiers a nominating body may submit unless its own `NominatingBody.quota` says otherwise
    #: (None: no limit).
    default_quota: Mapped[int | None] = mapped_column(default=3)
    #: How many people the campaign plans to honor (None: as many as pass the vote).
    honor_count: Mapped[int | None]
    #: Council quorum: with quorum_mode "share", at least quorum_numerator/quorum_denominator of the council's
    #: members must vote (default 2/3); with "count", at least quorum_count members.
    quorum_mode: Mapped[str] = mapped_column(String(8), default="share")
    quorum_numerator: Mapped[int] = mapped_column(default=2)
    quorum_denominator: Mapped[int] = mapped_column(default=3)
    quorum_count: Mapped[int | None]
    #: A nominee passes when the agree votes are at least pass_numerator/pass_denominator of the votes cast on
    #: them (default 2/3 of those voting).
    pass_numerator: Mapped[int] = mapped_column(default=2)
    pass_denominator: Mapped[int] = mapped_column(default=3)
    #: "open": each member's vote is shown to the organizers; "secret": only the counts are.
    ballot_mode: Mapped[str] = mapped_column(String(8), default="secret")
    #: The council's chair, one of its members (an account holding council_member for this campaign).
    chair_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    organisation = relationship("Organisation", lazy="joined")
    chair = relationship("User", foreign_keys=[chair_id])
    categories: Mapped[list[CampaignCategory]] = relationship(
        back_populates="campaign", order_by="CampaignCategory.position", cascade="all, delete-orphan"
    )
    checklist: Mapped[list[ChecklistItem]] = relationship(
        back_populates="campaign", order_by="ChecklistItem.position", cascade="all, delete-orphan"
    )
    bodies: Mapped[list[NominatingBody]] = relationship(
        back_populates="campaign", order_by="NominatingBody.id", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Campaign {self.id} {self.name!r}>"

    def access_scopes(self) -> list[tuple[str, int]]:
        """The campaign and its organising body with the bodies above it."""
        return [("campaign", self.id), *self.organisation.access_scopes()]

    @property
    def pass_share(self) -> Fraction:
        return Fraction(self.pass_numerator, self.pass_denominator)

    @property
    def quorum_share(self) -> Fraction:
        return Fraction(self.quorum_numerator, self.quorum_denominator)


class CampaignCategory(db.Model):
    """A category of the campaign (e.g. natural sciences, engineering and technology, medicine)."""

    __tablename__ = "honor_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("honor_campaigns.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    position: Mapped[int] = mapped_column(default=0)

    campaign: Mapped[Campaign] = relationship(back_populates="categories")


class ChecklistItem(db.Model):
    """An eligibility condition of the campaign; a dossier answers each. Required ones must be answered yes."""

    __tablename__ = "honor_checklist_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("honor_campaigns.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(500))
    required: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(default=0)

    campaign: Mapped[Campaign] = relationship(back_populates="checklist")


class NominatingBody(db.Model):
    """A member association or agency nominating in one campaign, with its quota and its nominators."""

    __tablename__ = "honor_bodies"
    __table_args__ = (UniqueConstraint("campaign_id", "organisation_id", name="uq_honor_bodies_campaign_org"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("honor_campaigns.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    #: This body's quota; None takes the campaign's `default_quota`.
    quota: Mapped[int | None]

    campaign: Mapped[Campaign] = relationship(back_populates="bodies")
    organisation = relationship("Organisation", lazy="joined")
    nominators: Mapped[list[BodyNominator]] = relationship(
        back_populates="body", cascade="all, delete-orphan", lazy="selectin"
    )

    def __repr__(self) -> str:
        return f"<NominatingBody {self.id} campaign={self.campaign_id} org={self.organisation_id}>"

    @property
    def name(self) -> str:
        return self.organisation.name

    @property
    def effective_quota(self) -> int | None:
        """The body's own quota, else the campaign's default (None: no limit)."""
        return self.quota if self.quota is not None else self.campaign.default_quota

    def has_nominator(self, user) -> bool:
        return user is not None and any(n.user_id == getattr(user, "id", None) for n in self.nominators)

    def access_scopes(self) -> list[tuple[str, int]]:
        return self.campaign.access_scopes()


class BodyNominator(db.Model):
    """An account that nominates for a body (it also holds the nominator role scoped to the campaign)."""

    __tablename__ = "honor_body_nominators"
    __table_args__ = (UniqueConstraint("campaign_id", "user_id", name="uq_honor_body_nominators_campaign_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("honor_bodies.id", ondelete="CASCADE"), index=True)
    #: The body's campaign, repeated so that one account nominates for one body per campaign (unique).
    campaign_id: Mapped[int] = mapped_column(ForeignKey("honor_campaigns.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)

    body: Mapped[NominatingBody] = relationship(back_populates="nominators")
    user = relationship("User", lazy="joined")


class Dossier(db.Model):
    """A nomination dossier (hồ sơ đề cử): the nominee's profile, achievements, checklist answers and evidence.

    `status`: see DOSSIER_STATUSES. Text lists (achievements, publications, patents, awards) hold one item a line;
    the `*_list` properties split them. Email and phone are private (organizers and the body only).
    """

    __tablename__ = "honor_dossiers"
    __table_args__ = (Index("ix_honor_dossiers_campaign_status", "campaign_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("honor_campaigns.id", ondelete="CASCADE"), index=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("honor_bodies.id", ondelete="CASCADE"), index=True)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("honor_categories.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(16), default="draft")
    # The nominee's profile.
    full_name: Mapped[str] = mapped_column(String(120), default="")
    birth_date: Mapped[date | None]
    gender: Mapped[str] = mapped_column(String(8), default="")
    academic_title: Mapped[str] = mapped_column(String(8), default="")
    degree: Mapped[str] = mapped_column(String(8), default="")
    #: The nominee's position (chức vụ) at their unit.
    position: Mapped[str] = mapped_column(String(255), default="")
    unit_name: Mapped[str] = mapped_column(String(255), default="")
    #: The nominee's unit when it is an organisation known to the app.
    unit_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"))
    #: The nominee's field of expertise (chuyên ngành).
    field: Mapped[str] = mapped_column(String(255), default="")
    years_of_work: Mapped[int | None]
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(20), default="")
    # What the nominee did: one item a line.
    achievements: Mapped[str] = mapped_column(Text, default="")
    publications: Mapped[str] = mapped_column(Text, default="")
    patents: Mapped[str] = mapped_column(Text, default="")
    awards: Mapped[str] = mapped_column(Text, default="")
    #: Who at the nominee's unit confirmed the achievements (name and position), and on which day.
    confirmed_by: Mapped[str] = mapped_column(String(255), default="")
    confirmed_on: Mapped[date | None]
    # The dossier's life.
    submitted_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]
    withdraw_reason: Mapped[str] = mapped_column(Text, default="")
    #: Why the Secretariat found the dossier eligible or not (required when ineligible).
    screening_reason: Mapped[str] = mapped_column(Text, default="")
    screened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    screened_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    #: Folded name, unit, field and body: "nguyen van an" finds "Nguyễn Văn Ân".
    search_text: Mapped[str] = mapped_column(Text, default="")
    #: `name_sort_string(full_name)`: ORDER BY it lists nominees in Vietnamese order (given name first).
    sort_name: Mapped[str] = mapped_column(String(800), default="")

    campaign: Mapped[Campaign] = relationship(lazy="joined")
    body: Mapped[NominatingBody] = relationship(lazy="joined")
    category: Mapped[CampaignCategory | None] = relationship(lazy="joined")
    created_by = relationship("User", foreign_keys=[created_by_id])
    screened_by = relationship("User", foreign_keys=[screened_by_id])
    unit_organisation = relationship("Organisation", foreign_keys=[unit_organisation_id])
    files: Mapped[list[DossierFile]] = relationship(
        back_populates="dossier", order_by="DossierFile.id", cascade="all, delete-orphan"
    )
    answers: Mapped[list[ChecklistAnswer]] = relationship(back_populates="dossier", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<Dossier {self.id} {self.full_name!r} {self.status}>"

    def access_scopes(self) -> list[tuple[str, int]]:
        """The campaign's scopes: organizers of the campaign; nominators must also belong to `body`."""
        return self.campaign.access_scopes()

    @property
    def display_name(self) -> str:
        """ "GS.TS. Nguyễn Văn An": the title and degree before the name, as Vietnamese lists write them."""
        prefix = ".".join(p for p in (self.academic_title, self.degree if self.degree not in ("other",) else "") if p)
        return f"{prefix}. {self.full_name}" if prefix else self.full_name

    @staticmethod
    def _lines(text: str) -> list[str]:
        return [line.strip() for line in (text or "").splitlines() if line.strip()]

    @property
    def achievements_list(self) -> list[str]:
        return self._lines(self.achievements)

    @property
    def publications_list(self) -> list[str]:
        return self._lines(self.publications)

    @property
    def patents_list(self) -> list[str]:
        return self._lines(self.patents)

    @property
    def awards_list(self) -> list[str]:
        return self._lines(self.awards)

    def answer_for(self, item_id: int) -> ChecklistAnswer | None:
        return next((a for a in self.answers if a.item_id == item_id), None)

    def refresh_derived(self) -> None:
        self.full_name = " ".join((self.full_name or "").split())
        parts = [self.full_name, self.unit_name, self.field, self.position]
        if self.body is not None:
            parts.append(self.body.name)
        self.search_text = normalize_search(" ".join(parts))
        self.sort_name = name_sort_string(self.full_name)


class ChecklistAnswer(db.Model):
    """A dossier's answer to one checklist item: yes (True), no (False) or not answered (None), with a note."""

    __tablename__ = "honor_checklist_answers"
    __table_args__ = (UniqueConstraint("dossier_id", "item_id", name="uq_honor_checklist_answers_dossier_item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("honor_dossiers.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("honor_checklist_items.id", ondelete="CASCADE"), index=True)
    answer: Mapped[bool | None]
    note: Mapped[str] = mapped_column(String(500), default="")

    dossier: Mapped[Dossier] = relationship(back_populates="answers")
    item: Mapped[ChecklistItem] = relationship()


class DossierFile(db.Model):
    """An evidence file of a dossier; stored by `app.uploads` under a random name in UPLOAD_DIR/honors."""

    __tablename__ = "honor_dossier_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("honor_dossiers.id", ondelete="CASCADE"), index=True)
    #: What the file shows ("Quyết định khen thưởng", "Bằng độc quyền sáng chế").
    label: Mapped[str] = mapped_column(String(255), default="")
    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    mimetype: Mapped[str] = mapped_column(String(120))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    dossier: Mapped[Dossier] = relationship(back_populates="files")


#: The folder under UPLOAD_DIR that holds dossier files.
UPLOAD_FOLDER = "honors"


def _campaign_name(campaign_id: int) -> str | None:
    campaign = db.session.get(Campaign, campaign_id)
    return campaign.name if campaign else None


def _register() -> None:
    from app.accounts.scopes import register_scope_namer

    register_scope_namer("campaign", _campaign_name)


_register()
