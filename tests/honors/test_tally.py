"""The council's tally (honors/tally.py): quorum, threshold, boundaries, forced abstentions, ranking and ties."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from honors import tally as t
from honors.tally import ABSTAIN, AGREE, DISAGREE, Rules


def votes(key, agree=0, disagree=0, abstain=0, forced=0):
    return (
        [(key, AGREE, False)] * agree
        + [(key, DISAGREE, False)] * disagree
        + [(key, ABSTAIN, False)] * abstain
        + [(key, ABSTAIN, True)] * forced
    )


def test_two_thirds_of_those_voting_passes_exactly_at_the_boundary():
    rules = Rules(members=9)
    result = t.tally(["a", "b", "c"], votes("a", 6, 3) + votes("b", 5, 3) + votes("c", 2, 1, abstain=6), rules)
    a, b, c = (result.by_key[k] for k in "abc")
    assert a.share == Fraction(2, 3) and a.passed and a.outcome == t.HONORED
    assert b.share == Fraction(5, 8) and not b.passed and b.outcome == t.FAILED
    # abstentions are not in the share: 2 of 3 voting is two thirds
    assert c.counts.participants == 9 and c.counts.voting == 3 and c.passed


def test_fractions_are_exact_where_floats_would_not_be():
    # 2/3 as a float is 0.666...6; 666666/999999 must still pass at a threshold of exactly 2/3
    rules = Rules(members=999999, threshold=Fraction(2, 3))
    result = t.tally(["x"], [("x", AGREE, False)] * 666666 + [("x", DISAGREE, False)] * 333333, rules)
    assert result.by_key["x"].passed


def test_quorum_by_share_of_members_counts_abstentions():
    rules = Rules(members=10, quorum_share=Fraction(1, 2))
    assert rules.required == 5
    result = t.tally(["in", "out"], votes("in", 2, 0, abstain=3) + votes("out", 4), rules)
    assert result.by_key["in"].quorum_met and result.by_key["in"].passed
    out = result.by_key["out"]
    assert not out.quorum_met and not out.passed and out.outcome == t.NO_QUORUM


def test_quorum_rounds_up_and_takes_the_larger_rule():
    assert Rules(members=7, quorum_share=Fraction(2, 3)).required == 5  # 4.67 -> 5
    assert Rules(members=7, quorum_share=Fraction(1, 2), quorum_count=6).required == 6
    assert Rules(members=7, quorum_count=3).required == 3
    assert Rules(members=0).required == 1  # at least one vote


def test_nobody_voting_agree_or_disagree_fails_and_a_nominee_without_votes_has_no_quorum():
    result = t.tally(["abst", "none"], votes("abst", abstain=3), Rules(members=3))
    assert result.by_key["abst"].quorum_met and result.by_key["abst"].share is None
    assert not result.by_key["abst"].passed and result.by_key["abst"].outcome == t.FAILED
    assert result.by_key["none"].outcome == t.NO_QUORUM


def test_forced_abstentions_count_as_abstentions_whatever_the_choice_stored():
    counts = t.count([(AGREE, True), (DISAGREE, True), (AGREE, False)])
    assert counts == t.Counts(agree=1, disagree=0, abstain=2, forced=2)
    result = t.tally(["n"], [("n", AGREE, True), ("n", AGREE, True), ("n", DISAGREE, False)], Rules(members=3))
    assert result.by_key["n"].counts.agree == 0 and not result.by_key["n"].passed


def test_share_of_members_base():
    rules = Rules(members=9, base="members")
    result = t.tally(["a", "b"], votes("a", 6, 0, abstain=3) + votes("b", 5, 0), rules)
    assert result.by_key["a"].share == Fraction(6, 9) and result.by_key["a"].passed
    assert result.by_key["b"].share == Fraction(5, 9) and not result.by_key["b"].passed


def test_ranking_by_share_then_agree_count_within_the_number_to_honor():
    rules = Rules(members=12, number_to_honor=2)
    data = votes("a", 9, 3) + votes("b", 10, 2) + votes("c", 8, 0) + votes("d", 4, 0, abstain=8)
    result = t.tally(["a", "b", "c", "d"], data, rules)
    # c and d both 100 %: c has more agree votes; then b (10/12), then a (9/12)
    assert [n.key for n in result.passed] == ["c", "d", "b", "a"]
    assert [n.rank for n in result.passed] == [1, 2, 3, 4]
    assert [n.key for n in result.honored] == ["c", "d"]
    assert result.by_key["b"].outcome == t.BEYOND_NUMBER and result.by_key["a"].outcome == t.BEYOND_NUMBER


def test_a_tie_across_the_cut_is_reported_and_not_decided():
    rules = Rules(members=6, number_to_honor=2)
    data = votes("a", 6) + votes("b", 5, 1) + votes("c", 5, 1) + votes("d", 4, 2)
    result = t.tally(["a", "b", "c", "d"], data, rules)
    assert [n.key for n in result.honored] == ["a"]
    assert {n.key for n in result.tied_at_cut} == {"b", "c"}
    assert result.by_key["b"].rank == result.by_key["c"].rank == 2
    assert result.by_key["d"].rank == 4 and result.by_key["d"].outcome == t.BEYOND_NUMBER
    assert result.seats_left_for_tied == 1


def test_a_tie_that_fits_is_honored_whole():
    rules = Rules(members=6, number_to_honor=3)
    result = t.tally(["a", "b", "c"], votes("a", 6) + votes("b", 5, 1) + votes("c", 5, 1), rules)
    assert {n.key for n in result.honored} == {"a", "b", "c"} and result.seats_left_for_tied == 0


def test_no_number_to_honor_honors_everyone_who_passed():
    result = t.tally(["a", "b"], votes("a", 3) + votes("b", 1, 2), Rules(members=3))
    assert [n.key for n in result.honored] == ["a"]


def test_refuses_votes_for_someone_not_on_the_ballot_and_bad_rules():
    with pytest.raises(ValueError):
        t.tally(["a"], votes("z", 1), Rules(members=1))
    with pytest.raises(ValueError):
        t.count([("maybe", False)])
    for bad in (
        {"members": -1},
        {"members": 3, "threshold": Fraction(3, 2)},
        {"members": 3, "quorum_share": Fraction(-1, 2)},
        {"members": 3, "base": "present"},
        {"members": 3, "number_to_honor": -1},
    ):
        with pytest.raises(ValueError):
            Rules(**bad)


# --- properties -----------------------------------------------------------------------------------------------------

choice = st.sampled_from([(AGREE, False), (DISAGREE, False), (ABSTAIN, False), (ABSTAIN, True), (AGREE, True)])
ballots = st.dictionaries(st.integers(0, 30), st.lists(choice, max_size=15), min_size=1, max_size=12)
rules_strategy = st.builds(
    Rules,
    members=st.integers(0, 15),
    threshold=st.fractions(0, 1),
    quorum_share=st.none() | st.fractions(0, 1),
    quorum_count=st.none() | st.integers(0, 15),
    number_to_honor=st.none() | st.integers(0, 12),
)


def _flatten(data):
    return [(key, c, f) for key, cast in data.items() for c, f in cast]


@given(ballots, rules_strategy, st.randoms())
def test_property_the_tally_does_not_depend_on_the_order_of_votes(data, rules, rnd):
    flat = _flatten(data)
    shuffled = flat[:]
    rnd.shuffle(shuffled)
    assert t.tally(list(data), flat, rules).nominees == t.tally(list(data), shuffled, rules).nominees


@given(ballots, rules_strategy)
def test_property_counts_add_up_and_pass_is_exact(data, rules):
    result = t.tally(list(data), _flatten(data), rules)
    for n in result.nominees:
        cast = data[n.key]
        assert n.counts.participants == len(cast)
        assert n.counts.forced == sum(1 for _c, f in cast if f)
        base = n.counts.voting if rules.base == "voting" else rules.members
        expected = (
            n.counts.participants >= rules.required
            and n.counts.voting > 0
            and base > 0
            and n.counts.agree * rules.threshold.denominator >= rules.threshold.numerator * base
        )
        assert n.passed == expected
        assert (n.rank is not None) == n.passed


@given(ballots, rules_strategy)
def test_property_honored_within_the_number_and_ranked_above_the_rest(data, rules):
    result = t.tally(list(data), _flatten(data), rules)
    honored, tied = result.honored, result.tied_at_cut
    if rules.number_to_honor is not None:
        assert len(honored) <= rules.number_to_honor
        assert len(honored) + len(tied) >= min(rules.number_to_honor, len(result.passed)) or not tied
        if tied:
            assert 0 < result.seats_left_for_tied < len(tied)
    passed_rest = [n for n in result.passed if n.outcome != t.HONORED]
    for h in honored:
        assert h.passed
        for other in passed_rest:
            assert (h.share, h.agree) > (other.share, other.agree)
    assert all(not n.passed for n in result.nominees if n.outcome in (t.FAILED, t.NO_QUORUM))


@given(ballots, rules_strategy, st.integers(0, 30))
def test_property_one_more_agree_vote_never_turns_a_pass_into_a_fail(data, rules, key):
    before = t.tally(list(data), _flatten(data), rules)
    if key not in data or not before.by_key[key].passed:
        return
    more = dict(data)
    more[key] = [*data[key], (AGREE, False)]
    after = t.tally(list(more), _flatten(more), rules)
    assert after.by_key[key].passed


def test_random_large_ballot_matches_a_direct_count():
    rnd = random.Random(7)
    data = {
        k: [rnd.choice([(AGREE, False), (DISAGREE, False), (ABSTAIN, False)]) for _ in range(25)] for k in range(40)
    }
    result = t.tally(list(data), _flatten(data), Rules(members=25, quorum_share=Fraction(1, 2)))
    for key, cast in data.items():
        agree = sum(1 for c, _ in cast if c == AGREE)
        disagree = sum(1 for c, _ in cast if c == DISAGREE)
        assert result.by_key[key].passed == (agree + disagree > 0 and 3 * agree >= 2 * (agree + disagree))
