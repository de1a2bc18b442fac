"""`flask backup` and `flask restore`: a round trip gives back identical data (every table, row for row, and every
uploaded file), on SQLite and on PostgreSQL; a damaged, foreign or other-database archive changes nothing."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from dataclasses import asdict
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import MetaData, select, text

from app import backup as backups
from app import create_app
from app import demo as foundation_demo
from app.accounts.models import User
from app.extensions import db
from app.table_versions import versions
from competitions import demo as competitions_demo
from tests.conftest import settings_for_tests


@pytest.fixture
def fresh_app(fresh_database_url, tmp_path):
    settings = {"SQLALCHEMY_DATABASE_URI": fresh_database_url, "UPLOAD_DIR": str(tmp_path / "uploads")}
    application = create_app(settings_for_tests() | settings)
    with application.app_context():
        upgrade()  # the schema an operator has: built by the migrations
        application.demo_context = foundation_demo.seed()
        db.session.commit()
        yield application
        db.session.remove()
        db.engine.dispose()


def everything(application) -> dict[str, list[tuple]]:
    """Every row of every table (the migrations' own included), in a stable order."""
    metadata = MetaData()
    metadata.reflect(db.engine)
    with db.engine.connect() as conn:
        return {
            name: sorted(tuple(map(repr, row)) for row in conn.execute(select(table)))
            for name, table in metadata.tables.items()
        }


def files(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def invoke(application, *args: str):
    return application.test_cli_runner().invoke(args=list(args))


def test_a_round_trip_gives_back_identical_data(fresh_app, tmp_path):
    competitions_demo.seed(fresh_app.demo_context)  # entries with uploaded documents
    db.session.commit()
    uploads = Path(fresh_app.config["UPLOAD_DIR"])
    before, uploaded = everything(fresh_app), files(uploads)
    assert uploaded, "the demo entries' documents are uploaded files"
    assert sum(len(rows) for rows in before.values()) > 100
    archive = tmp_path / "backup.tar"

    result = invoke(fresh_app, "backup", "--output", str(archive))
    assert result.exit_code == 0, result.output
    assert "Backup written" in result.output
    manifest = backups.read_manifest(archive)
    assert manifest.backend == db.engine.dialect.name
    assert manifest.revision is not None

    # Work after the backup: rows changed, removed and added, a file lost and a stray one written.
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE organisations SET name = 'Đổi tên sau sao lưu'"))
        conn.execute(text("DELETE FROM audit_entries"))
    db.session.add(User(email="moi@example.vn", full_name="Người Mới", password_hash="x"))
    db.session.commit()
    lost = next(p for p in uploads.rglob("*") if p.is_file())
    lost.unlink()
    (uploads / "stray.txt").write_text("không thuộc bản sao lưu")
    assert everything(fresh_app) != before

    result = invoke(fresh_app, "restore", str(archive), "--yes")
    assert result.exit_code == 0, result.output

    assert everything(fresh_app) == before
    assert files(uploads) == uploaded
    kept = [p for p in uploads.parent.iterdir() if p.name.startswith("uploads.before-restore-")]
    assert len(kept) == 1 and (kept[0] / "stray.txt").exists(), "the replaced uploads are kept beside"
    # The restored database goes on working: new rows get fresh keys (sequences restored too), and on PostgreSQL
    # the tables' version triggers are back (a write changes the version the backup held).
    restored_version = versions(("users",))
    db.session.add(User(email="sau@example.vn", full_name="Người Sau", password_hash="x"))
    db.session.commit()
    assert versions(("users",)) != restored_version or restored_version is None
    assert db.session.scalar(select(User.id).where(User.email == "sau@example.vn")) > max(
        db.session.scalars(select(User.id).where(User.email != "sau@example.vn"))
    )


def test_a_damaged_archive_changes_nothing(fresh_app, tmp_path):
    archive = tmp_path / "backup.tar"
    assert invoke(fresh_app, "backup", "--output", str(archive)).exit_code == 0
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name.startswith("database."):
                data = data[:-64] + bytes(64)
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    before = everything(fresh_app)
    result = invoke(fresh_app, "restore", str(damaged), "--yes")
    assert result.exit_code != 0
    assert "damaged" in result.output and "nothing was restored" in result.output
    assert everything(fresh_app) == before


def test_foreign_archives_are_refused(fresh_app, tmp_path):
    not_a_backup = tmp_path / "notes.tar"
    with tarfile.open(not_a_backup, "w") as tar:
        tar.add(__file__, arcname="notes.py")
    result = invoke(fresh_app, "restore", str(not_a_backup), "--yes")
    assert result.exit_code != 0 and "not a sangtao backup" in result.output

    other = "postgresql" if db.engine.dialect.name == "sqlite" else "sqlite"
    archive = tmp_path / "other.tar"
    assert invoke(fresh_app, "backup", "--output", str(archive)).exit_code == 0
    manifest = backups.read_manifest(archive)
    manifest.backend = other
    with pytest.raises(backups.BackupError, match=f"holds a {other} database"):
        backups.restore(fresh_app.config["SQLALCHEMY_DATABASE_URI"], tmp_path / "u", _rewritten(archive, manifest))


def test_restore_asks_first(fresh_app, tmp_path):
    archive = tmp_path / "backup.tar"
    assert invoke(fresh_app, "backup", "--output", str(archive)).exit_code == 0
    before = everything(fresh_app)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE organisations SET name = 'Đổi tên sau sao lưu'"))
    changed = everything(fresh_app)
    result = fresh_app.test_cli_runner().invoke(args=["restore", str(archive)], input="n\n")
    assert result.exit_code != 0 and "Aborted" in result.output
    assert everything(fresh_app) == changed != before


def _rewritten(archive: Path, manifest: backups.Manifest) -> Path:
    target = archive.with_name("rewritten.tar")
    with tarfile.open(archive) as source, tarfile.open(target, "w") as out:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == backups.MANIFEST:
                data = json.dumps(asdict(manifest)).encode()
                member.size = len(data)
            out.addfile(member, io.BytesIO(data))
    return target
