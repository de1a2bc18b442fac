"""Benchmark of the check-in API (POST /api/events/<id>/scans) under concurrent scanners.

A synthetic ceremony (1 event, --invitees people each holding a pass, one check-in staff account with an API token)
is inserted into a fresh database: SQLite in a temporary file, or the PostgreSQL database named by
BENCH_DATABASE_URL (its tables are dropped and created again). The application is then served by gunicorn on
127.0.0.1 (a free port; --workers processes of --threads threads, the gthread worker), and --clients threads each
keep one HTTP connection and send scans until --scans have been sent in all or --seconds have passed. Each scan
carries a new nonce; 80% read a pass not scanned yet (checked_in), 15% one already scanned (already), 5% a code
that is no pass (unknown).

Run from the repository root: `.venv/bin/python -m bench.checkin_bench [--clients 8] [--scans 2000]`. It prints
scans per second (completed scans over the wall-clock time of the run) and the latency percentiles p50/p95/p99
seen by the clients, with the outcome counts and any errors. Not part of the test suite (a test runs it with
tiny numbers so that it cannot rot).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SEED = 20261129
SECRET = "checkin-bench-" + "k" * 32


def app_config(url: str) -> dict:
    return {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET, "RATELIMIT_ENABLED": False}


def serve_app():
    """The application gunicorn serves (`bench.checkin_bench:serve_app()`), on the database the bench prepared."""
    from app import create_app

    return create_app(app_config(os.environ["CHECKIN_BENCH_DATABASE_URL"]))


def prepare(url: str, invitees: int) -> tuple[int, list[str], str]:
    """Fresh tables, the ceremony, its people and passes, a staff account and its API token: (event id, tokens,
    raw API token)."""
    from sqlalchemy import insert

    from app import create_app
    from app.accounts.models import RoleGrant, User
    from app.accounts.services import create_api_token
    from app.extensions import db
    from app.orgs.models import Organisation
    from app.text import name_sort_string, normalize_search
    from app.timefmt import utcnow
    from bench.assignment_bench import FAMILY, GIVEN, KINDS, MIDDLE, PLACES
    from events.models.events import Event, Invitee, Pass

    rnd = random.Random(SEED)
    app = create_app(app_config(url))
    with app.app_context(), app.test_request_context():
        db.drop_all()
        db.create_all()
        org = Organisation(kind="union")
        org.set_name("Liên hiệp các hội KH&KT tỉnh")
        db.session.add(org)
        db.session.flush()
        event = Event(
            organisation_id=org.id,
            title="Lễ trao giải Hội thi Sáng tạo kỹ thuật",
            starts_at=utcnow(),
            status="published",
        )
        db.session.add(event)
        staff = User(email="le.tan@example.vn")
        staff.set_name("Lễ tân Cửa Chính")
        db.session.add(staff)
        db.session.flush()
        db.session.add(RoleGrant(user_id=staff.id, role="checkin", scope_type="event", scope_id=event.id))
        people, passes, tokens = [], [], []
        for i in range(1, invitees + 1):
            name = f"{rnd.choice(FAMILY)} {rnd.choice(MIDDLE)} {rnd.choice(GIVEN)}"
            unit = f"{rnd.choice(KINDS)} {rnd.choice(PLACES)}"
            people.append(
                {
                    "id": i,
                    "event_id": event.id,
                    "full_name": name,
                    "search_name": normalize_search(f"{name} {unit}"),
                    "sort_name": name_sort_string(name),
                    "unit": unit,
                    "role": rnd.choice(("author", "winner", "judge", "guest")),
                    "dedupe_key": f"bench:{i}",
                    "status": "invited",
                }
            )
            token = secrets.token_urlsafe(24)
            tokens.append(token)
            passes.append({"id": i, "token": token, "event_id": event.id, "invitee_id": i})
        db.session.execute(insert(Invitee), people)
        db.session.execute(insert(Pass), passes)
        _token, raw = create_api_token(staff, "bench")
        db.session.commit()
        event_id = event.id
        db.session.remove()
        db.engine.dispose()
    return event_id, tokens, raw


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(url: str, port: int, workers: int, threads: int) -> subprocess.Popen:
    env = os.environ | {"CHECKIN_BENCH_DATABASE_URL": url, "FLASK_CONFIG": "production"}
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "gthread",
        "--threads",
        str(threads),
        "--log-level",
        "warning",
        "bench.checkin_bench:serve_app()",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                conn.close()
                return server
        except OSError:
            time.sleep(0.1)
    stop_server(server)
    raise RuntimeError("gunicorn did not answer within 30 s")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


@dataclass
class Plan:
    """The scans to send, shared by the clients: fresh passes first, repeats and garbage mixed in."""

    tokens: list[str]
    total: int
    deadline: float
    lock: threading.Lock = field(default_factory=threading.Lock)
    sent: int = 0
    used: list[str] = field(default_factory=list)
    rnd: random.Random = field(default_factory=lambda: random.Random(SEED))

    def next_code(self) -> str | None:
        with self.lock:
            if self.sent >= self.total or time.monotonic() > self.deadline:
                return None
            self.sent += 1
            roll = self.rnd.random()
            if roll < 0.05:
                return "khong-phai-the-" + secrets.token_hex(8)
            if roll < 0.20 and self.used:
                return self.rnd.choice(self.used)
            if self.tokens:
                code = self.tokens.pop()
                self.used.append(code)
                return code
            return self.rnd.choice(self.used)


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    outcomes: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)


def client(port: int, path: str, raw_token: str, plan: Plan, tally: Tally) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Authorization": f"Bearer {raw_token}", "Content-Type": "application/json", "Accept": "application/json"}
    while (code := plan.next_code()) is not None:
        body = json.dumps({"code": code, "nonce": uuid.uuid4().hex, "device_id": "bench"})
        start = time.perf_counter()
        try:
            conn.request("POST", path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            elapsed = time.perf_counter() - start
            outcome = json.loads(data)["outcome"] if response.status == 200 else f"HTTP {response.status}"
        except (OSError, http.client.HTTPException, ValueError, KeyError) as error:
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            with tally.lock:
                tally.errors[type(error).__name__] += 1
            continue
        with tally.lock:
            if outcome.startswith("HTTP"):
                tally.errors[outcome] += 1
            else:
                tally.latencies.append(elapsed)
                tally.outcomes[outcome] += 1
    conn.close()


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of values."""
    ordered = sorted(values)
    rank = max(1, round(p / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def run(clients: int, scans: int, seconds: float, invitees: int, workers: int, threads: int) -> dict:
    """Prepare, serve, drive and stop; returns the figures (also printed)."""
    url = os.environ.get("BENCH_DATABASE_URL")
    tmp = tempfile.TemporaryDirectory()
    url = url or f"sqlite:///{tmp.name}/checkin-bench.sqlite3"
    event_id, tokens, raw = prepare(url, invitees)
    port = free_port()
    server = start_server(url, port, workers, threads)
    try:
        plan = Plan(tokens=list(tokens), total=scans, deadline=time.monotonic() + seconds)
        tally = Tally()
        path = f"/api/events/{event_id}/scans"
        threads_ = [threading.Thread(target=client, args=(port, path, raw, plan, tally)) for _ in range(clients)]
        start = time.perf_counter()
        for t in threads_:
            t.start()
        for t in threads_:
            t.join()
        wall = time.perf_counter() - start
    finally:
        stop_server(server)
        tmp.cleanup()
    done = len(tally.latencies)
    figures = {
        "database": url.split(":", 1)[0].split("+", 1)[0],
        "server": f"gunicorn gthread, {workers} workers x {threads} threads",
        "clients": clients,
        "scans": done,
        "seconds": wall,
        "scans_per_second": done / wall if wall else 0.0,
        "p50_ms": percentile(tally.latencies, 50) * 1000 if done else 0.0,
        "p95_ms": percentile(tally.latencies, 95) * 1000 if done else 0.0,
        "p99_ms": percentile(tally.latencies, 99) * 1000 if done else 0.0,
        "mean_ms": statistics.fmean(tally.latencies) * 1000 if done else 0.0,
        "outcomes": dict(tally.outcomes),
        "errors": dict(tally.errors),
    }
    print(
        f"database: {figures['database']}; server: {figures['server']} on 127.0.0.1; "
        f"{clients} concurrent clients; {invitees:,} passes"
    )
    print(f"{done:,} scans in {wall:.2f} s: {figures['scans_per_second']:.1f} scans/s")
    print(
        f"latency p50 {figures['p50_ms']:.1f} ms, p95 {figures['p95_ms']:.1f} ms, p99 {figures['p99_ms']:.1f} ms "
        f"(mean {figures['mean_ms']:.1f} ms)"
    )
    print(f"outcomes: {dict(sorted(tally.outcomes.items()))}; errors: {dict(tally.errors) or 'none'}")
    return figures


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8, help="concurrent scanners (default 8)")
    parser.add_argument("--scans", type=int, default=2000, help="scans to send in all (default 2000)")
    parser.add_argument("--seconds", type=float, default=60, help="stop sending after this time (default 60)")
    parser.add_argument("--invitees", type=int, default=2000, help="people with a pass (default 2000)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default 2)")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (default 4)")
    args = parser.parse_args(argv)
    return run(args.clients, args.scans, args.seconds, args.invitees, args.workers, args.threads)


if __name__ == "__main__":
    main()
