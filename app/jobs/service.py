"""Prepared downloads: what can be prepared (`register`), asking for one (`request_export`), building it
(`run`, in a process of its own: `launch`), and what its page shows (`state`).

A kind's `build` runs with an application context but no request, in the language of the account that asked, and
returns the file's bytes; its `allowed` is asked again at every look at the job, so that an account that lost
its role since asking cannot fetch the file. Files live in `EXPORT_DIR` (shared by every instance, as
`UPLOAD_DIR` is) and are removed with their job after `EXPORT_KEEP_HOURS`."""

from __future__ import annotations

import logging
import os
import pickle
import subprocess
import sys
import threading
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import force_locale, get_locale
from sqlalchemy import delete, select, update

from app.config import BASE_DIR
from app.extensions import db
from app.jobs.models import ExportJob
from app.timefmt import utcnow

log = logging.getLogger(__name__)

UNFINISHED = ("queued", "running")
#: Heartbeats missed before an unfinished job counts as stopped (`alive`).
LIVENESS_BEATS = 6


@dataclass(frozen=True)
class ExportKind:
    """What can be prepared: `build(params)` makes the file's bytes; `allowed(account, params)` says whether an
    account may have it (asked when it is requested and at every look at it since)."""

    name: str
    build: Callable[[dict], bytes]
    allowed: Callable[[Any, dict], bool]


KINDS: dict[str, ExportKind] = {}


def register(kind: ExportKind) -> ExportKind:
    KINDS[kind.name] = kind
    return kind


def request_export(kind: str, params: dict, *, filename: str, mimetype: str, back_url: str, by) -> ExportJob:
    """Ask for an export of `kind` for the account `by`: the job is stored (committed) and its build started
    (`launch`). The same export asked again by the same account while it is being prepared gives back that job
    (a double click prepares it once). Jobs older than `EXPORT_KEEP_HOURS` go first, files and all."""
    if kind not in KINDS:
        raise KeyError(f"no export kind {kind!r}")
    purge()
    for job in db.session.scalars(
        select(ExportJob).where(
            ExportJob.kind == kind, ExportJob.requested_by_id == by.id, ExportJob.status.in_(UNFINISHED)
        )
    ):
        if job.params == params and alive(job):
            return job
    job = ExportJob(
        kind=kind,
        params=params,
        filename=filename[:255],
        mimetype=mimetype,
        back_url=back_url[:500],
        locale=str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"]),
        requested_by_id=by.id,
        status="queued",
    )
    db.session.add(job)
    db.session.commit()
    launch(job.id)
    return job


def launch(job_id: int) -> None:
    """Start the job's build: in a new Python process (`EXPORT_RUNNER` "process", the default: its memory goes
    back to the system when it ends, no web worker waits for it, and a worker restarted meanwhile neither waits
    for it nor stops it), or at once in this one ("inline": tests). The process gets this application's settings
    on its standard input (`app.jobs.child`), never in its arguments or environment. A process that cannot be
    started leaves the job failed."""
    if current_app.config["EXPORT_RUNNER"] == "inline":
        run(job_id)
        return
    payload = pickle.dumps((_picklable(current_app.config), job_id))
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "app.jobs.child"], stdin=subprocess.PIPE, cwd=BASE_DIR, start_new_session=True
        )
        with process.stdin:  # type: ignore[union-attr]
            process.stdin.write(payload)  # type: ignore[union-attr]
    except OSError:
        log.exception("export %s: its process could not be started", job_id)
        _finish(job_id, "failed", error="not_started")
        return
    # Reaped when it ends, so that no finished build is left as a zombie of a long-lived web worker.
    threading.Thread(target=process.wait, name=f"export-{job_id}", daemon=True).start()


def _picklable(config) -> dict:
    out = {}
    for key, value in config.items():
        if key.isupper():
            try:
                pickle.dumps(value)
            except Exception:  # anything that cannot cross to the child stays behind
                continue
            out[key] = value
    return out


def run(job_id: int) -> bool:
    """Build a queued job: claimed first (so that two runners never build one job), its file written whole (a
    temporary name, then renamed), then marked done with its size; a build that raises leaves the job failed
    ("gone" when what it was asked for no longer exists) and the traceback in the log. Returns whether this call
    built it."""
    now = utcnow()
    claimed = db.session.execute(
        update(ExportJob)
        .where(ExportJob.id == job_id, ExportJob.status == "queued")
        .values(status="running", started_at=now, heartbeat_at=now)
    ).rowcount
    db.session.commit()
    if not claimed:
        return False
    job = db.session.get(ExportJob, job_id)
    kind = KINDS.get(job.kind) if job is not None else None
    if job is None or kind is None:
        _finish(job_id, "failed", error="failed")
        return False
    path = file_path(job)
    partial = path.with_suffix(".part")
    name = job.kind
    try:
        with force_locale(job.locale), _beating(job_id):
            data = kind.build(dict(job.params))
        db.session.rollback()  # what the build read is let go before the file is written
        path.parent.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(data)
        os.replace(partial, path)
    except Exception as exc:
        db.session.rollback()
        partial.unlink(missing_ok=True)
        if not isinstance(exc, LookupError):
            log.exception("export %s (%s) failed", job_id, name)
        _finish(job_id, "failed", error="gone" if isinstance(exc, LookupError) else "failed")
        return False
    _finish(job_id, "done", size=len(data))
    return True


def _finish(job_id: int, status: str, *, size: int | None = None, error: str = "") -> None:
    db.session.execute(
        update(ExportJob)
        .where(ExportJob.id == job_id)
        .values(status=status, finished_at=utcnow(), size=size, error=error)
    )
    db.session.commit()


@contextmanager
def _beating(job_id: int) -> Iterator[None]:
    """While the build runs, its row's `heartbeat_at` is written every `EXPORT_HEARTBEAT_SECONDS` (by a thread,
    on a connection of its own), so that a build whose process died is known soon (`alive`)."""
    engine, every = db.engine, current_app.config["EXPORT_HEARTBEAT_SECONDS"]
    jobs = ExportJob.__table__
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(every):
            try:
                with engine.begin() as connection:
                    connection.execute(update(jobs).where(jobs.c.id == job_id).values(heartbeat_at=utcnow()))
            except Exception:  # a beat missed (SQLite busy, say) is made up by the next one
                log.warning("export %s: heartbeat not written", job_id, exc_info=True)

    thread = threading.Thread(target=beat, name=f"export-{job_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def alive(job: ExportJob) -> bool:
    """Whether an unfinished job is still on its way: queued, and asked less than `LIVENESS_BEATS` heartbeats ago
    (its process is starting); running, and its last heartbeat less than that long ago. A process killed (a
    restart, an out-of-memory kill) stops beating, and its job shows as stopped within a minute."""
    last = job.heartbeat_at or job.started_at or job.created_at
    patience = timedelta(seconds=current_app.config["EXPORT_HEARTBEAT_SECONDS"] * LIVENESS_BEATS)
    return job.status in UNFINISHED and last > utcnow() - patience


def state(job: ExportJob) -> str:
    """The job's status as every page shows it: an unfinished job no longer `alive` has stopped, and a done one
    whose file is gone from the folder (removed by hand, a restored database) cannot be had: both show as
    failed (`error_code` says why)."""
    if job.status in UNFINISHED and not alive(job):
        return "failed"
    if job.status == "done" and not file_path(job).is_file():
        return "failed"
    return job.status


def error_code(job: ExportJob) -> str:
    """Why the job shows as failed: "gone", "not_started", "failed", "stopped" or "missing" (see `state`)."""
    if job.status in UNFINISHED:
        return "stopped"
    if job.status == "done":
        return "missing"
    return job.error or "failed"


def recent(account, kinds: Collection[str], matches: Callable[[dict], bool], limit: int = 10) -> list[ExportJob]:
    """The account's latest jobs of `kinds` whose params `matches` (a page lists its own exports), newest first:
    one query, whatever the number kept."""
    jobs = db.session.scalars(
        select(ExportJob)
        .where(ExportJob.requested_by_id == account.id, ExportJob.kind.in_(list(kinds)))
        .order_by(ExportJob.created_at.desc(), ExportJob.id.desc())
        .limit(limit * 4)
    )
    return [job for job in jobs if matches(job.params)][:limit]


def file_path(job: ExportJob) -> Path:
    return Path(current_app.config["EXPORT_DIR"]) / f"{job.id}-{job.file_key}.export"


def for_account(job_id: int, account) -> tuple[ExportJob, ExportKind] | None:
    """The job when `account` asked for it and may still have it, with its kind; else None."""
    job = db.session.get(ExportJob, job_id)
    if job is None or job.requested_by_id != account.id:
        return None
    kind = KINDS.get(job.kind)
    if kind is None or not kind.allowed(account, dict(job.params)):
        return None
    return job, kind


def purge() -> int:
    """Remove the jobs asked more than `EXPORT_KEEP_HOURS` ago, and their files. Returns how many."""
    cutoff = utcnow() - timedelta(hours=current_app.config["EXPORT_KEEP_HOURS"])
    old = list(db.session.scalars(select(ExportJob).where(ExportJob.created_at < cutoff)))
    for job in old:
        file_path(job).unlink(missing_ok=True)
    if old:
        db.session.execute(delete(ExportJob).where(ExportJob.id.in_([job.id for job in old])))
    return len(old)
