"""Automatic assignment of judges to the entries of a round.

Pure Python: no Flask, no SQLAlchemy. Each entry to judge is a `Slot` (entry, sub-panel), each judge a `PanelJudge`
(judge, sub-panel: one sub-panel per judge in a round); `assign` returns every (judge_id, entry_id) pair.

Guarantees of `assign(slots, judges, k, conflicts=..., existing=...)`:

1. **Coverage first.** Every entry gets k judges: its existing ones, then judges of its own sub-panel. When that
   cannot be done it gets as many as possible (all its sub-panel's judges that are free of conflict), and is
   listed in `Result.unmet` with what it needed and got, and why: "panel_too_small" (its sub-panel has fewer than
   k judges) or "conflicts" (enough judges, too many of them in conflict). "balance" is never a reason: balance
   is never bought with coverage.
2. **No conflict**: no pair in `conflicts` is ever added. An existing pair that is also a conflict is a
   contradiction the caller must settle (remove the assignment, or the conflict) before: `ValueError`.
3. **Existing pairs are kept**, all of them, and count in the loads and towards their entry's k (whatever the
   judge's sub-panel). A judge is never given an entry twice.
4. **Balance.** Among all assignments meeting 1-3, the loads of each sub-panel's judges (their total number of
   entries in the round, existing ones included) are decreasingly minimal: the highest load is as low as it
   can be, the lowest as high as it can be (both at once), and so on. So they differ by at most one whenever any
   assignment achieves that; when existing pairs or conflicts make it impossible, the sub-panel is listed in
   `Result.unbalanced`.
5. **Deterministic**: the same input gives the same output, whatever the order of `slots`, `judges` and the
   sets; ties are broken by the lowest ids.

How: coverage needs no search (judges have no capacity, so each entry simply takes min(k - existing, judges
free of conflict)). A greedy pass gives each entry, the most constrained first, the least-loaded of its free
judges. Then the loads are levelled by augmenting paths in the residual graph of that flow (entries -> judges):
judge a hands an entry over to judge b, who hands one over to judge c..., until a judge loaded two less than a.
Each move lowers the sum of squared loads, so it ends; and the set of achievable load vectors is M-convex (a
Minkowski sum of uniform-matroid bases), where no improving exchange left means decreasingly minimal (Frank and
Murota, "Discrete decreasing minimization", 2018). 1,000 entries x 60 judges x k=3 take a few hundredths of a
second.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Collection, Sequence
from dataclasses import dataclass

__all__ = ["UNMET_REASONS", "PanelJudge", "Result", "Slot", "Unmet", "assign"]

UNMET_REASONS = ("panel_too_small", "conflicts", "balance")


@dataclass(frozen=True)
class Slot:
    entry_id: int
    panel_id: int


@dataclass(frozen=True)
class PanelJudge:
    judge_id: int
    panel_id: int


@dataclass(frozen=True)
class Unmet:
    entry_id: int
    panel_id: int
    needed: int
    assigned: int
    reason: str  # "panel_too_small" or "conflicts" (see UNMET_REASONS)


@dataclass(frozen=True)
class Result:
    pairs: frozenset[tuple[int, int]]  # (judge_id, entry_id): all of them, the existing ones included
    added: frozenset[tuple[int, int]]  # the new ones
    unmet: tuple[Unmet, ...]  # by entry id
    loads: dict[int, int]  # judge -> total load in the round, for every judge given or met in `existing`
    unbalanced: tuple[int, ...] = ()  # panels whose loads differ by more than one, unavoidably


def assign(
    slots: Sequence[Slot],
    judges: Sequence[PanelJudge],
    k: int,
    *,
    conflicts: Collection[tuple[int, int]] = frozenset(),
    existing: Collection[tuple[int, int]] = frozenset(),
) -> Result:
    """Assign k judges of its sub-panel to each entry (guarantees in the module docstring).

    `conflicts` and `existing` hold (judge_id, entry_id) pairs. Raises `ValueError` when k is negative, an entry or
    a judge is given in two sub-panels, or an existing pair is also a conflict.
    """
    if k < 0:
        raise ValueError(f"k must be 0 or more, not {k}")
    entry_panel = _panel_of(((s.entry_id, s.panel_id) for s in slots), "entry")
    judge_panel = _panel_of(((j.judge_id, j.panel_id) for j in judges), "judge")
    existing = frozenset(existing)
    clash = existing.intersection(conflicts)
    if clash:
        raise ValueError(f"existing assignments that are conflicts of interest: {sorted(clash)}")

    load: dict[int, int] = dict.fromkeys(sorted(judge_panel), 0)
    judged_by: dict[int, set[int]] = {}  # entry -> its existing judges
    for judge_id, entry_id in existing:
        load[judge_id] = load.get(judge_id, 0) + 1
        judged_by.setdefault(entry_id, set()).add(judge_id)
    blocked: dict[int, set[int]] = {}  # entry -> judges in conflict with it
    for judge_id, entry_id in conflicts:
        blocked.setdefault(entry_id, set()).add(judge_id)

    panels: dict[int, tuple[list[int], list[int]]] = {}  # panel -> (its entries, its judges)
    for entry_id, panel_id in sorted(entry_panel.items()):
        panels.setdefault(panel_id, ([], []))[0].append(entry_id)
    for judge_id, panel_id in sorted(judge_panel.items()):
        panels.setdefault(panel_id, ([], []))[1].append(judge_id)

    added: set[tuple[int, int]] = set()
    unmet: list[Unmet] = []
    unbalanced: list[int] = []
    for panel_id in sorted(panels):
        entries, panel_judges = panels[panel_id]
        free: dict[int, list[int]] = {}  # entry -> judges it may still get
        wanted: dict[int, int] = {}  # entry -> how many of them it gets
        for entry_id in entries:
            have = len(judged_by.get(entry_id, ()))
            if have >= k:
                continue
            taken = judged_by.get(entry_id, set()) | blocked.get(entry_id, set())
            free[entry_id] = [j for j in panel_judges if j not in taken]
            wanted[entry_id] = min(k - have, len(free[entry_id]))
            if have + wanted[entry_id] < k:
                reason = "panel_too_small" if len(panel_judges) < k else "conflicts"
                unmet.append(Unmet(entry_id, panel_id, k, have + wanted[entry_id], reason))
        chosen = _greedy(free, wanted, load)
        _level(panel_judges, free, chosen, load)
        added.update((judge_id, entry_id) for entry_id, js in chosen.items() for judge_id in js)
        if panel_judges and max(load[j] for j in panel_judges) - min(load[j] for j in panel_judges) > 1:
            unbalanced.append(panel_id)

    unmet.sort(key=lambda u: u.entry_id)
    return Result(
        pairs=frozenset(existing | added),
        added=frozenset(added),
        unmet=tuple(unmet),
        loads=dict(sorted(load.items())),
        unbalanced=tuple(unbalanced),
    )


def _panel_of(items, what: str) -> dict[int, int]:
    panel_of: dict[int, int] = {}
    for item_id, panel_id in items:
        if panel_of.setdefault(item_id, panel_id) != panel_id:
            raise ValueError(f"{what} {item_id} is in two sub-panels: {panel_of[item_id]} and {panel_id}")
    return panel_of


def _greedy(free: dict[int, list[int]], wanted: dict[int, int], load: dict[int, int]) -> dict[int, dict[int, None]]:
    """Each entry, the most constrained first (fewest free judges, then lowest id), takes its `wanted`
    least-loaded free judges (lowest id first among equals): a good start that leaves little to level.

    Returns entry -> its new judges (a dict used as an ordered set); `load` is updated.
    """
    chosen: dict[int, dict[int, None]] = {}
    for entry_id in sorted(free, key=lambda e: (len(free[e]), e)):
        picks = heapq.nsmallest(wanted[entry_id], free[entry_id], key=lambda j: (load[j], j))
        for judge_id in picks:
            load[judge_id] += 1
        chosen[entry_id] = dict.fromkeys(picks)
    return chosen


def _level(
    judges: list[int], free: dict[int, list[int]], chosen: dict[int, dict[int, None]], load: dict[int, int]
) -> None:
    """Move new assignments between `judges` along exchange paths until no judge can hand one, directly or
    through others, to a judge loaded two less: the loads are then decreasingly minimal. Updates `chosen`, `load`.
    """
    if len(judges) < 2:
        return
    entries_of: dict[int, dict[int, None]] = {j: {} for j in judges}  # judge -> entries newly given (removable)
    for entry_id, picks in chosen.items():
        for judge_id in picks:
            entries_of[judge_id][entry_id] = None
    # Sweeps over the load levels present, highest first (the heaviest judges are relieved first); a sweep that
    # moves nothing proves the loads decreasingly minimal: for a threshold between two levels the search would
    # start from the same judges as at the level above it, and look for fewer.
    moved = True
    while moved:
        moved = False
        for threshold in sorted({load[j] for j in judges}, reverse=True):
            while threshold - 2 >= min(load[j] for j in judges) and _move_one(
                judges, threshold, free, chosen, entries_of, load
            ):
                moved = True


def _move_one(
    judges: list[int],
    threshold: int,
    free: dict[int, list[int]],
    chosen: dict[int, dict[int, None]],
    entries_of: dict[int, dict[int, None]],
    load: dict[int, int],
) -> bool:
    """Breadth-first search from every judge loaded `threshold` or more to a judge loaded `threshold` - 2 or less,
    through "judge -> an entry newly given to them -> a free judge of that entry not yet on it"; when found, shift
    each entry of the path to the next judge (the first judge loses one, the last gains one). True if moved.
    """
    came_from: dict[int, int | None] = {}  # judge -> the entry it was reached through (None: a start)
    handed_by: dict[int, int] = {}  # entry -> the judge who would hand it over
    queue: deque[int] = deque()
    for judge_id in judges:
        if load[judge_id] >= threshold:
            came_from[judge_id] = None
            queue.append(judge_id)
    target = None
    while queue and target is None:
        judge_id = queue.popleft()
        for entry_id in entries_of[judge_id]:
            if entry_id in handed_by:
                continue
            handed_by[entry_id] = judge_id
            on_it = chosen[entry_id]
            for other in free[entry_id]:
                if other in came_from or other in on_it:
                    continue
                came_from[other] = entry_id
                if load[other] <= threshold - 2:
                    target = other
                    break
                queue.append(other)
            if target is not None:
                break
    if target is None:
        return False
    load[target] += 1
    judge_id = target
    while (entry_id := came_from[judge_id]) is not None:
        giver = handed_by[entry_id]
        del chosen[entry_id][giver], entries_of[giver][entry_id]
        chosen[entry_id][judge_id] = None
        entries_of[judge_id][entry_id] = None
        judge_id = giver
    load[judge_id] -= 1
    return True
