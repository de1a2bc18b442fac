"""A forward: an entry of a child edition sent on to its parent edition (the same dossier, moved up: its authors,
documents, history and lower-level result stay its own), or put in the delegation to a level outside this system
(the national contest), where it stays."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.timefmt import utcnow

#: How the child's organizers chose the entry.
BASES = ("rank", "award", "manual")


class Forward(db.Model):
    """An entry forwarded from `from_contest` to `to_contest` (or, with `to_contest_id` None, to the outside level
    named `external_level`). While in force (`withdrawn_at` None), a forward to a parent edition has moved the entry
    into the parent (its contest, field, age group and documents' types mapped to the parent's, awaiting the
    parent's screening); what it was in the child is kept here so that withdrawing puts it back."""

    __tablename__ = "forwards"
    __table_args__ = (Index("ix_forwards_from_contest", "from_contest_id", "withdrawn_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"), index=True)
    from_contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id", ondelete="CASCADE"))
    to_contest_id: Mapped[int | None] = mapped_column(ForeignKey("contests.id", ondelete="CASCADE"), index=True)
    external_level: Mapped[str] = mapped_column(String(120), default="")
    basis: Mapped[str] = mapped_column(String(16), default="manual")
    #: The entry in the child edition, to put it back on withdrawal: seq, status, field, age group, and the
    #: document type of each document ({document_id: document_type_id}).
    from_seq: Mapped[int | None]
    from_status: Mapped[str] = mapped_column(String(16), default="")
    from_field_id: Mapped[int | None] = mapped_column(ForeignKey("contest_fields.id", ondelete="SET NULL"))
    from_age_group_id: Mapped[int | None] = mapped_column(ForeignKey("contest_age_groups.id", ondelete="SET NULL"))
    from_document_types: Mapped[dict] = mapped_column(JSON, default=dict)
    #: The lower-level result as it stood when forwarded: {"rank", "score", "award", "round"} (text, for people).
    lower_result: Mapped[dict] = mapped_column(JSON, default=dict)
    forwarded_at: Mapped[datetime] = mapped_column(default=utcnow)
    forwarded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    withdrawn_at: Mapped[datetime | None]
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    withdraw_reason: Mapped[str] = mapped_column(Text, default="")

    entry = relationship("Entry")
    from_contest = relationship("Contest", foreign_keys=[from_contest_id])
    to_contest = relationship("Contest", foreign_keys=[to_contest_id])

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None

    def access_scopes(self) -> list[tuple[str, int]]:
        return self.from_contest.access_scopes()
