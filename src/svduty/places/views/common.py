"""What the places views share: the user's partnerships, saving a form through an
action, and the audit event for a page that shows children."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.cases.policies import prime_user
from svduty.core.formviews import form_action
from svduty.partnership.models import Partnership

from ..models.base import partnership_ids_of


def my_partnerships(user: Any) -> QuerySet[Partnership]:
    prime_user(user)
    return Partnership.objects.filter(pk__in=partnership_ids_of(user)).order_by("name")


def save_form(
    request: HttpRequest,
    form: Any,
    save: Callable[[dict[str, Any]], Any],
    *,
    success: str,
    next_url: Callable[[Any], str],
    template: str = "places/form.html",
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """The one shape of every places form page: validate, call the action, show
    its refusal on the form or go on."""
    if done := form_action(request, form, save):
        saved = done.result
        messages.success(request, success)
        return redirect(next_url(saved))
    return render(request, template, {"form": form, **(context or {})})


def audit_children_shown(
    request: HttpRequest, target: Any, page: str, person_ids: Sequence[int], **detail
) -> None:
    """One event per page that names children (DPA 2018 s.62: consultation)."""
    record(
        AuditAction.VIEW,
        actor=request.user,
        target=target,
        detail={"page": page, "children": sorted(person_ids), **detail},
    )
