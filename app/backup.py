"""Backups of the database and the uploaded files as one tar archive, and their restoration.

SQLite is copied with SQLite's online backup API, a consistent copy even while the application writes (a plain
file copy can catch a half-written page); PostgreSQL with `pg_dump` in its custom format, restored with
`pg_restore` in one transaction. The archive holds `manifest.json` (format, database kind, schema revision, time,
SHA-256 of every member), the database (`database.sqlite3` or `database.pgdump`) and `uploads/`.

Restoring checks the manifest and every checksum before it touches anything, refuses an archive of the other
database kind, and keeps the uploads it replaces beside the new ones (`<uploads>.before-restore-<time>`).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import URL, make_url

FORMAT = "sangtao-backup/1"
MANIFEST = "manifest.json"
UPLOADS = "uploads"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class BackupError(RuntimeError):
    """A backup or restoration that cannot go ahead; the message says why, for an operator."""


@dataclass
class Manifest:
    format: str
    backend: str
    revision: str | None
    created_at: str
    files: dict[str, str] = field(default_factory=dict)  # member name -> SHA-256

    @property
    def database_file(self) -> str:
        return DATABASE_FILES[self.backend]


def backend_of(database_url: str) -> str:
    backend = make_url(database_url).get_backend_name()
    if backend not in DATABASE_FILES:
        raise BackupError(f"backups support SQLite and PostgreSQL, not {backend}")
    return backend


def default_name(now: datetime | None = None) -> str:
    return f"sangtao-{(now or datetime.now(UTC)).strftime('%Y%m%d-%H%M%S')}.tar"


def backup(database_url: str, upload_dir: str | Path, target: str | Path, *, revision: str | None = None) -> Manifest:
    """Write the archive to `target` (written beside it first, then renamed: never a half archive)."""
    backend = backend_of(database_url)
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    manifest = Manifest(FORMAT, backend, revision, datetime.now(UTC).isoformat(timespec="seconds"))
    with tempfile.TemporaryDirectory(prefix="sangtao-backup-") as work:
        dump = Path(work) / manifest.database_file
        if backend == "sqlite":
            _sqlite_copy(_sqlite_path(database_url), dump)
        else:
            _run("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", "--file", str(dump)], database_url)
        manifest.files[manifest.database_file] = _sha256(dump)
        uploads = Path(upload_dir)
        members = sorted(p for p in uploads.rglob("*") if p.is_file()) if uploads.is_dir() else []
        for path in members:
            manifest.files[f"{UPLOADS}/{path.relative_to(uploads).as_posix()}"] = _sha256(path)
        partial = target.with_name(target.name + ".partial")
        with tarfile.open(partial, "w") as tar:
            _add_bytes(tar, MANIFEST, json.dumps(asdict(manifest), ensure_ascii=False, indent=1).encode())
            tar.add(dump, arcname=manifest.database_file)
            for path in members:
                tar.add(path, arcname=f"{UPLOADS}/{path.relative_to(uploads).as_posix()}")
        partial.replace(target)
    return manifest


def read_manifest(source: str | Path) -> Manifest:
    try:
        with tarfile.open(source) as tar:
            member = tar.extractfile(MANIFEST)
            data = json.loads(member.read()) if member else None
    except (tarfile.TarError, KeyError, OSError, ValueError) as exc:
        raise BackupError(f"{source} is not a sangtao backup ({exc})") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("backend") not in DATABASE_FILES:
        raise BackupError(f"{source} is not a sangtao backup of format {FORMAT}")
    return Manifest(**data)


def restore(database_url: str, upload_dir: str | Path, source: str | Path) -> Manifest:
    """Put the archive's data back: the database first (in one transaction on PostgreSQL), then the uploads.

    The caller must have closed its own connections (SQLAlchemy's `engine.dispose()`)."""
    manifest = read_manifest(source)
    backend = backend_of(database_url)
    if manifest.backend != backend:
        raise BackupError(f"this backup holds a {manifest.backend} database; the application uses {backend}")
    with tempfile.TemporaryDirectory(prefix="sangtao-restore-") as work:
        with tarfile.open(source) as tar:
            tar.extractall(work, filter="data")
        for name, digest in manifest.files.items():
            path = Path(work) / name
            if not path.is_file() or _sha256(path) != digest:
                raise BackupError(f"{name} is missing or damaged in {source}: nothing was restored")
        dump = Path(work) / manifest.database_file
        if backend == "sqlite":
            _sqlite_copy(dump, _sqlite_path(database_url))
        else:
            options = ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction"]
            _run("pg_restore", [*options, "--exit-on-error", str(dump)], database_url)
        _swap_uploads(Path(work) / UPLOADS, Path(upload_dir))
    return manifest


def _swap_uploads(restored: Path, uploads: Path) -> None:
    if uploads.exists():
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        uploads.rename(uploads.with_name(f"{uploads.name}.before-restore-{stamp}"))
    uploads.parent.mkdir(parents=True, exist_ok=True)
    if restored.is_dir():
        shutil.copytree(restored, uploads)
    else:
        uploads.mkdir()


def _sqlite_path(database_url: str) -> Path:
    name = make_url(database_url).database
    if not name or name == ":memory:":
        raise BackupError("an in-memory SQLite database has nothing to back up")
    return Path(name)


def _sqlite_copy(source: Path, target: Path) -> None:
    """Page by page through SQLite's backup API, then an integrity check of the copy."""
    if not source.is_file():
        raise BackupError(f"no SQLite database at {source}")
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
        (result,) = dst.execute("PRAGMA integrity_check").fetchone()
    finally:
        dst.close()
        src.close()
    if result != "ok":
        raise BackupError(f"the copy of {source} failed SQLite's integrity check: {result}")


def _run(program: str, options: list[str], database_url: str) -> None:
    """Run a PostgreSQL client with the connection in libpq's form; the password goes through the environment,
    never on a command line other processes can read."""
    url: URL = make_url(database_url)
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    dsn = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    try:
        done = subprocess.run([program, "--dbname", dsn, *options], env=env, capture_output=True, text=True)
    except FileNotFoundError as exc:
        raise BackupError(f"{program} is not installed (Debian: apt-get install postgresql-client)") from exc
    if done.returncode != 0:
        raise BackupError(f"{program} failed: {done.stderr.strip() or done.returncode}")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.now(UTC).timestamp())
    tar.addfile(info, io.BytesIO(data))
