"""The Alembic migrations build exactly the schema the models describe, on SQLite and on PostgreSQL,
and downgrade cleanly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from app import create_app
from app.extensions import db


def test_migrations_match_the_models_and_downgrade(fresh_database_url):
    migrated = create_app({"SQLALCHEMY_DATABASE_URI": fresh_database_url, "TESTING": True, "SECRET_KEY": "k" * 32})
    with migrated.app_context():
        upgrade()
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), db.metadata)
        assert diff == [], f"models and migrations differ: {diff}"
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.session.remove()
        db.engine.dispose()
