"""Figures supplied under section 17 of the PCSC Act 2022, in the svduty template.

An authority answering a local policing body's s.17 request can supply the figures
asked for as a file rather than typing them in. The template is deliberately small
and aggregate (s.17 asks for information the authority already holds; counts rather
than records where counts will do):

    measure, period_start, period_end, area_code, value, notes

- ``measure``: what is counted, in words (up to 200 characters), for example
  "Permanent exclusions for possession of a weapon".
- ``period_start`` / ``period_end``: the dates the figure covers (YYYY-MM-DD or
  DD/MM/YYYY); the end on or after the start.
- ``area_code``: optional; an ONS code (LSOA, ward, local authority) or the
  authority's own area name, up to 50 characters.
- ``value``: a number, 0 or more.
- ``notes``: optional, up to 1,000 characters (caveats, definitions).

The same measure, period and area twice is a problem on the second row: a figure
must mean one thing. Columns outside the template are refused, so that names or
other personal details cannot slip in.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from svduty.sharing.readers import values as v
from svduty.sharing.readers.base import Column, TabularReader

S17_FIGURE_COLUMNS = (
    "measure",
    "period_start",
    "period_end",
    "area_code",
    "value",
    "notes",
)
OPTIONAL = frozenset({"area_code", "notes"})
LIMITS = {"measure": 200, "area_code": 50, "notes": 1000}
MAX_VALUE = 1e12


class S17FiguresReader(TabularReader):
    kind = "s17_figures"
    label = "the section 17 figures template"
    file_types = ("csv",)
    output_columns = S17_FIGURE_COLUMNS
    columns = tuple(
        Column(name, required=name not in OPTIONAL) for name in S17_FIGURE_COLUMNS
    )

    def _start(self) -> None:
        self._seen: dict[tuple[Any, ...], int] = {}

    def _text(self, row_number: int, cells: Sequence[Any], name: str) -> str | None:
        value = v.text(self.cell(cells, name))
        if not value:
            if name not in OPTIONAL:
                self.problems.add(
                    row_number, name, f"Enter the {name.replace('_', ' ')}"
                )
            return None
        if len(value) > LIMITS[name]:
            self.problems.add(
                row_number,
                name,
                f"{name.replace('_', ' ').capitalize()} must be "
                f"{LIMITS[name]:,} characters or fewer",
            )
            return None
        return value

    def convert(self, row_number: int, cells: Sequence[Any]) -> tuple[Any, ...] | None:
        before = self.result.problem_count
        measure = self._text(row_number, cells, "measure")
        area = self._text(row_number, cells, "area_code")
        notes = self._text(row_number, cells, "notes")
        dates = {}
        for name, label in (
            ("period_start", "Period start"),
            ("period_end", "Period end"),
        ):
            try:
                dates[name] = v.date(self.cell(cells, name), label)
            except v.BadValue as error:
                self.problems.add(row_number, name, error.message)
                dates[name] = None
        start, end = dates["period_start"], dates["period_end"]
        if start and end and end < start:
            self.problems.add(
                row_number,
                "period_end",
                "Period end must be the same as or after the period start",
            )
        try:
            value = v.number(self.cell(cells, "value"), "Value", 0, MAX_VALUE)
        except v.BadValue as error:
            self.problems.add(row_number, "value", error.message)
            value = None
        if self.result.problem_count != before:
            return None
        key = (
            measure.casefold() if measure else "",
            start,
            end,
            (area or "").casefold(),
        )
        if key in self._seen:
            self.problems.add(
                row_number,
                "measure",
                f"Row {self._seen[key]} already gives this measure for the same "
                "period and area. Give each figure once",
            )
            return None
        self._seen[key] = row_number
        return (measure, start, end, area, value, notes)
