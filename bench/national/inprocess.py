"""The figures timed in this process (in an app context on the generated database): automatic assignment of the
largest round, aggregation and ranking of all the score sheets, the edition's XLSX export next to pandas alone
writing the same frames. Each is timed once (wall and CPU), then run again under tracemalloc for its peak memory
(the memory allocated during the call)."""

from __future__ import annotations

import time
import tracemalloc
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal

from sqlalchemy import func, select

from app.extensions import db
from app.reads import column_rows
from bench.national.dataset import DataSet
from judging import aggregation
from judging.assignment import PanelJudge, Slot, assign
from judging.models import Assignment, PanelField, PanelMember, Round, RoundEntry, RubricCriterion, Score, ScoreSheet
from results import ranking


def timed(func: Callable[[], object], *, memory: bool = True) -> tuple[dict, object]:
    start, start_cpu = time.perf_counter(), time.process_time()
    result = func()
    figures = {
        "seconds": round(time.perf_counter() - start, 3),
        "cpu_seconds": round(time.process_time() - start_cpu, 3),
    }
    if memory:
        tracemalloc.start()
        try:
            func()
            figures["peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 1e6, 1)
        finally:
            tracemalloc.stop()
    return figures, result


def assignment_input(round_id: int) -> tuple[list[Slot], list[PanelJudge]]:
    """The round's entries in their field's panel, and the panels' judges (what the assign service reads)."""
    panel_of_field = dict(db.session.execute(select(PanelField.field_id, PanelField.panel_id)).all())
    from competitions.models import Entry

    slots = [
        Slot(entry_id, panel_of_field[field_id])
        for entry_id, field_id in db.session.execute(
            select(RoundEntry.entry_id, Entry.field_id)
            .join(Entry, Entry.id == RoundEntry.entry_id)
            .where(RoundEntry.round_id == round_id)
        )
    ]
    judges = [PanelJudge(u, p) for p, u in db.session.execute(select(PanelMember.panel_id, PanelMember.user_id))]
    return slots, judges


def measure_assignment(data: DataSet, memory: bool) -> dict:
    round_ = db.session.get(Round, data.prelim_round_id)
    slots, judges = assignment_input(round_.id)
    figures, result = timed(lambda: assign(slots, judges, round_.judges_per_entry), memory=memory)
    figures |= {"entries": len(slots), "judges": len(judges), "pairs": len(result.pairs), "unmet": len(result.unmet)}
    return figures


def load_scores(round_ids: list[int]) -> tuple[dict, dict]:
    """{round: {sheet: {criterion: value}}} and {sheet: (entry, judge)} of the submitted sheets."""
    by_sheet: dict[int, dict[int, dict[int, Decimal]]] = {r: defaultdict(dict) for r in round_ids}
    owners: dict[int, tuple[int, int]] = {}
    rows = column_rows(
        select(
            Assignment.round_id,
            ScoreSheet.id,
            Assignment.entry_id,
            Assignment.judge_id,
            Score.criterion_id,
            Score.value,
        )
        .join(ScoreSheet, ScoreSheet.assignment_id == Assignment.id)
        .join(Score, Score.sheet_id == ScoreSheet.id)
        .where(Assignment.round_id.in_(round_ids), ScoreSheet.status == "submitted")
        .execution_options(yield_per=50_000)
    )
    for round_id, sheet_id, entry_id, judge_id, criterion_id, value in rows:
        by_sheet[round_id][sheet_id][criterion_id] = value
        owners[sheet_id] = (entry_id, judge_id)
    return by_sheet, owners


def aggregate(by_sheet: dict, owners: dict, criteria: dict, fields: dict) -> int:
    """Sheet totals, entry scores (normalised, as a round may ask) and ranks by field, for every round."""
    ranked = 0
    for round_id, sheets in by_sheet.items():
        specs = criteria[round_id]
        totals: dict[int, dict[int, Decimal]] = defaultdict(dict)
        for sheet_id, scores in sheets.items():
            entry_id, judge_id = owners[sheet_id]
            totals[entry_id][judge_id] = aggregation.sheet_total(scores, specs)
        scores = aggregation.normalise(totals).normalised
        aggregation.divergent(totals)
        candidates = [ranking.Candidate(e, s, group=fields.get(e)) for e, s in scores.items()]
        ranked += len(ranking.rank(candidates))
    return ranked


def measure_standings(data: DataSet, memory: bool) -> dict:
    """What the application does: `judging.services.standings.round_standings` of both rounds of the largest edition
    (each sheet's total was worked out from its scores at submit; here every stored total is read, normalised as the
    round asks, checked for divergence and ranked by field) — the aggregation behind the standings and results pages."""
    from judging.services.standings import round_standings

    rounds = [db.session.get(Round, r) for r in (data.prelim_round_id, data.final_round_id)]

    def run() -> int:
        return sum(len(round_standings(r).entries) for r in rounds)

    figures, ranked = timed(run, memory=memory)
    sheets = db.session.scalar(
        select(func.count(ScoreSheet.id))
        .join(Assignment, Assignment.id == ScoreSheet.assignment_id)
        .where(Assignment.round_id.in_([r.id for r in rounds]), ScoreSheet.status == "submitted")
    )
    return figures | {"entries": ranked, "sheets": sheets}


def measure_aggregation(data: DataSet, memory: bool) -> dict:
    """Stricter than the application: every sheet's total worked out again from its raw scores (1.25 M read back),
    then normalised, checked and ranked."""
    from competitions.models import Entry

    round_ids = [data.prelim_round_id, data.final_round_id]
    criteria = {
        r: [
            aggregation.CriterionSpec(c.id, c.max_points, c.weight, c.step)
            for c in db.session.scalars(select(RubricCriterion).where(RubricCriterion.round_id == r))
        ]
        for r in round_ids
    }
    fields = dict(db.session.execute(select(Entry.id, Entry.field_id).where(Entry.contest_id == data.contest_id)).all())
    load, (by_sheet, owners) = timed(lambda: load_scores(round_ids), memory=memory)
    scores = sum(len(s) for sheets in by_sheet.values() for s in sheets.values())
    compute, ranked = timed(lambda: aggregate(by_sheet, owners, criteria, fields), memory=memory)
    return {
        "scores": scores,
        "sheets": len(owners),
        "ranked_entries": ranked,
        "load_seconds": load["seconds"],
        "load_cpu_seconds": load["cpu_seconds"],
        "load_peak_mb": load.get("peak_mb"),
        "seconds": compute["seconds"],
        "cpu_seconds": compute["cpu_seconds"],
        "peak_mb": compute.get("peak_mb"),
        "total_seconds": round(load["seconds"] + compute["seconds"], 3),
        "total_cpu_seconds": round(load["cpu_seconds"] + compute["cpu_seconds"], 3),
    }


def measure_export(data: DataSet, memory: bool) -> dict:
    """The round workbook of the largest round (results.services.workbook: load, build, write) next to pandas alone
    writing the same frames (bench.export_bench.pandas_alone: the write only)."""
    from bench.export_bench import pandas_alone
    from results.services import workbook

    round_ = db.session.get(Round, data.prelim_round_id)
    export, book_bytes = timed(lambda: workbook.round_xlsx(round_), memory=memory)
    book = workbook.load(round_)
    pandas_alone(book)
    pandas_seconds = getattr(pandas_alone, "seconds", None)
    pandas_cpu = getattr(pandas_alone, "cpu_seconds", None)
    figures = {
        "seconds": export["seconds"],
        "cpu_seconds": export["cpu_seconds"],
        "peak_mb": export.get("peak_mb"),
        "bytes": len(book_bytes),
        "pandas_seconds": round(pandas_seconds, 3) if pandas_seconds else None,
        "pandas_cpu_seconds": round(pandas_cpu, 3) if pandas_cpu else None,
    }
    if memory:
        tracemalloc.start()
        try:
            pandas_alone(book)
            figures["pandas_peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 1e6, 1)
        finally:
            tracemalloc.stop()
    if pandas_seconds:
        figures["ratio_to_pandas"] = round(export["seconds"] / pandas_seconds, 2)
    if pandas_cpu:
        figures["cpu_ratio_to_pandas"] = round(export["cpu_seconds"] / pandas_cpu, 2)
    return figures


def measure(data: DataSet, *, memory: bool = True, say=lambda *_a: None) -> dict:
    figures = {}
    for name, measure_one in (
        ("assignment", measure_assignment),
        ("standings", measure_standings),
        ("aggregation", measure_aggregation),
        ("export", measure_export),
    ):
        figures[name] = measure_one(data, memory)
        say(f"  {name}: {figures[name]['seconds']} s, peak {figures[name].get('peak_mb')} MB")
    return figures
