"""Which entries of a round go on to the next one: the round's advancement rule, pure (no Flask, no database).

A row is ``(entry_id, field_id, score)``: the entry's score in the round (normalised when the round normalises,
else raw; ``None`` when it has none yet) and its field (``None`` for an entry without a field, which then forms a
group of its own). Entries are compared only with the other entries of their field.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

__all__ = ["Row", "boundary_scores", "select_advancing"]

Row = tuple[int, int | None, Decimal | None]


def _by_field(rows: Iterable[Row]) -> dict[int | None, list[tuple[int, Decimal]]]:
    groups: dict[int | None, list[tuple[int, Decimal]]] = {}
    seen: set[int] = set()
    for entry_id, field_id, score in rows:
        if entry_id in seen:
            raise ValueError(f"entry {entry_id} is listed twice")
        seen.add(entry_id)
        if score is None:
            continue
        groups.setdefault(field_id, []).append((entry_id, score))
    return groups


def boundary_scores(rows: Iterable[Row], top_n: int) -> dict[int | None, Decimal]:
    """``{field_id: the score of the field's N-th best entry}`` (of its lowest entry when the field has fewer than
    N scored entries): the score an entry needs to be in its field's top N. Fields without a scored entry, and every
    field when ``top_n < 1``, are left out."""
    if top_n < 1:
        return {}
    result: dict[int | None, Decimal] = {}
    for field_id, scored in _by_field(rows).items():
        ordered = sorted((score for _entry, score in scored), reverse=True)
        result[field_id] = ordered[min(top_n, len(ordered)) - 1]
    return result


def select_advancing(rows: Iterable[Row], top_n: int | None = None, min_score: Decimal | None = None) -> list[int]:
    """The entry ids that advance, listed by field (``None`` last), then by score (highest first), then by id.

    - ``top_n``: the N best entries of each field advance. **Ties at the boundary: every entry with the same score
      as the N-th one advances too**, so a field may send more than N entries (never because of anything but such a
      tie); nobody is left out by an arbitrary order. ``top_n`` of 0 or less lets no entry through.
    - ``min_score``: entries scoring at least ``min_score`` (the minimum itself included) advance.
    - Both given: an entry must satisfy both (be in its field's top N, ties included, AND reach the minimum).
    - Neither given: no entry advances (the rule is not set; the organizers choose by hand).

    An entry without a score (``None``) never advances. The order of ``rows`` does not matter. Raises
    ``ValueError`` when an entry is listed twice.
    """
    rows = list(rows)
    groups = _by_field(rows)
    if top_n is None and min_score is None:
        return []
    boundaries = boundary_scores(rows, top_n) if top_n is not None else None
    chosen: list[tuple[bool, int, Decimal, int]] = []
    for field_id, scored in groups.items():
        for entry_id, score in scored:
            if boundaries is not None and (field_id not in boundaries or score < boundaries[field_id]):
                continue
            if min_score is not None and score < min_score:
                continue
            chosen.append((field_id is None, field_id or 0, score, entry_id))
    chosen.sort(key=lambda item: (item[0], item[1], -item[2], item[3]))
    return [entry_id for *_rest, entry_id in chosen]
