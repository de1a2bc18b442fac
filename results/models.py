"""Results records: an edition's award plan (tiers, quotas, tie-break chain), the Board's tie decisions, awards,
the approving decision, frozen publications and numbered certificates."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Numeric, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db, unique_where
from app.timefmt import utcnow

PLAN_SCOPES = ("field", "overall", "age_group")
AWARD_SOURCES = ("rule", "manual")
#: Special prizes with a rule; any other special prize is given by hand.
SPECIAL_RULES = ("youngest_author", "oldest_author", "unit_most_finalists", "manual")


class AwardPlan(db.Model):
    """How an edition's awards are decided: which round's scores rank the entries, per what group quotas apply,
    the tie-break chain, and whether contestants see their judges' comments and scores."""

    __tablename__ = "award_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id", ondelete="CASCADE"), unique=True)
    #: The judging round whose scores rank the entries; None: the contest's last round.
    round_id: Mapped[int | None] = mapped_column(ForeignKey("judging_rounds.id", ondelete="SET NULL"))
    scope: Mapped[str] = mapped_column(String(16), default="field")
    #: Criterion ids of the ranking round's rubric as strings, then "board" (see results.ranking).
    tie_break: Mapped[list] = mapped_column(JSON, default=list)
    show_feedback: Mapped[bool] = mapped_column(default=False)
    #: Points per tier code for the team ranking of units (youth contest); None: the defaults.
    team_points: Mapped[dict | None] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    contest = relationship("Contest")
    tiers: Mapped[list[AwardTier]] = relationship(
        back_populates="plan", order_by="AwardTier.position", cascade="all, delete-orphan"
    )

    def access_scopes(self) -> list[tuple[str, int]]:
        return self.contest.access_scopes()


class AwardTier(db.Model):
    """A tier of the plan: First, Second, Third, Encouragement, or a named special prize (with a rule or by hand)."""

    __tablename__ = "award_tiers"
    __table_args__ = (UniqueConstraint("plan_id", "code", name="uq_award_tiers_plan_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("award_plans.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(default=0)
    quota: Mapped[int | None]
    min_score: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    special: Mapped[bool] = mapped_column(default=False)
    rule: Mapped[str | None] = mapped_column(String(32))

    plan: Mapped[AwardPlan] = relationship(back_populates="tiers")


class TieDecision(db.Model):
    """The Board's decision on entries still tied after the criteria of the chain: their order, with the reason."""

    __tablename__ = "tie_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id", ondelete="CASCADE"), index=True)
    entry_ids: Mapped[list] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    contest = relationship("Contest")

    def access_scopes(self) -> list[tuple[str, int]]:
        return self.contest.access_scopes()


#: An award or an exclusion names an entry, or (a special prize only) a unit by its name, never both.
ENTRY_OR_UNIT = "(entry_id IS NOT NULL AND unit_name = '') OR (entry_id IS NULL AND unit_name <> '')"


class Award(db.Model):
    """An award given to an entry (or, for a special prize, to one of its authors or to a unit).

    A prize to a unit (the unit with most finalists, or one given by hand) is a row of this same table with no
    entry and the unit's name in `unit_name`, rather than a table of its own: certificates (`award_id`), the
    publication, the official summary, the audit log and the review page then treat every award alike, and only
    the places that show an award's entry ask whether it has one. The database holds the rules: a row names an
    entry or a unit, never both nor neither, a unit's award is a special prize (`ck_awards_entry_or_unit`), and a
    unit holds a special prize of an edition once (`uq_awards_contest_tier_unit`, as `uq_awards_contest_entry_tier`
    does for entries)."""

    __tablename__ = "awards"
    __table_args__ = (
        UniqueConstraint("contest_id", "entry_id", "tier_code", name="uq_awards_contest_entry_tier"),
        CheckConstraint(f"({ENTRY_OR_UNIT}) AND (entry_id IS NOT NULL OR special)", name="entry_or_unit"),
        unique_where("uq_awards_contest_tier_unit", "contest_id", "tier_code", "unit_name", where="entry_id IS NULL"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id", ondelete="CASCADE"), index=True)
    #: None for a prize to a unit (`unit_name`).
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"), index=True)
    #: The unit a special prize goes to (an entry's `unit_name`, as the rule counted it); "" for an entry's award.
    unit_name: Mapped[str] = mapped_column(String(255), default="", server_default="")
    tier_code: Mapped[str] = mapped_column(String(40))
    tier_name: Mapped[str] = mapped_column(String(120))
    special: Mapped[bool] = mapped_column(default=False)
    rank: Mapped[int | None]
    score: Mapped[Decimal | None] = mapped_column(Numeric(7, 2))
    #: "rule" when proposed by the plan, "manual" when an organizer changed or gave it (with `reason`).
    source: Mapped[str] = mapped_column(String(16), default="rule")
    reason: Mapped[str] = mapped_column(Text, default="")
    person_id: Mapped[int | None] = mapped_column(ForeignKey("entry_people.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    contest = relationship("Contest")
    entry = relationship("Entry", lazy="joined")
    person = relationship("EntryPerson")

    @property
    def to_unit(self) -> bool:
        return self.entry_id is None

    @property
    def holder_label(self) -> str:
        """Who holds it in a line: the unit's name, else the entry's code."""
        if self.entry_id is None:
            return self.unit_name
        return (self.entry.code or "") if self.entry is not None else ""

    def access_scopes(self) -> list[tuple[str, int]]:
        return self.contest.access_scopes()


class AwardExclusion(db.Model):
    """A rule award an organizer removed by hand: storing the proposal again does not give that tier to that entry
    (or unit) while the exclusion stands. Lifted with a reason rather than deleted, so the record stays."""

    __tablename__ = "award_exclusions"
    __table_args__ = (
        CheckConstraint(ENTRY_OR_UNIT, name="entry_or_unit"),
        unique_where(
            "uq_award_exclusions_entry_active",
            "contest_id",
            "tier_code",
            "entry_id",
            where="lifted_at IS NULL AND entry_id IS NOT NULL",
        ),
        unique_where(
            "uq_award_exclusions_unit_active",
            "contest_id",
            "tier_code",
            "unit_name",
            where="lifted_at IS NULL AND entry_id IS NULL",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"), index=True)
    unit_name: Mapped[str] = mapped_column(String(255), default="", server_default="")
    tier_code: Mapped[str] = mapped_column(String(40))
    #: The tier's name when the award was removed (the plan may rename it later).
    tier_name: Mapped[str] = mapped_column(String(120))
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    lifted_at: Mapped[datetime | None]
    lifted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    lift_reason: Mapped[str] = mapped_column(Text, default="")

    contest = relationship("Contest")
    entry = relationship("Entry")
    created_by = relationship("User", foreign_keys=[created_by_id])

    @property
    def active(self) -> bool:
        return self.lifted_at is None

    def access_scopes(self) -> list[tuple[str, int]]:
        return self.contest.access_scopes()


class AwardDecision(db.Model):
    """The decision approving an edition's awards (quyết định khen thưởng): its number, date and signer."""

    __tablename__ = "award_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(String(64))
    signed_on: Mapped[date]
    signer: Mapped[str] = mapped_column(String(120))
    signer_title: Mapped[str] = mapped_column(String(160), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    contest = relationship("Contest")

    def access_scopes(self) -> list[tuple[str, int]]:
        return self.contest.access_scopes()


class Publication(db.Model):
    """A published version of an edition's results: a frozen snapshot (canonical JSON) with its SHA-256. Never
    changed once written: a correction is a new version with a change note."""

    __tablename__ = "result_publications"
    __table_args__ = (UniqueConstraint("contest_id", "version", name="uq_result_publications_contest_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id", ondelete="CASCADE"), index=True)
    version: Mapped[int]
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("award_decisions.id", ondelete="SET NULL"))
    change_note: Mapped[str] = mapped_column(Text, default="")
    payload: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))

    contest = relationship("Contest")
    decision = relationship("AwardDecision")

    def access_scopes(self) -> list[tuple[str, int]]:
        return self.contest.access_scopes()


class FrozenError(RuntimeError):
    """A published snapshot was about to be changed."""


@event.listens_for(Publication, "before_update")
def _publications_are_frozen(_mapper, _connection, target: Publication) -> None:
    raise FrozenError(f"publication {target.id} is frozen: publish a new version instead")


class Certificate(db.Model):
    """A numbered certificate (giấy chứng nhận) for one author of an awarded entry (or for a unit holding a special
    prize: no person, no entry, the unit's name as holder and an empty entry title), checkable at a public page
    through its unguessable token; revoked rather than deleted."""

    __tablename__ = "certificates"
    #: One valid certificate per author and award; a revoked one stays beside the corrected one issued after it.
    __table_args__ = (
        unique_where("uq_certificates_award_person_valid", "award_id", "person_id", where="revoked_at IS NULL"),
        #: The same for a unit's certificate (no person, no entry), which the index above cannot see (NULLs differ).
        unique_where(
            "uq_certificates_award_unit_valid",
            "award_id",
            where="revoked_at IS NULL AND person_id IS NULL AND entry_id IS NULL",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id", ondelete="CASCADE"), index=True)
    award_id: Mapped[int | None] = mapped_column(ForeignKey("awards.id", ondelete="SET NULL"))
    publication_id: Mapped[int | None] = mapped_column(ForeignKey("result_publications.id", ondelete="SET NULL"))
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("entries.id", ondelete="SET NULL"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("entry_people.id", ondelete="SET NULL"))
    holder_name: Mapped[str] = mapped_column(String(120))
    prize_name: Mapped[str] = mapped_column(String(120))
    entry_title: Mapped[str] = mapped_column(String(300))
    decision_number: Mapped[str] = mapped_column(String(64), default="")
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    revoke_reason: Mapped[str] = mapped_column(Text, default="")

    contest = relationship("Contest")

    @property
    def valid(self) -> bool:
        return self.revoked_at is None

    @property
    def for_unit(self) -> bool:
        """A unit's certificate: it certifies no entry (an entry's title is never empty)."""
        return not self.entry_title

    def access_scopes(self) -> list[tuple[str, int]]:
        return self.contest.access_scopes()
