"""The national benchmark (bench/national) still runs end to end at a tiny scale, so that it cannot rot: the
generator on a fresh database of the kind under test, the ceilings and the application served by real gunicorn
workers over real HTTP, the in-process figures, the targets and the JSON written."""

from __future__ import annotations

import json

from sqlalchemy import create_engine, func, select

from bench.national import __main__ as national
from bench.national import report
from bench.national.dataset import CRITERIA

MEASURES = ("scan", "submit", "results_page", "entries_table", "pass_qr")


def ratio_key(name: str) -> list[str]:
    return [key for key, workload in report.RATIO_KEYS.items() if workload == name]


def test_generate_then_measure_at_a_tiny_scale(fresh_database_url, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(report, "RESULTS", tmp_path)
    monkeypatch.setattr(report, "LATEST", tmp_path / "latest.json")
    args = ["all", "--database", fresh_database_url, "--scale", "0.0001", "--requests", "6", "--seconds", "20"]
    figures = national.main([*args, "--clients", "2", "--workers", "1", "--no-memory", "--rounds", "2"])

    generation = figures["generation"]
    counts = generation["counts"]
    assert generation["honors"] == "generated"
    assert counts["scores"] == counts["score_sheets"] * len(CRITERIA) > 0
    engine = create_engine(fresh_database_url)
    with engine.connect() as conn:
        from judging.models import Score, ScoreSheet

        assert conn.scalar(select(func.count()).select_from(Score.__table__)) == counts["scores"]
        submitted = conn.scalar(select(func.count()).where(ScoreSheet.__table__.c.status == "submitted"))
    engine.dispose()

    # Two rounds, each the ceilings then the application; each figure reported from its median round.
    assert len(figures["rounds"]) == 2
    for measured_round in figures["rounds"]:
        for name in ("trivial", "select", "update", "render"):
            ceiling = measured_round["ceilings"][name]
            assert ceiling["failures"] == {} and ceiling["requests"] == 6 and ceiling["rps"] > 0
        for name in MEASURES:
            measured = measured_round["http"][name]
            assert measured["failures"] == {}, (name, measured)
            assert 0 < measured["p50_ms"] <= measured["p95_ms"] <= measured["p99_ms"] <= measured["max_ms"]
    for name in MEASURES:
        chosen = figures["http"][name]
        assert chosen["ratio_by_round"] == [r["ratios"][key] for r in figures["rounds"] for key in ratio_key(name)]
        assert figures["rounds"][chosen["round"] - 1]["http"][name]["rps"] == chosen["rps"]
    # Every submit was a real one (the warm-up's from the other end of the drafts, each round the drafts left by the
    # one before): the sheets posted are submitted.
    rounds_submits = [r["http"]["submit"] for r in figures["rounds"]]
    assert rounds_submits[0]["requests"] == min(6, generation["sizes"]["drafts"] // 2)
    posted = sum(r["requests"] + r["warmup_requests"] for r in rounds_submits)
    assert figures["http"]["submit"]["sheets_submitted"] == posted
    assert submitted == counts["score_sheets"] - generation["sizes"]["drafts"] + posted
    assert figures["inprocess"]["standings"]["sheets"] == submitted
    assert all(0 < rss < 500 for rss in figures["worker_peak_rss_mb"]) and len(figures["worker_peak_rss_mb"]) == 1
    assert figures["inprocess"]["assignment"]["unmet"] == 0
    assert figures["inprocess"]["aggregation"]["scores"] == submitted * len(CRITERIA)
    assert figures["inprocess"]["export"]["bytes"] > 0 and figures["inprocess"]["export"]["ratio_to_pandas"] > 0
    assert all(value is not None for key, value in figures["ratios"].items() if key != "annual_report_to_render")
    assert len(figures["targets"]) == 11

    written = json.loads((tmp_path / "latest.json").read_text())
    run = written[figures["database"]]
    assert run["http.scan.rps"] == figures["http"]["scan"]["rps"]
    assert run["ratios.scan_to_update"] == figures["ratios"]["scan_to_update"]
    printed = capsys.readouterr().out
    assert "ceiling: update" in printed and "targets:" in printed and ("met" in printed or "MISSED" in printed)
