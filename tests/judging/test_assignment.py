"""Automatic assignment of judges (judging.assignment): hand cases, then properties with hypothesis, checked
against an independent count of what each entry can get and, on small panels, against every possible assignment."""

from __future__ import annotations

import ast
import itertools
import random
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from judging import assignment
from judging.assignment import PanelJudge, Result, Slot, Unmet, assign


@pytest.fixture(autouse=True)
def _app_context():
    """Pure rules: no application and no database (replaces tests/conftest.py's autouse fixture)."""
    yield


PROPERTY_SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def panel(panel_id: int, entries, judges) -> tuple[list[Slot], list[PanelJudge]]:
    return [Slot(e, panel_id) for e in entries], [PanelJudge(j, panel_id) for j in judges]


def judges_of(result: Result) -> dict[int, set[int]]:
    by_entry: dict[int, set[int]] = {}
    for judge_id, entry_id in result.pairs:
        by_entry.setdefault(entry_id, set()).add(judge_id)
    return by_entry


# --- hand cases ---------------------------------------------------------------------------------------------


def test_four_judges_ten_entries_two_each_are_perfectly_even():
    slots, judges = panel(1, range(1, 11), [11, 12, 13, 14])
    result = assign(slots, judges, 2)
    assert result.loads == {11: 5, 12: 5, 13: 5, 14: 5}
    assert all(len(js) == 2 for js in judges_of(result).values())
    assert len(result.pairs) == 20 and result.added == result.pairs
    assert result.unmet == () and result.unbalanced == ()


def test_three_judges_ten_entries_two_each_are_seven_seven_six():
    slots, judges = panel(1, range(1, 11), [21, 22, 23])
    result = assign(slots, judges, 2)
    assert sorted(result.loads.values(), reverse=True) == [7, 7, 6]
    assert set(judges_of(result)) == set(range(1, 11))
    assert result.unmet == ()


def test_conflicts_force_an_uneven_but_valid_assignment():
    slots, judges = panel(1, [1, 2, 3, 4], [10, 20])
    conflicts = {(10, 2), (10, 3), (10, 4)}
    result = assign(slots, judges, 1, conflicts=conflicts)
    assert result.pairs == {(10, 1), (20, 2), (20, 3), (20, 4)}
    assert result.loads == {10: 1, 20: 3}
    assert result.unmet == ()
    assert result.unbalanced == (1,)


def test_conflicts_need_a_chain_of_hand_overs_to_even_the_loads():
    # In id order a greedy pass gives entry 1 to judge 1, entry 2 to judge 2, and entry 3 can only go to judge 1:
    # evening out needs entry 1 to move to judge 2 and entry 2 to judge 3.
    slots, judges = panel(7, [1, 2, 3], [1, 2, 3])
    conflicts = {(3, 1), (1, 2), (2, 3), (3, 3)}
    result = assign(slots, judges, 1, conflicts=conflicts)
    assert result.pairs == {(2, 1), (3, 2), (1, 3)}
    assert result.loads == {1: 1, 2: 1, 3: 1}
    assert result.unbalanced == ()


def test_the_lightest_judges_are_evened_out_even_when_the_heaviest_cannot_be_relieved():
    # Judge 1 already has five entries of another round's slots; a greedy pass gives entries 1 and 2 to judge 2
    # (entry 2 can only go to judge 2), while entry 1 could go to judge 3.
    slots, judges = panel(1, [1, 2], [1, 2, 3])
    existing = {(1, e) for e in range(100, 105)}
    result = assign(slots, judges, 1, conflicts={(1, 1), (1, 2), (3, 2)}, existing=existing)
    assert result.added == {(3, 1), (2, 2)}
    assert result.loads == {1: 5, 2: 1, 3: 1}
    assert result.unbalanced == (1,)


def test_existing_assignments_are_kept_even_at_the_cost_of_balance():
    slots, judges = panel(1, [1, 2, 3, 4], [10, 20])
    existing = {(10, 1), (10, 2), (10, 3)}
    result = assign(slots, judges, 1, existing=existing)
    assert existing <= result.pairs
    assert result.added == {(20, 4)}
    assert result.loads == {10: 3, 20: 1}
    assert result.unbalanced == (1,)


def test_existing_assignments_count_towards_k_and_towards_the_loads():
    slots, judges = panel(1, range(1, 7), [10, 20, 30])
    existing = {(10, 1), (10, 2), (20, 1)}
    result = assign(slots, judges, 2, existing=existing)
    assert existing <= result.pairs and not existing & result.added
    assert all(len(js) == 2 for js in judges_of(result).values())
    assert sorted(result.loads.values()) == [4, 4, 4]
    assert sum(result.loads.values()) == len(result.pairs) == 12


def test_more_existing_judges_than_k_are_all_kept_and_nothing_is_added():
    slots, judges = panel(1, [1], [10, 20, 30])
    existing = {(10, 1), (20, 1), (30, 1)}
    result = assign(slots, judges, 2, existing=existing)
    assert result.pairs == existing and result.added == frozenset()
    assert result.unmet == ()


def test_existing_judges_from_outside_the_panel_count_and_are_reported_in_the_loads():
    slots, judges = panel(1, [1, 2], [10, 20])
    result = assign(slots, judges, 2, existing={(99, 1)})
    assert len(judges_of(result)[1]) == 2 and (99, 1) in result.pairs
    assert result.loads[99] == 1
    assert result.loads[10] + result.loads[20] == 3


def test_a_panel_with_fewer_than_k_judges_leaves_its_entries_unmet():
    slots, judges = panel(5, [1, 2], [10])
    result = assign(slots, judges, 2)
    assert result.pairs == {(10, 1), (10, 2)}
    assert result.unmet == (
        Unmet(entry_id=1, panel_id=5, needed=2, assigned=1, reason="panel_too_small"),
        Unmet(entry_id=2, panel_id=5, needed=2, assigned=1, reason="panel_too_small"),
    )


def test_a_panel_without_judges_leaves_every_entry_with_none():
    result = assign([Slot(1, 3), Slot(2, 3)], [PanelJudge(10, 4)], 2)
    assert result.pairs == frozenset()
    assert [(u.entry_id, u.assigned, u.reason) for u in result.unmet] == [
        (1, 0, "panel_too_small"),
        (2, 0, "panel_too_small"),
    ]
    assert result.loads == {10: 0}


def test_heavy_conflicts_leave_an_entry_unmet_for_conflicts():
    slots, judges = panel(1, [1, 2, 3], [10, 20, 30])
    conflicts = {(10, 2), (20, 2), (10, 3), (20, 3), (30, 3)}
    result = assign(slots, judges, 2, conflicts=conflicts)
    assert judges_of(result)[2] == {30}
    assert 3 not in judges_of(result)
    assert result.unmet == (Unmet(2, 1, 2, 1, "conflicts"), Unmet(3, 1, 2, 0, "conflicts"))
    assert not result.pairs & conflicts


def test_judges_only_ever_get_entries_of_their_own_panel():
    slots = [Slot(e, 1 + e % 3) for e in range(30)]
    judges = [PanelJudge(j, 1 + j % 3) for j in range(100, 112)]
    result = assign(slots, judges, 3)
    panel_of_entry = {s.entry_id: s.panel_id for s in slots}
    panel_of_judge = {j.judge_id: j.panel_id for j in judges}
    assert all(panel_of_judge[j] == panel_of_entry[e] for j, e in result.pairs)
    assert sorted(result.loads.values()) == [7] * 6 + [8] * 6  # 30 entries x 3 judges over 4 judges per panel


def test_k_zero_assigns_nothing_and_misses_nothing():
    slots, judges = panel(1, [1, 2], [10])
    assert assign(slots, judges, 0) == Result(frozenset(), frozenset(), (), {10: 0})


@pytest.mark.parametrize(
    ("slots", "judges", "k", "kwargs", "message"),
    [
        ([Slot(1, 1)], [PanelJudge(10, 1)], -1, {}, "k must be"),
        ([Slot(1, 1), Slot(1, 2)], [PanelJudge(10, 1)], 1, {}, "entry 1 is in two sub-panels"),
        ([Slot(1, 1)], [PanelJudge(10, 1), PanelJudge(10, 2)], 1, {}, "judge 10 is in two sub-panels"),
        ([Slot(1, 1)], [PanelJudge(10, 1)], 1, {"conflicts": {(10, 1)}, "existing": {(10, 1)}}, "conflicts of"),
    ],
)
def test_contradictory_input_is_refused(slots, judges, k, kwargs, message):
    with pytest.raises(ValueError, match=message):
        assign(slots, judges, k, **kwargs)


def test_the_same_slot_or_judge_given_twice_counts_once():
    slots, judges = panel(1, [1, 2], [10, 20])
    assert assign(slots + slots, judges + judges, 1) == assign(slots, judges, 1)


def test_a_large_round_with_conflicts_and_existing_pairs_is_covered_and_balanced():
    rnd = random.Random(2026)
    slots = [Slot(e, e % 7) for e in range(1000)]
    judges = [PanelJudge(j, j % 7) for j in range(1000, 1060)]
    same_panel = [(j.judge_id, s.entry_id) for s in slots for j in judges if j.panel_id == s.panel_id]
    conflicts = {pair for pair in same_panel if rnd.random() < 0.02}
    existing = set(rnd.sample([pair for pair in same_panel if pair not in conflicts], 300))
    result = assign(slots, judges, 3, conflicts=conflicts, existing=existing)
    assert result.unmet == ()
    assert all(len(js) >= 3 for js in judges_of(result).values())
    for panel_id in range(7):
        loads = [result.loads[j.judge_id] for j in judges if j.panel_id == panel_id]
        assert max(loads) - min(loads) <= 1


# --- properties ----------------------------------------------------------------------------------------------


@st.composite
def rounds(draw, max_judges: int = 8, max_entries: int = 40, max_k: int = 3, max_panels: int = 3):
    """Panels of 1-8 judges and 0-40 entries, k, random conflicts, a random subset of other pairs as existing,
    and sometimes existing pairs with entries outside the slots."""
    slots: list[Slot] = []
    judges: list[PanelJudge] = []
    pairs: list[tuple[int, int]] = []
    for panel_id in range(draw(st.integers(1, max_panels))):
        entry_ids = [panel_id * 1000 + i for i in range(draw(st.integers(0, max_entries)))]
        judge_ids = [panel_id * 1000 + 500 + i for i in range(draw(st.integers(1, max_judges)))]
        slots += [Slot(e, panel_id) for e in entry_ids]
        judges += [PanelJudge(j, panel_id) for j in judge_ids]
        pairs += [(j, e) for j in judge_ids for e in entry_ids]
    k = draw(st.integers(1, max_k))
    conflict_rate = draw(st.sampled_from([0.0, 0.1, 0.3, 0.7]))
    existing_rate = draw(st.sampled_from([0.0, 0.05, 0.2]))
    seed = draw(st.integers(0, 2**32 - 1))
    rnd = random.Random(seed)
    conflicts = {pair for pair in pairs if rnd.random() < conflict_rate}
    existing = {pair for pair in pairs if pair not in conflicts and rnd.random() < existing_rate}
    if draw(st.booleans()):  # some judges already judge entries outside these slots (an earlier batch)
        existing |= {(j.judge_id, 9000 + i) for j in judges for i in range(rnd.choice([0, 0, 1, 3]))}
    return slots, judges, k, conflicts, existing


def expected_count(entry_id: int, panel_judges: list[int], k: int, conflicts, existing) -> int:
    """How many judges an entry can have: its existing ones, topped up with free judges of its panel up to k."""
    have = {j for j, e in existing if e == entry_id}
    free = [j for j in panel_judges if j not in have and (j, entry_id) not in conflicts]
    return len(have) + max(0, min(k - len(have), len(free)))


def check_result(slots, judges, k, conflicts, existing, result: Result) -> None:
    panel_judges: dict[int, list[int]] = {}
    for j in judges:
        panel_judges.setdefault(j.panel_id, []).append(j.judge_id)
    panel_of_entry = {s.entry_id: s.panel_id for s in slots}
    by_entry = judges_of(result)

    assert not result.pairs & set(conflicts)  # (a)
    assert set(existing) <= result.pairs  # (b)
    assert result.added == result.pairs - set(existing)
    for judge_id, entry_id in result.added:  # added pairs stay inside the panel
        assert judge_id in panel_judges[panel_of_entry[entry_id]]

    unmet = {u.entry_id: u for u in result.unmet}
    for slot in slots:  # (c) and (d)
        js = panel_judges.get(slot.panel_id, [])
        count = expected_count(slot.entry_id, js, k, conflicts, existing)
        assert len(by_entry.get(slot.entry_id, ())) == count
        if count >= k:
            assert slot.entry_id not in unmet
        else:
            reason = "panel_too_small" if len(js) < k else "conflicts"
            assert unmet.pop(slot.entry_id) == Unmet(slot.entry_id, slot.panel_id, k, count, reason)
    assert not unmet
    assert [u.entry_id for u in result.unmet] == sorted(u.entry_id for u in result.unmet)

    assert result.loads == {j.judge_id: 0 for j in judges} | Counter(j for j, _ in result.pairs)
    spread = {p: max(result.loads[j] for j in js) - min(result.loads[j] for j in js) for p, js in panel_judges.items()}
    assert result.unbalanced == tuple(sorted(p for p, s in spread.items() if s > 1))
    if not existing and not conflicts:  # (e)
        assert all(s <= 1 for s in spread.values())
    if not existing and all(
        sum((j, s.entry_id) not in conflicts for j in panel_judges.get(s.panel_id, [])) >= k for s in slots
    ):
        assert result.unmet == ()


@PROPERTY_SETTINGS
@given(rounds())
def test_assignment_properties(case):
    slots, judges, k, conflicts, existing = case
    check_result(
        slots, judges, k, conflicts, existing, assign(slots, judges, k, conflicts=conflicts, existing=existing)
    )


@PROPERTY_SETTINGS
@given(rounds(), st.randoms(use_true_random=False))
def test_assignment_is_deterministic_whatever_the_input_order(case, rnd):
    slots, judges, k, conflicts, existing = case
    first = assign(slots, judges, k, conflicts=conflicts, existing=existing)
    assert assign(slots, judges, k, conflicts=conflicts, existing=existing) == first
    shuffled_slots, shuffled_judges = list(slots), list(judges)
    rnd.shuffle(shuffled_slots)
    rnd.shuffle(shuffled_judges)
    conflict_list, existing_list = sorted(conflicts), sorted(existing)
    rnd.shuffle(conflict_list)
    rnd.shuffle(existing_list)
    again = assign(shuffled_slots, shuffled_judges, k, conflicts=set(conflict_list), existing=existing_list)
    assert again == first
    assert list(again.loads) == list(first.loads)


def all_assignments(entries, judge_ids, k, conflicts, existing):
    """Every assignment meeting coverage (each entry topped up as far as it can be): lists of added pairs."""
    choices = []
    for entry_id in entries:
        have = {j for j, e in existing if e == entry_id}
        free = [j for j in judge_ids if j not in have and (j, entry_id) not in conflicts]
        wanted = max(0, min(k - len(have), len(free)))
        choices.append([[(j, entry_id) for j in combo] for combo in itertools.combinations(free, wanted)])
    for combo in itertools.product(*choices):
        yield [pair for pairs in combo for pair in pairs]


@settings(max_examples=150, deadline=None)
@given(rounds(max_judges=4, max_entries=5, max_k=2, max_panels=1))
def test_loads_are_as_even_as_any_assignment_could_make_them(case):
    slots, judges, k, conflicts, existing = case
    result = assign(slots, judges, k, conflicts=conflicts, existing=existing)
    judge_ids = [j.judge_id for j in judges]
    base = Counter(j for j, _ in existing)
    best_max, best_min, best_sorted = None, None, None
    for added in all_assignments([s.entry_id for s in slots], judge_ids, k, conflicts, existing):
        loads = base + Counter(j for j, _ in added)
        values = sorted((loads[j] for j in judge_ids), reverse=True)
        best_max = values[0] if best_max is None else min(best_max, values[0])
        best_min = values[-1] if best_min is None else max(best_min, values[-1])
        best_sorted = values if best_sorted is None else min(best_sorted, values)
    got = sorted((result.loads[j] for j in judge_ids), reverse=True)
    assert got[0] == best_max  # the heaviest judge is as light as possible
    assert got[-1] == best_min  # and, at the same time, the lightest as heavy as possible
    assert got == best_sorted  # in fact the whole load vector is decreasingly minimal


def test_the_module_is_pure():
    tree = ast.parse(Path(assignment.__file__).read_text(encoding="utf-8"))
    imported = {
        (node.module if isinstance(node, ast.ImportFrom) else alias.name).split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert imported <= {"__future__", "collections", "dataclasses", "heapq"}
