"""Self-assessment of each outcome, its evidence, and the whole-partnership report
(HTML, tagged PDF and CSV; exports audited and small numbers suppressed)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header

from svduty.accounts.requests import signed_in_user
from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.core.authorisation import Permission
from svduty.core.disclosure import is_small, small_label
from svduty.core.exports import csv_response
from svduty.core.formviews import form_action
from svduty.core.policies import get_visible_or_404, has_permission, requires
from svduty.evidence import actions, documents, figures, outcomes
from svduty.evidence.forms import EvidenceLinkForm, SelfAssessmentForm
from svduty.evidence.indicators import Indicator, for_outcome
from svduty.evidence.models import EvidenceLink, SelfAssessment
from svduty.partnership.models import Partnership
from svduty.sharing.uploads import upload_refusal

from .common import chosen_partnership, latest_run


def self_assessment_context(
    request: HttpRequest, partnership: Partnership, number: int
) -> dict[str, Any]:
    sa = (
        SelfAssessment.objects.filter(partnership=partnership, outcome=number)
        .select_related("owner", "updated_by")
        .prefetch_related("evidence")
        .first()
    )
    return {
        "self_assessment": sa,
        "may_manage": has_permission(request.user, Permission.MANAGE_EVIDENCE),
        "self_assessment_template": "evidence/_self_assessment.html",
    }


def _outcome_or_404(number: int) -> outcomes.Outcome:
    outcome = outcomes.get(number)
    if outcome is None:
        raise Http404("No such outcome")
    return outcome


def _back(partnership: Partnership, number: int) -> str:
    url = reverse("evidence:outcome", args=[number])
    return f"{url}?partnership={partnership.pk}"


@requires(Permission.MANAGE_EVIDENCE)
def self_assessment_edit(request: HttpRequest, number: int) -> HttpResponse:
    outcome = _outcome_or_404(number)
    partnership, _ = chosen_partnership(request)
    user = signed_in_user(request)
    existing = SelfAssessment.objects.filter(
        partnership=partnership, outcome=number
    ).first()
    initial: dict[str, Any] = {"owner": user.pk}
    if existing is not None:
        initial = {
            "grade": existing.grade,
            "narrative": existing.narrative,
            "strengths": existing.strengths,
            "improvements": existing.improvements,
            "owner": existing.owner_id,
            "review_on": existing.review_on,
            "version": existing.version,
        }
    form = SelfAssessmentForm(
        request.POST or None, initial=initial, partnership=partnership
    )
    if form_action(
        request,
        form,
        lambda d: actions.save_self_assessment(
            by=user,
            partnership=partnership,
            outcome=number,
            grade=d["grade"],
            narrative=d["narrative"],
            strengths=d["strengths"],
            improvements=d["improvements"],
            owner=d["owner"],
            review_on=d["review_on"],
            version=d["version"] if existing is not None else None,
        ),
    ):
        return redirect(_back(partnership, number))
    return render(
        request,
        "evidence/form.html",
        {
            "form": form,
            "title": f"Self-assessment: {outcome.title}",
            "intro": outcome.question,
            "back": _back(partnership, number),
            "partnership": partnership,
        },
    )


@requires(Permission.MANAGE_EVIDENCE)
def evidence_add(request: HttpRequest, number: int) -> HttpResponse:
    outcome = _outcome_or_404(number)
    partnership, _ = chosen_partnership(request)
    sa = SelfAssessment.objects.filter(partnership=partnership, outcome=number).first()
    if sa is None:
        return redirect(
            f"{reverse('evidence:self_assessment', args=[number])}"
            f"?partnership={partnership.pk}"
        )
    user = signed_in_user(request)
    form = EvidenceLinkForm(
        request.POST or None,
        request.FILES or None,
        upload_refusal=upload_refusal(request),
    )
    if form_action(
        request,
        form,
        lambda d: actions.add_evidence_link(
            by=user,
            self_assessment=sa,
            title=d["title"],
            url=d["url"],
            note=d["note"],
            document=d.get("document"),
        ),
    ):
        return redirect(_back(partnership, number))
    return render(
        request,
        "evidence/form.html",
        {
            "form": form,
            "title": f"Add evidence: {outcome.title}",
            "back": _back(partnership, number),
            "partnership": partnership,
            "multipart": True,
        },
    )


@requires(Permission.VIEW_EVIDENCE)
def evidence_document(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Download an uploaded evidence document: only within the user's partnerships
    (404 otherwise), audited (EXPORT) before the file is sent."""
    link = get_visible_or_404(EvidenceLink, request.user, pk=pk)
    if not link.document:
        raise Http404("This evidence has no document")
    try:
        path = documents.path_of(link.document)
    except OSError as error:
        raise Http404("The document is no longer stored") from error
    if not path.is_file():
        raise Http404("The document is no longer stored")
    record(
        AuditAction.EXPORT,
        actor=request.user,
        target=link,
        detail={
            "evidence": "self-assessment document",
            "document": link.document_name,
            "outcome": link.self_assessment.outcome,
        },
    )
    # Documents are small (EVIDENCE_DOCUMENT_MAX_BYTES): read whole, so the file is
    # closed before the response leaves, whatever the client does with it.
    response = HttpResponse(
        path.read_bytes(),
        content_type=documents.CONTENT_TYPES.get(
            link.document_type, "application/octet-stream"
        ),
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=link.document_name
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _report_rows(partnership: Partnership) -> list[dict[str, Any]]:
    data = figures.figures([partnership.pk])
    assessments = {
        sa.outcome: sa
        for sa in SelfAssessment.objects.filter(partnership=partnership)
        .select_related("owner")
        .prefetch_related("evidence")
    }
    rows = []
    for outcome in outcomes.OUTCOMES:
        measured = []
        for indicator in for_outcome(outcome.number):
            months = figures.by_month(data.get(indicator.key, {}))
            year = figures.last_twelve(months)
            measured.append((indicator, year))
        rows.append(
            {
                "outcome": outcome,
                "sa": assessments.get(outcome.number),
                "measured": measured,
            }
        )
    return rows


def _shown(indicator: Indicator, year: figures.Point) -> tuple[str, str]:
    """The figure and its record count as they may leave the partnership: a count
    from 1 to the threshold, and any share or average computed from one, suppressed
    (convention 9)."""
    threshold = settings.SUPPRESSION_THRESHOLD
    if is_small(year.denominator, threshold):
        return "[suppressed: small number]", small_label(threshold)
    return indicator.format(year.value(indicator)), f"{year.denominator:,}"


@requires(Permission.VIEW_EVIDENCE)
def report(request: HttpRequest) -> HttpResponseBase:
    partnership, options = chosen_partnership(request)
    rows = _report_rows(partnership)
    # ?outcome=N: the one-page summary of that outcome (the same sections).
    only = _one_outcome(request.GET.get("outcome"))
    if only is not None:
        rows = [r for r in rows if r["outcome"].number == only.number]
    for row in rows:
        row["figures"] = [(i, _shown(i, y)) for i, y in row["measured"]]
    fmt = request.GET.get("format", "")
    context = {
        "partnership": partnership,
        "options": options,
        "rows": rows,
        "outcome": only,
        "run": latest_run(partnership),
        "printed_at": timezone.now(),
        # The downloads need MANAGE_EVIDENCE (below): offered only to those.
        "may_download": has_permission(request.user, Permission.MANAGE_EVIDENCE),
    }
    if fmt not in ("", "pdf", "csv", "xlsx"):
        raise Http404("Not found")
    if fmt == "":
        return render(request, "evidence/report.html", context)
    if not has_permission(request.user, Permission.MANAGE_EVIDENCE):
        raise PermissionDenied
    record(
        AuditAction.EXPORT,
        actor=request.user,
        target=partnership,
        detail={
            "evidence": "self-assessment report",
            "format": fmt,
            "outcome": only.number if only else "all",
        },
    )
    if fmt == "pdf":
        from svduty.strategy.pdf import pdf_response, render_pdf

        content = render_pdf("evidence/report_pdf.html", context, request=request)
        name = f"evidence-{partnership.slug}"
        if only is not None:
            name += f"-outcome-{only.number}"
        return pdf_response(content, f"{name}.pdf")
    if fmt == "xlsx":
        from svduty.evidence import xlsx

        return xlsx.workbook_response(
            f"evidence-{partnership.slug}.xlsx",
            [
                ("Outcomes", REPORT_HEAD, _csv_rows(rows)),
                (
                    "Disproportionality",
                    xlsx.DISPROPORTIONALITY_HEAD,
                    xlsx.disproportionality_rows(partnership.pk),
                ),
                (
                    "Risk after a service",
                    xlsx.TRAJECTORY_HEAD,
                    xlsx.trajectory_rows(partnership.pk),
                ),
            ],
        )
    return csv_response(
        f"evidence-{partnership.slug}.csv", REPORT_HEAD, _csv_rows(rows)
    )


def _one_outcome(raw: str | None) -> outcomes.Outcome | None:
    """The outcome of a one-page summary, or None for the whole report; anything
    that is not an outcome's number is 404."""
    if raw is None:
        return None
    outcome = outcomes.get(int(raw)) if raw.isdigit() and len(raw) <= 2 else None
    if outcome is None:
        raise Http404("No such outcome")
    return outcome


REPORT_HEAD = [
    "Outcome",
    "Title",
    "Grade",
    "Owner",
    "Review date",
    "Indicator",
    "Last 12 months",
    "Records",
]


def _csv_rows(rows: list[dict[str, Any]]):
    for row in rows:
        sa = row["sa"]
        base = [
            row["outcome"].number,
            row["outcome"].title,
            sa.get_grade_display() if sa else "Not assessed",
            sa.owner.get_full_name() if sa else "",
            f"{sa.review_on:%Y-%m-%d}" if sa else "",
        ]
        if not row["figures"]:
            yield [*base, "", "", ""]
        for indicator, (value, count) in row["figures"]:
            yield [*base, indicator.title, value, count]
