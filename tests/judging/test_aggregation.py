"""judging.aggregation: pure score arithmetic, tested directly (examples worked by hand, and hypothesis properties)."""

from __future__ import annotations

from decimal import Decimal, localcontext
from fractions import Fraction
from itertools import permutations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from judging.aggregation import (
    METHODS,
    CriterionSpec,
    JudgeStats,
    Normalisation,
    combine,
    divergent,
    entry_scores,
    normalise,
    rank,
    rubric_max,
    score_problem,
    sheet_total,
)

D = Decimal
# The suite's autouse fixture gives every test an app context; it holds no state these pure tests depend on.
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

half_points = st.integers(0, 200).map(lambda i: D(i) / 2)  # 0, 0.5, ..., 100
DOMAIN_RUBRIC = (CriterionSpec(1, D(30)), CriterionSpec(2, D(30)), CriterionSpec(3, D(40)))


def panel_totals(max_entries: int = 8, max_judges: int = 4):
    """totals[entry][judge], every entry with at least one judge."""
    return st.dictionaries(
        st.integers(1, max_entries),
        st.dictionaries(st.integers(1, max_judges), half_points, min_size=1),
        min_size=1,
    )


@st.composite
def all_normalised_panel(draw, min_sheets: int = 3):
    """A panel in which every judge scores at least ``min_sheets`` entries with at least two different totals."""
    entries = list(range(1, draw(st.integers(min_sheets, 7)) + 1))
    totals: dict[int, dict[int, Decimal]] = {}
    for judge in range(1, draw(st.integers(1, 3)) + 1):
        chosen = sorted(draw(st.sets(st.sampled_from(entries), min_size=min_sheets)))
        values = draw(st.lists(half_points, min_size=len(chosen), max_size=len(chosen)))
        assume(len(set(values)) > 1)
        for entry, value in zip(chosen, values, strict=True):
            totals.setdefault(entry, {})[judge] = value
    return totals


def assert_same_order(before: dict[int, Decimal], after: dict[int, Decimal]) -> None:
    """No pair of entries is strictly inverted. (Rounding to 0.01 on a rescaled range may merge or split near-ties,
    so equal-vs-unequal is allowed; one above the other in one and below it in the other is not.)"""
    assert before.keys() == after.keys()
    for a, b in permutations(before, 2):
        if before[a] > before[b]:
            assert after[a] >= after[b], (a, b, before, after)
        if after[a] > after[b]:
            assert before[a] >= before[b], (a, b, before, after)


# --- score_problem ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D(0), None),
        (D(30), None),
        (D("29.5"), None),
        (D("12.5"), None),
        (D("30.5"), "above_max"),
        (D(31), "above_max"),
        (D("-0.5"), "negative"),
        (D("12.25"), "off_step"),
        (D("0.1"), "off_step"),
        (None, "missing"),
        (D("NaN"), "missing"),
    ],
)
def test_score_problem_with_half_point_step(value, expected):
    assert score_problem(value, CriterionSpec(1, D(30))) == expected


def test_score_problem_step_one_rejects_halves_that_step_half_accepts():
    whole = CriterionSpec(1, D(30), step=D(1))
    half = CriterionSpec(1, D(30), step=D("0.5"))
    assert score_problem(D("12.5"), whole) == "off_step"
    assert score_problem(D("12.5"), half) is None
    assert score_problem(D(12), whole) is None
    assert score_problem(D(0), whole) is None
    assert score_problem(D(30), whole) is None


def test_score_problem_accepts_a_maximum_that_is_off_step():
    criterion = CriterionSpec(1, D("12.25"), step=D("0.5"))
    assert score_problem(D("12.25"), criterion) is None
    assert score_problem(D("12.5"), criterion) == "above_max"
    assert score_problem(D("12.0"), criterion) is None


def test_criterion_spec_rejects_nonsense():
    with pytest.raises(ValueError):
        CriterionSpec(1, D(0))
    with pytest.raises(ValueError):
        CriterionSpec(1, D(30), weight=D(-1))
    with pytest.raises(ValueError):
        CriterionSpec(1, D(30), step=D(0))


# --- rubric_max, sheet_total -----------------------------------------------------------------------------------------


def test_rubric_max_is_the_sum_of_maxima():
    assert rubric_max(DOMAIN_RUBRIC) == D(100)
    assert rubric_max([]) == D(0)


def test_sheet_total_domain_example():
    total = sheet_total({1: D("25.5"), 2: D(27), 3: D(35)}, DOMAIN_RUBRIC)
    assert total == D("87.5")
    assert isinstance(total, Decimal)


def test_sheet_total_weighted_by_the_formula():
    rubric = (CriterionSpec(1, D(30)), CriterionSpec(2, D(30)), CriterionSpec(3, D(40), weight=D(2)))
    # sum(w*s) = 25.5 + 27 + 2*30 = 112.5; sum(w*max) = 30 + 30 + 2*40 = 140; scale 100 -> 112.5 * 100 / 140
    total = sheet_total({1: D("25.5"), 2: D(27), 3: D(30)}, rubric)
    assert total == D(11250) / D(140)
    assert total.quantize(D("0.01")) == D("80.36")
    assert total != D("82.5")  # the unweighted sum


def test_sheet_total_rejects_missing_and_unknown_scores():
    with pytest.raises(ValueError, match="missing"):
        sheet_total({1: D(20), 2: D(20)}, DOMAIN_RUBRIC)
    with pytest.raises(ValueError, match="missing"):
        sheet_total({1: D(20), 2: D(20), 3: None}, DOMAIN_RUBRIC)
    with pytest.raises(ValueError, match="not in the rubric"):
        sheet_total({1: D(20), 2: D(20), 3: D(20), 4: D(1)}, DOMAIN_RUBRIC)
    with pytest.raises(ValueError):
        sheet_total({1: D(20)}, [CriterionSpec(1, D(30), weight=D(0))])


rubric_with_scores = st.lists(
    st.tuples(st.integers(1, 20).map(lambda i: D(i * 5)), st.integers(1, 10).map(lambda i: D(i) / 2), st.floats(0, 1)),
    min_size=1,
    max_size=5,
).map(
    lambda rows: (
        [CriterionSpec(i, max_points, weight) for i, (max_points, weight, _) in enumerate(rows, start=1)],
        # a score on the 0.5 grid between 0 and max_points, from the fraction drawn
        {i: D(int(fraction * float(max_points) * 2)) / 2 for i, (max_points, _, fraction) in enumerate(rows, start=1)},
    )
)


@PROPERTY
@given(rubric_with_scores)
def test_sheet_total_is_the_exact_formula_converted_once(rubric_scores):
    # sheet_total works in integers over a common denominator; the result must be the Fraction formula's, digit for
    # digit (not only equal: the same Decimal representation, e.g. 87.5 and not 87.50)
    criteria, scores = rubric_scores
    weighted = sum(Fraction(c.weight) * Fraction(scores[c.id]) for c in criteria)
    weighted_max = sum(Fraction(c.weight) * Fraction(c.max_points) for c in criteria)
    exact = weighted * Fraction(rubric_max(criteria)) / weighted_max
    expected = D(exact.numerator) / D(exact.denominator)
    assert str(sheet_total(scores, criteria)) == str(expected)


@PROPERTY
@given(rubric_with_scores, st.integers(1, 1000).map(lambda i: D(i) / 100))
def test_sheet_total_unchanged_when_every_weight_is_scaled(rubric_scores, k):
    criteria, scores = rubric_scores
    scaled = [CriterionSpec(c.id, c.max_points, c.weight * k) for c in criteria]
    assert sheet_total(scores, scaled) == sheet_total(scores, criteria)


@PROPERTY
@given(rubric_with_scores, st.integers(1, 10).map(lambda i: D(i) / 2))
def test_sheet_total_with_equal_weights_is_the_plain_sum(rubric_scores, weight):
    criteria, scores = rubric_scores
    equal = [CriterionSpec(c.id, c.max_points, weight) for c in criteria]
    assert sheet_total(scores, equal) == sum(scores.values())


@PROPERTY
@given(
    max_points=st.integers(2, 20).map(lambda i: D(i * 5)),
    other_weight=st.integers(0, 6).map(lambda i: D(i) / 2),
    base=st.floats(0, 1),
    change=st.integers(1, 40).map(lambda i: D(i) / 2),
    unit=st.integers(1, 4).map(lambda i: D(i) / 2),
)
def test_weight_two_moves_the_total_twice_as_much(max_points, other_weight, base, change, unit):
    heavy, light, other = (
        CriterionSpec(1, max_points, 2 * unit),
        CriterionSpec(2, max_points, unit),
        CriterionSpec(3, max_points, other_weight),
    )
    criteria = [heavy, light, other]
    change = min(change, max_points)
    low = D(int(base * float(max_points - change) * 2)) / 2  # on the 0.5 grid, with room for the change
    scores = {1: low, 2: low, 3: low}
    start = sheet_total(scores, criteria)
    heavy_moved = sheet_total({**scores, 1: low + change}, criteria) - start
    light_moved = sheet_total({**scores, 2: low + change}, criteria) - start
    # formula: a change c on criterion i moves the total by w_i * c * rubric_max / sum(w * max)
    per_weight = change * 3 * max_points / ((3 * unit + other_weight) * max_points)
    tolerance = D("1e-20")
    assert abs(light_moved - unit * per_weight) < tolerance
    assert abs(heavy_moved - 2 * unit * per_weight) < tolerance
    assert abs(heavy_moved - 2 * light_moved) < tolerance


# --- combine, entry_scores -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("totals", "method", "expected"),
    [
        ([D(60), D(70), D(80), D(90), D(100)], "mean", D(80)),
        ([D(60), D(70), D(80), D(90), D(100)], "median", D(80)),
        ([D(60), D(70), D(80), D(90), D(100)], "trimmed", D(80)),
        ([D(100), D(60), D(90), D(80), D(61)], "trimmed", D(77)),  # drops 100 and 60: (61 + 80 + 90) / 3
        ([D(10), D(90), D(91), D(92), D(93), D(200)], "trimmed", D("91.5")),
        ([D(10), D(90), D(91), D(92), D(93), D(200)], "mean", D(96)),  # 576 / 6
        ([D(10), D(90), D(91), D(92), D(93), D(200)], "median", D("91.5")),
        ([D(10), D(90), D(91), D(200)], "trimmed", D("97.75")),  # fewer than 5: the mean
        ([D(70), D(90)], "median", D(80)),
        ([D("72.5")], "median", D("72.5")),
        ([D("72.5")], "trimmed", D("72.5")),
    ],
)
def test_combine_known_values(totals, method, expected):
    result = combine(totals, method)
    assert isinstance(result, Decimal)
    assert result == expected


def test_combine_rejects_empty_and_unknown_method():
    with pytest.raises(ValueError):
        combine([])
    with pytest.raises(ValueError):
        combine([D(1)], "mode")
    assert METHODS == ("mean", "median", "trimmed")


@PROPERTY
@given(st.lists(half_points, min_size=1, max_size=8), st.sampled_from(METHODS), st.randoms(use_true_random=False))
def test_combine_ignores_the_order_of_totals(totals, method, random):
    shuffled = list(totals)
    random.shuffle(shuffled)
    assert combine(shuffled, method) == combine(totals, method)
    assert min(totals) <= combine(totals, method) <= max(totals)


def test_entry_scores_round_to_cents_half_up():
    scores = entry_scores(
        {
            1: {1: D(80), 2: D(85), 3: D(86)},  # 251 / 3 = 83.666...
            2: {1: D(80), 2: D(80), 3: D(80), 4: D("80.5")},  # 80.125: half up gives 80.13 (half even 80.12)
            3: {1: D(80), 2: D(80)},
            4: {},  # no sheets: no score
        }
    )
    assert scores == {1: D("83.67"), 2: D("80.13"), 3: D("80.00")}
    assert [str(s) for s in scores.values()] == ["83.67", "80.13", "80.00"]


def test_entry_scores_uses_the_method():
    totals = {1: {1: D(10), 2: D(90), 3: D(91), 4: D(92), 5: D(93), 6: D(200)}}
    assert entry_scores(totals, "mean") == {1: D("96.00")}
    assert entry_scores(totals, "median") == {1: D("91.50")}
    assert entry_scores(totals, "trimmed") == {1: D("91.50")}
    with pytest.raises(ValueError):
        entry_scores(totals, "max")


@PROPERTY
@given(panel_totals(), st.sampled_from(METHODS), st.randoms(use_true_random=False))
def test_entry_scores_ignore_the_order_of_judges(totals, method, random):
    shuffled = {}
    for entry, by_judge in totals.items():
        items = list(by_judge.items())
        random.shuffle(items)
        shuffled[entry] = dict(items)
    assert entry_scores(shuffled, method) == entry_scores(totals, method)


# --- divergent -------------------------------------------------------------------------------------------------------


def test_divergent_threshold_is_strict():
    totals = {
        1: {1: D(60), 2: D(80)},  # exactly 20 apart: not flagged
        2: {1: D(60), 2: D("80.5")},  # 20.5: flagged
        3: {1: D(95)},  # a single judge: never
        4: {1: D(50), 2: D(71), 3: D(60)},  # 21 between the extremes
        5: {},
    }
    assert divergent(totals) == {2: D("20.5"), 4: D(21)}
    assert divergent(totals, threshold=D("20.5")) == {4: D(21)}
    assert divergent({3: {1: D(95)}}, threshold=D(0)) == {}
    assert divergent({3: {1: D(95)}}, threshold=D(-1)) == {}


# --- normalise -------------------------------------------------------------------------------------------------------


def hand_worked_totals() -> dict[int, dict[int, Decimal]]:
    # judge 1 (lenient, narrow): 65 71 77 63 75 69 -> mean 70, deviations -5 1 7 -7 5 -1, sum of squares 150,
    #   variance 150/6 = 25, spread 5
    # judge 2 (harsh, wide): 58 74 50 70 62 46 -> mean 60, deviations -2 14 -10 10 2 -14, squares 600, variance 100,
    #   spread 10
    # judge 3 scores only entries 1 and 2 (37, 79): below min_sheets, converted with the pooled figures
    return {
        1: {1: D(65), 2: D(58), 3: D(37)},
        2: {1: D(71), 2: D(74), 3: D(79)},
        3: {1: D(77), 2: D(50)},
        4: {1: D(63), 2: D(70)},
        5: {1: D(75), 2: D(62)},
        6: {1: D(69), 2: D(46)},
    }


def test_normalise_hand_worked_example():
    result = normalise(hand_worked_totals(), min_sheets=5)
    assert isinstance(result, Normalisation)
    # pooled over all 14 sheets: sum 420 + 360 + 116 = 896, mean 64; squared deviations from 64:
    #   judge 1: 1 49 169 1 121 25 = 366; judge 2: 36 100 196 36 4 324 = 696; judge 3: 729 225 = 954;
    #   total 2016, variance 2016/14 = 144, spread 12. Judge 3's own: mean 58, spread 21 (unused).
    assert result.judges == {
        1: JudgeStats(1, 6, D(70), D(5), True),
        2: JudgeStats(2, 6, D(60), D(10), True),
        3: JudgeStats(3, 2, D(58), D(21), False),
    }
    # raw: 1: 160/3, 2: 224/3, 3: (77+50)/2, 4: (63+70)/2, 5: (75+62)/2, 6: (69+46)/2
    assert result.raw == {1: D("53.33"), 2: D("74.67"), 3: D("63.50"), 4: D("66.50"), 5: D("68.50"), 6: D("57.50")}
    # z: judge 1 (t-70)/5, judge 2 (t-60)/10, judge 3 pooled (t-64)/12
    #   1: (-1.0 - 0.2 - 2.25)/3 = -1.15   2: (0.2 + 1.4 + 1.25)/3 = 0.95   3: (1.4 - 1.0)/2 = 0.2
    #   4: (-1.4 + 1.0)/2 = -0.2          5: (1.0 + 0.2)/2 = 0.6            6: (-0.2 - 1.4)/2 = -0.8
    # rescaled onto [53.33, 74.67]: 53.33 + (z + 1.15) * 21.34 / 2.1
    #   3: 53.33 + 1.35 * 10.16190476... = 67.0485...  4: 53.33 + 0.95 * 10.1619... = 62.9838...
    #   5: 53.33 + 1.75 * 10.1619... = 71.1133...      6: 53.33 + 0.35 * 10.1619... = 56.8866...
    assert result.normalised == {
        1: D("53.33"),
        2: D("74.67"),
        3: D("67.05"),
        4: D("62.98"),
        5: D("71.11"),
        6: D("56.89"),
    }
    # entries 3 and 4 change places: entry 3's 77 was high for the lenient judge 1, entry 4's 70 ordinary for judge 2
    assert rank(result.raw)[2:4] == [(4, 3), (3, 4)]
    assert rank(result.normalised)[2:4] == [(3, 3), (4, 4)]


def test_normalise_judge_below_min_sheets_or_without_spread_is_not_normalised():
    totals = hand_worked_totals()
    # with min_sheets 7 nobody qualifies: every sheet is converted with the pooled figures
    assert normalise(totals, min_sheets=6).judges[1].normalised  # "at least min_sheets"
    result = normalise(totals, min_sheets=7)
    assert [stats.normalised for stats in result.judges.values()] == [False, False, False]
    # pooled z is a single increasing linear function of the total, so the normalised scores are the raw ones
    assert result.normalised == result.raw
    # a judge with enough sheets but all the same total has no spread
    flat = {entry: {1: D(70), 2: D(50 + entry)} for entry in range(1, 7)}
    stats = normalise(flat, min_sheets=5).judges
    assert stats[1] == JudgeStats(1, 6, D(70), D(0), False)
    assert stats[2].normalised


@PROPERTY
@given(panel_totals(max_entries=6, max_judges=3), st.sampled_from(METHODS))
def test_normalise_everyone_below_min_sheets_reads_as_raw(totals, method):
    result = normalise(totals, min_sheets=100, method=method)
    assert not any(stats.normalised for stats in result.judges.values())
    assert result.raw == entry_scores(totals, method)
    for entry, raw in result.raw.items():
        # an increasing linear map of the raw scores onto their own range; rounding moves it at most a cent
        assert abs(result.normalised[entry] - raw) <= D("0.01")


@PROPERTY
@given(all_normalised_panel(), st.data(), st.integers(-60, 60).map(lambda i: D(i) / 2), st.sampled_from(METHODS))
def test_normalise_ranking_unchanged_by_adding_to_one_judge(totals, data, constant, method):
    judge = data.draw(st.sampled_from(sorted({j for by_judge in totals.values() for j in by_judge})))
    shifted = {e: {j: t + constant if j == judge else t for j, t in by_judge.items()} for e, by_judge in totals.items()}
    before, after = normalise(totals, min_sheets=3, method=method), normalise(shifted, min_sheets=3, method=method)
    assert all(stats.normalised for stats in before.judges.values())
    assert abs(after.judges[judge].mean - (before.judges[judge].mean + constant)) < D("1e-20")
    assert after.judges[judge].spread == before.judges[judge].spread
    assert_same_order(before.normalised, after.normalised)


@PROPERTY
@given(all_normalised_panel(), st.data(), st.integers(1, 500).map(lambda i: D(i) / 100), st.sampled_from(METHODS))
def test_normalise_ranking_unchanged_by_scaling_one_judge(totals, data, factor, method):
    judge = data.draw(st.sampled_from(sorted({j for by_judge in totals.values() for j in by_judge})))
    scaled = {e: {j: t * factor if j == judge else t for j, t in by_judge.items()} for e, by_judge in totals.items()}
    before, after = normalise(totals, min_sheets=3, method=method), normalise(scaled, min_sheets=3, method=method)
    assert all(stats.normalised for stats in before.judges.values())
    assert after.judges[judge].normalised
    assert_same_order(before.normalised, after.normalised)


@PROPERTY
@given(panel_totals(), st.integers(0, 6), st.sampled_from(METHODS))
def test_normalised_scores_lie_within_the_raw_range(totals, min_sheets, method):
    result = normalise(totals, min_sheets=min_sheets, method=method)
    assert result.raw.keys() == result.normalised.keys() == totals.keys()
    low, high = min(result.raw.values()), max(result.raw.values())
    for score in result.normalised.values():
        assert isinstance(score, Decimal)
        assert low <= score <= high
    # the extremes are reached unless every entry has the same z, when all read as the mean raw score
    values = set(result.normalised.values())
    if len(values) > 1:
        assert min(values) == low
        assert max(values) == high


@PROPERTY
@given(panel_totals(), st.integers(0, 6), st.sampled_from(METHODS), st.randoms(use_true_random=False))
def test_normalise_ignores_the_order_of_judges_and_entries(totals, min_sheets, method, random):
    entries = list(totals.items())
    random.shuffle(entries)
    shuffled = {}
    for entry, by_judge in entries:
        judges = list(by_judge.items())
        random.shuffle(judges)
        shuffled[entry] = dict(judges)
    assert normalise(shuffled, min_sheets=min_sheets, method=method) == normalise(
        totals, min_sheets=min_sheets, method=method
    )


def test_normalise_degenerate_panels():
    assert normalise({}) == Normalisation({}, {}, {})
    single = normalise({7: {1: D("81.5"), 2: D(90)}}, min_sheets=1)
    assert single.raw == single.normalised == {7: D("85.75")}
    # every z equal (each entry scored by a judge normalised on their own, mirror images): the mean of raw scores
    mirrored = {1: {1: D(60), 2: D(90)}, 2: {1: D(70), 2: D(80)}, 3: {1: D(80), 2: D(70)}, 4: {1: D(90), 2: D(60)}}
    result = normalise(mirrored, min_sheets=4)
    assert set(result.normalised.values()) == {D("75.00")}
    # again every z equal, now with different raw scores: judge 2's spread (sqrt 125) is twice judge 1's (sqrt 31.25),
    # so each entry's two z-scores cancel -- even though they come from different square roots
    unequal = {1: {1: D(65), 2: D(90)}, 2: {1: D(70), 2: D(80)}, 3: {1: D(75), 2: D(70)}, 4: {1: D(80), 2: D(60)}}
    result = normalise(unequal, min_sheets=4)
    assert result.raw == {1: D("77.50"), 2: D("75.00"), 3: D("72.50"), 4: D("70.00")}
    assert set(result.normalised.values()) == {D("73.75")}  # (77.5 + 75 + 72.5 + 70) / 4
    with pytest.raises(ValueError):
        normalise(mirrored, method="mode")


# --- rank ------------------------------------------------------------------------------------------------------------


def test_rank_ties_share_a_rank_and_the_next_skips():
    scores = {4: D(80), 2: D("85.5"), 3: D("85.5"), 1: D(90), 5: D(80), 6: D(70)}
    assert rank(scores) == [(1, 1), (2, 2), (3, 2), (4, 4), (5, 4), (6, 6)]
    assert rank({}) == []
    assert rank({9: D(1)}) == [(9, 1)]


@PROPERTY
@given(panel_totals(max_entries=12, max_judges=5), st.sampled_from(METHODS))
def test_normalise_judge_stats_are_the_textbook_formulas(totals, method):
    # normalise sums the judges' totals as integers over a common denominator (variance = (n*sum(t^2) - sum(t)^2) /
    # n^2); each judge's mean and population standard deviation must still be the definitions, exactly
    result = normalise(totals, min_sheets=2, method=method)
    for judge, stats in result.judges.items():
        sheets = [Fraction(by_judge[judge]) for by_judge in totals.values() if judge in by_judge]
        mean = sum(sheets) / len(sheets)
        variance = sum((t - mean) ** 2 for t in sheets) / len(sheets)
        with localcontext() as ctx:
            ctx.prec = 40
            spread = (D(variance.numerator) / D(variance.denominator)).sqrt()
        assert stats.count == len(sheets)
        assert stats.mean == D(mean.numerator) / D(mean.denominator)
        assert stats.spread == +spread


def reference_normalised(totals, min_sheets: int, method: str) -> dict[int, Decimal]:
    """Steps 1-6 of `normalise`'s docstring written plainly in fractions: a reference for its integer arithmetic."""
    sheets = [(e, j, Fraction(t)) for e, by_judge in totals.items() for j, t in by_judge.items()]

    def stats(values):
        mean = sum(values) / len(values)
        variance = sum((v - mean) ** 2 for v in values) / len(values)
        with localcontext() as ctx:
            ctx.prec = 40
            return mean, Fraction((D(variance.numerator) / D(variance.denominator)).sqrt())

    pooled = stats([t for _e, _j, t in sheets])
    own = {}
    for judge in {j for _e, j, _t in sheets}:
        mean, spread = stats([t for _e, j, t in sheets if j == judge])
        count = sum(1 for _e, j, _t in sheets if j == judge)
        own[judge] = (mean, spread) if count >= min_sheets and spread > 0 else pooled

    def z(judge, t):
        mean, spread = own[judge]
        return Fraction(round((t - mean) / spread * 10**12), 10**12) if spread else Fraction(0)  # round: half even

    raw = {e: Fraction(v) for e, v in entry_scores(totals, method).items()}
    z_of = {
        e: _exact_combination([z(j, Fraction(t)) for j, t in by_judge.items()], method)
        for e, by_judge in totals.items()
    }
    lo, hi = min(z_of.values()), max(z_of.values())
    if lo == hi:
        level = sum(raw.values()) / len(raw)
        return {e: _cents(level) for e in z_of}
    r_lo, r_hi = min(raw.values()), max(raw.values())
    return {e: _cents(r_lo + (zv - lo) * (r_hi - r_lo) / (hi - lo)) for e, zv in z_of.items()}


def _exact_combination(values: list[Fraction], method: str) -> Fraction:
    values = sorted(values)
    if method == "median":
        middle = len(values) // 2
        return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2
    if method == "trimmed" and len(values) >= 5:
        values = values[1:-1]
    return sum(values) / len(values)


def _cents(value: Fraction) -> Decimal:
    whole, rest = divmod(abs(value) * 100, 1)
    whole += 1 if rest >= Fraction(1, 2) else 0
    return (D(int(whole) if value >= 0 else -int(whole)) / 100).quantize(D("0.01"))


@PROPERTY
@given(panel_totals(max_entries=12, max_judges=5), st.integers(0, 6), st.sampled_from(METHODS))
def test_normalised_scores_are_the_documented_steps(totals, min_sheets, method):
    # the integer arithmetic inside normalise (z in whole units of 1e-12, each rounded once from its exact value)
    # gives what the docstring's steps give computed plainly with fractions
    assert normalise(totals, min_sheets=min_sheets, method=method).normalised == reference_normalised(
        totals, min_sheets, method
    )


def test_z_scores_round_half_even_from_the_exact_quotient():
    # exact ties: with mean 0 and spread 2, a total of n * 1e-12 has z = (n / 2) * 1e-12, half a unit for odd n
    from judging.aggregation import _ZScale

    scale = _ZScale.of(Fraction(0), D(2), 10**12)  # totals are integers n over 10**12
    assert scale.units(1) == 0  # 0.5e-12 -> 0 (even)
    assert scale.units(3) == 2  # 1.5e-12 -> 2 (even)
    assert scale.units(-1) == 0
    assert scale.units(-3) == -2
    assert scale.units(5) == 2  # 2.5e-12 -> 2
    assert scale.units(7) == 4  # 3.5e-12 -> 4
    assert _ZScale.of(Fraction(5), D(0), 1).units(9) == 0  # no spread: every z is 0
