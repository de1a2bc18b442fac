"""An export prepared in the background: what was asked, by whom, how far it is, and where its file lies."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.timefmt import utcnow

#: queued (asked, its process not started yet), running, done (the file is there), failed.
STATUSES = ("queued", "running", "done", "failed")


class ExportJob(db.Model):
    __tablename__ = "export_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The registered kind (`app.jobs.service.register`) and what it was asked for (a round's id, say).
    kind: Mapped[str] = mapped_column(String(60))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    #: The file's name (what its page calls it too) and type, and the page it was asked from, as when asked.
    filename: Mapped[str] = mapped_column(String(255))
    mimetype: Mapped[str] = mapped_column(String(120))
    back_url: Mapped[str] = mapped_column(String(500), default="")
    #: The language the file is written in: the requester's when asked.
    locale: Mapped[str] = mapped_column(String(8), default="vi")
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="queued")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    #: Written every few seconds while the build runs (`app.jobs.service.alive`).
    heartbeat_at: Mapped[datetime | None]
    size: Mapped[int | None]
    #: The file's name in EXPORT_DIR: unguessable, and never the name of an earlier job's file (ids can come back).
    file_key: Mapped[str] = mapped_column(String(32), default=lambda: secrets.token_hex(16))
    #: Why it failed, for the requester (the traceback goes to the server's log).
    error: Mapped[str] = mapped_column(String(500), default="")
