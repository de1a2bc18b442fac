"""`python -m bench.national generate|measure|all --database URL [--scale S]`: the national-scale benchmark.

generate  drop and create the tables, insert the data set (bench/national/generate.py), print progress and times
measure   ceilings in a bare app, then the application under load (both served by gunicorn, 2 workers, on
          loopback), then the in-process figures; write bench/results/latest.json and print the table with the
          targets met or missed
all       both

Without --database: SQLite in bench/results/national.sqlite3. A PostgreSQL database named in the URL is created
when it does not exist. Not part of the test suite (tests/bench/test_bench_smoke.py runs it at a tiny scale).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.national import ceilings, load, pages, report
from bench.national.serve import Server, app_config

DEFAULT_SQLITE = Path(__file__).resolve().parent.parent / "results" / "national.sqlite3"


def ensure_database(url: str) -> None:
    """PostgreSQL: create the database of `url` when missing (never touches another one)."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("postgresql"):
        Path(parsed.database or DEFAULT_SQLITE).parent.mkdir(parents=True, exist_ok=True)
        return
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": parsed.database}).scalar()
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()


def make_app(url: str):
    from app import create_app

    return create_app(app_config(url))


def generate(url: str, scale: float, quiet: bool = False) -> dict:
    from app.extensions import db
    from bench.national.generate import generate as run

    ensure_database(url)
    app = make_app(url)
    with app.app_context(), app.test_request_context():
        if not quiet:
            print(f"generating at scale {scale} on {make_url(url).get_backend_name()}", flush=True)
        data = run(scale, quiet=quiet)
        db.session.remove()
        db.engine.dispose()
    if not quiet:
        print(f"generated {data.counts} in {data.seconds['total']:.1f} s", flush=True)
    return {"counts": data.counts, "sizes": data.sizes, "seconds": data.seconds, "honors": data.honors, "scale": scale}


def drive(server: Server, work: load.Workload, clients: int, warmup: int) -> dict:
    """A few requests first (imports, caches, connections), then the measured run."""
    if warmup:
        warm = load.Workload(work.warmup or work.make, work.ok, total=warmup, seconds=30)
        load.run(server.port, warm, min(clients, 2))
    return load.run(server.port, work, clients) | {"warmup_requests": warmup}


CEILINGS = (
    ("trivial", "GET", "/trivial"),
    ("select", "GET", "/select/{}"),
    ("update", "POST", "/update/{}"),
    ("render", "GET", "/render"),
)

WORKLOADS = ("scan", "submit", "results_page", "entries_table", "pass_qr", "annual_report")


def measure(
    url: str,
    *,
    requests: int,
    seconds: float,
    clients: int,
    memory: bool,
    workers: int = 2,
    quiet: bool = False,
    only: set[str] | None = None,
    rounds: int = 1,
) -> dict:
    """The ceilings, then the workloads (all, or those named in `only`; "inprocess" names the in-process figures),
    `rounds` times in turn (the figures reported: each ratio's median round, `report.combine`)."""
    from app.extensions import db
    from bench.national import inprocess
    from bench.national.dataset import YEAR, locate, remaining_drafts

    backend = make_url(url).get_backend_name()
    figures: dict = {"database": backend, "server": f"gunicorn, {workers} sync workers, --timeout 60, 127.0.0.1"}
    say = (lambda *a: None) if quiet else (lambda *a: print(*a, flush=True))
    warmup = min(20, max(2, requests // 20))

    ceilings.prepare(url)
    app = make_app(url)
    with app.app_context(), app.test_request_context():
        data = locate()
        drafts_before = len(data.drafts)
        figures["counts"] = data.counts
        workloads = {
            "scan": lambda r: pages.scans(data, requests, seconds, r),
            "submit": lambda _r: pages.submits(app, data, requests, seconds),
            "results_page": lambda _r: pages.results_page(data, requests, seconds),
            "entries_table": lambda _r: pages.entries_table(app, data, requests, seconds),
            "pass_qr": lambda _r: pages.pass_qr(data, requests, seconds),
            "annual_report": lambda _r: pages.annual_report(app, data, YEAR, requests, seconds),
        }
        workloads = {name: make for name, make in workloads.items() if only is None or name in only}
        measured: list[dict] = []
        with (
            Server("bench.national.ceilings:bare()", url, "/trivial", workers) as bare,
            Server("bench.national.serve:application()", url, "/healthz", workers) as server,
        ):
            server.start_sampling()
            for r in range(rounds):
                # Each round measures the ceilings again just before the application: a ratio compares figures
                # taken within a minute of each other, and the rounds' median leaves out a round the machine's
                # other work slowed.
                if rounds > 1:
                    say(f"  round {r + 1} of {rounds}")
                this = {"ceilings": {}, "http": {}}
                for name, method, path in CEILINGS:
                    work = load.Workload(
                        lambda i, m=method, p=path: (m, p.format(i % ceilings.ROWS + 1), None, {}),
                        total=requests,
                        seconds=seconds,
                    )
                    this["ceilings"][name] = drive(bare, work, clients, warmup)
                    say(f"  ceiling {name}: {this['ceilings'][name]['rps']} req/s")
                if r:
                    db.session.expire_all()
                    data.drafts = remaining_drafts(data.final_round_id)
                for name, make in workloads.items():
                    if name == "annual_report" and not pages.route_exists(app, "/reports/annual/<int:year>"):
                        this["http"][name] = {"status": "missing"}
                        continue
                    if name == "submit" and len(data.drafts) < 2:  # every draft submitted in the rounds before
                        this["http"][name] = {"status": "no draft left"}
                        continue
                    this["http"][name] = drive(server, make(r), clients, warmup)
                    say(f"  {name}: {this['http'][name]['rps']} req/s, p99 {this['http'][name]['p99_ms']} ms")
                this["ratios"] = report.ratios(this)
                measured.append(this)
            server.sample_rss()
            figures["worker_peak_rss_mb"] = sorted(round(v / 1e6, 1) for v in server.peak_rss.values())
        ceilings.drop(url)
        figures |= report.combine(measured)
        db.session.expire_all()
        submitted = drafts_before - len(remaining_drafts(data.final_round_id))
        if "submit" in figures["http"]:
            figures["http"]["submit"]["sheets_submitted"] = submitted
        if only is None or "inprocess" in only:
            say("  in-process figures ...")
            figures["inprocess"] = inprocess.measure(data, memory=memory, say=say)
        db.session.remove()
        db.engine.dispose()
    figures["targets"] = report.targets(figures)
    return figures


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m bench.national", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("generate", "measure", "all"))
    parser.add_argument("--database", default=f"sqlite:///{DEFAULT_SQLITE}", help="SQLAlchemy URL")
    parser.add_argument("--scale", type=float, default=1.0, help="1 = national scale (default); 0.01 for quick runs")
    parser.add_argument("--requests", type=int, default=2000, help="requests per measure, at most (default 2000)")
    parser.add_argument("--seconds", type=float, default=20.0, help="time per measure, at most (default 20)")
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients (default 16)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2, as in production)")
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc runs of in-process figures")
    parser.add_argument(
        "--only",
        help=f"measure only these, comma-separated: {', '.join(WORKLOADS)}, inprocess (the ceilings always)",
    )
    parser.add_argument(
        "--rounds", type=int, default=1, help="ceilings then workloads this many times; the median round is reported"
    )
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    figures: dict = {}
    started = time.perf_counter()
    if args.command in ("generate", "all"):
        figures["generation"] = generate(args.database, args.scale, args.quiet)
    if args.command in ("measure", "all"):
        figures |= measure(
            args.database,
            requests=args.requests,
            seconds=args.seconds,
            clients=args.clients,
            memory=not args.no_memory,
            workers=args.workers,
            quiet=args.quiet,
            only=set(args.only.split(",")) if args.only else None,
            rounds=max(1, args.rounds),
        )
        figures["scale"] = figures.get("generation", {}).get("scale", args.scale)
        path = report.write(figures)
        if not args.quiet:
            print(report.table(figures))
            print(f"\nwritten to {path} ({time.perf_counter() - started:.0f} s in all)")
    elif not args.quiet:
        print(json.dumps(figures["generation"], indent=1))
    return figures


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
