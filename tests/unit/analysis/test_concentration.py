import pytest

from svduty.analysis.stats.concentration import gini, top_share


def test_top_share_hand_example():
    # 10 areas, top 20% = 2 areas holding 50 + 20 of 100.
    counts = [50, 20, 10, 5, 5, 4, 3, 2, 1, 0]
    assert top_share(counts, 20) == pytest.approx(0.70)


def test_top_share_rounds_the_number_of_areas_up():
    # 5% of 10 areas is 0.5 -> 1 area.
    assert top_share([1, 2, 3, 4, 10, 0, 0, 0, 0, 0], 5) == pytest.approx(0.5)
    # 10% of 30 areas is exactly 3 even with float noise.
    assert top_share([1] * 30, 10) == pytest.approx(0.1)


def test_top_share_all_zero_and_empty():
    assert top_share([0, 0, 0], 10) == 0.0
    assert top_share([], 10) == 0.0


def test_top_share_one_area():
    assert top_share([7], 1) == 1.0


def test_top_share_ties_do_not_matter():
    assert top_share([5, 5, 5, 5], 25) == pytest.approx(0.25)


def test_top_share_rejects_bad_input():
    with pytest.raises(ValueError):
        top_share([1, 2], 0)
    with pytest.raises(ValueError):
        top_share([1, 2], 101)
    with pytest.raises(ValueError):
        top_share([1, -2], 50)


def test_gini_hand_example():
    # x = 1, 2, 3: sum (2i - n - 1) x_i = -2*1 + 0*2 + 2*3 = 4; 4 / (3 * 6).
    assert gini([3, 1, 2]) == pytest.approx(4 / 18)


def test_gini_all_in_one_area():
    assert gini([0, 0, 0, 12]) == pytest.approx(3 / 4)


def test_gini_even_spread_all_zero_and_one_area():
    assert gini([4, 4, 4]) == 0.0
    assert gini([0, 0]) == 0.0
    assert gini([9]) == 0.0
    assert gini([]) == 0.0


def test_gini_rejects_missing_values():
    with pytest.raises(ValueError):
        gini([1.0, float("nan")])
