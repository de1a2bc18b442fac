"""Pure score arithmetic for judging: validating a score, a sheet's total, combining judges' totals, divergence,
per-judge normalisation and competition ranking.

No Flask, no database: plain ``Decimal`` in, ``Decimal`` out (never ``float``). Internally the exact steps are done
with ``fractions.Fraction`` so that nothing depends on the order of the inputs or on intermediate rounding; results
are converted to ``Decimal`` at the current context's precision and rounded only where stated (scores shown to
0.01 with ``ROUND_HALF_UP``, as the domain asks: "averages are shown to 0.01").

Shapes used below: ``totals[entry_id][judge_id]`` is the total one judge gave one entry (usually from
``sheet_total``). An entry whose mapping of judges is empty has no score and is left out of every result.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from functools import lru_cache

__all__ = [
    "METHODS",
    "CriterionSpec",
    "JudgeStats",
    "Normalisation",
    "combine",
    "divergent",
    "entry_scores",
    "normalise",
    "rank",
    "rubric_max",
    "score_problem",
    "sheet_total",
]

METHODS = ("mean", "median", "trimmed")
"""Ways of combining several judges' totals for one entry; see ``combine``."""

TRIM_FROM = 5
"""``trimmed`` drops the highest and the lowest total only when there are at least this many totals."""

CENT = Decimal("0.01")
"""Shown scores are rounded to this, half up."""

Z_PLACES = Decimal("1e-12")
"""z-scores are rounded (half even, once, from the exact quotient of the deviation by the standard deviation taken to
40 digits) to 12 decimal places -- the one internal rounding in ``normalise``, there so that
z-scores that are equal in exact arithmetic (reached through different square roots) compare equal. On a 100-point
scale that is far below the 0.01 shown."""

_SQRT_PRECISION = 40
_Z_UNIT = 10**12  # 1 / Z_PLACES


@dataclass(frozen=True)
class CriterionSpec:
    """One criterion of a rubric: its maximum, its weight in the total, and the step scores must be a multiple of."""

    id: int
    max_points: Decimal
    weight: Decimal = Decimal(1)
    step: Decimal = Decimal("0.5")

    def __post_init__(self) -> None:
        if not self.max_points > 0:
            raise ValueError(f"criterion {self.id}: max_points must be positive")
        if self.weight < 0:
            raise ValueError(f"criterion {self.id}: weight must not be negative")
        if not self.step > 0:
            raise ValueError(f"criterion {self.id}: step must be positive")

    def __hash__(self) -> int:  # equal specs have equal ids; hashing the Decimals too made every sheet_total slower
        return hash(self.id)


# --- one score, one sheet --------------------------------------------------------------------------------------------


def score_problem(value: Decimal | None, criterion: CriterionSpec) -> str | None:
    """What is wrong with ``value`` as a score on ``criterion``, or ``None`` when it is acceptable.

    Checked in this order: ``"missing"`` (``None`` or NaN), ``"negative"`` (below 0), ``"above_max"`` (above
    ``max_points``), ``"off_step"`` (not a whole multiple of ``step``). 0 and ``max_points`` are always accepted --
    the maximum even when it is not itself a multiple of the step.
    """
    if value is None or (isinstance(value, Decimal) and value.is_nan()):
        return "missing"
    if value < 0:
        return "negative"
    if value > criterion.max_points:
        return "above_max"
    if value == criterion.max_points:
        return None
    if Fraction(value) % Fraction(criterion.step) != 0:
        return "off_step"
    return None


def rubric_max(criteria: Iterable[CriterionSpec]) -> Decimal:
    """The rubric's scale: the sum of its criteria's ``max_points`` (usually 100)."""
    return sum((c.max_points for c in criteria), Decimal(0))


def sheet_total(scores: Mapping[int, Decimal], criteria: Sequence[CriterionSpec]) -> Decimal:
    """A judge's total for one entry, on the rubric's scale (``rubric_max``)::

        total = sum(w_i * s_i) * rubric_max / sum(w_i * max_i)

    With all weights equal this is the plain sum of the scores; multiplying every weight by the same k > 0 changes
    nothing; a criterion of weight 2 counts twice as much as one of weight 1 with the same maximum. Computed exactly
    and converted to ``Decimal`` once (not rounded to 0.01 -- round where the total is shown).

    Raises ``ValueError`` when a criterion has no score (absent or ``None``), when ``scores`` holds a criterion that
    is not in ``criteria``, or when the weights are all zero. Scores are not validated here; use ``score_problem``.
    """
    values = [scores.get(c.id) for c in criteria]
    if any(value is None for value in values):
        raise ValueError(
            f"missing score for criteria {[c.id for c, v in zip(criteria, values, strict=True) if v is None]}"
        )
    weights, known, factor = _rubric(tuple(criteria))
    if len(scores) > len(known):
        raise ValueError(f"scores for criteria not in the rubric: {sorted(set(scores) - known)}")
    if factor is None:
        raise ValueError("the rubric has no criterion with a positive weight")
    # sum(w_i * s_i) with integer weights, as one numerator over one denominator (no Fraction per score)
    numerator, denominator = 0, 1
    for weight, value in zip(weights, values, strict=True):
        n, d = value.as_integer_ratio()
        if d == denominator:
            numerator += weight * n
        else:
            numerator, denominator = numerator * d + weight * n * denominator, denominator * d
    return _ratio_to_decimal(numerator * factor.numerator, denominator * factor.denominator)


@lru_cache(maxsize=256)
def _rubric(criteria: tuple[CriterionSpec, ...]) -> tuple[list[int], frozenset[int], Fraction | None]:
    """What ``sheet_total`` needs of a rubric, worked out once: the weights as integers (all multiplied by the same
    number L), the criteria's ids, and rubric_max / (L * sum(w_i * max_i)) (None when every weight is zero)."""
    weights = [Fraction(c.weight) for c in criteria]
    common = math.lcm(*(w.denominator for w in weights))
    weighted_max = sum((w * Fraction(c.max_points) for w, c in zip(weights, criteria, strict=True)), Fraction(0))
    factor = Fraction(rubric_max(criteria)) / (common * weighted_max) if weighted_max else None
    return [int(w * common) for w in weights], frozenset(c.id for c in criteria), factor


# --- several judges --------------------------------------------------------------------------------------------------


def combine(totals: Sequence[Decimal], method: str = "mean") -> Decimal:
    """One entry's score from its judges' totals, unrounded.

    ``"mean"``: the arithmetic mean. ``"median"``: the middle total, or the mean of the two middle ones.
    ``"trimmed"``: with 5 or more totals, the mean after dropping one highest and one lowest; with fewer, the mean.
    Raises ``ValueError`` for no totals or an unknown method. The order of ``totals`` does not matter.
    """
    return _to_decimal(_combine_exact(totals, method))


def entry_scores(totals: Mapping[int, Mapping[int, Decimal]], method: str = "mean") -> dict[int, Decimal]:
    """``{entry_id: combined score}`` from ``totals[entry_id][judge_id]``, rounded to 0.01 half up (from the exact
    value, so e.g. the mean of 80, 80, 80, 80.5 = 80.125 shows as 80.13). Entries without totals are left out."""
    _check_method(method)
    return {
        entry: _round_cents(_combine_exact(list(by_judge.values()), method))
        for entry, by_judge in totals.items()
        if by_judge
    }


def divergent(totals: Mapping[int, Mapping[int, Decimal]], threshold: Decimal = Decimal(20)) -> dict[int, Decimal]:
    """Entries whose judges disagree: ``{entry_id: max total - min total}`` for the entries where that spread is
    MORE than ``threshold`` (exactly ``threshold`` apart is not flagged). An entry with fewer than 2 judges never is."""
    flagged: dict[int, Decimal] = {}
    for entry, by_judge in totals.items():
        if len(by_judge) < 2:
            continue
        spread = max(by_judge.values()) - min(by_judge.values())
        if spread > threshold:
            flagged[entry] = spread
    return flagged


# --- normalisation ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class JudgeStats:
    """One judge's sheets: how many, their mean and population standard deviation (``spread``), and whether the
    judge's totals were normalised with these (``True``) or converted with the pooled figures (``False``)."""

    judge_id: int
    count: int
    mean: Decimal
    spread: Decimal
    normalised: bool


@dataclass(frozen=True)
class Normalisation:
    """The result of ``normalise``: raw and normalised scores per entry (both rounded to 0.01) and the judges' stats."""

    raw: dict[int, Decimal]
    normalised: dict[int, Decimal]
    judges: dict[int, JudgeStats]


def normalise(
    totals: Mapping[int, Mapping[int, Decimal]], *, min_sheets: int = 5, method: str = "mean"
) -> Normalisation:
    """Correct for harsh and lenient judges. The working, step by step:

    1. Raw score of each entry: ``combine`` its judges' totals with ``method``, rounded to 0.01 half up (exactly what
       ``entry_scores`` gives).
    2. Each judge's stats over all of their sheets: count n, mean m_j, population standard deviation
       s_j = sqrt(sum((t - m_j)^2) / n).
    3. Pooled stats over ALL sheets of ALL judges (normalised or not): mean M and population standard deviation S.
    4. A judge is normalised when n >= ``min_sheets`` and s_j > 0. Each of their totals t becomes the z-score
       z = (t - m_j) / s_j. A judge who is not normalised (too few sheets to estimate their habits, or every sheet
       the same total) has each total converted with the pooled figures instead: z = (t - M) / S (z = 0 if S = 0,
       which happens only when every total is the same). z-scores are rounded to 12 decimal places (``Z_PLACES``).
    5. Each entry's z is its judges' z-scores combined with the same ``method`` (exact, not rounded).
    6. Rescaling so the result reads like points: with r_lo, r_hi the lowest and highest raw scores of step 1 and
       z_lo, z_hi the lowest and highest entry z of step 5,
       normalised = r_lo + (z - z_lo) * (r_hi - r_lo) / (z_hi - z_lo), rounded to 0.01 half up.
       So the entry with the lowest z gets the lowest raw score, the one with the highest z the highest raw score,
       and every normalised score lies in [r_lo, r_hi]. If every entry has the same z (e.g. a single entry), every
       normalised score is the mean of the raw scores, rounded to 0.01 half up.

    Consequences: adding a constant to all of a normalised judge's totals, or multiplying them by a positive constant,
    leaves that judge's z-scores unchanged, so the order of the normalised scores does not change (the 0.01 rounding
    of step 6 may merge or split near-ties, since the raw range moves). This holds exactly when every judge is
    normalised: a judge converted with the pooled figures is affected by any change to other judges' totals, because
    the pool contains them. The order of entries and of judges in ``totals`` does not matter. Entries without totals
    are left out; ``totals == {}`` gives empty results.
    """
    _check_method(method)
    totals = {entry: by_judge for entry, by_judge in totals.items() if by_judge}
    # Every total as an integer over one common denominator, so that the sums below are integer sums.
    scaled, den = _common_denominator([total for by_judge in totals.values() for total in by_judge.values()])

    sums: dict[int, list[int]] = {}  # judge -> [count, sum, sum of squares] of the scaled totals
    for judge, value in zip((judge for by_judge in totals.values() for judge in by_judge), scaled, strict=True):
        acc = sums.get(judge)
        if acc is None:
            sums[judge] = [1, value, value * value]
        else:
            acc[0] += 1
            acc[1] += value
            acc[2] += value * value
    if scaled:
        count, total_sum, square_sum = (sum(column) for column in zip(*sums.values(), strict=True))  # all judges
        pooled_mean, pooled_spread = _mean_pstdev(count, total_sum, square_sum, den)
    else:
        pooled_mean, pooled_spread = Fraction(0), Decimal(0)

    judges: dict[int, JudgeStats] = {}
    scale: dict[int, _ZScale] = {}
    pooled = _ZScale.of(pooled_mean, pooled_spread, den)
    for judge in sorted(sums):
        count, total_sum, square_sum = sums[judge]
        mean, spread = _mean_pstdev(count, total_sum, square_sum, den)
        own = count >= min_sheets and spread > 0
        judges[judge] = JudgeStats(judge, count, _to_decimal(mean), +spread, own)
        scale[judge] = _ZScale.of(mean, spread, den) if own else pooled

    # z-scores as integers in units of Z_PLACES (they are rounded to it), each entry's combined z over its own
    # denominator, then all of them over one common denominator so that the rescaling is integer arithmetic.
    raw: dict[int, Decimal] = {}
    z_parts: dict[int, tuple[int, int]] = {}
    position = 0
    for entry, by_judge in totals.items():
        values, zs = [], []
        for judge in by_judge:
            value = scaled[position]
            position += 1
            values.append(value)
            zs.append(scale[judge].units(value))
        numerator, multiple = _combine_scaled(values, method)
        raw[entry] = _round_cents_ratio(numerator, multiple * den)
        z_parts[entry] = _combine_scaled(zs, method)

    normalised: dict[int, Decimal] = {}
    if z_parts:
        common = math.lcm(*{multiple for _, multiple in z_parts.values()})
        z_of_entry = {entry: numerator * (common // multiple) for entry, (numerator, multiple) in z_parts.items()}
        z_lo, z_hi = min(z_of_entry.values()), max(z_of_entry.values())
        if z_lo == z_hi:
            level = _round_cents(_mean([Fraction(r) for r in raw.values()]))
            normalised = dict.fromkeys(z_of_entry, level)
        else:
            # r_lo + (z - z_lo) * (r_hi - r_lo) / (z_hi - z_lo), the common denominators of the z cancelling
            low = Fraction(min(raw.values()))
            span = Fraction(max(raw.values())) - low
            z_span = z_hi - z_lo
            a, b = low.numerator * span.denominator * z_span, low.denominator * span.denominator * z_span
            c = low.denominator * span.numerator
            normalised = {entry: _round_cents_ratio(a + c * (z - z_lo), b) for entry, z in z_of_entry.items()}
    return Normalisation(raw=dict(sorted(raw.items())), normalised=dict(sorted(normalised.items())), judges=judges)


# --- ranking ---------------------------------------------------------------------------------------------------------


def rank(scores: Mapping[int, Decimal]) -> list[tuple[int, int]]:
    """``[(entry_id, rank), ...]`` by score, highest first, with standard competition ranking: equal scores share a
    rank and the next rank skips (1, 2, 2, 4). Tied entries are listed by entry_id, which is only a stable listing
    order, not a tie-break: breaking ties (effectiveness, then novelty, then the Board's decision) belongs to results.
    """
    ordered = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    ranked: list[tuple[int, int]] = []
    for position, (entry, score) in enumerate(ordered, start=1):
        if ranked and score == ordered[position - 2][1]:
            ranked.append((entry, ranked[-1][1]))
        else:
            ranked.append((entry, position))
    return ranked


# --- helpers ---------------------------------------------------------------------------------------------------------


def _check_method(method: str) -> None:
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; expected one of {METHODS}")


def _mean(values: Sequence[Fraction]) -> Fraction:
    return sum(values, Fraction(0)) / len(values)


def _common_denominator(values: Sequence[Decimal | Fraction | int]) -> tuple[list[int], int]:
    """The exact values as integers over one denominator: ([n_i], d) with value_i == n_i / d."""
    pairs = [value.as_integer_ratio() for value in values]
    den = math.lcm(*{d for _, d in pairs})
    return [n * (den // d) for n, d in pairs], den


def _combine_scaled(values: list[int], method: str) -> tuple[int, int]:
    """``_combine_exact`` of values that share one denominator d: (numerator, k), the combined value being
    numerator / (k * d)."""
    values = sorted(values)
    if not values:
        raise ValueError("no totals to combine")
    if method == "median":
        middle = len(values) // 2
        return (values[middle], 1) if len(values) % 2 else (values[middle - 1] + values[middle], 2)
    if method == "trimmed" and len(values) >= TRIM_FROM:
        values = values[1:-1]
    return sum(values), len(values)


def _combine_exact(totals: Iterable[Decimal | Fraction], method: str) -> Fraction:
    _check_method(method)
    scaled, den = _common_denominator(list(totals))
    numerator, multiple = _combine_scaled(scaled, method)
    return Fraction(numerator, multiple * den)


def _mean_pstdev(count: int, total: int, squares: int, den: int) -> tuple[Fraction, Decimal]:
    """Mean and population standard deviation of `count` values v_i = n_i / den from the integer sums of the n_i and
    of their squares (the variance exact, its square root to 40 digits)."""
    variance = Fraction(count * squares - total * total, count * count * den * den)
    with localcontext() as ctx:
        ctx.prec = _SQRT_PRECISION
        spread = (Decimal(variance.numerator) / Decimal(variance.denominator)).sqrt()
    return Fraction(total, count * den), spread


@dataclass(frozen=True)
class _ZScale:
    """How one judge's totals (integers n over the common denominator d) become z-scores in whole units of
    ``Z_PLACES``: z = (n / d - mean) / spread, rounded half even from its exact value, spread being the standard
    deviation's square root to 40 digits. With mean = a / b and spread = p / q (both exact ratios of integers):
    z / Z_PLACES = (n * b - a * d) * q * 10**12 / (d * b * p), a quotient of two integers rounded once."""

    mean_numerator: int  # a * d, subtracted from n * b
    mean_denominator: int  # b
    multiplier: int  # q * 10**12
    divisor: int  # d * b * p (0 when the spread is 0: every z is then 0)

    @classmethod
    def of(cls, mean: Fraction, spread: Decimal, den: int) -> _ZScale:
        p, q = spread.as_integer_ratio()
        return cls(mean.numerator * den, mean.denominator, q * _Z_UNIT, den * mean.denominator * p)

    def units(self, value: int) -> int:
        if not self.divisor:
            return 0
        quotient, rest = divmod((value * self.mean_denominator - self.mean_numerator) * self.multiplier, self.divisor)
        twice = 2 * rest  # rest >= 0 (floor division): the exact value is quotient + rest / divisor
        if twice > self.divisor or (twice == self.divisor and quotient & 1):
            quotient += 1
        return quotient


def _to_decimal(value: Fraction) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)


def _ratio_to_decimal(numerator: int, denominator: int) -> Decimal:
    """numerator / denominator (denominator > 0) as ``_to_decimal`` gives it: the division of two integers is exact
    or correctly rounded, so its result does not depend on the fraction being reduced first."""
    return Decimal(numerator) / Decimal(denominator)


def _round_cents(value: Fraction) -> Decimal:
    """Round an exact value to 0.01, half away from zero (``ROUND_HALF_UP``), without an intermediate rounding."""
    return _round_cents_ratio(value.numerator, value.denominator)


def _round_cents_ratio(numerator: int, denominator: int) -> Decimal:
    """``_round_cents`` of numerator / denominator (denominator > 0), in integers."""
    whole, rest = divmod(abs(numerator) * 100, denominator)
    if 2 * rest >= denominator:
        whole += 1
    return (Decimal(whole if numerator >= 0 else -whole) / 100).quantize(CENT, rounding=ROUND_HALF_UP)
