"""Operators' commands: `flask seed-demo`, `flask demo-logins`, `flask create-admin`, `flask backup`,
`flask restore`, `flask translate ...`."""

from __future__ import annotations

import subprocess
import sys
from importlib import import_module

import click
from flask import Flask, current_app

from app.config import BASE_DIR
from app.extensions import db

#: Domain packages whose `demo.seed(context)` extends the demo data, in dependency order; a module's
#: `DEMO_LOGINS` ((email, name, role, note) of the accounts it adds) is printed by `flask demo-logins`.
DOMAIN_SEEDERS: list[str] = [
    "competitions.demo",
    "judging.demo",
    "forwarding.demo",
    "results.demo",
    "results.demo_history",
    "honors.demo",
    "events.demo",
]


def init_app(app: Flask) -> None:
    app.cli.add_command(seed_demo)
    app.cli.add_command(demo_logins)
    app.cli.add_command(create_admin)
    app.cli.add_command(backup)
    app.cli.add_command(restore)
    app.cli.add_command(translate)


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already holds accounts.")
def seed_demo(if_empty: bool) -> None:
    """Load realistic demo data (Vietnamese people, units and bodies)."""
    from app import demo

    if demo.has_data():
        if if_empty:
            click.echo("Demo data already loaded; nothing to do.")
            return
        raise click.ClickException("The database already holds data; seed-demo runs on an empty database.")
    context = demo.seed()
    for path in DOMAIN_SEEDERS:
        context = import_module(path).seed(context) or context
    db.session.commit()
    click.echo("Demo data loaded.")


@click.command("demo-logins")
def demo_logins() -> None:
    """Print one demo login per role, then the logins the domain seeders add."""
    from app.accounts.models import User
    from app.demo import DEMO_ACCOUNTS, DEMO_PASSWORD

    click.echo(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    logins = [
        (email, name, role, " (one district only)" if scope else "") for email, name, role, _org, scope in DEMO_ACCOUNTS
    ]
    for path in DOMAIN_SEEDERS:
        logins += getattr(import_module(path), "DEMO_LOGINS", [])
    for email, name, role, note in logins:
        if db.session.scalar(db.select(User.id).where(User.email == email)) is None:
            continue
        click.echo(f"  {role:<15} {email:<28} {name}{note}")


@click.command("create-admin")
@click.option("--email", prompt=True)
@click.option("--name", "full_name", prompt="Full name")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def create_admin(email: str, full_name: str, password: str) -> None:
    """Create an administrator account (or make an existing account one)."""
    from app.accounts.models import RoleGrant, User
    from app.accounts.passwords import password_problems
    from app.accounts.roles import ADMIN
    from app.accounts.services import find_by_email
    from app.audit.service import record

    problems = password_problems(password, email=email, full_name=full_name)
    if problems:
        raise click.ClickException(f"Password refused: {', '.join(problems)}")
    user = find_by_email(email)
    if user is None:
        user = User(email=email.strip().lower())
        user.set_name(full_name)
        db.session.add(user)
    user.set_password(password)
    if not any(g.role == ADMIN and g.scope_type is None for g in user.role_grants):
        user.role_grants.append(RoleGrant(role=ADMIN))
    db.session.flush()
    record("role.grant", user, after={"role": ADMIN, "scope_type": None, "scope_id": None}, actor="cli")
    db.session.commit()
    click.echo(f"{user.email} is an administrator.")


@click.command("backup")
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False), help="The archive to write (default: instance/backups/)."
)
def backup(output: str | None) -> None:
    """Back up the database and the uploaded files into one archive (safe while the application runs)."""
    from pathlib import Path

    from app import backup as backups

    target = Path(output) if output else Path(current_app.instance_path) / "backups" / backups.default_name()
    try:
        manifest = backups.backup(
            current_app.config["SQLALCHEMY_DATABASE_URI"],
            current_app.config["UPLOAD_DIR"],
            target,
            revision=_schema_revision(),
        )
    except backups.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    uploads = sum(1 for name in manifest.files if name.startswith(backups.UPLOADS + "/"))
    click.echo(
        f"Backup written: {target} ({target.stat().st_size:,} bytes, {manifest.backend}, {uploads} uploaded files)"
    )


@click.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore(archive: str, yes: bool) -> None:
    """Replace the database and the uploaded files with those of a backup archive."""
    from app import backup as backups

    try:
        manifest = backups.read_manifest(archive)
    except backups.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Backup of {manifest.created_at} ({manifest.backend}, schema {manifest.revision or 'unknown'}).")
    if not yes:
        click.confirm("Every record and uploaded file now here will be replaced. Go on?", abort=True)
    db.session.remove()
    db.engine.dispose()
    try:
        backups.restore(current_app.config["SQLALCHEMY_DATABASE_URI"], current_app.config["UPLOAD_DIR"], archive)
    except backups.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    current = _schema_revision()
    click.echo(f"Restored from {archive}.")
    if current != _head_revision():
        click.echo("The backup's schema is older than this version of sangtao: run `flask db upgrade` now.")


def _schema_revision() -> str | None:
    from alembic.migration import MigrationContext

    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config()).get_current_head()


@click.group()
def translate() -> None:
    """Interface translations (pybabel): extract, update, compile, init LANG."""


def _pybabel(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], check=True, cwd=BASE_DIR)


POT = "translations/messages.pot"


@translate.command()
def extract() -> None:
    """Collect every wrapped string into translations/messages.pot."""
    (BASE_DIR / "translations").mkdir(exist_ok=True)
    _pybabel("extract", "-F", "babel.cfg", "-k", "_l", "--no-location", "--sort-output", "-o", POT, ".")


@translate.command()
def update() -> None:
    """Extract, then merge new strings into every language's catalogue."""
    extract.callback()  # type: ignore[misc]
    _pybabel("update", "-i", POT, "-d", "translations", "-w", "120", "--no-fuzzy-matching", "--ignore-obsolete")


@translate.command()
def compile() -> None:
    """Compile the catalogues for the running application."""
    _pybabel("compile", "-d", "translations")


@translate.command()
@click.argument("lang")
def init(lang: str) -> None:
    """Start a catalogue for a new language."""
    extract.callback()  # type: ignore[misc]
    _pybabel("init", "-i", POT, "-d", "translations", "-l", lang)
    current_app.logger.info("catalogue for %s created", lang)
