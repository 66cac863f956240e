"""The data protection officer's pages: the retention schedule, the erasure log and
subject access requests."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from svduty.accounts.requests import signed_in_user
from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.core.authorisation import Permission
from svduty.core.formviews import button_action, not_found
from svduty.core.params import parse_id, parse_page
from svduty.core.pdf import pdf_response, render_pdf
from svduty.core.policies import requires

from . import actions
from .forms import FindSubjectForm
from .models import ErasureRecord, RetentionRun, SubjectAccessRequest
from .retention import retention_rules
from .subject_access import (
    find_subjects,
    gather,
    identities,
    subject_kinds,
    third_party_keys,
)

#: The retention page warns when the daily job has not run for this long.
OVERDUE_AFTER = timedelta(hours=36)


@requires(Permission.DATA_PROTECTION)
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/home.html", _last_run_context())


def _last_run_context() -> dict:
    last = RetentionRun.objects.exclude(finished_at=None).first()
    overdue = (
        last is None
        or last.finished_at is None
        or timezone.now() - last.finished_at > OVERDUE_AFTER
    )
    return {"last_run": last, "job_overdue": overdue}


@requires(Permission.DATA_PROTECTION)
def retention(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = []
    for rule in retention_rules():
        rows.append(
            {
                "rule": rule,
                "period": rule.period,
                "due_before": rule.period.before(today),
            }
        )
    return render(
        request,
        "privacy/retention.html",
        {
            "rows": rows,
            "runs": RetentionRun.objects.all()[:10],
            **_last_run_context(),
        },
    )


@requires(Permission.DATA_PROTECTION)
def erasure_log(request: HttpRequest) -> HttpResponse:
    records = ErasureRecord.objects.all()
    run_id = parse_id(request.GET.get("run"))
    run = None
    if run_id is not None:
        run = RetentionRun.objects.filter(pk=run_id).first()
        records = records.filter(run_id=run_id)
    page = Paginator(records, 50).get_page(parse_page(request.GET.get("page")))
    return render(
        request,
        "privacy/erasure_log.html",
        {"page": page, "run": run, "querystring": f"run={run_id}" if run else ""},
    )


# --- Subject access -----------------------------------------------------------


@requires(Permission.DATA_PROTECTION)
def sar_list(request: HttpRequest) -> HttpResponse:
    form = FindSubjectForm(request.GET or None)
    candidates = None
    if request.GET and form.is_valid():
        candidates = find_subjects(form.cleaned_data["q"])
        record(
            AuditAction.SEARCH,
            actor=request.user,
            target_type="privacy.subjectaccessrequest",
            target_label="Subject access: find a person",
            detail={
                "results": len(candidates),
                "people": [f"{c.kind}:{c.subject_id}" for c in candidates],
            },
        )
    requests = list(SubjectAccessRequest.objects.all()[:50])
    if candidates is None and requests:
        # The list names the people whose records were asked for: a view of them.
        record(
            AuditAction.VIEW,
            actor=request.user,
            target_type="privacy.subjectaccessrequest",
            target_label="Subject access requests",
            detail={
                "page": "privacy:sar_list",
                "people": [f"{r.subject_type}:{r.subject_id}" for r in requests],
            },
        )
    return render(
        request,
        "privacy/sar_list.html",
        {"form": form, "candidates": candidates, "requests": requests},
    )


@require_POST
@requires(Permission.DATA_PROTECTION)
def sar_start(request: HttpRequest) -> HttpResponse:
    subject_id = parse_id(request.POST.get("subject_id"))
    subject_type = request.POST.get("subject_type", "cases.person")
    if subject_id is None or subject_type not in subject_kinds():
        raise Http404
    done = button_action(
        request,
        lambda: actions.open_subject_access_request(
            by=signed_in_user(request),
            subject_id=subject_id,
            subject_type=subject_type,
        ),
        refused=not_found,
    )
    if done is None:  # not reached: POST only, and a refusal is a 404
        raise Http404
    return redirect("privacy:sar_review", pk=done.result.pk)


@requires(Permission.DATA_PROTECTION)
def sar_review(request: HttpRequest, pk: int) -> HttpResponse:
    sar = get_object_or_404(SubjectAccessRequest, pk=pk)
    sections = gather(sar.subject)
    if request.method == "POST":
        actions.review_subject_access_request(
            by=signed_in_user(request),
            request=sar,
            withheld=request.POST.getlist("withhold"),
        )
        messages.success(request, "Your review has been saved")
        return redirect("privacy:sar_review", pk=sar.pk)
    withheld = set(sar.withheld) if sar.reviewed_at else third_party_keys(sections)
    record(
        AuditAction.VIEW,
        actor=request.user,
        target_type=sar.subject_type,
        target_id=str(sar.subject_id),
        target_label=sar.subject_label,
        detail={
            "subject_access_request": sar.pk,
            "records": [str(s) for s in sorted(identities(sar.subject).subjects)],
        },
    )
    return render(
        request,
        "privacy/sar_review.html",
        {"sar": sar, "sections": sections, "withheld": withheld},
    )


@requires(Permission.DATA_PROTECTION)
def sar_export_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The pack as a tagged PDF (PDF/UA-1) for the data subject: the same items and
    notices as the JSON file, audited the same way."""
    sar = get_object_or_404(SubjectAccessRequest, pk=pk)
    # A download link (GET); the export is audited by the action.
    done = button_action(
        request,
        lambda: actions.export_subject_access_pack(
            by=signed_in_user(request), request=sar, fmt="pdf"
        ),
        allow_get=True,
    )
    if done is None:
        return redirect("privacy:sar_review", pk=sar.pk)
    content = render_pdf(
        "privacy/sar_pack_pdf.html",
        {
            "pack": done.result,
            "received_on": sar.received_on,
            "produced_at": timezone.now(),
        },
    )
    response = pdf_response(content, f"subject-access-{sar.pk}.pdf", attachment=True)
    response["Cache-Control"] = "no-store"
    return response


@requires(Permission.DATA_PROTECTION)
def sar_export(request: HttpRequest, pk: int) -> HttpResponse:
    sar = get_object_or_404(SubjectAccessRequest, pk=pk)
    # A download link (GET); the export is audited by the action.
    done = button_action(
        request,
        lambda: actions.export_subject_access_pack(
            by=signed_in_user(request), request=sar, fmt="json"
        ),
        allow_get=True,
    )
    if done is None:
        return redirect("privacy:sar_review", pk=sar.pk)
    response = JsonResponse(done.result, json_dumps_params={"indent": 2})
    response["Content-Disposition"] = (
        f'attachment; filename="subject-access-{sar.pk}.json"'
    )
    response["Cache-Control"] = "no-store"
    return response
