"""Prepared exports (`app.jobs`): asked, built, shown and downloaded by the account that asked alone; a failed or
stopped build says why and can be asked again; a double click prepares once; old files go; the file is in the
asker's language; and a real build in a process of its own, as production runs it."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.jobs import service
from app.jobs.models import ExportJob
from app.timefmt import utcnow

FAILURES: list[Exception] = []


def _build(params: dict) -> bytes:
    if FAILURES:
        raise FAILURES.pop()
    return f"{params['n']} {_('Yes')}".encode()


@pytest.fixture
def kind():
    """A kind of its own: the file says its number and "Yes" in the asker's language; only organizers may have it."""
    registered = service.register(
        service.ExportKind("tests.echo", _build, lambda account, params: account.can("manage_contest"))
    )
    yield registered
    service.KINDS.pop(registered.name)
    FAILURES.clear()


def ask(app, user, n=1, locale="vi"):
    with app.test_request_context(f"/?lang={locale}"):
        from flask import session

        session["lang"] = locale
        return service.request_export(
            "tests.echo",
            {"n": n},
            filename=f"Tệp số {n}.txt",
            mimetype="text/plain",
            back_url="/results/manage/1/exports",
            by=user,
        )


def test_the_asker_sees_it_ready_and_downloads_it(app, kind, client, make_user, login_as):
    organizer = make_user("organizer")
    job = ask(app, organizer, 7)
    page = login_as(organizer).get(f"/exports/{job.id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert 'data-state="done"' in text and "Tệp số 7.txt" in text and "Sẵn sàng" in text
    assert 'http-equiv="refresh"' not in text  # nothing left to wait for
    assert 'href="/results/manage/1/exports"' in text
    file = client.get(f"/exports/{job.id}/download")
    assert file.status_code == 200 and file.data == "7 Có".encode()
    assert file.mimetype == "text/plain"
    assert file.headers.getlist("Cache-Control") == ["private, no-store"]  # the view's own, not doubled
    assert len(file.headers.getlist("Content-Security-Policy")) == 1
    assert "filename*=UTF-8''T%E1%BB%87p" in file.headers["Content-Disposition"]
    stored = db.session.get(ExportJob, job.id)
    assert stored.status == "done" and stored.size == len(file.data) and stored.finished_at is not None


def test_it_is_written_in_the_askers_language(app, kind, client, make_user, login_as):
    organizer = make_user("organizer")
    job = ask(app, organizer, 2, locale="en")
    assert login_as(organizer).get(f"/exports/{job.id}/download").data == b"2 Yes"


def test_nobody_else_sees_it(app, kind, client, make_user, login_as):
    organizer = make_user("organizer", email="a@example.vn")
    job = ask(app, organizer)
    other = make_user("organizer", email="b@example.vn")
    login_as(other)
    assert client.get(f"/exports/{job.id}").status_code == 404
    assert client.get(f"/exports/{job.id}/download").status_code == 404
    assert client.post(f"/exports/{job.id}/again").status_code == 404
    login_as(None)
    assert "/account/login" in client.get(f"/exports/{job.id}/download").headers["Location"]
    assert client.get("/exports/99999").status_code in (302, 404)


def test_an_asker_who_lost_the_role_cannot_fetch_it(app, kind, client, make_user, login_as):
    organizer = make_user("organizer")
    job = ask(app, organizer)
    for grant in list(organizer.role_grants):
        db.session.delete(grant)
    db.session.commit()
    login_as(organizer)
    assert client.get(f"/exports/{job.id}").status_code == 404
    assert client.get(f"/exports/{job.id}/download").status_code == 404


def test_a_failed_build_says_so_and_can_be_asked_again(app, kind, client, make_user, login_as):
    organizer = make_user("organizer")
    FAILURES.append(RuntimeError("disk full"))
    job = ask(app, organizer, 3)
    page = login_as(organizer).get(f"/exports/{job.id}")
    text = page.get_data(as_text=True)
    assert 'data-state="failed"' in text and "Chuẩn bị tệp không thành công" in text
    assert "disk full" not in text  # the reason is for the log, not the page
    assert client.get(f"/exports/{job.id}/download").status_code == 404
    assert not service.file_path(job).exists()
    again = client.post(f"/exports/{job.id}/again")
    assert again.status_code == 302
    fresh = db.session.scalar(select(ExportJob).where(ExportJob.id != job.id))
    assert again.headers["Location"].endswith(f"/exports/{fresh.id}")
    assert fresh.params == {"n": 3} and fresh.filename == "Tệp số 3.txt" and fresh.status == "done"
    assert client.get(f"/exports/{fresh.id}/download").data == "3 Có".encode()


def test_what_it_was_asked_for_gone_is_told(app, kind, client, make_user, login_as):
    organizer = make_user("organizer")
    FAILURES.append(LookupError("no round 5"))
    job = ask(app, organizer)
    text = login_as(organizer).get(f"/exports/{job.id}").get_data(as_text=True)
    assert "không còn nữa" in text


def test_while_it_is_prepared_the_page_looks_again(app, kind, client, make_user, login_as):
    organizer = make_user("organizer")
    job = ExportJob(
        kind="tests.echo", params={"n": 1}, filename="a.txt", mimetype="text/plain",
        requested_by_id=organizer.id, status="running", started_at=utcnow(),
    )  # fmt: skip
    db.session.add(job)
    db.session.commit()
    text = login_as(organizer).get(f"/exports/{job.id}").get_data(as_text=True)
    assert 'data-state="running"' in text and '<meta http-equiv="refresh" content="3">' in text
    assert "Đang chuẩn bị" in text
    assert client.get(f"/exports/{job.id}/download").status_code == 404


def test_a_double_click_prepares_it_once(app, kind, make_user):
    organizer = make_user("organizer")
    waiting = ExportJob(
        kind="tests.echo", params={"n": 4}, filename="a.txt", mimetype="text/plain",
        requested_by_id=organizer.id, status="queued",
    )  # fmt: skip
    db.session.add(waiting)
    db.session.commit()
    assert ask(app, organizer, 4).id == waiting.id
    assert ask(app, organizer, 5).id != waiting.id  # another file is another job
    assert db.session.get(ExportJob, waiting.id).status == "queued"  # not built twice


def lifeless() -> timedelta:
    """Longer than a build may go without a sign of life."""
    return timedelta(seconds=current_app.config["EXPORT_HEARTBEAT_SECONDS"] * service.LIVENESS_BEATS + 1)


def test_a_build_whose_process_died_shows_as_stopped(app, kind, client, make_user, login_as):
    organizer = make_user("organizer")
    started = utcnow() - timedelta(hours=1)
    job = ExportJob(
        kind="tests.echo", params={"n": 1}, filename="a.txt", mimetype="text/plain",
        requested_by_id=organizer.id, status="running", created_at=started, started_at=started,
        heartbeat_at=utcnow() - lifeless(),
    )  # fmt: skip
    db.session.add(job)
    db.session.commit()
    service.file_path(job).parent.mkdir(parents=True, exist_ok=True)
    service.file_path(job).with_suffix(".part").write_bytes(b"half")  # what a killed build leaves
    text = login_as(organizer).get(f"/exports/{job.id}").get_data(as_text=True)
    assert 'data-state="failed"' in text and "bị dừng" in text and "refresh" not in text
    assert client.get(f"/exports/{job.id}/download").status_code == 404
    # asked again: a new build, not the stopped one given back
    assert ask(app, organizer, 1).id != job.id


def test_a_long_build_that_still_beats_is_alive_and_one_never_started_is_not(app, kind, make_user):
    organizer = make_user("organizer")
    long_ago = utcnow() - timedelta(hours=1)
    common = {"kind": "tests.echo", "filename": "a.txt", "mimetype": "text/plain"}
    beating = ExportJob(
        **common, params={"n": 1}, requested_by_id=organizer.id, status="running", created_at=long_ago,
        started_at=long_ago, heartbeat_at=utcnow(),
    )  # fmt: skip
    never_started = ExportJob(
        **common, params={"n": 2}, requested_by_id=organizer.id, status="queued", created_at=utcnow() - lifeless()
    )
    just_asked = ExportJob(**common, params={"n": 3}, requested_by_id=organizer.id, status="queued")
    db.session.add_all([beating, never_started, just_asked])
    db.session.commit()
    assert [service.state(j) for j in (beating, never_started, just_asked)] == ["running", "failed", "queued"]
    assert service.error_code(never_started) == "stopped"


def test_a_build_writes_its_sign_of_life_while_it_runs(app, make_user):
    """The heartbeat is written by a thread of its own while the build works (here a build of 0.5 s, beats every
    0.05 s)."""

    def slow(params: dict) -> bytes:
        time.sleep(0.5)
        return b"ok"

    service.register(service.ExportKind("tests.slow", slow, lambda account, params: True))
    every = app.config["EXPORT_HEARTBEAT_SECONDS"]
    app.config["EXPORT_HEARTBEAT_SECONDS"] = 0.05
    try:
        organizer = make_user("organizer")
        with app.test_request_context():
            job = service.request_export(
                "tests.slow", {}, filename="a.txt", mimetype="text/plain", back_url="", by=organizer
            )
    finally:
        app.config["EXPORT_HEARTBEAT_SECONDS"] = every
        service.KINDS.pop("tests.slow")
    stored = db.session.get(ExportJob, job.id)
    assert stored.status == "done" and stored.heartbeat_at - stored.started_at >= timedelta(seconds=0.2)


def test_old_exports_go_with_their_files(app, kind, make_user):
    organizer = make_user("organizer")
    old = ask(app, organizer, 1)
    path = service.file_path(old)
    assert path.exists()
    old.created_at = utcnow() - timedelta(hours=25)
    db.session.commit()
    recent = ask(app, organizer, 2)
    assert db.session.scalars(select(ExportJob.params)).all() == [{"n": 2}]
    assert not path.exists()  # SQLite may give the new job the old one's id: never its file
    assert service.file_path(recent).exists()


def test_a_real_build_runs_in_a_process_of_its_own(app, client, login_as):
    """As production: `EXPORT_RUNNER` "process" (the results' workbook, a kind the spawned process knows)."""
    from tests.results.factories import make_judged

    judging = make_judged({1: [[20, 20, 30], [21, 20, 30]], 2: [[10, 10, 10], [12, 10, 10]]})
    login_as(judging.organizer)
    app.config["EXPORT_RUNNER"] = "process"
    try:
        asked = client.post(f"/results/manage/rounds/{judging.round.id}/workbook")
    finally:
        app.config["EXPORT_RUNNER"] = "inline"
    assert asked.status_code == 302
    job_id = int(asked.headers["Location"].rsplit("/", 1)[1])
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        db.session.expire_all()
        job = db.session.get(ExportJob, job_id)
        if job.status in ("done", "failed"):
            break
        time.sleep(0.2)
    assert job.status == "done", job.error
    assert job.started_at is not None and job.size > 0
    file = client.get(f"/exports/{job_id}/download")
    assert file.status_code == 200 and file.data[:2] == b"PK" and len(file.data) == job.size


def test_a_file_gone_from_the_folder_is_offered_again(app, kind, client, make_user, login_as):
    organizer = make_user("organizer")
    job = ask(app, organizer)
    service.file_path(job).unlink()  # a restored database, say, whose exports were not in the archive
    assert (service.state(job), service.error_code(job)) == ("failed", "missing")  # every page says the same
    text = login_as(organizer).get(f"/exports/{job.id}").get_data(as_text=True)
    assert 'data-state="failed"' in text and "không còn trên máy chủ" in text and "Chuẩn bị lại" in text
    assert client.get(f"/exports/{job.id}/download").status_code == 404


def test_the_language_outside_a_request_is_the_default(app):
    """A build's code that translates outside `force_locale` (or a command) gets Vietnamese, not an error."""
    assert _("Yes") == "Có"
