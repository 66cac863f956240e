"""The whole-partnership report as an XLSX workbook: the outcomes and their figures
(as in the CSV), the disproportionality tables and the risk trajectories. It may
leave the partnership, so every small number in it is suppressed."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse

from svduty.core.exports import safe_cell

from . import disproportionality as dp
from .models import Dimension

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value: Any) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return safe_cell(value)


def workbook_response(
    filename: str, sheets: Iterable[tuple[str, list[str], Iterable[list[Any]]]]
) -> HttpResponse:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for title, head, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        sheet.append(head)
        for row in rows:
            sheet.append([_cell(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def disproportionality_rows(partnership_id: int) -> list[list[Any]]:
    children = dp.cohort(partnership_id)
    pops = dp.populations(partnership_id)
    rows = []
    for dimension in Dimension:
        for r in dp.table(children, pops.get(dimension, {}), dimension):
            rows.append([dimension.label, *r.cells()])
    return rows


def trajectory_rows(partnership_id: int) -> list[list[Any]]:
    from svduty.cases.models import RiskLevel

    limit = dp.threshold()

    def shown(n: int) -> Any:
        return f"fewer than {limit + 1}" if 1 <= n <= limit else n

    return [
        [RiskLevel(level).label, *(shown(counts.get(t, 0)) for t in dp.TRAJECTORY)]
        for level, counts in dp.trajectories(partnership_id).items()
    ]


DISPROPORTIONALITY_HEAD = [
    "Dimension",
    "Group",
    "Children referred (last 12 months)",
    "Children in the area",
    "Rate per 1,000",
    "Relative rate",
    "95% confidence interval",
]
TRAJECTORY_HEAD = ["Risk before the service", *dp.TRAJECTORY]
