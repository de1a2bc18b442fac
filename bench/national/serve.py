"""gunicorn on loopback, as docs/deployment.md runs it (2 sync workers, --timeout 60), serving either the
application (`bench.national.serve:application()`) or the bare ceiling app (`bench.national.ceilings:bare()`), on
the database named by NATIONAL_BENCH_DATABASE_URL. The workers' resident memory is read from /proc."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
SECRET = "national-bench-" + "s" * 32
ENV_URL = "NATIONAL_BENCH_DATABASE_URL"


def app_config(url: str) -> dict:
    """The production configuration with the bench's database and key; rate limits off (one client address sends
    everything)."""
    return {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET, "RATELIMIT_ENABLED": False}


def application():
    from app import create_app

    return create_app(app_config(os.environ[ENV_URL]))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A gunicorn master and its workers; `start` waits until `probe` answers 200."""

    def __init__(self, target: str, url: str, probe: str, workers: int = 2) -> None:
        self.target, self.url, self.probe, self.workers = target, url, probe, workers
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.peak_rss: dict[int, int] = {}
        self._sampling = False
        self._sampler: threading.Thread | None = None

    def start(self) -> Server:
        env = os.environ | {ENV_URL: self.url, "FLASK_CONFIG": "production", "SECRET_KEY": SECRET}
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--timeout",
            "60",
            "--log-level",
            "warning",
            self.target,
        ]
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn ({self.target}) exited with {self.process.returncode}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", self.probe)
                status = conn.getresponse().status
                conn.close()
                if status == 200 and len(self.worker_pids()) >= self.workers:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn ({self.target}) did not answer within 60 s")

    def worker_pids(self) -> list[int]:
        if self.process is None:
            return []
        try:
            children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        except OSError:
            return []
        return [int(pid) for pid in children]

    @staticmethod
    def rss(pid: int) -> int:
        """VmRSS of a process in bytes (0 when it is gone)."""
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
        except OSError:
            pass
        return 0

    def sample_rss(self) -> None:
        for pid in self.worker_pids():
            self.peak_rss[pid] = max(self.peak_rss.get(pid, 0), self.rss(pid))

    def start_sampling(self, every: float = 0.25) -> None:
        self._sampling = True

        def loop():
            while self._sampling:
                self.sample_rss()
                time.sleep(every)

        self._sampler = threading.Thread(target=loop, daemon=True)
        self._sampler.start()

    def stop(self) -> None:
        self._sampling = False
        if self._sampler is not None:
            self._sampler.join()
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
