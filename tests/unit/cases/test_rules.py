from svduty.cases.language import find_phrases
from svduty.cases.rules import (
    HIGH,
    LOW,
    MEDIUM,
    Answer,
    ScoringRules,
    first_name_keys,
    soundex,
    suggest_level,
)

RULES = ScoringRules(medium_from=3, high_from=8)


def answers(*weights, significant=()):
    return [
        Answer(weight=w, significant=i in significant, present=True)
        for i, w in enumerate(weights)
    ]


class TestScreeningRules:
    def test_no_indicators_is_low(self):
        result = suggest_level([Answer(2, False, False)], RULES, age=15)
        assert (result.level, result.score) == (LOW, 0)

    def test_thresholds(self):
        assert suggest_level(answers(1, 1), RULES, age=15).level == LOW
        assert suggest_level(answers(2, 1), RULES, age=15).level == MEDIUM
        assert suggest_level(answers(3, 3, 2), RULES, age=15).level == HIGH

    def test_a_significant_indicator_suggests_high(self):
        result = suggest_level(answers(1, significant={0}), RULES, age=15)
        assert result.level == HIGH
        assert any("significant" in r for r in result.reasons)

    def test_significant_rule_can_be_switched_off(self):
        rules = ScoringRules(significant_means_high=False)
        assert suggest_level(answers(1, significant={0}), rules, age=15).level == LOW

    def test_floor_for_young_children(self):
        result = suggest_level(answers(1), RULES, age=12)
        assert result.level == MEDIUM
        assert any("under 13" in r for r in result.reasons)
        assert suggest_level(answers(1), RULES, age=13).level == LOW

    def test_floor_for_learning_disability(self):
        assert (
            suggest_level(answers(1), RULES, age=16, learning_disability=True).level
            == MEDIUM
        )

    def test_floor_needs_an_indicator(self):
        assert suggest_level([], RULES, age=10).level == LOW

    def test_floor_never_lowers(self):
        assert suggest_level(answers(9), RULES, age=10).level == HIGH


class TestNames:
    def test_soundex(self):
        assert soundex("Robert") == soundex("Rupert") == "R163"
        assert soundex("Smith") == soundex("Smyth")
        assert soundex("Ashcraft") == "A261"
        assert soundex("") == ""

    def test_variants(self):
        assert soundex("William") in first_name_keys("Bill")
        assert soundex("Bill") in first_name_keys("Liam")


class TestLanguage:
    def test_finds_phrases_with_suggestions(self):
        findings = find_phrases("He is CHOOSING TO go missing and is a gang  member.")
        phrases = {f.phrase for f in findings}
        assert phrases == {"choosing to", "gang member"}
        assert all(f.alternative for f in findings)

    def test_whole_words_only(self):
        assert find_phrases("The recruiters' office") == []

    def test_custom_list(self):
        rules = [
            ("county lines kid", "a child criminally exploited", "Labels the child")
        ]
        assert [f.phrase for f in find_phrases("a county lines kid", rules)] == [
            "county lines kid"
        ]

    def test_empty(self):
        assert find_phrases("") == []
