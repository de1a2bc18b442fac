"""Pure ranking of judged entries for results: by final-round score, ties broken by a configured chain.

No Flask, no database. The chain is a sequence of keys, each the key of a per-criterion mean score (for the
defaults of the domain notes: effectiveness, then novelty) or `BOARD`, the Board's recorded decision. Scores are
``Decimal`` (never ``float``).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from app.text import normalize_search

BOARD = "board"
"""The last link of a tie-break chain: the order the Board of organisers decided, recorded with a reason."""


@dataclass(frozen=True)
class Candidate:
    """An entry to rank: its final-round score, its mean score per criterion key (for tie-breaks) and the group it
    is ranked in (a field, an age group, or None for the whole contest)."""

    entry_id: int
    score: Decimal
    criteria: Mapping[str, Decimal] = field(default_factory=dict)
    group: Hashable = None


@dataclass(frozen=True)
class Ranked:
    """A ranked entry. `rank` is the standard competition rank within its group (1, 2, 2, 4): entries still tied
    after the whole chain share it and have `tied` set (the Board must decide). `decided_by` names the chain link
    that separated the entry from the one ranked just above it (None when the score alone did, or for the first)."""

    entry_id: int
    group: Hashable
    rank: int
    score: Decimal
    tied: bool = False
    decided_by: str | None = None


def rank(
    candidates: Iterable[Candidate],
    chain: Sequence[str] = (),
    board_order: Sequence[int] = (),
) -> list[Ranked]:
    """Rank `candidates` within each group: higher score first; equal scores are compared link by link along
    `chain`: a criterion key compares the candidates' mean scores on that criterion (higher first, a missing value
    counts as lowest); `BOARD` compares positions in `board_order` (entry ids in the order the Board decided; an
    entry the Board did not place comes after those it did). Entries equal on the score and on every link share a
    rank (standard competition ranking, 1, 2, 2, 4) and are marked `tied`; they are listed by entry id, a listing
    order only.

    Groups are returned in order of first appearance; the result does not depend on the order of `candidates`
    otherwise.
    """
    board = {entry_id: i for i, entry_id in enumerate(board_order)}
    groups: dict[Hashable, list[Candidate]] = {}
    for c in sorted(candidates, key=lambda c: c.entry_id):
        groups.setdefault(c.group, []).append(c)
    out: list[Ranked] = []
    for group, members in groups.items():
        keyed = sorted(members, key=lambda c: (_sort_key(c, chain, board), c.entry_id))
        keys = [_sort_key(c, chain, board) for c in keyed]
        for i, c in enumerate(keyed):
            same_as_above = i > 0 and keys[i] == keys[i - 1]
            same_as_below = i + 1 < len(keyed) and keys[i] == keys[i + 1]
            position = out[-1].rank if same_as_above else i + 1
            decided = None if i == 0 or same_as_above else _deciding_link(keys[i - 1], keys[i], chain)
            out.append(Ranked(c.entry_id, group, position, c.score, same_as_above or same_as_below, decided))
    return out


def _sort_key(c: Candidate, chain: Sequence[str], board: Mapping[int, int]) -> tuple:
    key: list = [-c.score]
    for link in chain:
        if link == BOARD:
            key.append(board.get(c.entry_id, len(board)))
        else:
            value = c.criteria.get(link)
            key.append((1, 0) if value is None else (0, -value))
    return tuple(key)


def _deciding_link(above: tuple, below: tuple, chain: Sequence[str]) -> str | None:
    """The chain link that first separates two keys; None when the score does."""
    if above[0] != below[0]:
        return None
    for link, a, b in zip(chain, above[1:], below[1:], strict=True):
        if a != b:
            return link
    return None


def default_chain(criteria: Sequence[tuple[str, str]]) -> list[str]:
    """The domain's default chain for a rubric given as (key, name) pairs: the effectiveness criterion ("Hiệu quả..."),
    then the novelty one ("Tính mới..."), then the Board. A criterion the rubric lacks is left out."""

    def find(word: str) -> str | None:
        return next((key for key, name in criteria if normalize_search(name).startswith(word)), None)

    chain = [key for key in (find("hieu qua"), find("tinh moi")) if key is not None]
    return [*chain, BOARD]
