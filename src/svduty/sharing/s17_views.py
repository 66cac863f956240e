"""Section 17 request pages: the list (overdue first), ask, answer or refuse, and
the supplied document (for the requesting local policing body only)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.core.authorisation import Permission
from svduty.core.formviews import form_action
from svduty.core.policies import get_visible_or_404, requires
from svduty.partnership.viewutils import scoped_partnership

from . import actions_s17
from .s17_forms import AnswerForm, RequestForm
from .s17_models import InformationRequest, RequestStatus


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
    if item.status == RequestStatus.ANSWERED and actions_s17.can_use_supplied(
        request.user, item
    ):
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
            "late": item.is_late(),
            "use_limitation": actions_s17.USE_LIMITATION.format(
                body=item.requesting_body.name
            ),
            "can_use": actions_s17.can_use_supplied(request.user, item),
        },
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
