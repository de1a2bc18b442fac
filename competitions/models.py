"""Contest editions, their fields, age groups, required documents and default criteria; entries, their
authors and guiding teachers, and their documents."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import DDL, JSON, ForeignKey, Index, Numeric, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.text import normalize_search
from app.timefmt import utcnow

CONTEST_KINDS = ("innovation", "youth")
CONTEST_LEVELS = ("school", "provincial", "national")
CONTEST_STATUSES = ("draft", "open", "closed", "judging", "results", "archived")
ENTRY_STATUSES = ("draft", "submitted", "returned", "eligible", "ineligible", "withdrawn")
GENDERS = ("female", "male", "other")


class Contest(db.Model):
    """One edition of a contest (e.g. the 10th provincial Technical Innovation Contest, 2026-2027)."""

    __tablename__ = "contests"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(255))
    number: Mapped[int | None]
    year: Mapped[int]
    level: Mapped[str] = mapped_column(String(16), default="provincial")
    code_prefix: Mapped[str] = mapped_column(String(12))
    description: Mapped[str] = mapped_column(Text, default="")
    period_start: Mapped[date | None]
    period_end: Mapped[date | None]
    registration_opens_at: Mapped[datetime | None]
    registration_closes_at: Mapped[datetime | None]
    lookback_date: Mapped[date | None]
    birth_from: Mapped[date | None]
    birth_to: Mapped[date | None]
    max_authors: Mapped[int] = mapped_column(default=5)
    max_teachers: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    #: Multi-level contests: the edition this one forwards its best entries to (a school or district round of a
    #: provincial contest, say); its rules follow the parent's except those it overrides (`inherits`).
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("contests.id", ondelete="SET NULL"), index=True)
    #: Names of the rules (`INHERITABLE_RULES`) a child edition takes from its parent; the others it overrides.
    inherits: Mapped[list] = mapped_column(JSON, default=list)
    #: A parent edition's window for its children to forward entries, and how many each child may forward by
    #: default (None: no limit).
    forward_opens_at: Mapped[datetime | None]
    forward_closes_at: Mapped[datetime | None]
    forward_quota: Mapped[int | None]
    #: A child edition's own quota at its parent, when the parent's organizers set one (else the parent's default).
    quota_at_parent: Mapped[int | None]
    #: Last entry number handed out; entry codes are PREFIX-YEAR-NNNN.
    entry_seq: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organisation = relationship("Organisation", lazy="joined")
    fields: Mapped[list[Field]] = relationship(
        back_populates="contest", order_by="Field.position", cascade="all, delete-orphan"
    )
    age_groups: Mapped[list[AgeGroup]] = relationship(
        back_populates="contest", order_by="AgeGroup.position", cascade="all, delete-orphan"
    )
    document_types: Mapped[list[DocumentType]] = relationship(
        back_populates="contest", order_by="DocumentType.position", cascade="all, delete-orphan"
    )
    criteria: Mapped[list[Criterion]] = relationship(
        back_populates="contest", order_by="Criterion.position", cascade="all, delete-orphan"
    )
    parent: Mapped[Contest | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Contest]] = relationship(back_populates="parent", order_by="Contest.id")

    def __repr__(self) -> str:
        return f"<Contest {self.id} {self.name!r}>"

    @property
    def is_youth(self) -> bool:
        return self.kind == "youth"

    def access_scopes(self) -> list[tuple[str, int]]:
        """This contest and its organising body with the bodies above it; for a child edition, its parent's
        scopes too (the provincial organizers see every district round of their contest)."""
        scopes = [("contest", self.id), *self.organisation.access_scopes()]
        if self.parent is not None:
            scopes += [s for s in self.parent.access_scopes() if s not in scopes]
        return scopes

    def rules(self):
        """The edition's rules as the pure `competitions.eligibility.Rules`."""
        from competitions.eligibility import Rules

        return Rules(
            kind=self.kind,
            field_ids=frozenset(f.id for f in self.fields),
            age_group_ids=frozenset(a.id for a in self.age_groups),
            max_authors=self.max_authors,
            max_teachers=self.max_teachers,
            lookback_date=self.lookback_date,
            birth_from=self.birth_from if self.is_youth else None,
            birth_to=self.birth_to if self.is_youth else None,
            opens_at=self.registration_opens_at,
            closes_at=self.registration_closes_at,
            contest_status=self.status,
        )


class Field(db.Model):
    """A field of the contest (lĩnh vực dự thi)."""

    __tablename__ = "contest_fields"

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id", ondelete="CASCADE"), index=True)
    #: In a child edition, the parent's field this one copies (a forwarded entry takes the parent's).
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("contest_fields.id", ondelete="SET NULL"))
    code: Mapped[str] = mapped_column(String(16), default="")
    name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)

    contest: Mapped[Contest] = relationship(back_populates="fields")


class AgeGroup(db.Model):
    """Youth contest: an age group (nhi đồng, thiếu niên, thanh niên) or a school level (tiểu học, THCS, THPT)."""

    __tablename__ = "contest_age_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id", ondelete="CASCADE"), index=True)
    #: In a child edition, the parent's age group this one copies (a forwarded entry takes the parent's).
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("contest_age_groups.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(default=0)

    contest: Mapped[Contest] = relationship(back_populates="age_groups")


class DocumentType(db.Model):
    """A document the dossier holds: its name, whether it is required, accepted kinds and size limit."""

    __tablename__ = "contest_document_types"

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id", ondelete="CASCADE"), index=True)
    #: In a child edition, the parent's document type this one copies (forwarded documents take the parent's).
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("contest_document_types.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text, default="")
    required: Mapped[bool] = mapped_column(default=True)
    #: Accepted kinds as groups of `app.uploads` ("pdf,word", "image,video"), comma separated.
    accepted: Mapped[str] = mapped_column(String(120), default="pdf")
    max_mb: Mapped[int] = mapped_column(default=10)
    position: Mapped[int] = mapped_column(default=0)

    contest: Mapped[Contest] = relationship(back_populates="document_types")

    @property
    def accepted_groups(self) -> list[str]:
        return [a.strip() for a in self.accepted.split(",") if a.strip()]


class CriterionColumns:
    """What a scoring criterion holds, wherever it lives (an edition's defaults, a round's rubric)."""

    name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text, default="")
    max_points: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    weight: Mapped[Decimal] = mapped_column(Numeric(6, 3), default=Decimal(1))
    step: Mapped[Decimal] = mapped_column(Numeric(4, 2), default=Decimal("0.5"))
    position: Mapped[int] = mapped_column(default=0)


class Criterion(CriterionColumns, db.Model):
    """A default judging criterion of the edition; judging rounds start their rubric from these."""

    __tablename__ = "contest_criteria"

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id", ondelete="CASCADE"), index=True)

    contest: Mapped[Contest] = relationship(back_populates="criteria")


class Entry(db.Model):
    """An entry (bài dự thi, giải pháp dự thi) with its authors, guiding teachers and documents."""

    __tablename__ = "entries"
    __table_args__ = (
        UniqueConstraint("contest_id", "seq", name="uq_entries_contest_seq"),
        Index("ix_entries_contest_status", "contest_id", "status"),
        # The entries table filters on a unit or a locality, and lists the edition's distinct ones by skipping
        # through these indexes (one probe per value, not a read of every entry).
        Index("ix_entries_contest_unit_name", "contest_id", "unit_name"),
        Index("ix_entries_contest_admin_unit", "contest_id", "admin_unit_id"),
        # The search (`search_text LIKE '%word%'`, see `app.search`) by trigrams on PostgreSQL (pg_trgm, created
        # with the table). SQLite gets a plain index it does not use for this search (a SQLite database is small):
        # one definition for both keeps the migrations equal to the models.
        Index(
            "ix_entries_search_text_trgm",
            "search_text",
            postgresql_using="gin",
            postgresql_ops={"search_text": "gin_trgm_ops"},
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int | None]
    code: Mapped[str | None] = mapped_column(String(32), unique=True)
    title: Mapped[str] = mapped_column(String(300), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    field_id: Mapped[int | None] = mapped_column(ForeignKey("contest_fields.id", ondelete="SET NULL"), index=True)
    age_group_id: Mapped[int | None] = mapped_column(ForeignKey("contest_age_groups.id", ondelete="SET NULL"))
    created_on: Mapped[date | None]
    applied_on: Mapped[date | None]
    #: The organisation that entered the solution (it invested in it), if any.
    entering_organisation: Mapped[str] = mapped_column(String(255), default="")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    source: Mapped[str] = mapped_column(String(16), default="online")
    screening_note: Mapped[str] = mapped_column(Text, default="")
    screened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    screened_at: Mapped[datetime | None]
    submitted_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    #: Derived for filters and lists: the lead author's unit (or the entering organisation) and locality.
    unit_name: Mapped[str] = mapped_column(String(255), default="")
    admin_unit_id: Mapped[int | None] = mapped_column(ForeignKey("administrative_units.id"), index=True)
    lead_name: Mapped[str] = mapped_column(String(120), default="")
    #: Folded code, title, people and unit: "nguyen van an" finds "Nguyễn Văn Ân".
    search_text: Mapped[str] = mapped_column(Text, default="")

    contest: Mapped[Contest] = relationship(lazy="joined")
    field: Mapped[Field | None] = relationship(lazy="joined")
    age_group: Mapped[AgeGroup | None] = relationship(lazy="joined")
    owner = relationship("User", foreign_keys=[owner_id])
    admin_unit = relationship("AdministrativeUnit")
    people: Mapped[list[EntryPerson]] = relationship(
        back_populates="entry", order_by="(EntryPerson.role, EntryPerson.position)", cascade="all, delete-orphan"
    )
    documents: Mapped[list[EntryDocument]] = relationship(
        back_populates="entry", order_by="EntryDocument.id", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Entry {self.id} {self.code or 'draft'}>"

    @property
    def authors(self) -> list[EntryPerson]:
        return [p for p in self.people if p.role == "author"]

    @property
    def teachers(self) -> list[EntryPerson]:
        return [p for p in self.people if p.role == "teacher"]

    @property
    def lead(self) -> EntryPerson | None:
        return next((p for p in self.authors if p.is_lead), None)

    def access_scopes(self) -> list[tuple[str, int]]:
        return self.contest.access_scopes()

    def refresh_derived(self) -> None:
        """Recompute the columns lists filter and search on, from the authors and the entry."""
        lead = self.lead or (self.authors[0] if self.authors else None)
        self.lead_name = lead.full_name if lead else ""
        self.unit_name = self.entering_organisation or (lead.unit if lead else "")
        self.admin_unit_id = lead.admin_unit_id if lead else None
        parts = [self.code or "", self.title, self.entering_organisation]
        parts += [f"{p.full_name} {p.unit}" for p in self.people]
        self.search_text = normalize_search(" ".join(parts))


event.listen(
    Entry.__table__,
    "before_create",
    DDL("CREATE EXTENSION IF NOT EXISTS pg_trgm").execute_if(dialect="postgresql"),
)


class EntryPerson(db.Model):
    """An author (with a contribution share) or a guiding teacher of an entry."""

    __tablename__ = "entry_people"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16), default="author")  # "author" | "teacher"
    position: Mapped[int] = mapped_column(default=0)
    full_name: Mapped[str] = mapped_column(String(120), default="")
    birth_date: Mapped[date | None]
    gender: Mapped[str] = mapped_column(String(8), default="")
    id_number: Mapped[str] = mapped_column(String(20), default="")
    unit: Mapped[str] = mapped_column(String(255), default="")
    address: Mapped[str] = mapped_column(String(255), default="")
    admin_unit_id: Mapped[int | None] = mapped_column(ForeignKey("administrative_units.id"))
    phone: Mapped[str] = mapped_column(String(20), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    share: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    is_lead: Mapped[bool] = mapped_column(default=False)

    entry: Mapped[Entry] = relationship(back_populates="people")
    admin_unit = relationship("AdministrativeUnit")


class EntryDocument(db.Model):
    """An uploaded document of an entry; stored under a random name, its original name only shown."""

    __tablename__ = "entry_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"), index=True)
    document_type_id: Mapped[int | None] = mapped_column(ForeignKey("contest_document_types.id", ondelete="SET NULL"))
    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    mimetype: Mapped[str] = mapped_column(String(120))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    entry: Mapped[Entry] = relationship(back_populates="documents")
    document_type: Mapped[DocumentType | None] = relationship(lazy="joined")


def _contest_name(contest_id: int) -> str | None:
    contest = db.session.get(Contest, contest_id)
    return contest.name if contest else None


def _register() -> None:
    from app.accounts.scopes import register_scope_namer

    register_scope_namer("contest", _contest_name)


_register()
