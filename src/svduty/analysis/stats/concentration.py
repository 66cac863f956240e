"""How concentrated violence is in a few places.

SNAs routinely say "x% of violence happens in y% of neighbourhoods". The two
measures here are defined exactly so that every chart and report computes them the
same way:

* ``top_share(counts, pct)``: the share of the total held by the ceil(pct% x n)
  areas with the highest counts. Rounding *up* means a partnership with 10 areas
  asking for the top 5% still sees the single busiest area, never zero areas.
* ``gini(counts)``: sum_i (2i - n - 1) x_i / (n sum_i x_i) with x sorted ascending
  and i = 1..n. 0 means an even spread; (n - 1)/n means everything in one area.

Both return 0 when the total is 0 (no crime means no concentration), so callers do
not have to special-case empty periods.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np


def _as_counts(counts: Iterable[float]) -> np.ndarray:
    """Return the counts as a float array, refusing negative or missing values.

    Negative or NaN counts can only come from a bug upstream; silently computing a
    share from them would publish a wrong figure, so fail loudly instead.
    """
    values = np.asarray(list(counts), dtype=float)
    if values.ndim != 1:
        raise ValueError("counts must be a flat sequence of numbers")
    if np.isnan(values).any():
        raise ValueError("counts must not contain missing values")
    if (values < 0).any():
        raise ValueError("counts must not be negative")
    return values


def top_share(counts: Iterable[float], pct: float) -> float:
    """Share (0..1) of the total held by the top ``pct`` per cent of areas.

    The number of areas taken is ``ceil(pct / 100 * n)``. Ties at the cut-off do
    not change the answer: whichever of the tied areas is taken, the sum is the
    same.
    """
    if not 0 < pct <= 100:
        raise ValueError("pct must be greater than 0 and at most 100")
    values = _as_counts(counts)
    total = values.sum()
    if values.size == 0 or total == 0:
        return 0.0
    # Round before ceil so that 10% of 30 areas is 3, not 4 (float noise).
    k = math.ceil(round(pct / 100 * values.size, 9))
    top = np.sort(values)[::-1][:k]
    return float(top.sum() / total)


def gini(counts: Iterable[float]) -> float:
    """Gini coefficient of the counts across areas (0 = even spread).

    Uses the closed form sum_i (2i - n - 1) x_i / (n sum x) over the ascending
    sort, which is exact and O(n log n).
    """
    values = np.sort(_as_counts(counts))
    n = values.size
    total = values.sum()
    if n == 0 or total == 0:
        return 0.0
    i = np.arange(1, n + 1, dtype=float)
    return float(((2 * i - n - 1) * values).sum() / (n * total))
