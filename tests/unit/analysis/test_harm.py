import pytest

from svduty.analysis.stats.harm import (
    ILLUSTRATIVE_POLICE_UK_HARM_WEIGHTS,
    HarmWeights,
    harm_total,
)

POLICE_UK_CATEGORIES = {
    "Anti-social behaviour",
    "Bicycle theft",
    "Burglary",
    "Criminal damage and arson",
    "Drugs",
    "Other crime",
    "Other theft",
    "Possession of weapons",
    "Public order",
    "Robbery",
    "Shoplifting",
    "Theft from the person",
    "Vehicle crime",
    "Violence and sexual offences",
}


def test_harm_total_hand_example():
    weights = HarmWeights("test", "1", "hand", {"Robbery": 1460, "Shoplifting": 2})
    result = harm_total({"Robbery": 3, "Shoplifting": 10}, weights)
    assert result.total == 3 * 1460 + 10 * 2
    assert result.by_category["Robbery"] == 4380
    assert result.illustrative is False


def test_unknown_category_raises_by_default_and_can_be_skipped():
    weights = HarmWeights("test", "1", "hand", {"Robbery": 1})
    with pytest.raises(KeyError, match="Burglary"):
        harm_total({"Burglary": 1}, weights)
    result = harm_total({"Burglary": 1, "Robbery": 2}, weights, unknown="skip")
    assert result.total == 2
    assert result.unweighted_categories == ("Burglary",)


def test_default_covers_every_police_uk_category_and_is_labelled():
    default = ILLUSTRATIVE_POLICE_UK_HARM_WEIGHTS
    assert set(default.weights) == POLICE_UK_CATEGORIES
    assert set(default.notes) == POLICE_UK_CATEGORIES
    assert default.illustrative is True
    assert "Illustrative" in default.source
    assert "Sherman" in default.source


def test_weights_are_read_only_and_not_negative():
    with pytest.raises(ValueError):
        HarmWeights("bad", "1", "x", {"Robbery": -1})
    with pytest.raises(TypeError):
        ILLUSTRATIVE_POLICE_UK_HARM_WEIGHTS.weights["Robbery"] = 0
