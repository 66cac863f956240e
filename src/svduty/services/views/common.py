"""What the services views share: one form page shape, and the audit event for a
page that names children."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.core.formviews import form_action


def form_page(
    request: HttpRequest,
    form: Any,
    action: Callable[[dict[str, Any]], Any],
    *,
    title: str,
    success: str,
    next_url: Callable[[Any], str],
    back_url: str,
    back_label: str,
    intro: str = "",
) -> HttpResponse:
    """Validate, call the action (its refusal goes on the form), or go on."""

    def run(data: dict[str, Any]) -> Any:
        cleaned = form.cleaned() if hasattr(form, "cleaned") else data
        return action(cleaned)

    if done := form_action(request, form, run):
        messages.success(request, success)
        return redirect(next_url(done.result))
    return render(
        request,
        "services/form.html",
        {
            "form": form,
            "title": title,
            "intro": intro,
            "back_url": back_url,
            "back_label": back_label,
        },
    )


def audit_view(request: HttpRequest, target: Any, page: str, **detail: Any) -> None:
    record(
        AuditAction.VIEW,
        actor=request.user,
        target=target,
        detail={"page": page, **detail},
    )
