"""Award allocation (quotas, empty tiers, minimum scores, ties at a quota boundary), special prizes, team ranking."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from results.awards import (
    ENCOURAGEMENT,
    FIRST,
    SECOND,
    THIRD,
    Author,
    Tier,
    allocate,
    oldest_authors,
    team_ranking,
    units_with_most,
    youngest_authors,
)
from results.ranking import Candidate, rank

D = Decimal


def ranked(*scores, group=None):
    return rank([Candidate(i, D(str(s)), group=group) for i, s in enumerate(scores, start=1)])


def test_quotas_are_filled_top_down():
    tiers = [Tier(FIRST, 1), Tier(SECOND, 2), Tier(THIRD, 2), Tier(ENCOURAGEMENT, 3)]
    got = allocate(ranked(95, 90, 88, 85, 80, 75, 70, 65, 60, 55), tiers)
    assert got.awards == {
        1: FIRST,
        2: SECOND,
        3: SECOND,
        4: THIRD,
        5: THIRD,
        6: ENCOURAGEMENT,
        7: ENCOURAGEMENT,
        8: ENCOURAGEMENT,
    }
    assert got.boundary_ties == ()


def test_a_minimum_score_leaves_a_tier_empty_and_moves_entries_down():
    tiers = [Tier(FIRST, 1, D(90)), Tier(SECOND, 2, D(80)), Tier(THIRD, 3, D(70)), Tier(ENCOURAGEMENT, None, D(50))]
    got = allocate(ranked(85, 82, 81, 72, 49), tiers)
    assert got.awards == {1: SECOND, 2: SECOND, 3: THIRD, 4: THIRD}  # nobody reaches 90: no First
    assert FIRST not in got.awards.values()


def test_a_quota_of_zero_and_nothing_below_the_last_tier():
    got = allocate(ranked(90, 80, 70), [Tier(FIRST, 0), Tier(SECOND, 1)])
    assert got.awards == {1: SECOND}


def test_a_tie_at_a_quota_boundary_is_not_split_and_is_reported():
    tiers = [Tier(FIRST, 1), Tier(SECOND, 2), Tier(THIRD, 2)]
    got = allocate(ranked(90, 90, 80, 70), tiers)
    # two entries tie for First with room for one: both get Second (room 2), the Board is asked to decide
    assert got.awards == {1: SECOND, 2: SECOND, 3: THIRD, 4: THIRD}
    assert got.boundary_ties == ((1, 2),)


def test_a_tie_that_fits_nowhere_closes_the_tiers_to_lower_entries():
    got = allocate(ranked(90, 90, 90, 50), [Tier(FIRST, 1), Tier(SECOND, 2)])
    assert got.awards == {}  # the third-ranked-by-score entry never gets a prize above the tied ones
    assert got.boundary_ties == ((1, 2, 3),)


def test_quotas_per_field_apply_to_each_group():
    rows = ranked(90, 80, group="A") + rank([Candidate(3, D(70), group="B"), Candidate(4, D(60), group="B")])
    got = allocate(rows, [Tier(FIRST, 1), Tier(SECOND, 1)])
    assert got.awards == {1: FIRST, 2: SECOND, 3: FIRST, 4: SECOND}


tier_lists = st.lists(
    st.tuples(st.one_of(st.none(), st.integers(0, 4)), st.one_of(st.none(), st.integers(0, 100))),
    min_size=1,
    max_size=4,
)


@given(st.lists(st.integers(0, 100), max_size=30), tier_lists)
def test_allocation_never_exceeds_a_quota_nor_rewards_below_a_minimum_nor_inverts_the_order(scores, spec):
    codes = [FIRST, SECOND, THIRD, ENCOURAGEMENT][: len(spec)]
    tiers = [Tier(code, q, None if m is None else D(m)) for code, (q, m) in zip(codes, spec, strict=True)]
    rows = ranked(*scores)
    score = {r.entry_id: r.score for r in rows}
    got = allocate(rows, tiers).awards
    for tier in tiers:
        holders = [e for e, t in got.items() if t == tier.code]
        if tier.quota is not None:
            assert len(holders) <= tier.quota
        if tier.min_score is not None:
            assert all(score[e] >= tier.min_score for e in holders)
    order = {code: i for i, code in enumerate(codes)}
    for a in rows:
        for b in rows:
            if a.rank < b.rank and b.entry_id in got:
                # a higher-ranked entry has an award at least as high as a lower-ranked one
                assert a.entry_id in got and order[got[a.entry_id]] <= order[got[b.entry_id]]
            if a.rank == b.rank:
                assert got.get(a.entry_id) == got.get(b.entry_id)


def test_youngest_and_oldest_authors_with_ties_on_the_day():
    authors = [
        Author(1, 11, date(2010, 5, 1)),
        Author(2, 21, date(2012, 3, 9)),
        Author(3, 31, date(2012, 3, 9)),
        Author(3, 32, None),
        Author(4, 41, date(2008, 1, 2)),
    ]
    assert [a.person_id for a in youngest_authors(authors)] == [21, 31]
    assert [a.person_id for a in oldest_authors(authors)] == [41]
    assert youngest_authors([Author(1, 1, None)]) == []


def test_unit_with_most_finalists():
    assert units_with_most({"Trường A": 3, "Trường B": 5, "Trường C": 5}) == ["Trường B", "Trường C"]
    assert units_with_most({}) == [] and units_with_most({"Trường A": 0}) == []


def test_team_ranking_by_points_then_higher_tiers_then_entries():
    awarded = [
        ("Trường A", FIRST),
        ("Trường A", None),  # 4 points, 2 entries
        ("Trường B", SECOND),
        ("Trường B", ENCOURAGEMENT),  # 4 points, no First
        ("Trường C", THIRD),
        ("Trường C", THIRD),  # 4 points, no First nor Second
        ("Trường D", FIRST),  # 4 points, 1 entry: below A on entries
        ("Trường E", None),
    ]
    table = team_ranking(awarded)
    assert [(r.unit, r.rank, r.points) for r in table] == [
        ("Trường A", 1, 4),
        ("Trường D", 2, 4),
        ("Trường B", 3, 4),
        ("Trường C", 4, 4),
        ("Trường E", 5, 0),
    ]
    assert table[0].counts == (1, 0, 0, 0) and table[0].entries == 2
    tied = team_ranking([("X", FIRST), ("Y", FIRST)])
    assert [(r.unit, r.rank) for r in tied] == [("X", 1), ("Y", 1)]
