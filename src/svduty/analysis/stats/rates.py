"""Rates, disproportionality and small-number suppression.

* ``rate_per_1000``: events per 1,000 people, the unit SNAs use for LSOAs and
  wards (populations of roughly 1,500).
* ``relative_rate``: the rate in group A divided by the rate in a reference group
  (for example stop and search of Black people against White people), with a 95%
  confidence interval by the log method (Katz et al. 1978):
  SE(ln RR) = sqrt(1/a - 1/N_a + 1/b - 1/N_b), CI = exp(ln RR +/- 1.96 SE).
* ``suppress``: counts 1..threshold are shown as "fewer than {threshold + 1}"
  on anything that may leave the partnership (architecture convention 9); 0 is
  shown as 0 because an absence of events discloses nothing about a person.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy.stats import norm

DEFAULT_SUPPRESSION_THRESHOLD = 4


def _check_count(value: float, name: str) -> None:
    if math.isnan(value) or value < 0:
        raise ValueError(f"{name} must be zero or more")


def rate_per_1000(count: float, population: float) -> float | None:
    """Events per 1,000 population, or None when the population is 0.

    None rather than 0 or infinity, because an area with no residents has no
    meaningful rate and must not be ranked as either the best or the worst.
    """
    _check_count(count, "count")
    _check_count(population, "population")
    if population == 0:
        return None
    return count / population * 1000


@dataclass(frozen=True)
class RelativeRate:
    """Rate ratio of group A to the reference group, with its confidence interval.

    ``ratio`` is None when the reference rate is 0 (undefined). ``lower`` and
    ``upper`` are None when either count is 0, where the log method has no
    interval.
    """

    rate_a: float | None
    rate_reference: float | None
    ratio: float | None
    lower: float | None
    upper: float | None
    confidence: float


def relative_rate(
    count_a: int,
    population_a: float,
    count_reference: int,
    population_reference: float,
    *,
    confidence: float = 0.95,
) -> RelativeRate:
    """Relative rate (disproportionality) of A against the reference group.

    Rates are per 1,000. The interval uses the Katz log method, which assumes
    binomial counts, so each count must not exceed its population.
    """
    for value, name in (
        (count_a, "count_a"),
        (population_a, "population_a"),
        (count_reference, "count_reference"),
        (population_reference, "population_reference"),
    ):
        _check_count(value, name)
    if count_a > population_a or count_reference > population_reference:
        raise ValueError("a count cannot be larger than its population")
    if not 0 < confidence < 1:
        raise ValueError("confidence must be between 0 and 1")
    rate_a = rate_per_1000(count_a, population_a)
    rate_ref = rate_per_1000(count_reference, population_reference)
    if rate_a is None or rate_ref is None or rate_ref == 0:
        return RelativeRate(rate_a, rate_ref, None, None, None, confidence)
    ratio = rate_a / rate_ref
    if count_a == 0:
        return RelativeRate(rate_a, rate_ref, ratio, None, None, confidence)
    se = math.sqrt(
        1 / count_a - 1 / population_a + 1 / count_reference - 1 / population_reference
    )
    z = float(norm.ppf(0.5 + confidence / 2))
    log_ratio = math.log(ratio)
    return RelativeRate(
        rate_a=rate_a,
        rate_reference=rate_ref,
        ratio=ratio,
        lower=math.exp(log_ratio - z * se),
        upper=math.exp(log_ratio + z * se),
        confidence=confidence,
    )


@dataclass(frozen=True)
class Suppressed:
    """A count ready for display: the text to show and whether it was hidden."""

    display: str
    suppressed: bool


def suppress(count: int, threshold: int = DEFAULT_SUPPRESSION_THRESHOLD) -> Suppressed:
    """Hide small counts (1..threshold) as "fewer than {threshold + 1}".

    Numbers at or above the threshold + 1 are shown with thousands separators,
    the GOV.UK style for numbers.
    """
    if threshold < 0:
        raise ValueError("threshold must be zero or more")
    if count < 0:
        raise ValueError("count must be zero or more")
    if 1 <= count <= threshold:
        return Suppressed(f"fewer than {threshold + 1}", True)
    return Suppressed(f"{count:,}", False)
