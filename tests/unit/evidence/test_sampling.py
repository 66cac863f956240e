"""The stratified audit draw's allocation rule (svduty.evidence.sampling) at its
boundaries: proportional shares, the minimum per group, groups smaller than the
minimum, a sample as large as everyone, minimums that do not fit, ties."""

from __future__ import annotations

import random

import pytest

from svduty.evidence.sampling import AllocationError, allocate, draw_stratified


def test_proportional_without_a_minimum():
    assert allocate({"a": 90, "b": 9, "c": 1}, 10, 0) == {"a": 9, "b": 1, "c": 0}


def test_the_minimum_lifts_small_groups_and_the_rest_shrink():
    assert allocate({"a": 90, "b": 9, "c": 1}, 10, 2) == {"a": 7, "b": 2, "c": 1}


def test_a_group_smaller_than_the_minimum_gives_all_its_children():
    assert allocate({"a": 1, "b": 1, "c": 10}, 5, 2) == {"a": 1, "b": 1, "c": 3}


def test_minimums_that_exactly_fill_the_sample():
    assert allocate({"a": 50, "b": 50, "c": 50}, 6, 2) == {"a": 2, "b": 2, "c": 2}


def test_minimums_that_do_not_fit_are_refused():
    with pytest.raises(AllocationError, match="needs 6 children"):
        allocate({"a": 5, "b": 5, "c": 5}, 5, 2)


def test_a_sample_of_everyone_or_more_takes_everyone():
    assert allocate({"a": 3, "b": 2}, 5, 0) == {"a": 3, "b": 2}
    assert allocate({"a": 3, "b": 2}, 50, 4) == {"a": 3, "b": 2}
    assert allocate({}, 6, 1) == {}


def test_one_short_of_everyone():
    assert allocate({"a": 3, "b": 2}, 4, 0) == {"a": 2, "b": 2}


def test_ties_go_to_the_larger_group_then_by_name():
    assert allocate({"b": 1, "a": 1, "c": 1}, 2, 0) == {"a": 1, "b": 1, "c": 0}
    assert allocate({"a": 2, "b": 4}, 1, 0) == {"a": 0, "b": 1}


def test_negative_numbers_are_refused():
    with pytest.raises(ValueError):
        allocate({"a": 3}, -1, 0)


def test_every_allocation_adds_up_and_keeps_its_bounds():
    rng = random.Random(7)
    for _ in range(500):
        counts = {f"g{i}": rng.randint(0, 30) for i in range(rng.randint(1, 6))}
        size = rng.randint(1, 50)
        minimum = rng.randint(0, 5)
        try:
            out = allocate(counts, size, minimum)
        except AllocationError:
            assert sum(min(minimum, c) for c in counts.values()) > size
            continue
        assert sum(out.values()) == min(size, sum(counts.values()))
        for g, c in counts.items():
            assert min(minimum, c) <= out[g] <= c


def test_the_stratified_draw_is_reproducible_from_its_seed():
    groups = {"High": list(range(1, 40)), "Low": list(range(40, 200))}
    shuffled = {k: list(reversed(v)) for k, v in reversed(groups.items())}
    first, table = draw_stratified(groups, seed=11, size=8, minimum=3)
    again, _ = draw_stratified(shuffled, seed=11, size=8, minimum=3)
    other, _ = draw_stratified(groups, seed=12, size=8, minimum=3)
    assert first == again and first != other
    assert [(s.name, s.eligible, s.drawn) for s in table] == [
        ("High", 39, 3),
        ("Low", 160, 5),
    ]
    assert set(first[:3]) <= set(groups["High"]) and set(first[3:]) <= set(
        groups["Low"]
    )
