"""The data protection officer's pages: the retention schedule, the erasure log and
subject access requests."""

from __future__ import annotations

from datetime import timedelta

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from svduty.core.authorisation import Permission
from svduty.core.params import parse_id, parse_page
from svduty.core.policies import requires

from .models import ErasureRecord, RetentionRun
from .retention import retention_rules

#: The retention page warns when the daily job has not run for this long.
OVERDUE_AFTER = timedelta(hours=36)


@requires(Permission.DATA_PROTECTION)
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/home.html", _last_run_context())


def _last_run_context() -> dict:
    last = RetentionRun.objects.exclude(finished_at=None).first()
    overdue = last is None or timezone.now() - last.finished_at > OVERDUE_AFTER
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
