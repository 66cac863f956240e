"""Section 17 request pages: the list (overdue first), ask, answer or refuse, and
the supplied document (for the requesting local policing body only)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from svduty.accounts.requests import signed_in_user
from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.core.authorisation import Permission
from svduty.core.exports import csv_response
from svduty.core.formviews import form_action
from svduty.core.policies import get_visible_or_404, has_permission, requires
from svduty.partnership.viewutils import scoped_partnership

from . import actions_s17, imports
from .models import BatchStatus, ImportBatch, S17Figure
from .s17_forms import AnswerForm, FiguresForm, RequestForm
from .s17_models import InformationRequest, RequestStatus
from .tasks import import_file
from .uploads import upload_refusal

#: Figures shown on the request's page; the rest are in the CSV download.
FIGURES_SHOWN = 100


@requires(Permission.MANAGE_AGREEMENTS)
def request_list(request):
    today = timezone.localdate()
    requests = list(
        InformationRequest.objects.visible_to(request.user)
        .select_related("partnership", "requesting_body", "authority")
        .order_by("due_on", "pk")
    )
    open_ = [r for r in requests if r.status == RequestStatus.OPEN]
    bodies = actions_s17.requesting_bodies(request.user)
    return render(
        request,
        "sharing/s17_list.html",
        {
            "overdue": [r for r in open_ if r.is_late(today)],
            "open": [r for r in open_ if not r.is_late(today)],
            "closed": [r for r in requests if r.status != RequestStatus.OPEN],
            "bodies": bodies,
            "partnerships": _partnerships(request.user) if bodies else [],
        },
    )


def _partnerships(user):
    from svduty.partnership.models import Partnership

    return Partnership.objects.visible_to(user).order_by("name")


@requires(Permission.MANAGE_AGREEMENTS)
def request_create(request, slug):
    partnership = scoped_partnership(request, slug)
    if not actions_s17.requesting_bodies(request.user):
        raise PermissionDenied("Only a local policing body can ask under section 17")
    form = RequestForm(request.POST or None, partnership=partnership)
    if done := form_action(
        request,
        form,
        lambda data: actions_s17.request_information(
            by=request.user, partnership=partnership, **data
        ),
    ):
        created = done.result
        messages.success(request, f"Request sent to {created.authority}")
        return redirect("sharing:s17_detail", pk=created.pk)
    return render(
        request,
        "sharing/s17_form.html",
        {"partnership": partnership, "form": form},
    )


def _visible(request, pk) -> InformationRequest:
    return get_visible_or_404(
        InformationRequest.objects.select_related(
            "partnership", "requesting_body", "authority", "answered_by", "created_by"
        ),
        request.user,
        pk=pk,
    )


@requires(Permission.MANAGE_AGREEMENTS)
def request_detail(request, pk):
    item = _visible(request, pk)
    answering = (
        item.status == RequestStatus.OPEN
        and item.authority_id in request.user.agency_ids()
    )
    form = AnswerForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and not answering:
        raise PermissionDenied("You cannot answer this request")

    def answer(data):
        if data["outcome"] == "refuse":
            return actions_s17.refuse_request(
                by=request.user,
                request=item,
                reason=data["reason"],
                detail=data["detail"],
            )
        upload = data["document"]
        return actions_s17.answer_request(
            by=request.user,
            request=item,
            answer=data["answer"],
            document_name=upload.name if upload else "",
            document=upload.read(actions_s17.MAX_DOCUMENT_BYTES + 1)
            if upload
            else None,
        )

    if form_action(request, form, answer):
        messages.success(request, "Your answer has been sent")
        return redirect("sharing:s17_detail", pk=pk)
    can_use = actions_s17.can_use_supplied(request.user, item)
    figures = (
        S17Figure.objects.visible_to(request.user).filter(
            batch__information_request=item, batch__status=BatchStatus.SUCCEEDED
        )
        if item.status == RequestStatus.ANSWERED and can_use
        else S17Figure.objects.none()
    )
    figure_count = figures.count()
    batches = (
        list(
            ImportBatch.objects.visible_to(request.user)
            .filter(information_request=item)
            .order_by("-created_at", "-pk")
        )
        if item.authority_id in request.user.agency_ids()
        else []
    )
    # While the request is open, the latest file's problems, to correct and resend.
    problems = (
        batches[0].problems
        if batches
        and item.status == RequestStatus.OPEN
        and batches[0].status == BatchStatus.FAILED
        else []
    )
    if item.status == RequestStatus.ANSWERED and can_use:
        record(
            AuditAction.VIEW,
            actor=request.user,
            target=item,
            detail={"section": "17", "what": "supplied information"},
        )
    return render(
        request,
        "sharing/s17_detail.html",
        {
            "item": item,
            "form": form if answering else None,
            "answering": answering,
            "late": item.is_late(),
            "use_limitation": actions_s17.USE_LIMITATION.format(
                body=item.requesting_body.name
            ),
            "can_use": can_use,
            "figures": list(figures[:FIGURES_SHOWN]),
            "figure_count": figure_count,
            "batches": batches,
            "problems": problems,
            "may_open_batches": has_permission(request.user, Permission.IMPORT_DATA),
        },
    )


@requires(Permission.MANAGE_AGREEMENTS)
def request_figures(request, pk):
    """Supply the figures as a CSV file: an import under a section 17 agreement."""
    item = _visible(request, pk)
    if (
        item.status != RequestStatus.OPEN
        or item.authority_id not in request.user.agency_ids()
    ):
        raise Http404
    form = FiguresForm(
        request.POST or None,
        request.FILES or None,
        agreements=actions_s17.s17_agreements(item),
        upload_refusal=upload_refusal(request),
    )

    def queue(data):
        imports.check_agreement(
            partnership=item.partnership,
            kind="s17_figures",
            agreement=data["agreement"],
        )
        return imports.save_and_queue(
            data["file"],
            lambda saved: actions_s17.supply_figures(
                by=signed_in_user(request),
                request=item,
                agreement=data["agreement"],
                path=saved,
                file_name=data["file"].name,
            ),
        )

    if done := form_action(request, form, queue):
        batch, saved = done.result
        if batch.status == BatchStatus.QUEUED:
            import_file.enqueue(batch.pk, str(saved))
            batch.refresh_from_db()
        else:
            saved.unlink(missing_ok=True)
        # The outcome is shown on the request's page, which the authority's
        # agreement managers can open (the import pages are for analysts).
        if batch.status == BatchStatus.SUCCEEDED:
            messages.success(
                request,
                f"{batch.rows_imported:,} figures imported: the request is answered",
            )
        elif batch.status == BatchStatus.FAILED:
            messages.error(request, batch.message)
        elif batch.status == BatchStatus.DUPLICATE:
            messages.info(request, batch.message)
        else:
            messages.info(
                request,
                "The file is being checked. Refresh this page to see the result.",
            )
        return redirect("sharing:s17_detail", pk=item.pk)
    return render(request, "sharing/s17_figures.html", {"item": item, "form": form})


def plain_number(value: float) -> str:
    """1234.0 → "1234", 12.5 → "12.5" (no exponent, as it was supplied)."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


@requires(Permission.MANAGE_AGREEMENTS)
def request_figures_csv(request, pk):
    """The supplied figures as CSV, for the requesting body's users only (use
    limitation)."""
    item = _visible(request, pk)
    if not actions_s17.can_use_supplied(request.user, item):
        raise Http404
    figures = S17Figure.objects.visible_to(request.user).filter(
        batch__information_request=item, batch__status=BatchStatus.SUCCEEDED
    )
    if not figures.exists():
        raise Http404
    record(
        AuditAction.EXPORT,
        actor=request.user,
        target=item,
        detail={"section": "17", "what": "supplied figures", "rows": figures.count()},
    )
    return csv_response(
        f"s17-request-{item.pk}-figures.csv",
        ["measure", "period_start", "period_end", "area_code", "value", "notes"],
        (
            [
                f.measure,
                f.period_start.isoformat(),
                f.period_end.isoformat(),
                f.area_code or "",
                plain_number(f.value),
                f.notes or "",
            ]
            for f in figures
        ),
    )


@requires(Permission.MANAGE_AGREEMENTS)
def request_document(request, pk):
    item = _visible(request, pk)
    if not item.document_name or not actions_s17.can_use_supplied(request.user, item):
        raise Http404
    record(
        AuditAction.VIEW,
        actor=request.user,
        target=item,
        detail={"section": "17", "document": item.document_name},
    )
    response = HttpResponse(
        bytes(item.document or b""), content_type="application/octet-stream"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="s17-request-{item.pk}-{item.document_name[:80]}"'
    )
    return response
