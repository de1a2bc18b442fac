"""Events, their invitees, passes and the questions sent before a dialogue meeting.

How a scan finds its way (for the check-in side): a QR holds only `Pass.token` (or the URL of the holder's pass
page ending with it). `events.services.passes.find_by_token(token)` returns the `Pass` (valid or revoked) or None;
`pass_.event_id` / `pass_.event` is the event it admits to (kept on the pass itself, equal to
`pass_.invitee.event_id`), `pass_.invitee` the person (name, unit, role), `pass_.revoked_at` set means "revoked"
(`pass_.replaced_by` then points at the pass issued in its place, if any). An invitee has at most one valid pass
(`Invitee.current_pass`); a cancelled or waitlisted invitee has none.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db, unique_where
from app.text import name_sort_string, normalize_search
from app.timefmt import utcnow

#: Kinds of event (lễ trao giải, triển lãm, thuyết trình chung khảo, gặp mặt đối thoại với trí thức, khác).
EVENT_KINDS = ("award_ceremony", "exhibition", "final_presentation", "dialogue", "other")
#: draft: only organizers see it; published: its public page is open (and self-registration when public);
#: cancelled: kept for the record, nobody is admitted.
EVENT_STATUSES = ("draft", "published", "cancelled")

#: A person's role at the event, printed on the badge and counted at the door.
INVITEE_ROLES = (
    "author",
    "finalist",
    "winner",
    "judge",
    "council_member",
    "honoree",
    "nominee",
    "guest",
    "registrant",
    "staff",
)
#: Where an invitee came from.
INVITEE_SOURCES = ("contest", "campaign", "judges", "import", "self_registration", "manual")
#: invited: added by the organizers; registered: confirmed (or self-registered within capacity);
#: waitlisted: self-registered past capacity, no pass until promoted; cancelled: no pass, place freed.
INVITEE_STATUSES = ("invited", "registered", "waitlisted", "cancelled")
#: Statuses that hold a place (count against the capacity) and carry a pass.
ATTENDING_STATUSES = ("invited", "registered")

QUESTION_KINDS = ("question", "proposal")
#: new: sent by an invitee; routed: given to a department; answered: the answer is recorded;
#: withdrawn: taken back by its author before it was answered.
QUESTION_STATUSES = ("new", "routed", "answered", "withdrawn")


class Event(db.Model):
    """An award ceremony, exhibition, final-round presentation or dialogue meeting, organised by one body,
    optionally for a contest or an honoring campaign."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24), default="award_ceremony")
    title: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text, default="")
    #: Stored in UTC, typed and shown in Vietnam time.
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime | None]
    venue: Mapped[str] = mapped_column(String(255), default="")
    #: Places for attendees (invited and registered); None: no limit.
    capacity: Mapped[int | None]
    contest_id: Mapped[int | None] = mapped_column(ForeignKey("contests.id", ondelete="SET NULL"), index=True)
    #: The honoring campaign (honors' `honor_campaigns.id`) the event belongs to, if any.
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("honor_campaigns.id", ondelete="SET NULL"), index=True)
    #: Open to self-registration by the public (True) or by invitation only (False).
    is_public: Mapped[bool] = mapped_column(default=False)
    registration_opens_at: Mapped[datetime | None]
    registration_closes_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    organisation = relationship("Organisation", lazy="joined")
    contest = relationship("Contest")
    campaign = relationship("honors.models.campaigns.Campaign")
    invitees: Mapped[list[Invitee]] = relationship(back_populates="event", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<Event {self.id} {self.title!r}>"

    def access_scopes(self) -> list[tuple[str, int]]:
        """The event itself (check-in staff hold grants scoped to it) and its organising body with the bodies
        above it (organizers)."""
        return [("event", self.id), *self.organisation.access_scopes()]

    @property
    def is_published(self) -> bool:
        return self.status == "published"


class Invitee(db.Model):
    """One person invited to (or registered for) an event: one row, and so one pass, per person per event,
    however many entries or roles bring them (`dedupe_key`)."""

    __tablename__ = "event_invitees"
    __table_args__ = (UniqueConstraint("event_id", "dedupe_key", name="uq_event_invitees_event_person"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    full_name: Mapped[str] = mapped_column(String(120))
    #: `normalize_search(name unit email)`: searched without diacritics nor case (the door's name search).
    search_name: Mapped[str] = mapped_column(String(600), default="", index=True)
    #: `name_sort_string(full_name)`: ORDER BY it lists people in Vietnamese order.
    sort_name: Mapped[str] = mapped_column(String(800), default="")
    #: Private: shown to organizers only, never printed on a badge nor put in a QR code.
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(20), default="")
    birth_date: Mapped[date | None]
    unit: Mapped[str] = mapped_column(String(255), default="")
    role: Mapped[str] = mapped_column(String(24), default="guest")
    source: Mapped[str] = mapped_column(String(24), default="manual")
    #: What brought them, e.g. "entry:12", "award:3", "judge:7", "dossier:5", "row:14" (for the record).
    source_ref: Mapped[str] = mapped_column(String(64), default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    #: `events.rules.dedupe_key`: "email:<normalised email>", else "name:<folded name>|<birth date or unit>".
    dedupe_key: Mapped[str] = mapped_column(String(400))
    status: Mapped[str] = mapped_column(String(16), default="invited", index=True)
    #: Order on the waiting list (1 is next); None unless waitlisted.
    waitlist_position: Mapped[int | None]
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: When the invitation (with the pass) was last mailed; None: never.
    invited_at: Mapped[datetime | None]

    event: Mapped[Event] = relationship(back_populates="invitees")
    user = relationship("User")
    passes: Mapped[list[Pass]] = relationship(
        back_populates="invitee", cascade="all, delete-orphan", order_by="Pass.id", foreign_keys="Pass.invitee_id"
    )

    def __repr__(self) -> str:
        return f"<Invitee {self.id} {self.full_name!r} event={self.event_id}>"

    def set_name(self, full_name: str) -> None:
        self.full_name = " ".join((full_name or "").split())
        self.sort_name = name_sort_string(self.full_name)
        self.refresh_search()

    def refresh_search(self) -> None:
        self.search_name = normalize_search(f"{self.full_name} {self.unit} {self.email}")[:600]

    @property
    def current_pass(self) -> Pass | None:
        """The valid (not revoked) pass, if any."""
        return next((p for p in self.passes if p.revoked_at is None), None)

    @property
    def holds_place(self) -> bool:
        return self.status in ATTENDING_STATUSES

    def access_scopes(self) -> list[tuple[str, int]]:
        return self.event.access_scopes()


class Pass(db.Model):
    """A QR pass: an unguessable token (>= 128 bits) naming nothing personal. Revoked rather than deleted; a
    reissued pass is a new row and the old one points at it (`replaced_by`)."""

    __tablename__ = "event_passes"
    #: One valid pass per invitee; revoked ones stay beside it.
    __table_args__ = (unique_where("uq_event_passes_invitee_valid", "invitee_id", where="revoked_at IS NULL"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: `secrets.token_urlsafe(24)`: 192 random bits, 32 characters.
    token: Mapped[str] = mapped_column(String(64), unique=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    invitee_id: Mapped[int] = mapped_column(ForeignKey("event_invitees.id", ondelete="CASCADE"), index=True)
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    revoke_reason: Mapped[str] = mapped_column(Text, default="")
    #: The pass issued in place of this revoked one.
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("event_passes.id", ondelete="SET NULL"))

    event: Mapped[Event] = relationship()
    invitee: Mapped[Invitee] = relationship(back_populates="passes", foreign_keys=[invitee_id])
    replaced_by: Mapped[Pass | None] = relationship(remote_side=[id], foreign_keys=[replaced_by_id])

    def __repr__(self) -> str:
        return f"<Pass {self.id} invitee={self.invitee_id} {'revoked' if self.revoked_at else 'valid'}>"

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None

    def access_scopes(self) -> list[tuple[str, int]]:
        return self.event.access_scopes()


class Question(db.Model):
    """A question or proposal (câu hỏi, hiến kế) an invitee sends before a dialogue meeting; organizers route it
    to the responsible department and record the answer."""

    __tablename__ = "event_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    invitee_id: Mapped[int] = mapped_column(ForeignKey("event_invitees.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="question")
    body: Mapped[str] = mapped_column(Text)
    #: The department (sở, ban, ngành) that answers it; free text, suggested from the organisations.
    department: Mapped[str] = mapped_column(String(255), default="")
    routed_at: Mapped[datetime | None]
    routed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime | None]
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(16), default="new", index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    event: Mapped[Event] = relationship()
    invitee: Mapped[Invitee] = relationship(lazy="joined")
    answered_by = relationship("User", foreign_keys=[answered_by_id])

    def access_scopes(self) -> list[tuple[str, int]]:
        return self.event.access_scopes()
