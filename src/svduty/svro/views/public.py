"""The public pages of the SVRO transparency report: no sign-in, only the reports
that were published (`actions.publish_report`), shown from the figures frozen at
publication and never recounted. Aggregates only, suppressed as in the signed-in
report."""

from __future__ import annotations

import re

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render

from svduty.core.exports import csv_response, xlsx_response
from svduty.core.pdf import pdf_response, render_pdf

from ..models import PublishedReport, ReportWithdrawal
from ..policies import may_publish_for


def _report(pk: int) -> PublishedReport:
    report = PublishedReport.objects.select_related("withdrawal").filter(pk=pk).first()
    if report is None:
        raise Http404
    return report


def withdrawn(report: PublishedReport) -> ReportWithdrawal | None:
    try:
        return report.withdrawal
    except ReportWithdrawal.DoesNotExist:
        return None


def _withdrawn_page(request: HttpRequest, report: PublishedReport) -> HttpResponse:
    """What a withdrawn report's page and downloads answer: that it was withdrawn,
    when and why (410 Gone: the figures are no longer given)."""
    return render(
        request,
        "svro/public/withdrawn.html",
        {"report": report, "withdrawal": withdrawn(report)},
        status=410,
    )


def _context(report: PublishedReport, *, for_pdf: bool) -> dict:
    svgs = {}
    if for_pdf:
        from svduty.analysis.charts import to_svg

        svgs = {
            t["key"]: to_svg(t["spec"])
            for section in report.sections
            for t in section["tables"]
            if t.get("spec")
        }
    return {
        "report": report,
        "published": True,
        "sections": report.sections,
        "svgs": svgs,
        "for_pdf": for_pdf,
        "filters": {"start": report.period_start, "end": report.period_end},
        "force": {"name": report.force_name} if report.force_id else None,
        "result": {"computed_at": report.figures_as_at, "stale": False},
        "small_limit": settings.SUPPRESSION_THRESHOLD + 1,
        "generated_at": report.published_at,
    }


def index(request: HttpRequest) -> HttpResponse:
    reports = PublishedReport.objects.select_related("withdrawal")
    return render(request, "svro/public/index.html", {"reports": reports})


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(pk)
    if withdrawn(report):
        return _withdrawn_page(request, report)
    return render(
        request,
        "svro/public/detail.html",
        {
            **_context(report, for_pdf=False),
            "can_withdraw": may_publish_for(request.user, report.force_id),
        },
    )


def pdf(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(pk)
    if withdrawn(report):
        return _withdrawn_page(request, report)
    content = render_pdf("svro/report_pdf.html", _context(report, for_pdf=True))
    return pdf_response(
        content,
        f"svro-transparency-report-{report.period_start}-to-{report.period_end}.pdf",
    )


def _about(report: PublishedReport) -> list[str]:
    limit = settings.SUPPRESSION_THRESHOLD
    return [
        "Serious Violence Reduction Orders: transparency report",
        f"{report.force_name}, {report.period_start} to {report.period_end}",
        f"Published {report.published_at:%Y-%m-%d}; figures as at "
        f"{report.figures_as_at:%Y-%m-%d %H:%M}",
        f"Counts from 1 to {limit} are shown as 'fewer than {limit + 1}'; [c] marks "
        "further cells withheld so that hidden counts cannot be worked out from the "
        "totals.",
        "Source: svduty SVRO register, as published (the figures are not recounted).",
    ]


def _filename(report: PublishedReport, extension: str) -> str:
    return (
        f"svro-transparency-report-{report.period_start}-to-{report.period_end}"
        f".{extension}"
    )


def _sheet_title(item: str, number: int, title: str) -> str:
    """A sheet name Excel accepts (31 characters, none of []:*?/\\), unique by its
    item and number."""
    clean = "".join(" " if c in "[]:*?/\\" else c for c in title)
    return f"{item}{number} {clean}"[:31]


def report_csv(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The published tables, one after another, exactly as the page shows them
    (the frozen, suppressed figures): each table's title, head, rows and definition,
    then a blank line."""
    report = _report(pk)
    if withdrawn(report):
        return _withdrawn_page(request, report)
    rows: list[list] = [[line] for line in _about(report)[1:]] + [[]]
    for section in report.sections:
        for table in section["tables"]:
            rows.append([f"({section['item']}) {table['title']}"])
            rows.append(table["head"])
            rows.extend(table["rows"])
            if table.get("definition"):
                rows.append([table["definition"]])
            rows.append([])
    return csv_response(_filename(report, "csv"), [_about(report)[0]], rows)


_WHOLE_NUMBER = re.compile(r"-?\d{1,3}(,\d{3})*|-?\d+")


def _number_or_text(value: object) -> object:
    """A count as a number (so a spreadsheet can add it up); anything else as it is
    shown ("fewer than 5", "[c]", a rate with its interval)."""
    if isinstance(value, str) and _WHOLE_NUMBER.fullmatch(value):
        return int(value.replace(",", ""))
    return value


def report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """The published tables as a workbook: a sheet per table (head, rows, then its
    definition), the same frozen suppressed figures, and an About sheet."""
    report = _report(pk)
    if withdrawn(report):
        return _withdrawn_page(request, report)
    sheets: list[tuple[str, list[str], list[list[object]]]] = [
        ("About", ["About these figures"], [[line] for line in _about(report)])
    ]
    for section in report.sections:
        for number, table in enumerate(section["tables"], start=1):
            sheets.append(
                (
                    _sheet_title(section["item"], number, table["title"]),
                    table["head"],
                    [
                        *([_number_or_text(v) for v in row] for row in table["rows"]),
                        [],
                        [table.get("definition", "")],
                    ],
                )
            )
    return xlsx_response(_filename(report, "xlsx"), sheets)
