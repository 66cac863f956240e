"""Getis-Ord Gi* hotspots, exactly as the SNA specifies.

Weights are binary and include the area itself (w_ii = 1), with no row
standardisation. For counts x_1..x_n:

    z_i = (sum_j w_ij x_j - xbar W_i) / (s * sqrt((n S1_i - W_i^2) / (n - 1)))

where W_i = sum_j w_ij, S1_i = sum_j w_ij^2 (equal to W_i for binary weights),
xbar is the mean and s the *population* standard deviation (divide by n) of the
counts. This is algebraically the same z as esda's
``G_Local(y, w, transform="B", star=True).Zs`` (esda fills a zero diagonal with 1
when star=True and the transform is binary): the unit tests check this on the real
Cleveland boundaries.

p-values are two-sided normal, 2 * (1 - Phi(|z|)). (esda's ``p_norm`` is the
one-sided tail, so it is half of ours.) They are adjusted for testing every area
at once with Benjamini-Hochberg (false discovery rate), and an area is a "hot" or
"cold" spot only when its adjusted p is below 0.05.

When every count is equal (s = 0) there is no spatial pattern to find and the
formula divides by zero, so z = 0 and p = 1 for every area. An area that
neighbours every other area (n S1_i = W_i^2) gets the same treatment, because its
local sum is the grand total whatever the counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.stats import norm

from svduty.analysis.stats.neighbours import neighbours_to_sparse

HOT = "hot"
COLD = "cold"


@dataclass(frozen=True)
class GiStarResult:
    """Per-area Gi* results, in the order of the counts given."""

    z: np.ndarray
    p: np.ndarray
    p_fdr: np.ndarray
    hotspot: list[str | None]


def benjamini_hochberg(p_values: Sequence[float] | np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (step-up, capped at 1).

    p_adj(k) = min over j >= k of (m / j) p_(j) for the ascending order p_(1..m).
    """
    p = np.asarray(p_values, dtype=float)
    m = p.size
    if m == 0:
        return p.copy()
    order = np.argsort(p, kind="stable")
    ranked = p[order] * m / np.arange(1, m + 1)
    adjusted_sorted = np.minimum.accumulate(ranked[::-1])[::-1]
    adjusted = np.empty(m)
    adjusted[order] = np.minimum(adjusted_sorted, 1.0)
    return adjusted


@dataclass(frozen=True)
class GiWeights:
    """The binary weights with the self weight, made once for a set of neighbour
    lists (`gi_weights`) and given to `gi_star` for many counts of the same areas."""

    matrix: sp.csr_array


def gi_weights(neighbours: Sequence[Sequence[int]]) -> GiWeights:
    """The weights `gi_star` builds from these neighbour lists, to reuse."""
    return GiWeights(_weights_with_self(neighbours, len(neighbours)))


def _weights_with_self(
    neighbours: Sequence[Sequence[int]] | sp.sparray | sp.spmatrix | GiWeights,
    n: int,
) -> sp.csr_array:
    if isinstance(neighbours, GiWeights):
        if neighbours.matrix.shape != (n, n):
            raise ValueError("weights matrix must be n x n for n counts")
        return neighbours.matrix
    if sp.issparse(neighbours):
        matrix = sp.csr_array(neighbours, dtype=float)
        if matrix.shape != (n, n):
            raise ValueError("weights matrix must be n x n for n counts")
        matrix = matrix.copy()
        matrix.data[:] = 1.0
    else:
        if len(neighbours) != n:
            raise ValueError("need one neighbour list per count")
        matrix = neighbours_to_sparse(neighbours)
    matrix = matrix.tolil()
    matrix.setdiag(1.0)
    return sp.csr_array(matrix)


def gi_star(
    counts: Sequence[float] | np.ndarray,
    neighbours: Sequence[Sequence[int]] | sp.sparray | sp.spmatrix | GiWeights,
    *,
    alpha: float = 0.05,
) -> GiStarResult:
    """Gi* z-scores, two-sided p-values, BH-adjusted p-values and hot/cold labels.

    ``neighbours`` is either a list of neighbour index lists (as returned by
    :func:`svduty.analysis.stats.neighbours.neighbour_lists`) or a sparse
    adjacency matrix; any non-zero entry counts as weight 1 and the self weight is
    always added. Or the weights already made from neighbour lists (`gi_weights`).
    """
    x = np.asarray(counts, dtype=float)
    if x.ndim != 1:
        raise ValueError("counts must be a flat sequence of numbers")
    if np.isnan(x).any():
        raise ValueError("counts must not contain missing values")
    n = x.size
    if n == 0:
        empty = np.empty(0)
        return GiStarResult(empty, empty, empty, [])
    w = _weights_with_self(neighbours, n)
    w_i = np.asarray(w.sum(axis=1)).ravel()
    s1_i = np.asarray(w.multiply(w).sum(axis=1)).ravel()
    mean = x.mean()
    # np.std works from deviations, so equal counts give exactly 0 (the
    # E[x^2] - E[x]^2 shortcut can go slightly negative and produce NaN).
    s = float(x.std())
    z = np.zeros(n)
    p = np.ones(n)
    if n > 1 and s > 0:
        spread = (n * s1_i - w_i**2) / (n - 1)
        ok = spread > 1e-12
        numerator = w @ x - mean * w_i
        z[ok] = numerator[ok] / (s * np.sqrt(spread[ok]))
        p[ok] = 2 * norm.sf(np.abs(z[ok]))
    p_fdr = benjamini_hochberg(p)
    hotspot: list[str | None] = [
        (HOT if zi > 0 else COLD) if (q < alpha and zi != 0) else None
        for zi, q in zip(z.tolist(), p_fdr.tolist(), strict=True)
    ]
    return GiStarResult(z=z, p=p, p_fdr=p_fdr, hotspot=hotspot)
