"""The national benchmark's report (bench/national/report.py): several rounds give one run's figures, each ratio its
rounds' median with the figures of the round it comes from."""

from __future__ import annotations

from bench.national import report


def _round(update: float, render: float, scan: float, entries: float) -> dict:
    ceilings = {"update": {"rps": update, "p99_ms": 1.0}, "render": {"rps": render, "p99_ms": 2.0}}
    http = {"scan": {"rps": scan, "p99_ms": scan / 10}, "entries_table": {"rps": entries, "p95_ms": entries}}
    this = {"ceilings": ceilings, "http": http}
    return this | {"ratios": report.ratios(this)}


def test_one_round_is_the_run():
    only = _round(800, 400, 400, 100)
    assert report.combine([only]) == {"ceilings": only["ceilings"], "http": only["http"], "ratios": only["ratios"]}
    assert only["ratios"]["scan_to_update"] == 0.5 and only["ratios"]["entries_table_to_render"] == 0.25


def test_each_ratio_is_its_rounds_median_with_that_rounds_figures():
    rounds = [
        _round(800, 400, 400, 80),  # scan 0.5, entries 0.2
        _round(700, 300, 210, 90),  # scan 0.3, entries 0.3 (a slow round for the ceilings)
        _round(900, 500, 540, 125),  # scan 0.6, entries 0.25
    ]
    run = report.combine(rounds)
    assert run["ratios"]["scan_to_update"] == 0.5 and run["http"]["scan"]["rps"] == 400
    assert run["http"]["scan"]["round"] == 1 and run["http"]["scan"]["ratio_by_round"] == [0.5, 0.3, 0.6]
    assert run["ratios"]["entries_table_to_render"] == 0.25 and run["http"]["entries_table"]["p95_ms"] == 125
    assert run["http"]["entries_table"]["round"] == 3
    # Each ceiling as in the round of its median requests/s.
    assert run["ceilings"]["update"]["rps"] == 800 and run["ceilings"]["render"]["rps"] == 400
    assert run["ratios"]["results_page_to_render"] is None  # not measured
    assert run["rounds"] == rounds
    # An even number of rounds takes the lower median.
    assert report.combine(rounds[:2])["ratios"]["scan_to_update"] == 0.3


def test_a_round_without_a_figure_is_left_out_of_its_median():
    rounds = [_round(800, 400, 400, 80), _round(800, 400, 480, 80), _round(800, 400, 320, 80)]
    rounds[1]["http"]["scan"] = {"status": "no draft left"}
    rounds[1]["ratios"]["scan_to_update"] = None
    run = report.combine(rounds)
    assert run["ratios"]["scan_to_update"] == 0.4 and run["http"]["scan"]["round"] == 3  # the lower of 0.5 and 0.4
