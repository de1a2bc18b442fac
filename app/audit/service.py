"""One service records every write that matters. It adds to the session (or, `write`, executes its INSERT in the
session's transaction); the caller commits once."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import insert

from app.audit.models import AuditEntry
from app.extensions import db


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def snapshot(obj: Any, fields: list[str] | tuple[str, ...]) -> dict[str, Any]:
    """The named attributes of a record as JSON-ready values, for `before` and `after`."""
    return {name: _plain(getattr(obj, name)) for name in fields}


def entry_values(
    action: str,
    target: Any = None,
    *,
    before: dict | None = None,
    after: dict | None = None,
    summary: str = "",
    actor: Any = None,
    object_type: str | None = None,
    object_id: Any = None,
) -> dict[str, Any]:
    """The columns of an audit entry for `action` on `target` (saved `target`: it must have its id), for `record`
    and for a hot path that writes its entry with a plain INSERT rather than through the session."""
    if actor is None and has_request_context() and current_user and current_user.is_authenticated:
        actor = current_user
    return {
        "action": action,
        "object_type": object_type or (getattr(target, "__tablename__", "") if target is not None else ""),
        "object_id": str(object_id if object_id is not None else getattr(target, "id", "") or ""),
        "summary": summary,
        "before": _plain(before) if before is not None else None,
        "after": _plain(after) if after is not None else None,
        "actor_id": getattr(actor, "id", None),
        "actor_label": getattr(actor, "email", None) or (actor if isinstance(actor, str) else "system"),
        "ip": (request.remote_addr or "") if has_request_context() else "",
    }


def record(
    action: str,
    target: Any = None,
    *,
    before: dict | None = None,
    after: dict | None = None,
    summary: str = "",
    actor: Any = None,
    object_type: str | None = None,
    object_id: Any = None,
) -> AuditEntry:
    """Add an audit entry for `action` on `target` (flushed so that new records have their id)."""
    if target is not None and getattr(target, "id", None) is None:
        db.session.flush()
    entry = AuditEntry(
        **entry_values(
            action,
            target,
            before=before,
            after=after,
            summary=summary,
            actor=actor,
            object_type=object_type,
            object_id=object_id,
        )
    )
    db.session.add(entry)
    return entry


def write(action: str, target: Any = None, **details: Any) -> None:
    """`record`'s entry (the same `details`: before, after, summary, actor, object_type, object_id), written at once
    with a plain INSERT in the session's transaction rather than added to the unit of work: for a hot path, no
    record to track, flush, read its id back and expire. `target` must be saved (have its id). Committed, or rolled
    back, with the rest of the transaction."""
    db.session.execute(insert(AuditEntry.__table__), entry_values(action, target, **details))
