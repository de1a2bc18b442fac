"""Benchmark of judging.assignment.assign and judging.conflicts.detect on synthetic rounds (fixed seed).

Run from the repository root: `.venv/bin/python -m bench.assignment_bench` (or `python bench/assignment_bench.py`).
Times are the best of 3 runs (time.perf_counter, and time.process_time for CPU); peak memory is measured by
tracemalloc in a separate run (the memory allocated during the call, inputs excluded).
Not part of the test suite.
"""

from __future__ import annotations

import random
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from judging.assignment import PanelJudge, Slot, assign
from judging.conflicts import EntryInfo, JudgeInfo, PersonInfo, detect

SEED = 20260510
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Minh", "Hữu", "Đức", "Thanh", "Ngọc", "Quốc", "Thu", "Hoài"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Khoa", "Lan", "Long", "Mai", "Nam", "Phúc", "Tâm"]
PLACES = ["Bù Đăng", "Bù Đốp", "Bù Gia Mập", "Đồng Xoài", "Bình Long", "Phước Long", "Chơn Thành", "Lộc Ninh"]
KINDS = ["Trường THPT", "Trường THCS", "Trường Tiểu học", "Trung tâm Y tế", "Công ty TNHH", "UBND xã", "Phòng"]


def best_of(runs: int, func: Callable[[], object]) -> tuple[float, float, object]:
    """(best wall-clock seconds, best CPU seconds of this process, the result): CPU time shows the cost when other
    processes share the machine."""
    best, best_cpu, result = float("inf"), float("inf"), None
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = func()
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - start_cpu)
    return best, best_cpu, result


def peak_memory(func: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        func()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def assignment_case(rnd: random.Random, entries: int, judges: int, panels: int, k: int):
    slots = [Slot(e, rnd.randrange(panels)) for e in range(1, entries + 1)]
    panel_judges = [PanelJudge(1000 + j, j % panels) for j in range(judges)]
    by_panel: dict[int, list[int]] = {}
    for judge in panel_judges:
        by_panel.setdefault(judge.panel_id, []).append(judge.judge_id)
    pairs = [(j, s.entry_id) for s in slots for j in by_panel[s.panel_id]]
    conflicts = {pair for pair in pairs if rnd.random() < 0.02}
    # 10 % of the round's k x entries judgements already made (e.g. a first batch), never on a conflict.
    existing: set[tuple[int, int]] = set()
    per_entry: dict[int, int] = {}
    for judge_id, entry_id in rnd.sample([pair for pair in pairs if pair not in conflicts], entries * k // 10):
        if per_entry.get(entry_id, 0) < k:
            existing.add((judge_id, entry_id))
            per_entry[entry_id] = per_entry.get(entry_id, 0) + 1
    return slots, panel_judges, conflicts, existing


def bench_assignment(label: str, entries: int, judges: int, panels: int, k: int) -> None:
    rnd = random.Random(SEED)
    slots, panel_judges, conflicts, existing = assignment_case(rnd, entries, judges, panels, k)

    def run():
        return assign(slots, panel_judges, k, conflicts=conflicts, existing=existing)

    seconds, cpu, result = best_of(3, run)
    peak = peak_memory(run)
    print(f"\nassign: {label}")
    print(f"  entries {entries}, judges {judges}, panels {panels}, k {k}, conflicts {len(conflicts)}, ", end="")
    print(f"existing {len(existing)}")
    print(f"  pairs {len(result.pairs)} (added {len(result.added)}), unmet {len(result.unmet)}, ", end="")
    print(f"unbalanced panels {list(result.unbalanced)}")
    print(f"  {'panel':>5} {'entries':>7} {'judges':>6} {'min load':>8} {'max load':>8}")
    for panel_id in sorted({j.panel_id for j in panel_judges}):
        loads = [result.loads[j.judge_id] for j in panel_judges if j.panel_id == panel_id]
        count = sum(s.panel_id == panel_id for s in slots)
        print(f"  {panel_id:>5} {count:>7} {len(loads):>6} {min(loads):>8} {max(loads):>8}")
    print(f"  seconds (best of 3) {seconds:.4f} wall, {cpu:.4f} CPU; peak memory {peak / 1e6:.1f} MB")


def bench_restricted() -> None:
    """A case the greedy start cannot get right alone: the first 500 entries may go to any of 60 judges, the last 500
    only to judges 0-5 (conflicts with the others); balance needs entries handed over along paths."""
    slots = [Slot(e, 1) for e in range(1000)]
    judges = [PanelJudge(j, 1) for j in range(60)]
    conflicts = {(j, e) for e in range(500, 1000) for j in range(6, 60)}
    seconds, cpu, result = best_of(3, lambda: assign(slots, judges, 3, conflicts=conflicts))
    loads = sorted(result.loads.values())
    print("\nassign: 1,000 entries in one panel of 60 judges, the last 500 restricted to 6 judges")
    print(f"  pairs {len(result.pairs)}, unmet {len(result.unmet)}, ", end="")
    print(f"loads: 6 judges {loads[-1]} (the least possible), 54 judges {loads[0]}-{loads[-7]}")
    print(f"  seconds (best of 3) {seconds:.4f} wall, {cpu:.4f} CPU")


def person(rnd: random.Random, units: list[str], index: int) -> PersonInfo:
    name = f"{rnd.choice(FAMILY)} {rnd.choice(MIDDLE)} {rnd.choice(GIVEN)}"
    email = f"p{index}@example.vn" if rnd.random() < 0.7 else ""
    id_number = f"079{index:09d}" if rnd.random() < 0.8 else ""
    return PersonInfo(name, email, id_number, rnd.choice(units) if rnd.random() < 0.9 else "Tự do")


def bench_detect(judge_count: int, entry_count: int, units_per_place: int) -> None:
    rnd = random.Random(SEED)
    units = [f"{kind} {place} {n}" for kind in KINDS for place in PLACES for n in range(1, units_per_place + 1)]
    entries = [
        EntryInfo(e, tuple(person(rnd, units, e * 10 + i) for i in range(rnd.randint(1, 5))), (rnd.choice(units),))
        for e in range(1, entry_count + 1)
    ]
    judges = []
    for j in range(1, judge_count + 1):
        if rnd.random() < 0.05:  # a judge who is also an author somewhere: same email or ID number, other spelling
            author = rnd.choice(rnd.choice(entries).people)
            judges.append(JudgeInfo(j, author.full_name, author.email.upper(), author.id_number, (author.unit,)))
        else:
            chosen = tuple(rnd.sample(units, rnd.randint(1, 2)))
            judges.append(JudgeInfo(j, f"{rnd.choice(FAMILY)} {rnd.choice(GIVEN)}", f"j{j}@sokhcn.vn", "", chosen))
    seconds, cpu, found = best_of(3, lambda: detect(judges, entries))
    peak = peak_memory(lambda: detect(judges, entries))
    people = sum(len(e.people) for e in entries)
    by_kind = {kind: sum(c.kind == kind for c in found) for kind in ("author", "same_unit")}
    print(f"\ndetect: {judge_count} judges x {entry_count} entries ({people} people, {len(units)} units)")
    print(f"  conflicts {len(found)} ({by_kind['author']} author, {by_kind['same_unit']} same_unit)")
    print(f"  seconds (best of 3) {seconds:.4f} wall, {cpu:.4f} CPU; peak memory {peak / 1e6:.1f} MB")


def main() -> None:
    print(f"Python {sys.version.split()[0]}, seed {SEED}")
    bench_assignment("1,000 entries in 7 panels", entries=1000, judges=60, panels=7, k=3)
    bench_assignment("1,000 entries in one panel of 60 judges", entries=1000, judges=60, panels=1, k=3)
    bench_restricted()
    bench_detect(1000, 50_000, units_per_place=30)  # dense: ~90 people per unit, ~160 conflicts per judge
    bench_detect(1000, 50_000, units_per_place=300)  # sparser: ~9 people per unit


if __name__ == "__main__":
    main()
