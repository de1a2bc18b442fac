"""Check-ins and the log of every scan at the door.

A check-in is one person let in; undoing it keeps the row (who undid it, when, why) so the log stays whole. At most
one live (not undone) check-in per invitee, enforced by a partial unique index: two staff scanning the same pass at
the same instant cannot both let its holder in. Every scan, whatever its answer, is one `ScanLog` row, unique per
(event, client nonce): a retried request finds its earlier answer instead of counting twice.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db, unique_where
from app.timefmt import utcnow

#: How a scan reached the server: the console's camera, a USB/Bluetooth scanner typing into the console, the
#: console's name search, the JSON API, or a console's offline queue.
SCAN_SOURCES = ("camera", "scanner", "search", "api", "offline")


class CheckIn(db.Model):
    __tablename__ = "event_check_ins"
    __table_args__ = (unique_where("uq_event_check_ins_invitee_live", "invitee_id", where="undone_at IS NULL"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    invitee_id: Mapped[int] = mapped_column(ForeignKey("event_invitees.id", ondelete="CASCADE"))
    pass_id: Mapped[int] = mapped_column(ForeignKey("event_passes.id", ondelete="CASCADE"), index=True)
    #: When the server recorded it (UTC); an offline scan also keeps the device's clock in `client_at`.
    checked_in_at: Mapped[datetime] = mapped_column(default=utcnow)
    client_at: Mapped[datetime | None]
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: The staff member's name at the time (shown in "already checked in by ...", kept if the account goes).
    by_name: Mapped[str] = mapped_column(String(120), default="")
    device_id: Mapped[str] = mapped_column(String(64), default="")
    source: Mapped[str] = mapped_column(String(16), default="scanner")
    offline: Mapped[bool] = mapped_column(default=False)
    undone_at: Mapped[datetime | None]
    undone_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    undo_reason: Mapped[str] = mapped_column(Text, default="")

    invitee = relationship("Invitee")
    pass_ = relationship("Pass")
    undone_by = relationship("User", foreign_keys=[undone_by_id])

    def __repr__(self) -> str:
        return f"<CheckIn {self.id} invitee={self.invitee_id}{' undone' if self.undone_at else ''}>"

    @property
    def is_live(self) -> bool:
        return self.undone_at is None

    @property
    def when(self) -> datetime:
        """When the person came in: the device's clock for an offline scan, else the server's."""
        return self.client_at or self.checked_in_at

    def access_scopes(self) -> list[tuple[str, int]]:
        return self.invitee.event.access_scopes()


class ScanLog(db.Model):
    """One scan at the door and the answer it got (the scan log)."""

    __tablename__ = "event_scans"
    __table_args__ = (UniqueConstraint("event_id", "nonce", name="uq_event_scans_event_nonce"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # no index of its own: the unique (event_id, nonce) index starts with it
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    #: The client's nonce: a retried request with the same one gets the same answer and changes nothing.
    nonce: Mapped[str] = mapped_column(String(64))
    scanned_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: The device's clock when it scanned (offline scans), as sent.
    client_at: Mapped[datetime | None]
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    staff_name: Mapped[str] = mapped_column(String(120), default="")
    device_id: Mapped[str] = mapped_column(String(64), default="")
    source: Mapped[str] = mapped_column(String(16), default="scanner")
    offline: Mapped[bool] = mapped_column(default=False)
    #: `events.checkin.Outcome`.
    outcome: Mapped[str] = mapped_column(String(16))
    pass_id: Mapped[int | None] = mapped_column(ForeignKey("event_passes.id", ondelete="SET NULL"))
    invitee_id: Mapped[int | None] = mapped_column(ForeignKey("event_invitees.id", ondelete="SET NULL"), index=True)
    #: The check-in this scan made (checked_in) or met (already).
    check_in_id: Mapped[int | None] = mapped_column(ForeignKey("event_check_ins.id", ondelete="SET NULL"))
    #: The first characters of an unknown code (never a whole token: the log is no list of passes).
    code_hint: Mapped[str] = mapped_column(String(16), default="")

    invitee = relationship("Invitee")
    check_in: Mapped[CheckIn | None] = relationship()

    def __repr__(self) -> str:
        return f"<ScanLog {self.id} {self.outcome} nonce={self.nonce}>"
