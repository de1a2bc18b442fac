"""Judging records: rounds and their rubrics, the entries of a round, sub-panels of the judging council,
conflicts of interest, assignments of judges to entries, score sheets and scores."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.timefmt import utcnow
from competitions.models import CriterionColumns
from judging.aggregation import CriterionSpec

ROUND_KINDS = ("preliminary", "final")
ROUND_STATUSES = ("setup", "scoring", "closed")
ROUND_METHODS = ("mean", "median", "trimmed")
CONFLICT_SOURCES = ("auto", "judge", "organizer")
ASSIGNMENT_SOURCES = ("auto", "manual", "rescore")
SHEET_STATUSES = ("draft", "submitted")


class Round(db.Model):
    """A judging round of a contest edition: preliminary (vòng sơ khảo) or final (vòng chung khảo)."""

    __tablename__ = "judging_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="preliminary")
    name: Mapped[str] = mapped_column(String(255))
    position: Mapped[int] = mapped_column(default=0)
    judges_per_entry: Mapped[int] = mapped_column(default=2)
    blind: Mapped[bool] = mapped_column(default=False)
    method: Mapped[str] = mapped_column(String(16), default="mean")
    normalise: Mapped[bool] = mapped_column(default=False)
    #: Normalisation needs enough sheets per judge to mean anything.
    min_sheets: Mapped[int] = mapped_column(default=5)
    divergence_threshold: Mapped[Decimal] = mapped_column(Numeric(6, 2), default=Decimal(20))
    advance_top_n: Mapped[int | None]
    advance_min_score: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    status: Mapped[str] = mapped_column(String(16), default="setup")
    #: When judges should have submitted their sheets (shown to them, said in reminders); naive UTC.
    deadline: Mapped[datetime | None]
    #: The last time judges with missing sheets were reminded by mail.
    reminded_at: Mapped[datetime | None]
    #: When the organizers confirmed which entries go on to the next round.
    advanced_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    contest = relationship("Contest", lazy="joined")
    criteria: Mapped[list[RubricCriterion]] = relationship(
        back_populates="round", order_by="RubricCriterion.position", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Round {self.id} {self.kind}>"

    def access_scopes(self) -> list[tuple[str, int]]:
        return self.contest.access_scopes()

    def specs(self) -> list[CriterionSpec]:
        return [c.spec() for c in self.criteria]


class RubricCriterion(CriterionColumns, db.Model):
    """A criterion of a round's rubric, copied from the edition's default criteria and editable until scored."""

    __tablename__ = "rubric_criteria"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("judging_rounds.id", ondelete="CASCADE"), index=True)

    round: Mapped[Round] = relationship(back_populates="criteria")

    def spec(self) -> CriterionSpec:
        return CriterionSpec(
            id=self.id,
            max_points=Decimal(self.max_points),
            weight=Decimal(self.weight if self.weight is not None else 1),
            step=Decimal(self.step if self.step is not None else "0.5"),
        )


class RoundEntry(db.Model):
    """An entry taking part in a round: the eligible entries for a preliminary round, the advanced ones for a final."""

    __tablename__ = "round_entries"
    __table_args__ = (UniqueConstraint("round_id", "entry_id", name="uq_round_entries_round_entry"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("judging_rounds.id", ondelete="CASCADE"))
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"), index=True)
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: Set when the organizers sent the entry (its judges' totals diverged) to its whole sub-panel for re-scoring.
    rescore_requested_at: Mapped[datetime | None]
    rescore_requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    round: Mapped[Round] = relationship()
    entry = relationship("Entry", lazy="joined")


class Panel(db.Model):
    """A sub-panel (tiểu ban) of the contest's judging council: its fields, its judges and its head."""

    __tablename__ = "judging_panels"

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    head_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    contest = relationship("Contest")
    head = relationship("User", foreign_keys=[head_id])
    fields: Mapped[list[PanelField]] = relationship(
        back_populates="panel", order_by="PanelField.id", cascade="all, delete-orphan"
    )
    members: Mapped[list[PanelMember]] = relationship(
        back_populates="panel", order_by="PanelMember.id", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Panel {self.id} {self.name!r}>"

    def access_scopes(self) -> list[tuple[str, int]]:
        return self.contest.access_scopes()

    @property
    def field_ids(self) -> list[int]:
        return [f.field_id for f in self.fields]

    @property
    def member_ids(self) -> list[int]:
        return [m.user_id for m in self.members]


class PanelField(db.Model):
    """A field judged by a sub-panel; a field belongs to one sub-panel of its contest at most."""

    __tablename__ = "judging_panel_fields"
    __table_args__ = (UniqueConstraint("contest_id", "field_id", name="uq_judging_panel_fields_contest_field"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("judging_panels.id", ondelete="CASCADE"), index=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id", ondelete="CASCADE"))
    field_id: Mapped[int] = mapped_column(ForeignKey("contest_fields.id", ondelete="CASCADE"))

    panel: Mapped[Panel] = relationship(back_populates="fields")
    field = relationship("Field", lazy="joined")


class PanelMember(db.Model):
    """A judge on a sub-panel."""

    __tablename__ = "judging_panel_members"
    __table_args__ = (UniqueConstraint("panel_id", "user_id", name="uq_judging_panel_members_panel_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("judging_panels.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)

    panel: Mapped[Panel] = relationship(back_populates="members")
    user = relationship("User", lazy="joined")


class Conflict(db.Model):
    """A conflict of interest between a judge and an entry: found automatically, declared by the judge or
    recorded by the organizers. Lifting one (with a reason) keeps the record."""

    __tablename__ = "judging_conflicts"
    __table_args__ = (
        UniqueConstraint("judge_id", "entry_id", "kind", name="uq_judging_conflicts_judge_entry_kind"),
        Index("ix_judging_conflicts_contest_judge", "contest_id", "judge_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id", ondelete="CASCADE"))
    judge_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # one of judging.conflicts.CONFLICT_KINDS
    note: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(16), default="auto")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    lifted_at: Mapped[datetime | None]
    lifted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    lift_reason: Mapped[str] = mapped_column(Text, default="")

    judge = relationship("User", foreign_keys=[judge_id], lazy="joined")
    entry = relationship("Entry")

    @property
    def active(self) -> bool:
        return self.lifted_at is None

    def access_scopes(self) -> list[tuple[str, int]]:
        return self.entry.access_scopes()


class Assignment(db.Model):
    """A judge given an entry to score in a round."""

    __tablename__ = "judging_assignments"
    __table_args__ = (
        UniqueConstraint("round_id", "entry_id", "judge_id", name="uq_judging_assignments_round_entry_judge"),
        Index("ix_judging_assignments_round_judge", "round_id", "judge_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("judging_rounds.id", ondelete="CASCADE"))
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"), index=True)
    judge_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(16), default="auto")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    round: Mapped[Round] = relationship()
    entry = relationship("Entry", lazy="joined")
    judge = relationship("User", foreign_keys=[judge_id], lazy="joined")
    sheet: Mapped[ScoreSheet | None] = relationship(
        back_populates="assignment", cascade="all, delete-orphan", uselist=False
    )

    def access_scopes(self) -> list[tuple[str, int]]:
        return self.round.access_scopes()


class ScoreSheet(db.Model):
    """One judge's scores for one entry in one round; `version` guards against two tabs saving at once."""

    __tablename__ = "score_sheets"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("judging_assignments.id", ondelete="CASCADE"), unique=True)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    comment: Mapped[str] = mapped_column(Text, default="")
    total: Mapped[Decimal | None] = mapped_column(Numeric(7, 2))
    submitted_at: Mapped[datetime | None]
    reopened_at: Mapped[datetime | None]
    reopened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __mapper_args__ = {"version_id_col": version}

    assignment: Mapped[Assignment] = relationship(back_populates="sheet")
    scores: Mapped[list[Score]] = relationship(
        back_populates="sheet", order_by="Score.id", cascade="all, delete-orphan"
    )

    @property
    def submitted(self) -> bool:
        return self.status == "submitted"


class Score(db.Model):
    """A judge's score on one criterion."""

    __tablename__ = "scores"
    __table_args__ = (UniqueConstraint("sheet_id", "criterion_id", name="uq_scores_sheet_criterion"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(ForeignKey("score_sheets.id", ondelete="CASCADE"))
    criterion_id: Mapped[int] = mapped_column(ForeignKey("rubric_criteria.id"), index=True)
    value: Mapped[Decimal] = mapped_column(Numeric(6, 2))

    sheet: Mapped[ScoreSheet] = relationship(back_populates="scores")
    criterion: Mapped[RubricCriterion] = relationship()
