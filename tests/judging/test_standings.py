"""judging.services.standings: a round's standings from its submitted sheets, checked against a computation written
independently here (plain floats and the statistics module), in a bounded number of queries."""

from __future__ import annotations

import random
import statistics
from decimal import ROUND_HALF_UP, Decimal

import pytest

from app.extensions import db
from judging import services
from judging.models import Assignment
from judging.services.standings import round_standings
from tests.competitions.factories import make_contest
from tests.conftest import _empty_tables
from tests.judging.factories import make_eligible_entry, make_judge, make_judging, score
from tests.results.factories import make_judged

D = Decimal
CENT = D("0.01")


def cents(value: float | Decimal) -> Decimal:
    return D(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def second_field(judging, entries: int = 2, judges: int = 2, first_n: int = 100):
    """Entries in the contest's second field, judged by a second sub-panel whose judges each score all of them."""
    contest = judging.contest
    contest.status = "open"  # entries are registered while registration is open
    made = [make_eligible_entry(contest, judging.owner, 1, n) for n in range(first_n, first_n + entries)]
    contest.status = "judging"
    people = [make_judge(contest, n) for n in range(first_n, first_n + judges)]
    services.save_panel(
        contest, "Tiểu ban Nông nghiệp", [contest.fields[1].id], [j.id for j in people], people[0].id, by=None
    )
    services.add_eligible_entries(judging.round, by=None)
    for judge in people:
        for entry in made:
            a = Assignment(round_id=judging.round.id, entry_id=entry.id, judge_id=judge.id, source="manual")
            db.session.add(a)
            judging.assignments[(judge.id, entry.id)] = a
    db.session.commit()
    return made, people


def random_values(rnd: random.Random) -> list[float]:
    return [rnd.randint(0, 60) / 2, rnd.randint(0, 60) / 2, rnd.randint(0, 80) / 2]


def fill(judging, rnd: random.Random, skip: float = 0.2) -> dict[int, dict[int, float]]:
    """Every judge scores every assigned entry at random; about `skip` of the sheets stay drafts. Returns the
    submitted totals as floats, totals[entry_id][judge_id]."""
    totals: dict[int, dict[int, float]] = {}
    for (judge_id, entry_id), assignment in judging.assignments.items():
        values = random_values(rnd)
        submit = rnd.random() >= skip
        score(judging, assignment.judge, assignment.entry, values, submit=submit)
        if submit:
            totals.setdefault(entry_id, {})[judge_id] = sum(values)
    return totals


def independent_raw(values: list[float], method: str) -> Decimal:
    if method == "median":
        return cents(statistics.median(values))
    if method == "trimmed" and len(values) >= 5:
        values = sorted(values)[1:-1]
    return cents(statistics.fmean(values))


def independent_normalised(totals: dict[int, dict[int, float]], min_sheets: int) -> dict[int, float]:
    """z-score per judge (pooled figures for judges with too few sheets or no spread), mean per entry, rescaled."""
    by_judge: dict[int, list[float]] = {}
    for by in totals.values():
        for judge, t in by.items():
            by_judge.setdefault(judge, []).append(t)
    pooled = [t for ts in by_judge.values() for t in ts]
    pm, ps = statistics.fmean(pooled), statistics.pstdev(pooled)
    scale = {}
    for judge, ts in by_judge.items():
        m, s = statistics.fmean(ts), statistics.pstdev(ts)
        scale[judge] = (m, s) if len(ts) >= min_sheets and s > 0 else (pm, ps)
    z = {
        e: statistics.fmean([(t - scale[j][0]) / scale[j][1] if scale[j][1] else 0.0 for j, t in by.items()])
        for e, by in totals.items()
        if by
    }
    raw = {e: float(independent_raw(list(by.values()), "mean")) for e, by in totals.items() if by}
    zlo, zhi, rlo, rhi = min(z.values()), max(z.values()), min(raw.values()), max(raw.values())
    if zhi - zlo < 1e-12:
        return dict.fromkeys(z, statistics.fmean(raw.values()))
    return {e: rlo + (v - zlo) * (rhi - rlo) / (zhi - zlo) for e, v in z.items()}


def competition_ranks(scores: dict[int, Decimal]) -> dict[int, int]:
    return {e: 1 + sum(1 for other in scores.values() if other > s) for e, s in scores.items()}


@pytest.mark.parametrize(("method", "seed"), [("mean", 1), ("mean", 2), ("median", 3), ("trimmed", 4)])
def test_standings_match_an_independent_computation(method, seed):
    rnd = random.Random(seed)
    judging = make_judging(entries=6, judges=3)
    made, _people = second_field(judging, entries=3, judges=2)
    judging.round.method = method
    db.session.commit()
    totals = fill(judging, rnd)

    standings = round_standings(judging.round)

    all_entries = judging.entries + made
    assert set(standings.entries) == {e.id for e in all_entries}
    for entry in all_entries:
        line = standings.entries[entry.id]
        submitted = totals.get(entry.id, {})
        assert {j: float(t) for j, t in line.totals.items()} == pytest.approx(submitted)
        assert line.submitted == len(submitted)
        assert line.expected == (3 if entry in judging.entries else 2)
        assert line.raw == (independent_raw(list(submitted.values()), method) if submitted else None)
        assert line.normalised is None  # the round does not normalise
        assert line.score == line.raw
        spread = max(submitted.values()) - min(submitted.values()) if len(submitted) >= 2 else None
        assert line.spread == (None if spread is None else cents(spread))
        assert line.divergent == (spread is not None and spread > 20)
    for group, members in ((judging.contest.fields[0].id, judging.entries), (judging.contest.fields[1].id, made)):
        scored = {e.id: standings.entries[e.id].raw for e in members if standings.entries[e.id].raw is not None}
        expected_ranks = competition_ranks(scored)
        shown_ranks = {e.id: standings.entries[e.id].rank for e in members}
        assert shown_ranks == {e.id: expected_ranks.get(e.id) for e in members}
        (shown,) = [f for f in standings.fields if f.field_id == group]
        ranks = [e.rank for e in shown.entries if e.rank is not None]
        assert ranks == sorted(ranks)  # best first
    by_judge: dict[int, list[float]] = {}
    for by in totals.values():
        for judge, t in by.items():
            by_judge.setdefault(judge, []).append(t)
    for line in standings.judges:
        ts = by_judge.get(line.judge_id, [])
        assert line.count == len(ts)
        if ts:
            assert float(line.mean) == pytest.approx(statistics.fmean(ts))
            assert float(line.spread) == pytest.approx(statistics.pstdev(ts))
        assert line.normalised is False and line.why in ("off", "no_sheets")


def test_normalised_scores_only_when_the_round_normalises():
    rnd = random.Random(7)
    judging = make_judging(entries=8, judges=3)
    judging.round.normalise = True
    judging.round.min_sheets = 6
    db.session.commit()
    totals = fill(judging, rnd, skip=0.15)

    standings = round_standings(judging.round)

    expected = independent_normalised(totals, 6)
    for entry_id, value in expected.items():
        line = standings.entries[entry_id]
        assert float(line.normalised) == pytest.approx(value, abs=0.011)
        assert line.score == line.normalised
    counts = {j: sum(1 for by in totals.values() if j in by) for j in (x.id for x in judging.judges)}
    for line in standings.judges:
        assert line.count == counts[line.judge_id]
        assert line.normalised == (counts[line.judge_id] >= 6)
        assert line.why == ("" if counts[line.judge_id] >= 6 else "few_sheets")

    judging.round.normalise = False
    db.session.commit()
    plain = round_standings(judging.round)
    assert all(line.normalised is None and line.score == line.raw for line in plain.entries.values())
    assert {line.why for line in plain.judges} == {"off"}


def test_divergence_is_flagged_only_beyond_the_threshold():
    judging = make_judging(entries=3, judges=2)
    first, second = judging.judges
    a, b, c = judging.entries
    score(judging, first, a, [20, 20, 10])  # 50
    score(judging, second, a, [25, 25, 20])  # 70: exactly 20 apart
    score(judging, first, b, [20, 20, 10])  # 50
    score(judging, second, b, [25, 25, 20.5])  # 70.5: more than 20 apart
    score(judging, first, c, [30, 30, 40])  # only one sheet: never divergent

    standings = round_standings(judging.round)

    assert (standings.entries[a.id].spread, standings.entries[a.id].divergent) == (D(20), False)
    assert (standings.entries[b.id].spread, standings.entries[b.id].divergent) == (D("20.5"), True)
    assert (standings.entries[c.id].spread, standings.entries[c.id].divergent) == (None, False)
    assert [e.entry_id for e in standings.divergent] == [b.id]
    assert [g.entries[0].entry_id for g in standings.filtered(only_divergent=True)] == [b.id]

    judging.round.divergence_threshold = D("20.5")
    db.session.commit()
    assert round_standings(judging.round).divergent == []


def test_drafts_count_as_missing_and_carry_no_total():
    judging = make_judging(entries=2, judges=2)
    first, second = judging.judges
    a, b = judging.entries
    score(judging, first, a, [10, 10, 10])
    score(judging, second, a, [20, 20, 20], submit=False)

    standings = round_standings(judging.round)

    line = standings.entries[a.id]
    assert (line.submitted, line.expected, line.missing) == (1, 2, 1)
    assert line.sheets[second.id].status == "draft" and line.sheets[second.id].total is None
    assert line.raw == D(30)
    assert standings.entries[b.id].raw is None and standings.entries[b.id].rank is None
    assert standings.missing_sheets == 3
    assert standings.advancement_rows() == [(a.id, a.field_id, D(30)), (b.id, b.field_id, None)]


def test_a_constant_number_of_queries(count_queries):
    def measure(entries: int) -> int:
        db.session.remove()
        _empty_tables()
        judging = make_judging(entries=entries, judges=3)
        second_field(judging, entries=entries // 3, judges=2, first_n=200 + entries)
        fill(judging, random.Random(entries))
        db.session.expire_all()
        round_ = db.session.get(type(judging.round), judging.round.id)
        with count_queries() as counted:
            standings = round_standings(round_)
        assert len(standings.entries) == entries + entries // 3
        return counted.n

    small, large = measure(3), measure(12)
    assert small == large <= 6


def test_an_entry_forwarded_to_the_parent_edition_keeps_its_group_and_rank_in_the_childs_round():
    judging = make_judged({1: [[28, 28, 38]], 2: [[20, 20, 30]], 3: [[10, 10, 10]]})
    parent = make_contest()
    child = judging.contest
    child.parent_id = parent.id
    for own, theirs in zip(child.fields, parent.fields, strict=True):
        own.parent_id = theirs.id
    db.session.commit()
    before = [(e.entry_id, e.field_id, e.rank) for e in round_standings(judging.round).entries.values()]

    moved = judging.entries[1]  # forwarded: the entry now has the parent's field (see forwarding.services)
    moved.field_id = parent.fields[0].id
    db.session.commit()
    after = [(e.entry_id, e.field_id, e.rank) for e in round_standings(judging.round).entries.values()]
    assert after == before and after[1] == (moved.id, child.fields[0].id, 2)
