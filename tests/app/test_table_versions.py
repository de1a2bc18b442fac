"""Table versions (app/table_versions.py): on PostgreSQL each declared table's version changes with every committed
statement that writes it, whoever writes (the ORM, a bulk statement, SQL by hand), and never comes back; the tests'
`create_all` and the migrations put the same triggers; SQLite has none (`versions` says None)."""

from __future__ import annotations

import pytest
from flask_migrate import upgrade
from sqlalchemy import text

from app import create_app
from app.accounts.models import User
from app.extensions import db
from app.table_versions import VERSIONED, trigger_name, versions

USERS = ("users",)


def _postgresql() -> bool:
    return db.engine.dialect.name == "postgresql"


def _triggers() -> set[str]:
    rows = db.session.execute(text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")).scalars()
    return set(rows)


def test_a_version_changes_with_every_committed_write_and_never_comes_back(make_user):
    if not _postgresql():
        assert versions(USERS) is None  # SQLite: no triggers, the callers work their figures out every time
        return
    seen = [versions(USERS)]

    def changed() -> tuple[int, ...]:
        db.session.commit()
        now = versions(USERS)
        assert now not in seen, (now, seen)
        seen.append(now)
        return now

    user = make_user("judge", email="a@example.vn")
    changed()
    user.full_name = "Trần Thị Bình"
    changed()
    db.session.execute(text("UPDATE users SET phone = '0912 345 678'"))  # by hand, no ORM
    changed()
    db.session.execute(text("UPDATE users SET phone = phone WHERE false"))  # a statement that writes no row counts too
    changed()
    db.session.delete(db.session.get(User, user.id))
    changed()
    # Reading changes nothing; another table's writes change nothing of this one.
    db.session.execute(text("SELECT count(*) FROM users")).scalar()
    db.session.execute(text("UPDATE entries SET title = title WHERE false"))
    db.session.commit()
    assert versions(USERS) == seen[-1]
    # A writer that rolls back leaves the committed version.
    db.session.execute(text("UPDATE users SET phone = ''"))
    assert versions(USERS) != seen[-1]  # its own transaction sees its own write
    db.session.rollback()
    assert versions(USERS) == seen[-1]


def test_versions_of_several_tables_in_their_order_and_undeclared_tables_refused(make_user):
    if _postgresql():
        make_user("judge")
        db.session.commit()
        users, entries = versions(("users", "entries"))
        assert users > entries  # the users written last (the entries when the last test's tables were emptied)
        assert versions(("entries", "users")) == (entries, users)
    with pytest.raises(ValueError, match="audit_entries"):
        versions(("users", "audit_entries"))  # no trigger: a memory keyed by it would never see its changes


def test_every_declared_table_has_its_trigger_in_the_tests_database():
    assert {"entries", "score_sheets", "users", "administrative_units"} <= VERSIONED
    if _postgresql():
        assert {trigger_name(t) for t in VERSIONED} <= _triggers()


def test_the_migrations_put_a_trigger_on_every_declared_table(fresh_database_url):
    migrated = create_app({"SQLALCHEMY_DATABASE_URI": fresh_database_url, "TESTING": True, "SECRET_KEY": "k" * 32})
    with migrated.app_context():
        upgrade()
        try:
            if _postgresql():
                found = {name for name in _triggers() if name.endswith("_version")}
                assert found == {trigger_name(t) for t in VERSIONED}
                db.session.execute(text("UPDATE entries SET title = title WHERE false"))
                db.session.commit()
                assert versions(("entries",))[0] > 0
            else:
                assert versions(("entries",)) is None
        finally:
            db.session.remove()
            db.engine.dispose()
