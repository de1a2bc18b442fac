"""A version of each table whose changes a worker's memory must notice (see app/remembered.py), kept by the database
itself on PostgreSQL: a trigger on the table, at every statement that inserts, updates, deletes or truncates, sets
the table's row of `table_versions` to the id of the writing transaction. Reading the versions of a few tables is
then one primary-key lookup, however big the tables are (a national round has 1.25 million scores: summing their
rows' `xmin` took tens of milliseconds at every view).

A version is the id of the last transaction that wrote the table, so no two committed states of a table share one:
transaction ids never repeat in a cluster, a writer waits for the one before it on the version row (a table's
writers commit one after the other from their first write; each holds the row for milliseconds), and a rolled back
writer's id is never seen again. Any writer counts: the ORM, a bulk statement, SQL typed by hand. A restored
backup (`flask restore`) brings back the versions with the data they describe (its triggers come after its data).

Domains declare the tables they read this way (`versioned`); the factory's `create_all` (tests) and migration
0014 put the triggers on them. SQLite has no triggers here: its databases are small development and demonstration
ones, where the callers work their figures out at every view.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import DDL, BigInteger, Column, String, Table, bindparam, event, select

from app.extensions import db

table_versions = Table(
    "table_versions",
    db.metadata,
    Column("name", String(63), primary_key=True),
    Column("version", BigInteger, nullable=False),
)

FUNCTION = "sangtao_table_version"

#: The function every trigger calls (PostgreSQL): the table's version becomes the writing transaction's id.
CREATE_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO table_versions (name, version) VALUES (TG_TABLE_NAME, pg_current_xact_id()::text::bigint)
    ON CONFLICT (name) DO UPDATE SET version = EXCLUDED.version
    WHERE table_versions.version IS DISTINCT FROM EXCLUDED.version;
    RETURN NULL;
END
$$
"""

DROP_FUNCTION = f"DROP FUNCTION IF EXISTS {FUNCTION}() CASCADE"

#: Every table a domain has declared (`versioned`).
VERSIONED: set[str] = set()


def trigger_name(table: str) -> str:
    return f"{table}_version"


def create_trigger(table: str) -> str:
    """The statement putting the version trigger on `table` (PostgreSQL)."""
    return (
        f'CREATE TRIGGER "{trigger_name(table)}" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}" '
        f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()"
    )


def drop_trigger(table: str) -> str:
    return f'DROP TRIGGER IF EXISTS "{trigger_name(table)}" ON "{table}"'


def versioned(names: Iterable[str]) -> tuple[str, ...]:
    """Declare tables whose versions a memory's key names (at import); returns them, as a tuple."""
    names = tuple(names)
    VERSIONED.update(names)
    return names


def versions(names: Sequence[str]) -> tuple[int, ...] | None:
    """The versions of the tables `names` (declared with `versioned`), in that order, read in one query, 0 for a
    table not written since its trigger was made; None on a database without the triggers (SQLite)."""
    undeclared = set(names) - VERSIONED
    if undeclared:
        raise ValueError(f"tables without a version: {sorted(undeclared)} (declare them with `versioned`)")
    if db.session.get_bind().dialect.name != "postgresql":
        return None
    found = dict(db.session.execute(_versions_query(), {"names": list(names)}).all())
    return tuple(found.get(name, 0) for name in names)


def _versions_query():
    return select(table_versions.c.name, table_versions.c.version).where(
        table_versions.c.name.in_(bindparam("names", expanding=True))
    )


@event.listens_for(db.metadata, "after_create")
def _create_triggers(_metadata, connection, **_kw) -> None:
    """`create_all` on PostgreSQL (the tests' database) puts the triggers the migrations put."""
    if connection.dialect.name != "postgresql":
        return
    connection.execute(DDL(CREATE_FUNCTION))
    existing = set(db.metadata.tables)
    for table in sorted(VERSIONED & existing):
        connection.execute(DDL(drop_trigger(table)))
        connection.execute(DDL(create_trigger(table)))


@event.listens_for(db.metadata, "after_drop")
def _drop_function(_metadata, connection, **_kw) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(DDL(DROP_FUNCTION))
