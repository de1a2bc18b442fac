"""The load generator: `clients` threads, each with its own keep-alive HTTP connection, send the requests a
`Workload` hands out until `total` have been sent or `seconds` have passed. Latencies are measured per request by
the client (request sent to body read)."""

from __future__ import annotations

import http.client
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

#: A request: (method, path, body or None, headers) -> and whether the response counts as a success.
Request = tuple[str, str, bytes | None, dict[str, str]]


@dataclass
class Workload:
    """`make(i)` builds the i-th request; `ok(status, body)` tells a success from a failure."""

    make: Callable[[int], Request]
    ok: Callable[[int, bytes], bool] = lambda status, _body: status == 200
    total: int = 1000
    seconds: float = 30.0
    lock: threading.Lock = field(default_factory=threading.Lock)
    #: The requests a warm-up sends, when they must differ from the measured ones (a submit locks its sheet).
    warmup: Callable[[int], Request] | None = None
    sent: int = 0
    deadline: float = 0.0

    def next_index(self) -> int | None:
        with self.lock:
            if self.sent >= self.total or time.monotonic() > self.deadline:
                return None
            self.sent += 1
            return self.sent - 1


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of `values` (0 for none)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, round(p / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def run(port: int, work: Workload, clients: int) -> dict:
    """Drive the server on 127.0.0.1:`port`; returns requests/s (successes over the wall-clock time of the run),
    p50/p95/p99/max in ms, and the failures by kind."""
    latencies: list[float] = []
    failures: Counter = Counter()
    tally = threading.Lock()
    work.deadline = time.monotonic() + work.seconds

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while (i := work.next_index()) is not None:
            method, path, body, headers = work.make(i)
            start = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                data = response.read()
                elapsed = time.perf_counter() - start
                good = work.ok(response.status, data)
                kind = f"HTTP {response.status}"
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
            except (OSError, http.client.HTTPException) as error:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                good, kind, elapsed = False, type(error).__name__, 0.0
            with tally:
                if good:
                    latencies.append(elapsed)
                else:
                    failures[kind] += 1
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    done = len(latencies)
    return {
        "clients": clients,
        "requests": done,
        "seconds": round(wall, 3),
        "rps": round(done / wall, 1) if wall else 0.0,
        "p50_ms": round(percentile(latencies, 50) * 1000, 1),
        "p95_ms": round(percentile(latencies, 95) * 1000, 1),
        "p99_ms": round(percentile(latencies, 99) * 1000, 1),
        "max_ms": round(max(latencies, default=0.0) * 1000, 1),
        "failures": dict(failures),
    }
