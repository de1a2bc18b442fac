"""The application factory: a short list of calls, each subsystem registering its own parts."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from app.config import BASE_DIR, CONFIGS, DEFAULT_SECRET_KEYS
from app.extensions import babel, csrf, db, limiter, login_manager, migrate

#: Domain packages, each one blueprint; registered here and only here (app/ knows no domain).
DOMAIN_BLUEPRINTS: list[str] = ["competitions", "judging", "results", "forwarding", "honors", "events", "reports"]


def create_app(config: str | type | dict | None = None) -> Flask:
    """Build the application. `config` is a name ("development", "testing", "production"), a class,
    or a dict of overrides on top of the FLASK_CONFIG environment choice."""
    app = Flask(
        __name__,
        instance_path=str(BASE_DIR / "instance"),
        template_folder=str(BASE_DIR / "templates"),
        static_folder=str(BASE_DIR / "static"),
    )
    overrides: dict = {}
    if isinstance(config, dict):
        overrides, config = config, None
    if config is None or isinstance(config, str):
        config = CONFIGS[config or os.environ.get("FLASK_CONFIG", "production")]
    app.config.from_object(config)
    app.config.update(overrides)
    _check_secret_key(app)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if app.config["PROXY_COUNT"]:
        n = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]

    register_extensions(app)
    from app import urls

    urls.init_app(app)
    register_blueprints(app)
    from app import errors, security, templating

    errors.init_app(app)
    security.init_app(app)
    templating.init_app(app)
    from app import cli

    cli.init_app(app)
    return app


def _check_secret_key(app: Flask) -> None:
    """Refuse to start outside debug and testing with a missing or placeholder key."""
    key = app.config.get("SECRET_KEY") or ""
    if app.debug and key in DEFAULT_SECRET_KEYS:
        # A newcomer's `make run`: a random key kept in instance/, never in the repository.
        path = Path(app.instance_path) / "secret_key"
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        app.config["SECRET_KEY"] = path.read_text().strip()
        return
    if not app.testing and (key in DEFAULT_SECRET_KEYS or len(key) < 16):
        raise RuntimeError(
            "SECRET_KEY is missing or a placeholder: set a long random value in the environment "
            "(python -c 'import secrets; print(secrets.token_urlsafe(48))')."
        )


def register_extensions(app: Flask) -> None:
    from app import table_versions  # noqa: F401  (the table and its PostgreSQL triggers)
    from app.accounts import models as account_models  # noqa: F401  (models known to Alembic)
    from app.audit import models as audit_models  # noqa: F401
    from app.i18n import install_template_gettext, select_locale, select_timezone
    from app.jobs import models as job_models  # noqa: F401
    from app.mail import models as mail_models  # noqa: F401
    from app.orgs import models as org_models  # noqa: F401

    db.init_app(app)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    install_template_gettext(app)
    limiter.init_app(app)

    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        from sqlalchemy import event

        with app.app_context():

            @event.listens_for(db.engine, "connect")
            def _sqlite_pragmas(dbapi_connection, _record):  # enforce foreign keys like PostgreSQL
                cursor = dbapi_connection.cursor()
                cursor.execute("PRAGMA foreign_keys=ON")
                cursor.close()


def register_blueprints(app: Flask) -> None:
    from importlib import import_module

    from app.accounts import admin_bp as accounts_admin_bp
    from app.accounts import bp as accounts_bp
    from app.api import bp as api_bp
    from app.audit import bp as audit_bp
    from app.jobs import bp as jobs_bp
    from app.mail import bp as mail_bp
    from app.main import bp as main_bp
    from app.orgs import bp as orgs_bp

    for bp in (main_bp, accounts_bp, accounts_admin_bp, audit_bp, orgs_bp, mail_bp, api_bp, jobs_bp):
        app.register_blueprint(bp)
    for path in DOMAIN_BLUEPRINTS:
        app.register_blueprint(import_module(path).bp)
