"""The inspection data request: choose a list and a period, download it
(pseudonymised unless you give a reason), and the record of every export."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone

from svduty.accounts.requests import signed_in_user
from svduty.core.authorisation import Permission
from svduty.core.exports import csv_response
from svduty.core.formviews import form_action
from svduty.core.policies import requires
from svduty.evidence import actions, inspection
from svduty.evidence.forms import InspectionRequestForm
from svduty.evidence.models import InspectionExport

from .common import chosen_partnership


@requires(Permission.EXPORT_INSPECTION_DATA)
def inspection_request(request: HttpRequest) -> HttpResponseBase:
    partnership, options = chosen_partnership(request)
    user = signed_in_user(request)
    today = timezone.localdate()
    form = InspectionRequestForm(
        request.POST or None,
        initial={"period_start": today.replace(day=1, month=1), "period_end": today},
    )
    if done := form_action(
        request,
        form,
        lambda d: actions.record_inspection_export(
            by=user,
            partnership=partnership,
            kind=d["kind"],
            period_start=d["period_start"],
            period_end=d["period_end"],
            with_identifiers=d["with_identifiers"],
            reason=d["reason"],
        ),
    ):
        export = done.result
        people = inspection.children(
            export.kind, partnership.pk, export.period_start, export.period_end
        )
        extra_head, extra = inspection.extra_columns(
            export.kind, partnership.pk, export.period_start, export.period_end
        )
        return csv_response(
            f"inspection-{export.kind}-{export.period_start}-{export.period_end}.csv",
            inspection.head(export.with_identifiers, extra_head),
            inspection.rows(
                people, identifiers=export.with_identifiers, today=today, extra=extra
            ),
        )
    return render(
        request,
        "evidence/inspection.html",
        {"form": form, "partnership": partnership, "options": options},
    )


@requires(Permission.EXPORT_INSPECTION_DATA)
def inspection_log(request: HttpRequest) -> HttpResponse:
    partnership, options = chosen_partnership(request)
    exports = (
        InspectionExport.objects.visible_to(request.user)
        .filter(partnership=partnership)
        .select_related("exported_by")[:200]
    )
    return render(
        request,
        "evidence/inspection_log.html",
        {"exports": exports, "partnership": partnership, "options": options},
    )
