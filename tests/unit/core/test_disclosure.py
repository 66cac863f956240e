"""Disclosure control on tables with known answers, including an attacker who
differences the published totals (issue 14, point 13)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from svduty.core.disclosure import (
    PRIMARY,
    SECONDARY,
    protect_counts,
    protect_table,
    round_to_base,
)

T = 4  # counts 1-4 are small


def _rank(matrix: list[list[Fraction]]) -> int:
    rows = [row[:] for row in matrix]
    rank, columns = 0, len(rows[0]) if rows else 0
    for column in range(columns):
        pivot = next((i for i in range(rank, len(rows)) if rows[i][column]), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for i in range(len(rows)):
            if i != rank and rows[i][column]:
                factor = rows[i][column] / rows[rank][column]
                rows[i] = [
                    a - factor * b for a, b in zip(rows[i], rows[rank], strict=True)
                ]
        rank += 1
    return rank


def _recoverable(counts, table) -> set:
    """Hidden cells an attacker can work out exactly from the published totals.

    Every published total is a linear equation in the hidden cells (the shown cells
    are known numbers). A hidden cell is determined exactly when its unit vector lies
    in the span of those equations, i.e. adding it does not raise the rank."""
    hidden = sorted(table.suppressed_cells(), key=str)
    rows, columns = list(counts), list(next(iter(counts.values())))
    equations = []
    for r in rows:
        if r in table.row_totals and not table.row_totals[r].suppressed:
            equations.append([Fraction(int(k[0] == r)) for k in hidden])
    for c in columns:
        if c in table.column_totals and not table.column_totals[c].suppressed:
            equations.append([Fraction(int(k[1] == c)) for k in hidden])
    if not equations:
        return set()
    base = _rank(equations)
    found = set()
    for index, key in enumerate(hidden):
        unit = [Fraction(int(i == index)) for i in range(len(hidden))]
        if _rank([*equations, unit]) == base:
            found.add(key)
    return found


def test_one_small_cell_beside_a_total_takes_a_second_cell_with_it():
    cells, total = protect_counts({"a": 3, "b": 10, "c": 25, "d": 0}, threshold=T)
    assert cells["a"].suppressed == PRIMARY
    assert cells["b"].suppressed == SECONDARY, "the smallest other non-zero count"
    assert not cells["c"].suppressed and not cells["d"].suppressed
    assert total.value == 38 and not total.suppressed
    assert cells["a"].display(T) == "fewer than 5" and cells["b"].display(T) == "[c]"
    assert cells["c"].display(T) == "25" and cells["d"].display(T) == "0"


def test_without_a_published_total_no_second_cell_is_needed():
    cells, total = protect_counts({"a": 3, "b": 10}, threshold=T, total=False)
    assert cells["a"].suppressed == PRIMARY and not cells["b"].suppressed
    assert total is None


def test_two_small_cells_protect_each_other():
    cells, _ = protect_counts({"a": 2, "b": 3, "c": 40}, threshold=T)
    assert [cells[k].suppressed for k in "abc"] == [PRIMARY, PRIMARY, ""]


def test_nothing_small_nothing_hidden_and_zero_is_never_small():
    cells, total = protect_counts({"a": 0, "b": 5, "c": 6}, threshold=T)
    assert not any(cell.suppressed for cell in cells.values())
    assert total.display(T) == "11"


def test_a_small_total_hides_a_cell_of_its_line():
    cells, total = protect_counts({"a": 0, "b": 0, "c": 3}, threshold=T)
    assert total.suppressed == PRIMARY and cells["c"].suppressed == PRIMARY


@pytest.mark.parametrize(
    "counts",
    [
        {"r1": {"x": 3, "y": 12, "z": 30}, "r2": {"x": 20, "y": 15, "z": 9}},
        {"r1": {"x": 1, "y": 1, "z": 30}, "r2": {"x": 6, "y": 15, "z": 2}},
        {"r1": {"x": 3, "y": 0, "z": 0}, "r2": {"x": 20, "y": 7, "z": 9}},
        {
            "r1": {"x": 4, "y": 8, "z": 11},
            "r2": {"x": 9, "y": 2, "z": 10},
            "r3": {"x": 12, "y": 13, "z": 1},
        },
    ],
)
def test_no_hidden_cell_can_be_recovered_by_differencing_totals(counts):
    table = protect_table(counts, threshold=T)
    assert table.suppressed_cells(), "each fixture has a small count"
    assert _recoverable(counts, table) == set()


def test_the_attacker_would_win_without_secondary_suppression():
    """The test of the test: primary suppression alone leaks the small count."""
    counts = {"r1": {"x": 3, "y": 12, "z": 30}, "r2": {"x": 20, "y": 15, "z": 9}}
    table = protect_table(counts, threshold=T, row_totals=False, column_totals=False)
    table.row_totals = protect_table(counts, threshold=T).row_totals
    assert _recoverable(counts, table) == {("r1", "x")}


def test_a_known_two_way_answer():
    counts = {"r1": {"x": 3, "y": 12, "z": 30}, "r2": {"x": 20, "y": 15, "z": 9}}
    table = protect_table(counts, threshold=T)
    assert table.suppressed_cells() == {
        ("r1", "x"),
        ("r1", "y"),
        ("r2", "x"),
        ("r2", "y"),
    }
    assert table.grand_total.value == 89 and not table.grand_total.suppressed


@pytest.mark.parametrize(
    ("value", "rounded"),
    [(0, 0), (1, 5), (2, 5), (3, 5), (7, 5), (8, 10), (12, 10), (13, 15), (100, 100)],
)
def test_round_to_base_five(value, rounded):
    assert round_to_base(value) == rounded


def test_rounding_defeats_differencing_two_overlapping_outputs():
    """Two downloads differ by one month holding 2 incidents: rounded, the
    difference (15 - 15 = 0) no longer says how many there were."""
    whole_year, year_but_one_month = 137, 135
    assert round_to_base(whole_year) - round_to_base(year_but_one_month) == 0
