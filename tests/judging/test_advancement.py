"""judging.advancement: the advancement rule, pure (worked examples and hypothesis properties)."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from judging.advancement import boundary_scores, select_advancing

D = Decimal
# The suite's autouse fixture gives every test an app context; these pure tests do not use it.
PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

scores = st.one_of(st.none(), st.integers(0, 40).map(lambda i: D(i) * D("2.5")))  # coarse, so that ties happen


@st.composite
def round_rows(draw):
    """(entry_id, field_id, score) rows with distinct entry ids, in a few fields (None: an entry without a field)."""
    n = draw(st.integers(0, 25))
    fields = draw(st.lists(st.sampled_from([1, 2, 3, None]), min_size=n, max_size=n))
    values = draw(st.lists(scores, min_size=n, max_size=n))
    return [(entry_id, field, score) for entry_id, field, score in zip(range(1, n + 1), fields, values, strict=True)]


top_ns = st.one_of(st.none(), st.integers(0, 6))
minimums = st.one_of(st.none(), st.integers(0, 40).map(lambda i: D(i) * D("2.5")))

ROWS = [
    (1, 10, D("90")),
    (2, 10, D("85.5")),
    (3, 10, D("85.5")),
    (4, 10, D("70")),
    (5, 20, D("60")),
    (6, 20, D("75")),
    (7, 20, None),
    (8, None, D("99")),
]


def test_top_n_per_field_listed_by_field_then_score():
    assert select_advancing(ROWS, top_n=1) == [1, 6, 8]


def test_ties_at_the_boundary_all_advance():
    # The 2nd best of field 10 is 85.5, shared by entries 2 and 3: both advance, so field 10 sends three.
    assert select_advancing(ROWS, top_n=2) == [1, 2, 3, 6, 5, 8]
    assert boundary_scores(ROWS, 2) == {10: D("85.5"), 20: D("60"), None: D("99")}


def test_minimum_score_is_inclusive():
    assert select_advancing(ROWS, min_score=D("75")) == [1, 2, 3, 6, 8]
    assert select_advancing(ROWS, min_score=D("85.5")) == [1, 2, 3, 8]


def test_both_rules_must_hold():
    # top 2 gives 1, 2, 3 / 6, 5 / 8; at least 70 removes entry 5 (60).
    assert select_advancing(ROWS, top_n=2, min_score=D("70")) == [1, 2, 3, 6, 8]


def test_no_rule_means_nobody():
    assert select_advancing(ROWS) == []


def test_unscored_entries_never_advance():
    assert 7 not in select_advancing(ROWS, top_n=10)
    assert 7 not in select_advancing(ROWS, min_score=D(0))


def test_top_zero_lets_nobody_through():
    assert select_advancing(ROWS, top_n=0) == []


def test_an_entry_listed_twice_is_refused():
    with pytest.raises(ValueError):
        select_advancing([(1, 1, D(5)), (1, 2, D(6))], top_n=1)


@PROPERTY
@given(round_rows(), top_ns, minimums, st.randoms(use_true_random=False))
def test_order_of_rows_does_not_matter(rows, top_n, min_score, rnd):
    shuffled = list(rows)
    rnd.shuffle(shuffled)
    assert select_advancing(shuffled, top_n, min_score) == select_advancing(rows, top_n, min_score)


@PROPERTY
@given(round_rows(), top_ns, minimums, st.integers(0, 20).map(lambda i: D(i)))
def test_raising_the_minimum_never_adds_entries(rows, top_n, min_score, more):
    low = set(select_advancing(rows, top_n, min_score))
    high = set(select_advancing(rows, top_n, (min_score or D(0)) + more))
    if min_score is not None:
        assert high <= low


@PROPERTY
@given(round_rows(), st.integers(0, 6), minimums)
def test_raising_top_n_never_removes_entries(rows, top_n, min_score):
    assert set(select_advancing(rows, top_n, min_score)) <= set(select_advancing(rows, top_n + 1, min_score))


@PROPERTY
@given(round_rows(), st.integers(0, 6))
def test_at_most_top_n_per_field_except_ties_at_the_boundary(rows, top_n):
    chosen = set(select_advancing(rows, top_n))
    by_field = Counter(field for entry, field, _score in rows if entry in chosen)
    for field, count in by_field.items():
        chosen_scores = sorted((s for e, f, s in rows if e in chosen and f == field), reverse=True)
        lowest = chosen_scores[-1]
        if count > top_n:
            # Only ties: fewer than N entries beat the lowest chosen score, which the N-th best entry has.
            assert sum(1 for s in chosen_scores if s > lowest) < top_n
        # Nobody left out of the field scores at least as much as a chosen entry.
        left_out = [s for e, f, s in rows if f == field and e not in chosen and s is not None]
        assert all(s < lowest for s in left_out)
    # A field with scored entries sends at least min(N, how many) of them.
    for field in {f for _e, f, s in rows if s is not None}:
        scored = sum(1 for _e, f, s in rows if f == field and s is not None)
        assert by_field.get(field, 0) >= min(top_n, scored)


@PROPERTY
@given(round_rows(), st.integers(0, 6), st.integers(0, 40).map(lambda i: D(i) * D("2.5")))
def test_both_rules_are_the_intersection_of_each(rows, top_n, min_score):
    both = set(select_advancing(rows, top_n, min_score))
    assert both == set(select_advancing(rows, top_n)) & set(select_advancing(rows, min_score=min_score))


@PROPERTY
@given(round_rows(), top_ns, minimums)
def test_only_scored_entries_and_each_once(rows, top_n, min_score):
    chosen = select_advancing(rows, top_n, min_score)
    assert len(chosen) == len(set(chosen))
    unscored = {e for e, _f, s in rows if s is None}
    assert not unscored & set(chosen)
    if min_score is not None:
        score = {e: s for e, _f, s in rows}
        assert all(score[e] >= min_score for e in chosen)
