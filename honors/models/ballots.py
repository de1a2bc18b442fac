"""Council ballots, votes and the honorees they make.

- `Ballot`: one per campaign. The organizer opens it (at once, or from `opens_at`); it closes at `closes_at`, or
  when the chair or an organizer closes it. Opening freezes the mode (secret or open) and the rules (threshold,
  quorum, number to honor) so that the minutes never change afterwards; closing freezes the council's size.
- `Vote`: one per (ballot, dossier, member), unique in the database: a second vote replaces the first while the
  ballot is open. A member with a conflict is recorded as abstaining (`forced`, with the reason).
- `HonorList` and `Honoree`: the published list, a copy of each honoree's public profile (no birth date, phone,
  email or ID), made once.
- `HonorCertificate`: a numbered certificate with an unguessable verification token; revoked, never deleted.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db, unique_where
from app.timefmt import utcnow

BALLOT_STATUSES = ("draft", "open", "closed")
#: Who closed a ballot.
CLOSE_REASONS = ("chair", "organizer", "time")
#: Why a member's vote was made an abstention.
CONFLICT_REASONS = ("same_unit", "own_body")


class Ballot(db.Model):
    __tablename__ = "honor_ballots"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("honor_campaigns.id", ondelete="CASCADE"), unique=True)
    status: Mapped[str] = mapped_column(String(8), default="draft")
    #: Frozen from the campaign's ballot mode when the ballot opens.
    secret: Mapped[bool] = mapped_column(default=True)
    #: The rules frozen at opening: {"threshold": "2/3", "quorum_share": "2/3" | None, "quorum_count": n | None,
    #: "number_to_honor": n | None}.
    rules: Mapped[dict | None] = mapped_column(JSON)
    #: Voting starts at opens_at (if given) and stops at closes_at (if given); naive UTC.
    opens_at: Mapped[datetime | None]
    closes_at: Mapped[datetime | None]
    opened_at: Mapped[datetime | None]
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    close_reason: Mapped[str] = mapped_column(String(16), default="")
    #: The council's size when the ballot closed (the quorum's base).
    member_count: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    campaign = relationship("Campaign", lazy="joined")
    closed_by = relationship("User", foreign_keys=[closed_by_id])

    def __repr__(self) -> str:
        return f"<Ballot {self.id} campaign={self.campaign_id} {self.status}>"

    def access_scopes(self) -> list[tuple[str, int]]:
        return self.campaign.access_scopes()

    def is_due_to_close(self, now: datetime) -> bool:
        return self.status == "open" and self.closes_at is not None and now >= self.closes_at

    def accepts_votes(self, now: datetime) -> bool:
        """Open, started and not past its closing time."""
        return (
            self.status == "open"
            and (self.opens_at is None or self.opens_at <= now)
            and (self.closes_at is None or now < self.closes_at)
        )


class Vote(db.Model):
    __tablename__ = "honor_votes"
    __table_args__ = (
        UniqueConstraint("ballot_id", "dossier_id", "member_id", name="uq_honor_votes_ballot_dossier_member"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ballot_id: Mapped[int] = mapped_column(ForeignKey("honor_ballots.id", ondelete="CASCADE"), index=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("honor_dossiers.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: agree, disagree or abstain (see honors.tally.CHOICES); a forced vote is always abstain.
    choice: Mapped[str] = mapped_column(String(8))
    comment: Mapped[str] = mapped_column(Text, default="")
    forced: Mapped[bool] = mapped_column(default=False)
    forced_reason: Mapped[str] = mapped_column(String(16), default="")
    cast_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    member = relationship("User", lazy="joined")


class HonorList(db.Model):
    """The published honoree list of a campaign."""

    __tablename__ = "honor_lists"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("honor_campaigns.id", ondelete="CASCADE"), unique=True)
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: Why the organizer chose among nominees tied across the last place (empty when there was no such tie).
    tie_note: Mapped[str] = mapped_column(Text, default="")

    campaign = relationship("Campaign", lazy="joined")
    honorees: Mapped[list[Honoree]] = relationship(
        back_populates="honor_list", order_by="Honoree.position", cascade="all, delete-orphan"
    )


class Honoree(db.Model):
    """A published honoree: the public part of the dossier's profile, copied when the list is published."""

    __tablename__ = "honor_honorees"
    __table_args__ = (UniqueConstraint("list_id", "dossier_id", name="uq_honor_honorees_list_dossier"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("honor_lists.id", ondelete="CASCADE"), index=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("honor_campaigns.id", ondelete="CASCADE"), index=True)
    dossier_id: Mapped[int | None] = mapped_column(ForeignKey("honor_dossiers.id", ondelete="SET NULL"))
    position: Mapped[int]
    rank: Mapped[int | None]
    full_name: Mapped[str] = mapped_column(String(120))
    display_name: Mapped[str] = mapped_column(String(160))
    position_title: Mapped[str] = mapped_column(String(255), default="")
    unit_name: Mapped[str] = mapped_column(String(255), default="")
    field: Mapped[str] = mapped_column(String(255), default="")
    category: Mapped[str] = mapped_column(String(255), default="")
    body_name: Mapped[str] = mapped_column(String(200), default="")

    honor_list: Mapped[HonorList] = relationship(back_populates="honorees")


class HonorCertificate(db.Model):
    """A numbered certificate for an honoree, checkable at /honors/verify/<token>; revoked rather than deleted."""

    __tablename__ = "honor_certificates"
    __table_args__ = (unique_where("uq_honor_certificates_honoree_valid", "honoree_id", where="revoked_at IS NULL"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("honor_campaigns.id", ondelete="CASCADE"), index=True)
    honoree_id: Mapped[int | None] = mapped_column(ForeignKey("honor_honorees.id", ondelete="SET NULL"))
    holder_name: Mapped[str] = mapped_column(String(160))
    unit_name: Mapped[str] = mapped_column(String(255), default="")
    campaign_name: Mapped[str] = mapped_column(String(255))
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    revoke_reason: Mapped[str] = mapped_column(Text, default="")

    campaign = relationship("Campaign", lazy="joined")

    @property
    def valid(self) -> bool:
        return self.revoked_at is None

    def access_scopes(self) -> list[tuple[str, int]]:
        return self.campaign.access_scopes()
