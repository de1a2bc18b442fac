"""The targets of issue 10 checked against one run's figures, the flat figures written to bench/results/latest.json
(one key per figure, the ratios to the ceilings computed), and the table printed."""

from __future__ import annotations

import json
import platform
from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).resolve().parent.parent / "results"
LATEST = RESULTS / "latest.json"


def ratios(figures: dict) -> dict:
    """Each page's requests/s over its ceiling's (None when either is missing)."""
    http = figures.get("http", {})
    ceil = figures.get("ceilings", {})

    def ratio(name: str, ceiling: str) -> float | None:
        rps, top = http.get(name, {}).get("rps"), ceil.get(ceiling, {}).get("rps")
        return round(rps / top, 3) if rps and top else None

    return {key: ratio(name, CEILING_OF[name]) for key, name in RATIO_KEYS.items()}


#: Each ratio's key in the figures, by workload.
RATIO_KEYS = {
    "scan_to_update": "scan",
    "submit_to_update": "submit",
    "results_page_to_render": "results_page",
    "entries_table_to_render": "entries_table",
    "qr_to_render": "pass_qr",
    "annual_report_to_render": "annual_report",
}


#: The ceiling each workload's ratio is taken to (`ratios`).
CEILING_OF = {
    "scan": "update",
    "submit": "update",
    "results_page": "render",
    "entries_table": "render",
    "pass_qr": "render",
    "annual_report": "render",
}


def _median_index(values: list[float]) -> int:
    """The index of the median of `values` (the lower one of an even count)."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    return order[(len(values) - 1) // 2]


def combine(rounds: list[dict]) -> dict:
    """One run's figures from its rounds (each {"ceilings", "http", "ratios"}): each ceiling as measured in the round
    of its median requests/s, each workload as measured in the round of its median ratio to its ceiling, and that
    ratio; every round kept under "rounds". With one round, that round."""
    if len(rounds) == 1:
        return {"ceilings": rounds[0]["ceilings"], "http": rounds[0]["http"], "ratios": rounds[0]["ratios"]}
    ceilings = {}
    for name in rounds[0]["ceilings"]:
        ceilings[name] = rounds[_median_index([r["ceilings"][name].get("rps") or 0 for r in rounds])]["ceilings"][name]
    keys = {name: key for key, name in RATIO_KEYS.items()}
    http, ratios = {}, dict.fromkeys(rounds[0]["ratios"])
    for name in rounds[0]["http"]:
        key = keys.get(name)
        values = [r["ratios"].get(key) if key else None for r in rounds]
        measured = [i for i, v in enumerate(values) if v is not None]  # a round may have had nothing left to submit
        if not measured:
            http[name] = rounds[-1]["http"][name]
            continue
        chosen = measured[_median_index([values[i] for i in measured])]
        http[name] = rounds[chosen]["http"][name] | {"round": chosen + 1, "ratio_by_round": values}
        ratios[key] = values[chosen]
    return {"ceilings": ceilings, "http": http, "ratios": ratios, "rounds": rounds}


def targets(figures: dict) -> list[tuple[str, str, bool | None]]:
    """(target, measured, met) for each target of issue 10; met None when not measured."""
    r = figures["ratios"]
    http = figures.get("http", {})
    inproc = figures.get("inprocess", {})
    rss = figures.get("worker_peak_rss_mb") or []
    out: list[tuple[str, str, bool | None]] = []

    def at_least(label: str, value: float | None, bound: float) -> None:
        out.append((label, "-" if value is None else f"{value:.2f}", None if value is None else value >= bound))

    def below(label: str, value: float | None, bound: float, unit: str) -> None:
        out.append((label, "-" if value is None else f"{value:.1f} {unit}", None if value is None else value < bound))

    at_least("check-in scan >= 0.5 x UPDATE+COMMIT ceiling", r["scan_to_update"], 0.5)
    below("check-in scan p99 < 50 ms (16 clients)", http.get("scan", {}).get("p99_ms"), 50, "ms")
    at_least("score-sheet submit >= 0.3 x UPDATE+COMMIT ceiling", r["submit_to_update"], 0.3)
    at_least("public results page >= 0.5 x 200-row render ceiling", r["results_page_to_render"], 0.5)
    at_least("entries table >= 0.25 x 200-row render ceiling", r["entries_table_to_render"], 0.25)
    below("entries table p95 < 150 ms", http.get("entries_table", {}).get("p95_ms"), 150, "ms")
    at_least("pass QR image >= 1 x 200-row render ceiling", r["qr_to_render"], 1.0)
    below("assignment of the largest round < 60 s", inproc.get("assignment", {}).get("seconds"), 60, "s")
    below("aggregation + ranking of all sheets (standings) < 5 s", inproc.get("standings", {}).get("seconds"), 5, "s")
    # CPU times: on a shared machine the wall-clock ratio moves with the other processes' load.
    export_figures = inproc.get("export", {})
    export = export_figures.get("cpu_ratio_to_pandas", export_figures.get("ratio_to_pandas"))
    out.append(
        (
            "edition XLSX export <= 1.5 x pandas alone (CPU time)",
            "-" if export is None else f"{export:.2f}",
            None if export is None else export <= 1.5,
        )
    )
    below("no worker above 500 MB resident", max(rss) if rss else None, 500, "MB")
    return out


def flatten(value, prefix: str = "") -> dict:
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            out |= flatten(item, f"{prefix}.{key}" if prefix else str(key))
        return out
    return {prefix: value}


def write(figures: dict) -> Path:
    """Merge this run (keyed by its database) into latest.json; returns its path."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    try:
        everything = json.loads(LATEST.read_text())
    except (OSError, ValueError):
        everything = {}
    figures = figures | {"measured_at": datetime.now(UTC).isoformat(timespec="seconds"), "machine": machine()}
    everything[figures["database"]] = flatten(figures)
    LATEST.write_text(json.dumps(everything, indent=1, ensure_ascii=False, sort_keys=True) + "\n")
    return LATEST


def machine() -> str:
    import os

    return f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs, {platform.system()}"


def table(figures: dict) -> str:
    lines = [f"\n== {figures['database']} (scale {figures.get('scale', '?')}; {figures.get('counts', {})}) =="]
    lines.append(f"{'measure':<22}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'requests':>10}  failures")
    for group in ("ceilings", "http"):
        for name, f in figures.get(group, {}).items():
            if "rps" not in f:
                lines.append(f"{name:<22}{f.get('status', 'missing'):>9}")
                continue
            label = f"ceiling: {name}" if group == "ceilings" else name
            lines.append(
                f"{label:<22}{f['rps']:>9.1f}{f['p50_ms']:>9.1f}{f['p95_ms']:>9.1f}{f['p99_ms']:>9.1f}"
                f"{f['requests']:>10}  {f['failures'] or ''}"
            )
    for name, f in figures.get("inprocess", {}).items():
        extra = {k: v for k, v in f.items() if k not in {"seconds", "cpu_seconds", "peak_mb"}}
        lines.append(
            f"{name:<22}{f['seconds']:>8.2f} s (CPU {f['cpu_seconds']:.2f} s), peak {f.get('peak_mb')} MB  {extra}"
        )
    lines.append(f"worker peak RSS (MB): {figures.get('worker_peak_rss_mb')}")
    lines.append("ratios: " + ", ".join(f"{k} {v}" for k, v in figures["ratios"].items()))
    if figures.get("rounds"):
        lines.append(f"  (each the median of {len(figures['rounds'])} rounds; by round:)")
        for key in figures["ratios"]:
            lines.append(f"  {key:<26}" + " ".join(f"{r['ratios'].get(key)}" for r in figures["rounds"]))
    lines.append("targets:")
    for label, measured, met in figures["targets"]:
        verdict = "not measured" if met is None else "met" if met else "MISSED"
        lines.append(f"  {verdict:<13}{label:<55}{measured}")
    return "\n".join(lines)
