"""Exports that open safely in spreadsheets (OWASP: CSV/formula injection).

A cell that starts with =, +, -, @, a tab or a carriage return is prefixed with an
apostrophe so that Excel and LibreOffice show it as text instead of running it.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import date, datetime

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

_DANGEROUS_FIRST = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = (
            timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")
            if timezone.is_aware(value)
            else value.isoformat(sep=" ")
        )
    elif isinstance(value, date):
        value = value.isoformat()
    elif isinstance(value, bool):
        value = "Yes" if value else "No"
    elif isinstance(value, (int, float)):
        return str(value)
    text = str(value)
    if text.startswith(_DANGEROUS_FIRST):
        return "'" + text
    return text


class _Echo:
    def write(self, value):
        return value


def csv_response(
    filename: str, header: list[str], rows: Iterable[Iterable]
) -> StreamingHttpResponse:
    """Stream a CSV (UTF-8 with BOM so Excel reads accents) with every cell made
    safe."""
    writer = csv.writer(_Echo())

    def generate():
        yield "\ufeff"
        yield writer.writerow([safe_cell(h) for h in header])
        for row in rows:
            yield writer.writerow([safe_cell(v) for v in row])

    response = StreamingHttpResponse(generate(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def xlsx_response(
    filename: str, sheets: Iterable[tuple[str, list[str], Iterable[Iterable]]]
) -> HttpResponse:
    """A workbook with one sheet per (title, header, rows): numbers stay numbers,
    every text cell is made safe as in the CSV."""
    import io

    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        sheet.append([safe_cell(h) for h in header])
        for row in rows:
            sheet.append(
                [
                    v
                    if isinstance(v, (int, float)) and not isinstance(v, bool)
                    else safe_cell(v)
                    for v in row
                ]
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
