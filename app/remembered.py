"""A worker's memory of what took long to compute (report figures, a published version read and checked, a rendered
results column), under keys that can never describe stale data.

A key is made of what the figures were counted from, read again at every view in cheap queries: the ids and
versions of the records the figures depend on, and for a table of mutable rows its version (app/table_versions.py:
one primary-key lookup, kept by PostgreSQL) or its `rows_stamp` (one aggregate query over the table, on any
database), either of which changes whenever a row of it is inserted, updated or deleted. When the data change, the key
changes and the figures are counted again; an old key is never asked for again and is forgotten after a few newer
ones. Each worker keeps its own memory, so nothing has to be shared or invalidated between workers.

Pure Python but for `rows_stamp`, which reads the database.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from threading import Lock
from typing import Generic, TypeVar
from weakref import WeakSet

from sqlalchemy import func, literal_column, select

from app.extensions import db
from app.table_versions import versions

T = TypeVar("T")

#: Every memory made in this process (`forget_all`).
_every: WeakSet[Remembered] = WeakSet()


def forget_all() -> None:
    """Empty every memory of this process (a test starts from a worker that remembers nothing)."""
    for memory in list(_every):
        memory.clear()


class Remembered(Generic[T]):
    """The last `size` values computed, by key, the most recently used last. The values are shared by every
    request of the worker: read them, never change them."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._values: OrderedDict[Hashable, T] = OrderedDict()
        self._lock = Lock()
        _every.add(self)

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The value remembered under `key`, else `compute()`'s (remembered)."""
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
        value = compute()  # outside the lock: another request may count the same figures meanwhile, harmlessly
        with self._lock:
            self._values[key] = value
            while len(self._values) > self.size:
                self._values.popitem(last=False)
        return value

    def while_unchanged(self, tables: Sequence[str], key: Hashable, compute: Callable[[], T]) -> T:
        """`get(key)` for as long as none of `tables` changes: the key is completed by the tables' versions
        (`app.table_versions.versions`, one lookup on PostgreSQL); where the tables have no versions (SQLite),
        `compute()` at every call."""
        stamp = versions(tables)
        if stamp is None:
            return compute()
        return self.get((key, stamp), compute)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()

    def __len__(self) -> int:
        return len(self._values)


def rows_stamp(model) -> tuple:
    """What changes whenever a row of `model`'s table is inserted, updated or deleted (one aggregate query): the
    number of rows, the highest id, and

    - on PostgreSQL the sum of the rows' `xmin` (the transaction that wrote each row version: any UPDATE, even by
      hand in SQL, writes a new version with a new one);
    - elsewhere the latest `updated_at` and the sum of every `updated_at` (the ORM sets it on each change), so that
      a change committed after a later one still changes the stamp.
    """
    table = model.__table__
    if db.session.get_bind().dialect.name == "postgresql":
        versions = (func.sum(literal_column(f"{table.name}.xmin::text::bigint")),)
    else:
        versions = (func.max(table.c.updated_at), func.total(func.julianday(table.c.updated_at)))
    return tuple(db.session.execute(select(func.count(), func.max(table.c.id), *versions).select_from(table)).one())
