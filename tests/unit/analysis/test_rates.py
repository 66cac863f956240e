import math

import pytest

from svduty.analysis.stats.rates import rate_per_1000, relative_rate, suppress


def test_rate_per_1000():
    assert rate_per_1000(15, 1500) == pytest.approx(10.0)
    assert rate_per_1000(0, 1500) == 0.0
    assert rate_per_1000(3, 0) is None
    with pytest.raises(ValueError):
        rate_per_1000(-1, 10)


def test_relative_rate_katz_hand_example():
    # A: 40 of 1,000; reference: 100 of 10,000. RR = 0.04 / 0.01 = 4.
    result = relative_rate(40, 1000, 100, 10000)
    assert result.rate_a == pytest.approx(40.0)
    assert result.rate_reference == pytest.approx(10.0)
    assert result.ratio == pytest.approx(4.0)
    se = math.sqrt(1 / 40 - 1 / 1000 + 1 / 100 - 1 / 10000)
    # sqrt(0.025 - 0.001 + 0.01 - 0.0001) = sqrt(0.0339)
    assert se == pytest.approx(0.184119526)
    assert result.lower == pytest.approx(4 * math.exp(-1.959963984540054 * se))
    assert result.upper == pytest.approx(4 * math.exp(1.959963984540054 * se))
    assert result.lower == pytest.approx(2.7883, abs=1e-4)
    assert result.upper == pytest.approx(5.7383, abs=1e-4)


def test_relative_rate_zero_counts():
    no_a = relative_rate(0, 1000, 10, 1000)
    assert no_a.ratio == 0.0
    assert no_a.lower is None and no_a.upper is None
    no_reference = relative_rate(5, 1000, 0, 1000)
    assert no_reference.ratio is None


def test_relative_rate_rejects_count_above_population():
    with pytest.raises(ValueError):
        relative_rate(11, 10, 1, 10)


@pytest.mark.parametrize(
    ("count", "display", "flag"),
    [
        (0, "0", False),
        (1, "fewer than 5", True),
        (4, "fewer than 5", True),
        (5, "5", False),
        (12345, "12,345", False),
    ],
)
def test_suppress_default(count, display, flag):
    result = suppress(count)
    assert (result.display, result.suppressed) == (display, flag)


def test_suppress_custom_threshold():
    assert suppress(9, threshold=9).display == "fewer than 10"
    assert suppress(10, threshold=9).suppressed is False
