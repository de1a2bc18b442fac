"""Several instances: two gunicorn servers on different loopback ports share one PostgreSQL database and Redis, as
docs/deployment.md sets them up. 200 concurrent scans of 50 passes spread over both check each pass in exactly once;
the login rate limit holds across both; a score sheet submitted on one is seen on the other; an export asked of
one is built in the shared folder and downloaded from the other.

Runs on PostgreSQL (the production database; SQLite is one file for one server) with Redis at 127.0.0.1:6379,
database 15, emptied first.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from decimal import Decimal

import pytest
import requests
from flask import current_app
from sqlalchemy import func, select

from app.accounts import services as accounts
from app.config import BASE_DIR
from app.extensions import db

REDIS_URL = "redis://127.0.0.1:6379/15"
SECRET = "instances-test-" + "k" * 40
PASSWORD = "Mật-khẩu-thử-2026"


@pytest.fixture
def postgres(database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("several instances share a PostgreSQL database (this run uses SQLite)")
    import redis

    try:
        redis.Redis.from_url(REDIS_URL).flushdb()
    except redis.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    return database_url


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def two_instances(database_url: str, tmp_path):
    """Two gunicorn servers (2 workers each), as in production, on their own ports; yields their base URLs."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "TEST_"))}
    env |= {
        "FLASK_CONFIG": "production",
        "SECRET_KEY": SECRET,
        "DATABASE_URL": database_url,
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "LOGIN_RATE_LIMIT": "6 per minute",
        "UPLOAD_DIR": str(tmp_path / "uploads"),
        "EXPORT_DIR": str(tmp_path / "exports"),
        "MAIL_SERVER": "",
    }
    ports = [_free_port(), _free_port()]
    servers = [
        subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}", "wsgi:app"],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        for port in ports
    ]
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        deadline = time.monotonic() + 60
        for url, server in zip(urls, servers, strict=True):
            while True:
                assert server.poll() is None, server.stderr.read().decode()[-3000:]
                try:
                    if requests.get(f"{url}/healthz", timeout=5).status_code == 200:
                        break
                except requests.RequestException:  # not listening yet, or a worker still starting
                    pass
                assert time.monotonic() < deadline, "an instance did not start"
                time.sleep(0.2)
        yield urls
    finally:
        for server in servers:
            os.killpg(server.pid, signal.SIGTERM)
        for server in servers:
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)


def _csrf(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def _login(session: requests.Session, base: str, email: str, password: str) -> requests.Response:
    token = _csrf(session.get(f"{base}/account/login").text)
    return session.post(
        f"{base}/account/login",
        data={"csrf_token": token, "email": email, "password": password},
        allow_redirects=False,
    )


def test_two_instances_share_check_ins_rate_limits_score_sheets_and_exports(postgres, tmp_path):
    from events.models.checkin import CheckIn
    from judging.judge_forms import score_name
    from judging.models import ScoreSheet
    from tests.events.factories import make_checkin_staff, make_event, make_invitee
    from tests.judging.factories import make_judging

    # 50 invited people with passes, a check-in staff member with an API token.
    event = make_event()
    staff = make_checkin_staff(event)
    codes = [make_invitee(event, f"Khách mời số {i}").current_pass.token for i in range(50)]
    with current_app.test_request_context():
        _token, raw = accounts.create_api_token(staff, "máy quét cửa chính")
    # A judge with a draft to submit.
    judging = make_judging(entries=1, judges=2)
    judge, entry = judging.judges[0], judging.entries[0]
    judge.set_password(PASSWORD)
    judging.organizer.set_password(PASSWORD)
    assignment = judging.assignment(judge, entry)
    criteria = [(c.id, c.max_points) for c in judging.round.criteria]
    event_id, assignment_id, judge_email = event.id, assignment.id, judge.email
    round_id, contest_id, organizer_email = judging.round.id, judging.contest.id, judging.organizer.email
    db.session.commit()

    with two_instances(postgres, tmp_path) as (first, second):
        # 200 scans, 4 of each pass, half on each instance, all at once.
        def scan(i: int) -> str:
            base = (first, second)[i % 2]
            response = requests.post(
                f"{base}/api/events/{event_id}/scans",
                json={"code": codes[i % 50], "nonce": uuid.uuid4().hex, "device_id": f"cua-{i % 4}"},
                headers={"Authorization": f"Bearer {raw}"},
                timeout=30,
            )
            assert response.status_code == 200, response.text[:500]
            return response.json()["outcome"]

        with ThreadPoolExecutor(max_workers=16) as pool:
            outcomes = list(pool.map(scan, range(200)))
        assert outcomes.count("checked_in") == 50 and outcomes.count("already") == 150
        db.session.expire_all()
        live = select(func.count(CheckIn.id)).where(CheckIn.event_id == event_id, CheckIn.undone_at.is_(None))
        assert db.session.scalar(live) == 50

        # A judge submits on the first instance; the second shows the sheet submitted.
        judge_session = requests.Session()
        assert _login(judge_session, first, judge_email, PASSWORD).status_code == 302
        page = judge_session.get(f"{first}/judging/assignments/{assignment_id}").text
        form = {score_name(cid): str(Decimal(points) / 2) for cid, points in criteria}
        form |= {"csrf_token": _csrf(page), "comment": "Chấm trên máy chủ thứ nhất.", "submit": "1"}
        assert judge_session.post(f"{first}/judging/assignments/{assignment_id}", data=form).status_code == 200
        elsewhere = judge_session.get(f"{second}/judging/assignments/{assignment_id}")
        assert elsewhere.status_code == 200 and "Chấm trên máy chủ thứ nhất." in elsewhere.text
        db.session.expire_all()
        sheet = db.session.scalar(select(ScoreSheet).where(ScoreSheet.assignment_id == assignment_id))
        assert sheet.status == "submitted"

        # An organizer asks one instance for the round's workbook (built by a process of its own, in the shared
        # folder) and gets it from the other.
        organizer = requests.Session()
        assert _login(organizer, second, organizer_email, PASSWORD).status_code == 302
        exports = organizer.get(f"{first}/results/manage/{contest_id}/exports").text
        asked = organizer.post(
            f"{first}/results/manage/rounds/{round_id}/workbook", data={"csrf_token": _csrf(exports)},
            allow_redirects=False,
        )  # fmt: skip
        assert asked.status_code == 302, asked.text[:500]
        job_page = asked.headers["Location"].replace(first, "")
        deadline = time.monotonic() + 120
        while 'data-state="done"' not in (page := organizer.get(f"{second}{job_page}").text):
            assert 'data-state="failed"' not in page and time.monotonic() < deadline
            time.sleep(0.5)
        workbook = organizer.get(f"{second}{job_page}/download")
        assert workbook.status_code == 200 and workbook.content[:2] == b"PK"

        # Wrong passwords on both instances: the seventh login within the minute is refused, wherever it lands.
        # (The judge's and the organizer's logins above were the first two of the minute's six.)
        answers = [
            _login(requests.Session(), (first, second)[i % 2], "khach@example.vn", "sai").status_code for i in range(6)
        ]
        assert 429 not in answers[:4] and set(answers[4:]) == {429}
