"""Disclosure control for every table that leaves the partnership (convention 9;
issue 14, point 13), in one place.

Primary suppression hides counts from 1 to the threshold ("fewer than 5"). On its own
it can be undone: if a row's total is published and only one cell in the row is
hidden, the hidden cell is the total minus the others. Secondary (complementary)
suppression hides enough further cells that no hidden cell can be recovered from the
published totals: every row and column (whose total is published) that has a hidden
cell has at least two, and a hidden total is treated the same way against the grand
total. The cells chosen for secondary suppression are the smallest remaining ones, so
the least information is lost.

Differencing between two outputs (for example two downloads whose filters overlap)
cannot be prevented by suppressing each table alone. For such outputs `round_to_base`
rounds every published count to a multiple of 5, as ONS does for census tables: the
difference of two rounded counts no longer tells a small count exactly.

Zero stays zero in both: an empty cell discloses nothing about a person.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# Row and column keys: any hashable label (a category, an area, a month).
Key = Any

PRIMARY = "primary"
SECONDARY = "secondary"


def is_small(value: int, threshold: int) -> bool:
    return 1 <= value <= threshold


def small_label(threshold: int) -> str:
    return f"fewer than {threshold + 1}"


@dataclass(frozen=True)
class ProtectedCell:
    value: int
    suppressed: str = ""  # "", PRIMARY or SECONDARY

    def display(self, threshold: int) -> str:
        if self.suppressed == PRIMARY:
            return small_label(threshold)
        if self.suppressed == SECONDARY:
            return "[c]"  # confidential, the ONS marker, explained beside the table
        return f"{self.value:,}"


@dataclass
class ProtectedTable:
    """A two-way table of counts with its totals, after disclosure control."""

    threshold: int
    cells: dict[Key, dict[Key, ProtectedCell]]
    row_totals: dict[Key, ProtectedCell] = field(default_factory=dict)
    column_totals: dict[Key, ProtectedCell] = field(default_factory=dict)
    grand_total: ProtectedCell | None = None

    def suppressed_cells(self) -> set[tuple[Key, Key]]:
        return {
            (row, column)
            for row, columns in self.cells.items()
            for column, cell in columns.items()
            if cell.suppressed
        }


def _secondary_needed(
    line: Mapping[Key, ProtectedCell], total: ProtectedCell | None
) -> Key | None:
    """The key of the cell to hide so that this line's hidden cells cannot be
    recovered from its published total; None when it is already safe."""
    if total is None or total.suppressed:
        return None  # no published total to difference against
    hidden = [key for key, cell in line.items() if cell.suppressed]
    if len(hidden) != 1:
        return None
    candidates = [
        (cell.value, str(key), key) for key, cell in line.items() if not cell.suppressed
    ]
    if not candidates:
        return None
    # The smallest published cell; a non-zero one if there is one, since hiding a
    # zero beside a single small count still lets "total − others" bound it tightly.
    nonzero = [c for c in candidates if c[0] > 0]
    return min(nonzero or candidates)[2]


def protect_table(
    counts: Mapping[Key, Mapping[Key, int]],
    *,
    threshold: int,
    row_totals: bool = True,
    column_totals: bool = True,
    grand_total: bool = True,
) -> ProtectedTable:
    """Primary and secondary suppression of a two-way table and the totals that
    will be published beside it."""
    rows = list(counts)
    columns: list[Key] = []
    for row in rows:
        for column in counts[row]:
            if column not in columns:
                columns.append(column)

    def primary(value: int) -> ProtectedCell:
        return ProtectedCell(value, PRIMARY if is_small(value, threshold) else "")

    cells = {r: {c: primary(int(counts[r].get(c, 0))) for c in columns} for r in rows}
    rtotals = {r: primary(sum(int(v) for v in counts[r].values())) for r in rows}
    ctotals = {c: primary(sum(int(counts[r].get(c, 0)) for r in rows)) for c in columns}
    grand = primary(sum(t.value for t in rtotals.values()))

    changed = True
    while changed:
        changed = False
        if row_totals:
            for r in rows:
                key = _secondary_needed(cells[r], rtotals[r])
                if key is not None:
                    cells[r][key] = ProtectedCell(cells[r][key].value, SECONDARY)
                    changed = True
        if column_totals:
            for c in columns:
                column = {r: cells[r][c] for r in rows}
                key = _secondary_needed(column, ctotals[c])
                if key is not None:
                    cells[key][c] = ProtectedCell(cells[key][c].value, SECONDARY)
                    changed = True
        if grand_total and row_totals:
            key = _secondary_needed(rtotals, grand)
            if key is not None:
                rtotals[key] = ProtectedCell(rtotals[key].value, SECONDARY)
                changed = True
        if grand_total and column_totals:
            key = _secondary_needed(ctotals, grand)
            if key is not None:
                ctotals[key] = ProtectedCell(ctotals[key].value, SECONDARY)
                changed = True
        # A hidden total hides a line's sum: a line whose total is hidden but whose
        # cells are all shown would give it away, so hide the line's smallest cell.
        if row_totals:
            for r in rows:
                if rtotals[r].suppressed and not any(
                    x.suppressed for x in cells[r].values()
                ):
                    key = _smallest(cells[r])
                    if key is not None:
                        cells[r][key] = ProtectedCell(cells[r][key].value, SECONDARY)
                        changed = True
        if column_totals:
            for c in columns:
                column = {r: cells[r][c] for r in rows}
                if ctotals[c].suppressed and not any(
                    x.suppressed for x in column.values()
                ):
                    key = _smallest(column)
                    if key is not None:
                        cells[key][c] = ProtectedCell(cells[key][c].value, SECONDARY)
                        changed = True
    return ProtectedTable(
        threshold=threshold,
        cells=cells,
        row_totals=rtotals if row_totals else {},
        column_totals=ctotals if column_totals else {},
        grand_total=grand if grand_total else None,
    )


def _smallest(line: Mapping[Key, ProtectedCell]) -> Key | None:
    shown = [
        (cell.value, str(key), key) for key, cell in line.items() if cell.value > 0
    ]
    return min(shown)[2] if shown else None


def protect_counts(
    counts: Mapping[Key, int], *, threshold: int, total: bool = True
) -> tuple[dict[Key, ProtectedCell], ProtectedCell | None]:
    """A one-way breakdown (counts by category) and its total."""
    table = protect_table(
        {"all": counts},
        threshold=threshold,
        row_totals=total,
        column_totals=False,
        grand_total=False,
    )
    return table.cells["all"], (table.row_totals["all"] if total else None)


def round_to_base(value: int, base: int = 5) -> int:
    """The nearest multiple of `base` (halves up); 0 stays 0, and a count from 1 to
    half the base becomes `base`, never 0, so that "none" is never claimed wrongly."""
    if value <= 0:
        return 0
    rounded = base * ((value + base // 2) // base)
    return max(rounded, base)
