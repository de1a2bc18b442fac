"""Fixtures: one application and database per test session (SQLite file, or TEST_DATABASE_URL for
PostgreSQL), emptied after every test; a client, account factories, log-in-as, and a SQL query counter."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

from app import create_app
from app.accounts.models import RoleGrant, User
from app.extensions import db, limiter
from app.remembered import forget_all

PASSWORD = "Mật-khẩu-thử-2026"
ROLES_FOR_MATRIX = ("contestant", "judge", "organizer", "nominator", "council_member", "checkin", "admin")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    uploads = str(tmp_path_factory.mktemp("uploads"))
    exports = str(tmp_path_factory.mktemp("exports"))
    application = create_app(
        settings_for_tests() | {"SQLALCHEMY_DATABASE_URI": database_url, "UPLOAD_DIR": uploads, "EXPORT_DIR": exports}
    )
    with application.app_context():
        db.drop_all()
        db.create_all()
        db.session.remove()
    yield application
    with application.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def fresh_database_url(database_url: str, tmp_path) -> Iterator[str]:
    """An empty database of the kind under test, of its own, dropped afterwards (for migrations and backups)."""
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        return
    name = f"sangtao_fresh_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def settings_for_tests() -> dict:
    from app.config import TestingConfig

    return {k: getattr(TestingConfig, k) for k in dir(TestingConfig) if k.isupper() and k != "SQLALCHEMY_DATABASE_URI"}


@pytest.fixture(autouse=True)
def _app_context(app: Flask) -> Iterator[None]:
    """Each test runs in an application context and leaves every table empty. The limiter is one object for every
    app: an app a test builds with limits off (RATELIMIT_ENABLED False) must not turn them off for later tests."""
    limiter.enabled = app.config["RATELIMIT_ENABLED"]
    forget_all()  # nothing a test sees comes from what an earlier test had the worker remember
    with app.app_context():
        yield
        db.session.remove()
        _empty_tables()
    limiter.reset()


def _empty_tables() -> None:
    tables = list(reversed(db.metadata.sorted_tables))
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(table.delete())


class IsolatedClient(FlaskClient):
    """A test client whose every request runs in its own application context, as in production.

    Flask reuses an application context that is already pushed (the test's own), which would share `g`
    and the database session between the test and the request and hide missing commits.
    """

    def open(self, *args, **kwargs):
        from flask.globals import _cv_app

        token = _cv_app.set(None)  # type: ignore[arg-type]
        try:
            return super().open(*args, **kwargs)
        finally:
            _cv_app.reset(token)
            if _cv_app.get(None) is not None:
                db.session.expire_all()  # the test sees what the request committed


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    app.test_client_class = IsolatedClient
    return app.test_client()


@pytest.fixture
def make_user() -> Callable[..., User]:
    """Create (and commit) an account: make_user("judge"), make_user(email=..., scope=("organisation", 3))."""
    counter = {"n": 0}

    def factory(
        *roles: str,
        email: str | None = None,
        full_name: str = "Nguyễn Văn An",
        password: str = PASSWORD,
        scope: tuple[str, int] | None = None,
        active: bool = True,
        organisation_id: int | None = None,
    ) -> User:
        counter["n"] += 1
        user = User(
            email=email or f"user{counter['n']}@example.vn", is_active_account=active, organisation_id=organisation_id
        )
        user.set_name(full_name)
        user.set_password(password)
        for role in roles:
            user.role_grants.append(
                RoleGrant(role=role, scope_type=scope[0] if scope else None, scope_id=scope[1] if scope else None)
            )
        db.session.add(user)
        db.session.commit()
        return user

    return factory


@pytest.fixture
def login_as(client: FlaskClient) -> Callable[[User | None], FlaskClient]:
    """Make the client's session belong to `user` (None logs out)."""

    def login(user: User | None) -> FlaskClient:
        with client.session_transaction() as session:
            session.clear()
            if user is not None:
                session["_user_id"] = str(user.id)
                session["_fresh"] = True
        return client

    return login


@pytest.fixture
def count_queries() -> Callable:
    """`with count_queries() as counted: ...` then `counted.n` is the number of SQL statements run."""

    @contextmanager
    def counter():
        class Counted:
            n = 0
            statements: list[str] = []

        counted = Counted()
        counted.statements = []

        def before(conn, cursor, statement, parameters, context, executemany):
            counted.n += 1
            counted.statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", before)
        try:
            yield counted
        finally:
            event.remove(db.engine, "before_cursor_execute", before)

    return counter


def outbox() -> list:
    from app.mail.models import MailMessage

    return list(db.session.scalars(db.select(MailMessage).order_by(MailMessage.id)))


@pytest.fixture(scope="session", autouse=True)
def _compiled_translations() -> None:
    """Compile each translations/*/LC_MESSAGES/*.po whose .mo is missing or older, so `pytest` works without make."""
    from pathlib import Path

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    from app.config import BASE_DIR

    for po in Path(BASE_DIR, "translations").glob("*/LC_MESSAGES/*.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as f:
            catalog = read_po(f, locale=po.parent.parent.name)
        partial = mo.with_name(f"{mo.name}.{os.getpid()}.tmp")
        with partial.open("wb") as f:
            write_mo(f, catalog)
        partial.replace(mo)
