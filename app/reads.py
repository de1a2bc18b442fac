"""Large column-only reads through SQLAlchemy Core.

``db.session.execute(select(A.x, B.y))`` runs every row through the ORM's loading machinery even when it selects
plain columns; on a read of 100,000+ rows that costs about as much again as fetching them (measured on the national
benchmark: 1.23 M score rows, 7.5 s through the session against 3.8 s through its connection). ``column_rows`` sends
the statement on the session's own connection (same transaction, so it sees what the session wrote) after flushing
pending changes, as ``session.execute`` would have. For statements that select columns, never entities; also for a
hot path's Core statements (a check-in scan, a score sheet's write), where the ORM's handling of each statement
costs about as much as the database's work."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

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


def autocommit_session() -> bool:
    """PostgreSQL: run this request's session without a transaction, each statement committed on its own (no BEGIN
    and COMMIT round trips), until the session's first commit or rollback; the next statement after those opens a
    transaction as usual. Call it before the request's first statement. Returns whether it did.

    Only for a path whose every write is one statement that stands alone (a check-in scan: see
    `events.services.checkin`): an ORM flush of several rows would be written row by row, each committed. Reads see
    what they would have seen in a transaction: under READ COMMITTED, PostgreSQL's default, each statement sees the
    data as of its own start either way. SQLite keeps its transaction (its writers take the database's lock anyway)."""
    session = db.session()  # the request's Session (the scoped proxy does not offer `in_transaction`)
    if session.in_transaction() or session.get_bind().dialect.name != "postgresql":
        return False
    session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
    return True


def autocommitted(view: Callable) -> Callable:
    """A view whose request runs without a transaction on PostgreSQL (`autocommit_session`), from its first
    statement on: put it above the decorators that read the signed-in account."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        autocommit_session()
        return view(*args, **kwargs)

    return wrapped
