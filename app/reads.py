"""Large column-only reads through SQLAlchemy Core.

``db.session.execute(select(A.x, B.y))`` runs every row through the ORM's loading machinery even when it selects
plain columns; on a read of 100,000+ rows that costs about as much again as fetching them (measured on the national
benchmark: 1.23 M score rows, 7.5 s through the session against 3.8 s through its connection). ``column_rows`` sends
the statement on the session's own connection (same transaction, so it sees what the session wrote) after flushing
pending changes, as ``session.execute`` would have. For statements that select columns, never entities; also for a
hot path's Core statements (a check-in scan, a score sheet's write), where the ORM's handling of each statement
costs about as much as the database's work."""

from __future__ import annotations

from sqlalchemy import Executable
from sqlalchemy.engine import Result

from app.extensions import db


def column_rows(statement: Executable, params: dict | None = None) -> Result:
    """The rows of a column-only ``statement`` (with ``params`` bound), on the session's connection, pending
    changes flushed first."""
    session = db.session
    if session.autoflush:
        session.flush()
    return session.connection().execute(statement, params)
