"""The outcomes and the indicator registry, without the database."""

from svduty.evidence import outcomes
from svduty.evidence.indicators import REGISTRY, Kind, for_outcome


def test_there_are_21_outcomes_numbered_in_order():
    assert [o.number for o in outcomes.OUTCOMES] == list(range(1, 22))
    assert len({o.title for o in outcomes.OUTCOMES}) == 21


def test_unconfirmed_outcomes_say_so():
    confirmed = [o for o in outcomes.OUTCOMES if o.confirmed]
    assert {o.number for o in confirmed} >= {1, 7, 8, 10}
    for o in outcomes.OUTCOMES:
        assert ("not confirmed" in o.source_note) is not o.confirmed


def test_every_indicator_declares_its_definition():
    for key, i in REGISTRY.items():
        assert i.key == key
        assert outcomes.get(i.outcome) is not None, key
        assert i.definition and i.numerator and i.denominator and i.source, key
        assert i in for_outcome(i.outcome)


def test_values_for_each_kind_including_empty_and_small():
    rate = REGISTRY["referral-decided-in-time"]
    assert rate.kind == Kind.RATE
    assert rate.value(0, 0, None) is None
    assert rate.format(None) == "No records"
    assert rate.value(1, 3, None) == 33.3
    assert rate.format(33.3) == "33.3%"
    mean = REGISTRY["referral-days-to-decision"]
    assert mean.value(2, 2, 3.0) == 1.5
    assert mean.format(1.5) == "1.5 days"
    count = REGISTRY["children-referred"]
    assert count.value(0, 0, None) == 0.0
    assert count.format(2.0) == "2"


def test_every_outcome_has_an_indicator_or_an_evidence_record_type():
    from svduty.evidence import record_types

    for outcome in outcomes.OUTCOMES:
        assert for_outcome(outcome.number) or record_types.for_outcome(
            outcome.number
        ), f"outcome {outcome.number} has neither an indicator nor a record type"
