"""The check-in benchmark (bench/checkin_bench.py) still runs: tiny numbers, real gunicorn, real HTTP."""

from __future__ import annotations

from bench import checkin_bench


def test_the_benchmark_drives_the_api_and_reports_throughput_and_percentiles(capsys, monkeypatch):
    monkeypatch.delenv("BENCH_DATABASE_URL", raising=False)
    figures = checkin_bench.main(
        ["--clients", "2", "--scans", "24", "--invitees", "20", "--workers", "1", "--threads", "2", "--seconds", "60"]
    )
    assert figures["errors"] == {}
    assert figures["scans"] == 24 and sum(figures["outcomes"].values()) == 24
    assert figures["outcomes"]["checked_in"] >= 10 and set(figures["outcomes"]) <= {"checked_in", "already", "unknown"}
    assert 0 < figures["p50_ms"] <= figures["p95_ms"] <= figures["p99_ms"]
    assert figures["scans_per_second"] > 0
    printed = capsys.readouterr().out
    assert "scans/s" in printed and "p95" in printed and "gunicorn" in printed
