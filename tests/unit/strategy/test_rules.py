"""The Duty's gates, without the database."""

from types import SimpleNamespace

from svduty.strategy import rules


def members(*ids):
    return [SimpleNamespace(pk=i) for i in ids]


def test_consultation_complete_when_every_relevant_authority_has_a_record():
    assert rules.consultation_is_complete(members(1, 2), [2, 1])


def test_consultation_incomplete_lists_who_is_missing_in_order():
    required = members(3, 1, 2)
    assert [m.pk for m in rules.missing_members(required, [1])] == [3, 2]
    assert not rules.consultation_is_complete(required, [1])


def test_no_relevant_authorities_means_nothing_to_wait_for():
    assert rules.consultation_is_complete([], [])


def test_sign_off_needs_every_specified_authority():
    assert rules.sign_off_is_complete(members(1, 2), [1, 2, 3])
    assert not rules.sign_off_is_complete(members(1, 2), [1])


def test_sign_off_with_no_specified_authorities_is_not_complete():
    assert not rules.sign_off_is_complete([], [])
