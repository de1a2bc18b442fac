"""The council's tally (kiểm phiếu): pure rules, no Flask, exact arithmetic with `Fraction`.

Per nominee, each member of the council returns one vote: agree, disagree or abstain (a forced abstention, where
the member has a conflict, counts as an abstention).

- **Taking part** (`participants`) = agree + disagree + abstain: every member who returned a vote on the nominee.
  Abstentions count toward the quorum (the member took part), but not toward the pass share.
- **Quorum**: `participants >= required`, where `required` is the larger of `ceil(quorum_share * members)` and
  `quorum_count` (either may be left out; with neither, any participation is a quorum, but at least one vote).
- **Voting** = agree + disagree. A nominee **passes** when the quorum is met, at least one member voted, and
  `agree / voting >= threshold` (default 2/3, a boundary share passes: 2 of 3 is two thirds). With
  `base="members"` the share is `agree / members` instead (the stricter rule some councils use).
- **Ranking** of those who passed, when more pass than the number to honor: by agree share (higher first), then
  by agree count (more first). Nominees equal on both share a rank (1, 1, 3). The honored are those ranked within
  the number; a group of equals that straddles the cut is reported (`TIE_AT_CUT`) and none of it is honored
  automatically: the organizer decides between them.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Generic, TypeVar

AGREE, DISAGREE, ABSTAIN = "agree", "disagree", "abstain"
CHOICES = (AGREE, DISAGREE, ABSTAIN)
BASES = ("voting", "members")
DEFAULT_THRESHOLD = Fraction(2, 3)

#: Outcomes of a nominee.
HONORED = "honored"  # passed, within the number to honor
TIE_AT_CUT = "tie_at_cut"  # passed, tied with others across the last place: the organizer decides
BEYOND_NUMBER = "beyond_number"  # passed, ranked after the number to honor
FAILED = "failed"  # quorum met, share below the threshold (or nobody voted agree or disagree)
NO_QUORUM = "no_quorum"  # too few members took part
OUTCOMES = (HONORED, TIE_AT_CUT, BEYOND_NUMBER, FAILED, NO_QUORUM)

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Rules:
    """The council's rules: its size, the quorum, the pass threshold and how many may be honored (None: any)."""

    members: int
    threshold: Fraction = DEFAULT_THRESHOLD
    quorum_share: Fraction | None = None
    quorum_count: int | None = None
    number_to_honor: int | None = None
    base: str = "voting"

    def __post_init__(self) -> None:
        if self.members < 0:
            raise ValueError("members must be >= 0")
        if not 0 <= self.threshold <= 1:
            raise ValueError("threshold must be between 0 and 1")
        if self.quorum_share is not None and not 0 <= self.quorum_share <= 1:
            raise ValueError("quorum share must be between 0 and 1")
        if self.quorum_count is not None and self.quorum_count < 0:
            raise ValueError("quorum count must be >= 0")
        if self.number_to_honor is not None and self.number_to_honor < 0:
            raise ValueError("number to honor must be >= 0")
        if self.base not in BASES:
            raise ValueError(f"unknown base {self.base!r}")

    @property
    def required(self) -> int:
        """Members who must take part in a nominee's vote for it to count (at least one)."""
        by_share = math.ceil(self.quorum_share * self.members) if self.quorum_share is not None else 0
        return max(1, by_share, self.quorum_count or 0)


@dataclass(frozen=True)
class Counts:
    agree: int = 0
    disagree: int = 0
    abstain: int = 0
    #: of the abstentions, how many were forced by a conflict
    forced: int = 0

    @property
    def voting(self) -> int:
        return self.agree + self.disagree

    @property
    def participants(self) -> int:
        return self.agree + self.disagree + self.abstain


@dataclass(frozen=True)
class NomineeTally(Generic[K]):
    key: K
    counts: Counts
    quorum_met: bool
    #: agree over the base (voting, or members); None when the base is zero
    share: Fraction | None
    passed: bool
    #: among those who passed (1 is best; equals share a rank); None for the others
    rank: int | None = None
    outcome: str = FAILED

    @property
    def agree(self) -> int:
        return self.counts.agree

    @property
    def disagree(self) -> int:
        return self.counts.disagree

    @property
    def abstain(self) -> int:
        return self.counts.abstain


@dataclass(frozen=True)
class Tally(Generic[K]):
    rules: Rules
    #: in the order the nominees were given
    nominees: list[NomineeTally[K]]
    by_key: dict[K, NomineeTally[K]] = field(repr=False)

    def with_outcome(self, *outcomes: str) -> list[NomineeTally[K]]:
        return [n for n in self.nominees if n.outcome in outcomes]

    @property
    def honored(self) -> list[NomineeTally[K]]:
        """Honored nominees by rank (then in the order given)."""
        return sorted(self.with_outcome(HONORED), key=lambda n: n.rank or 0)

    @property
    def tied_at_cut(self) -> list[NomineeTally[K]]:
        return self.with_outcome(TIE_AT_CUT)

    @property
    def seats_left_for_tied(self) -> int:
        """How many of the nominees tied at the cut may still be honored."""
        if self.rules.number_to_honor is None or not self.tied_at_cut:
            return 0
        return self.rules.number_to_honor - len(self.honored)

    @property
    def passed(self) -> list[NomineeTally[K]]:
        return sorted((n for n in self.nominees if n.passed), key=lambda n: n.rank or 0)


def count(choices: Iterable[tuple[str, bool]]) -> Counts:
    """Counts of (choice, forced) pairs; a forced vote is an abstention whatever its choice says."""
    tally: Counter[str] = Counter()
    forced = 0
    for choice, is_forced in choices:
        if is_forced:
            tally[ABSTAIN] += 1
            forced += 1
            continue
        if choice not in CHOICES:
            raise ValueError(f"unknown choice {choice!r}")
        tally[choice] += 1
    return Counts(tally[AGREE], tally[DISAGREE], tally[ABSTAIN], forced)


def passes(counts: Counts, rules: Rules) -> tuple[bool, bool, Fraction | None]:
    """(quorum met, passed, share) for one nominee."""
    quorum_met = counts.participants >= rules.required
    base = counts.voting if rules.base == "voting" else rules.members
    share = Fraction(counts.agree, base) if base else None
    passed = quorum_met and counts.voting > 0 and share is not None and share >= rules.threshold
    return quorum_met, passed, share


def _order_key(n: NomineeTally) -> tuple[Fraction, int]:
    return (n.share or Fraction(0), n.agree)


def tally(nominees: Sequence[K], votes: Iterable[tuple[K, str, bool]], rules: Rules) -> Tally[K]:
    """The tally of `nominees` from `votes` as (nominee, choice, forced). Votes for a nominee not listed are an
    error (the ballot holds only eligible dossiers); a nominee without votes has no quorum."""
    listed = list(dict.fromkeys(nominees))
    grouped: dict[K, list[tuple[str, bool]]] = {key: [] for key in listed}
    for key, choice, forced in votes:
        if key not in grouped:
            raise ValueError(f"a vote for {key!r}, who is not on the ballot")
        grouped[key].append((choice, forced))

    first: dict[K, NomineeTally[K]] = {}
    for key in listed:
        counts = count(grouped[key])
        quorum_met, passed, share = passes(counts, rules)
        outcome = FAILED if quorum_met else NO_QUORUM
        first[key] = NomineeTally(key, counts, quorum_met, share, passed, None, outcome)

    # rank those who passed: share, then agree count; equals share a rank
    passed = sorted((n for n in first.values() if n.passed), key=_order_key, reverse=True)
    ranks: dict[K, int] = {}
    groups: list[list[NomineeTally[K]]] = []
    for position, nominee in enumerate(passed, start=1):
        if groups and _order_key(groups[-1][0]) == _order_key(nominee):
            groups[-1].append(nominee)
            ranks[nominee.key] = ranks[groups[-1][0].key]
        else:
            groups.append([nominee])
            ranks[nominee.key] = position
    limit = rules.number_to_honor
    outcomes: dict[K, str] = {}
    taken = 0
    for group in groups:
        if limit is None or taken + len(group) <= limit:
            outcome = HONORED
        elif taken < limit:
            outcome = TIE_AT_CUT
        else:
            outcome = BEYOND_NUMBER
        for nominee in group:
            outcomes[nominee.key] = outcome
        taken += len(group)

    final = [
        NomineeTally(n.key, n.counts, n.quorum_met, n.share, n.passed, ranks.get(n.key), outcomes.get(n.key, n.outcome))
        for n in (first[key] for key in listed)
    ]
    return Tally(rules, final, {n.key: n for n in final})


# --- conflicts ------------------------------------------------------------------------------------------------------

SAME_UNIT, OWN_BODY = "same_unit", "own_body"


def conflict_reason(
    *,
    member_organisation_id: int | None,
    member_organisation_name: str,
    member_body_ids: Iterable[int],
    dossier_body_id: int,
    body_organisation_id: int,
    unit_organisation_id: int | None,
    unit_name: str,
) -> str | None:
    """Why a council member may not vote agree or disagree on a nominee, or None.

    - `own_body`: the member nominates for the body that nominated this dossier (a BodyNominator of it), or the
      member's organisation is that body's organisation;
    - `same_unit`: the member's organisation is the nominee's unit: the same organisation record, or the same name
      once case, spaces and diacritics are folded (`member_organisation_name` and `unit_name` given folded).
    """
    if dossier_body_id in set(member_body_ids):
        return OWN_BODY
    if member_organisation_id is not None and member_organisation_id == body_organisation_id:
        return OWN_BODY
    if member_organisation_id is not None and member_organisation_id == unit_organisation_id:
        return SAME_UNIT
    if member_organisation_name and member_organisation_name == unit_name:
        return SAME_UNIT
    return None
