"""Benchmark of the scoring workbook (results.services.workbook) next to pandas alone writing the same frames.

A synthetic round: 10,000 entries in 7 fields, each scored by 5 of 100 judges on a 5-criterion rubric (50,000
submitted score sheets, 250,000 scores), inserted in bulk into a fresh database (SQLite in a temporary file, or
the PostgreSQL database named by BENCH_DATABASE_URL, whose tables are dropped and created again).

Run from the repository root: `.venv/bin/python -m bench.export_bench [--entries N]`. It prints the time to
generate the data, the export's time (loading, building and writing the workbook: best of 3), the time pandas
alone takes to write the same frames with xlsxwriter (best of 3), their ratio, the workbook's size and peak
memory of the export (tracemalloc). Times are wall-clock with this process's CPU time beside them: on a machine
other processes share, the CPU times and their ratio are the steadier figures. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import sys
import tempfile
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pandas as pd
from sqlalchemy import insert

from app import create_app
from app.accounts.models import User
from app.extensions import db
from app.orgs.models import Organisation
from bench.assignment_bench import FAMILY, GIVEN, KINDS, MIDDLE, PLACES, best_of
from competitions.models import Contest, Entry, Field
from judging.models import Assignment, Round, RoundEntry, RubricCriterion, Score, ScoreSheet
from results.services import workbook

SEED = 20261128
JUDGES_PER_ENTRY = 5
JUDGES = 100
FIELDS = 7
CRITERIA = (("Tính mới", 20), ("Tính sáng tạo", 20), ("Khả năng áp dụng", 20), ("Hiệu quả", 30), ("Trình bày", 10))


def generate(entries: int) -> int:
    """Insert the synthetic round; returns its id."""
    rnd = random.Random(SEED)
    org = Organisation(name="Liên hiệp các hội KH&KT tỉnh", kind="union")
    db.session.add(org)
    db.session.flush()
    contest = Contest(
        organisation_id=org.id,
        kind="innovation",
        name="Hội thi Sáng tạo kỹ thuật",
        year=2026,
        code_prefix="STKT",
        status="judging",
    )
    db.session.add(contest)
    db.session.flush()
    fields = [Field(contest_id=contest.id, name=f"Lĩnh vực {i + 1}", position=i) for i in range(FIELDS)]
    db.session.add_all(fields)
    round_ = Round(
        contest_id=contest.id, kind="final", name="Vòng chung khảo", judges_per_entry=JUDGES_PER_ENTRY, status="scoring"
    )
    round_.criteria = [
        RubricCriterion(name=n, max_points=m, weight=1, step=Decimal("0.5"), position=i)
        for i, (n, m) in enumerate(CRITERIA)
    ]
    db.session.add(round_)
    db.session.flush()
    criteria = [(c.id, int(c.max_points)) for c in round_.criteria]
    field_ids = [f.id for f in fields]
    db.session.execute(
        insert(User),
        [
            {
                "id": 1000 + j,
                "email": f"gk{j}@example.vn",
                "sort_name": f"{j:06d}",
                "full_name": f"{rnd.choice(FAMILY)} {rnd.choice(MIDDLE)} {rnd.choice(GIVEN)}",
            }
            for j in range(JUDGES)
        ],
    )
    db.session.execute(
        insert(Entry),
        [
            {
                "id": e,
                "contest_id": contest.id,
                "seq": e,
                "code": f"STKT-{e:05d}",
                "status": "eligible",
                "title": f"Giải pháp {e} cho {rnd.choice(PLACES)}",
                "field_id": field_ids[e % FIELDS],
                "unit_name": f"{rnd.choice(KINDS)} {rnd.choice(PLACES)}",
            }
            for e in range(1, entries + 1)
        ],
    )
    db.session.execute(insert(RoundEntry), [{"round_id": round_.id, "entry_id": e} for e in range(1, entries + 1)])
    assignments, sheets, scores = [], [], []
    for e in range(1, entries + 1):
        for j in rnd.sample(range(JUDGES), JUDGES_PER_ENTRY):
            a = len(assignments) + 1
            assignments.append({"id": a, "round_id": round_.id, "entry_id": e, "judge_id": 1000 + j, "source": "auto"})
            values = [Decimal(rnd.randrange(0, 2 * m + 1)) / 2 for _cid, m in criteria]
            sheets.append(
                {
                    "id": a,
                    "assignment_id": a,
                    "status": "submitted",
                    "total": sum(values),
                    "comment": "Giải pháp có tính thực tiễn." if rnd.random() < 0.3 else "",
                }
            )
            scores += [
                {"sheet_id": a, "criterion_id": cid, "value": v} for (cid, _m), v in zip(criteria, values, strict=True)
            ]
    for model, rows in ((Assignment, assignments), (ScoreSheet, sheets), (Score, scores)):
        for start in range(0, len(rows), 20_000):
            db.session.execute(insert(model), rows[start : start + 20_000])
    db.session.commit()
    return round_.id


def pandas_alone(book: workbook.RoundWorkbook) -> bytes:
    """The same frames (one per sheet of the workbook, same values) written by pandas with xlsxwriter, nothing else."""
    frames = []
    for sheet in workbook.sheets(book):
        rows = list(sheet.rows)
        frames.append((sheet.title[:31], pd.DataFrame({c.header: [c.value(r) for r in rows] for c in sheet.columns})))
    buffer = io.BytesIO()
    start, start_cpu = time.perf_counter(), time.process_time()
    with pd.ExcelWriter(buffer, engine="xlsxwriter") as writer:
        for title, frame in frames:
            frame.to_excel(writer, sheet_name=title, index=False)
    pandas_alone.seconds = time.perf_counter() - start  # type: ignore[attr-defined]
    pandas_alone.cpu_seconds = time.process_time() - start_cpu  # type: ignore[attr-defined]
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL")
    tmp = tempfile.TemporaryDirectory()
    url = url or f"sqlite:///{tmp.name}/bench.sqlite3"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "SECRET_KEY": "bench" * 8})
    with app.app_context(), app.test_request_context():
        db.drop_all()
        db.create_all()
        start = time.perf_counter()
        round_id = generate(args.entries)
        generated = time.perf_counter() - start
        round_ = db.session.get(Round, round_id)
        print(
            f"database: {db.engine.dialect.name}; {args.entries:,} entries x {JUDGES_PER_ENTRY} judges x "
            f"{len(CRITERIA)} criteria generated in {generated:.1f} s"
        )
        export_s, export_cpu, data = best_of(3, lambda: workbook.round_xlsx(round_))
        book = workbook.load(round_)
        pandas_runs, pandas_cpu_runs = [], []
        for _ in range(3):
            pandas_alone(book)
            pandas_runs.append(pandas_alone.seconds)  # type: ignore[attr-defined]
            pandas_cpu_runs.append(pandas_alone.cpu_seconds)  # type: ignore[attr-defined]
        pandas_s, pandas_cpu = min(pandas_runs), min(pandas_cpu_runs)
        tracemalloc.start()
        workbook.round_xlsx(round_)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(f"export (load + build + write): {export_s:.2f} s (CPU {export_cpu:.2f} s), {len(data) / 1e6:.1f} MB")
        print(f"pandas alone writing the same frames: {pandas_s:.2f} s (CPU {pandas_cpu:.2f} s)")
        ratio, cpu_ratio = export_s / pandas_s, export_cpu / pandas_cpu
        print(f"ratio export / pandas alone: {ratio:.2f} (target <= 1.5); of their CPU times: {cpu_ratio:.2f}")
        print(f"peak memory of the export (tracemalloc): {peak / 1e6:.0f} MB")
        db.session.remove()
        db.drop_all()


if __name__ == "__main__":
    main()
