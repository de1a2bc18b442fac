from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.timefmt import utcnow


class MailMessage(db.Model):
    """Every message the app sends, kept whether it went by SMTP or stays in the outbox."""

    __tablename__ = "mail_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    recipient: Mapped[str] = mapped_column(String(254), index=True)
    subject: Mapped[str] = mapped_column(String(255))
    body: Mapped[str] = mapped_column(Text)
    transport: Mapped[str] = mapped_column(String(16))  # "smtp" or "outbox"
    sent_at: Mapped[datetime | None]
    error: Mapped[str] = mapped_column(Text, default="")
