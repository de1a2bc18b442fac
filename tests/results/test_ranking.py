"""Ranking for results: score first, then the tie-break chain (criteria, then the Board), groups apart."""

from __future__ import annotations

import itertools
import random
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from results.ranking import BOARD, Candidate, default_chain, rank

D = Decimal
CHAIN = ["effectiveness", "novelty", BOARD]


def c(entry_id, score, eff=None, nov=None, group=None):
    criteria = {k: D(v) for k, v in (("effectiveness", eff), ("novelty", nov)) if v is not None}
    return Candidate(entry_id, D(score), criteria, group)


def as_table(ranked):
    return [(r.entry_id, r.rank, r.tied, r.decided_by) for r in ranked]


def test_score_first_then_effectiveness_then_novelty_then_the_board():
    candidates = [
        c(1, "80", eff="30", nov="25"),
        c(2, "85", eff="30", nov="25"),
        c(3, "80", eff="32", nov="20"),  # beats 1 on effectiveness
        c(4, "80", eff="30", nov="27"),  # beats 1 on novelty
        c(5, "80", eff="30", nov="25"),  # equal to 1 on everything: the Board decides
    ]
    assert as_table(rank(candidates, CHAIN)) == [
        (2, 1, False, None),
        (3, 2, False, None),
        (4, 3, False, "effectiveness"),
        (1, 4, True, "novelty"),
        (5, 4, True, None),
    ]
    decided = rank(candidates, CHAIN, board_order=[5, 1])
    assert as_table(decided)[3:] == [(5, 4, False, "novelty"), (1, 5, False, BOARD)]


def test_without_a_chain_equal_scores_share_a_rank_and_the_next_rank_skips():
    ranked = rank([c(1, "90"), c(2, "70"), c(3, "90"), c(4, "60")])
    assert [(r.entry_id, r.rank, r.tied) for r in ranked] == [(1, 1, True), (3, 1, True), (2, 3, False), (4, 4, False)]


def test_a_missing_criterion_counts_as_lowest():
    ranked = rank([c(1, "80"), c(2, "80", eff="10")], ["effectiveness"])
    assert [(r.entry_id, r.rank) for r in ranked] == [(2, 1), (1, 2)]


def test_groups_are_ranked_apart():
    ranked = rank([c(1, "50", group="A"), c(2, "90", group="B"), c(3, "60", group="A")])
    assert [(r.group, r.entry_id, r.rank) for r in ranked] == [("A", 3, 1), ("A", 1, 2), ("B", 2, 1)]


def test_default_chain_finds_effectiveness_and_novelty_by_name():
    rubric = [("c1", "Tính mới, tính sáng tạo"), ("c2", "Khả năng áp dụng"), ("c3", "Hiệu quả kinh tế - kỹ thuật")]
    assert default_chain(rubric) == ["c3", "c1", BOARD]
    assert default_chain([("x", "Trình bày")]) == [BOARD]


scores = st.decimals(min_value=0, max_value=100, places=1, allow_nan=False, allow_infinity=False)


@given(st.lists(st.tuples(scores, scores, scores), min_size=1, max_size=25), st.randoms(use_true_random=False))
def test_rank_does_not_depend_on_input_order_and_respects_scores(rows, rnd: random.Random):
    candidates = [c(i, s, eff=e, nov=n) for i, (s, e, n) in enumerate(rows, start=1)]
    shuffled = candidates[:]
    rnd.shuffle(shuffled)
    first, second = rank(candidates, CHAIN), rank(shuffled, CHAIN)
    assert first == second
    assert [r.rank for r in first] == sorted(r.rank for r in first)
    assert all(a.score >= b.score for a, b in itertools.pairwise(first))
    # ranks are standard competition ranks: a rank equals 1 + the number of entries strictly ahead
    for r in first:
        assert r.rank == 1 + sum(1 for o in first if o.rank < r.rank)
