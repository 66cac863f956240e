"""The public pages of the SVRO transparency report: no sign-in, only the reports
that were published (`actions.publish_report`), shown from the figures frozen at
publication and never recounted. Aggregates only, suppressed as in the signed-in
report."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from svduty.core.pdf import pdf_response, render_pdf

from ..models import PublishedReport


def _report(pk: int) -> PublishedReport:
    report = PublishedReport.objects.filter(pk=pk).first()
    if report is None:
        raise Http404
    return report


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
    reports = PublishedReport.objects.all()
    return render(request, "svro/public/index.html", {"reports": reports})


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(pk)
    return render(request, "svro/public/detail.html", _context(report, for_pdf=False))


def pdf(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(pk)
    content = render_pdf("svro/report_pdf.html", _context(report, for_pdf=True))
    return pdf_response(
        content,
        f"svro-transparency-report-{report.period_start}-to-{report.period_end}.pdf",
    )
