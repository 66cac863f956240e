import numpy as np
import pytest
import scipy.sparse as sp
from scipy.stats import norm

from svduty.analysis.stats.getis_ord import benjamini_hochberg, gi_star, gi_weights
from svduty.analysis.stats.neighbours import neighbour_lists


def test_gi_star_hand_example_on_four_areas():
    # A line of 4 areas: 0-1-2-3. Counts 10, 8, 1, 1.
    counts = [10, 8, 1, 1]
    neighbours = [[1], [0, 2], [1, 3], [2]]
    result = gi_star(counts, neighbours)
    # By hand: n = 4, mean = 5, population sd = sqrt((25+9+16+16)/4) = sqrt(16.5).
    s = np.sqrt(16.5)
    # Area 0: W = {0,1}, W_0 = 2, S1 = 2, local sum 18.
    z0 = (18 - 5 * 2) / (s * np.sqrt((4 * 2 - 2**2) / 3))
    # Area 1: W = {0,1,2}, W_1 = 3, local sum 19.
    z1 = (19 - 5 * 3) / (s * np.sqrt((4 * 3 - 3**2) / 3))
    # Area 2: local sum 10 over 3 areas; area 3: local sum 2 over 2 areas.
    z2 = (10 - 5 * 3) / (s * np.sqrt((4 * 3 - 3**2) / 3))
    z3 = (2 - 5 * 2) / (s * np.sqrt((4 * 2 - 2**2) / 3))
    assert result.z == pytest.approx([z0, z1, z2, z3])
    assert result.z[0] == pytest.approx(1.7056057308448835)
    assert result.p == pytest.approx(2 * norm.sf(np.abs([z0, z1, z2, z3])))
    # Nothing is significant on 4 areas after the FDR adjustment.
    assert result.hotspot == [None, None, None, None]


def test_gi_star_accepts_sparse_matrix_and_self_in_lists():
    counts = [10, 8, 1, 1]
    lists = gi_star(counts, [[1], [0, 2], [1, 3], [2]])
    adjacency = sp.csr_array(
        np.array([[0, 1, 0, 0], [1, 0, 1, 0], [0, 1, 0, 1], [0, 0, 1, 0]])
    )
    matrix = gi_star(counts, adjacency)
    with_self = gi_star(counts, [[0, 1], [0, 1, 2], [1, 2, 3], [2, 3]])
    assert matrix.z == pytest.approx(lists.z)
    assert with_self.z == pytest.approx(lists.z)


def test_weights_made_once_give_the_same_result_for_other_counts():
    # The SNA makes the weights once per area selection and reuses them for every
    # filter: the same z, p and labels as from the neighbour lists each time.
    neighbours = [[1], [0, 2], [1, 3], [2], [3, 5], [4]]
    weights = gi_weights(neighbours)
    for counts in ([10, 8, 1, 1, 0, 3], [0, 0, 5, 9, 9, 1], [2, 2, 2, 2, 2, 2]):
        made, reused = gi_star(counts, neighbours), gi_star(counts, weights)
        assert reused.z.tolist() == made.z.tolist()
        assert reused.p_fdr.tolist() == made.p_fdr.tolist()
        assert reused.hotspot == made.hotspot
    with pytest.raises(ValueError):
        gi_star([1, 2, 3], weights)


def test_gi_star_equal_counts_gives_zero_and_p_one():
    result = gi_star([3, 3, 3], [[1], [0, 2], [1]])
    assert result.z.tolist() == [0.0, 0.0, 0.0]
    assert result.p.tolist() == [1.0, 1.0, 1.0]
    assert result.hotspot == [None, None, None]


def test_gi_star_area_next_to_everyone_gets_zero():
    # Area 0 neighbours all others: its local sum is always the grand total.
    result = gi_star([5, 1, 0, 2], [[1, 2, 3], [0], [0], [0]])
    assert result.z[0] == 0.0
    assert result.p[0] == 1.0


def test_benjamini_hochberg_hand_example():
    p = [0.01, 0.04, 0.03, 0.20]
    # Sorted: 0.01, 0.03, 0.04, 0.20 -> 0.04, 0.06, 0.0533, 0.20 -> monotone.
    assert benjamini_hochberg(p) == pytest.approx([0.04, 0.05333333, 0.05333333, 0.20])
    assert benjamini_hochberg([0.9, 0.95]) == pytest.approx([0.95, 0.95])


def test_hotspots_found_on_a_clear_cluster():
    # 30 areas on a line; a block of high counts in the middle.
    n = 30
    neighbours = [[j for j in (i - 1, i + 1) if 0 <= j < n] for i in range(n)]
    counts = [1] * n
    for i in range(12, 18):
        counts[i] = 40
    result = gi_star(counts, neighbours)
    assert result.hotspot[14] == "hot"
    assert result.hotspot[0] is None
    assert all(label != "cold" for label in result.hotspot)


def test_gi_star_matches_esda_on_real_cleveland_boundaries(
    cleveland_lsoas, cleveland_violence_2022_01
):
    from esda.getisord import G_Local
    from libpysal.weights import W

    codes = sorted(cleveland_lsoas)
    neighbours = neighbour_lists(codes, cleveland_lsoas)
    counts = np.array(
        [cleveland_violence_2022_01.get(code, 0) for code in codes], dtype=float
    )
    assert counts.sum() > 100  # the sample keeps every 15th row of the month
    ours = gi_star(counts, neighbours)

    # Zero-diagonal binary W; esda adds w_ii = 1 itself when star=True and the
    # transform is "B", which is exactly our definition.
    w = W(
        {i: js for i, js in enumerate(neighbours)},
        silence_warnings=True,
    )
    theirs = G_Local(counts, w, transform="B", star=True, permutations=0)
    assert np.allclose(ours.z, theirs.Zs, rtol=1e-10, atol=1e-10)
    # esda's p_norm is one-sided; ours is two-sided.
    assert np.allclose(ours.p, 2 * theirs.p_norm)
    assert "hot" in ours.hotspot
