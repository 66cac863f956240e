"""Refused attempts in the audit trail (DPA 2018 s.62; issue 14).

Every request that the policy layer turns away from a signed-in user — a record
outside their scope (404) or a page their roles do not allow (403) — is recorded with
who asked, what they asked for and why it was refused. A scan must not be able to
flood the trail: after `REFUSALS_PER_MINUTE` refusals in a minute one more event says
that further refusals are not being recorded, and nothing more is written for that
user until the minute has passed.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils import timezone
from rest_framework import exceptions as api_exceptions

from svduty.core.policies import OutOfScope, RoleRefused

from .log import record
from .models import AuditAction, AuditEvent

REFUSALS_PER_MINUTE = 20


def describe(exception: BaseException) -> tuple[int, str, dict[str, Any]]:
    """(status, reason in plain words, detail) for a refusal exception."""
    if isinstance(exception, OutOfScope):
        reason = (
            "the record is outside the user's scope"
            if exception.exists
            else "no such record"
        )
        return 404, reason, {"lookup": exception.lookup, "exists": exception.exists}
    if isinstance(exception, RoleRefused):
        reason = "the user's roles do not allow this"
        return 403, reason, {"permission": str(exception.permission)}
    if isinstance(exception, Http404 | api_exceptions.NotFound):
        return 404, "not found", {}
    if isinstance(exception, PermissionDenied | api_exceptions.PermissionDenied):
        return 403, "refused by the rules for this record", {}
    return 400, "refused", {}


def _recent(user_id: int) -> int:
    since = timezone.now() - timedelta(minutes=1)
    return AuditEvent.objects.filter(
        actor_id=user_id,
        action__in=[AuditAction.REFUSED, AuditAction.REFUSALS_THROTTLED],
        occurred_at__gte=since,
    ).count()


def record_refusal(request: HttpRequest, exception: BaseException) -> None:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return  # anonymous requests are sent to sign in, not refused
    recent = _recent(user.pk)
    if recent > REFUSALS_PER_MINUTE:
        return
    status, reason, detail = describe(exception)
    target_type = getattr(exception, "model_label", "")
    target_id = str(getattr(exception, "lookup", {}).get("pk", ""))
    with transaction.atomic():
        if recent == REFUSALS_PER_MINUTE:
            record(
                AuditAction.REFUSALS_THROTTLED,
                actor=user,
                target_label=f"{request.method} {request.path}"[:500],
                detail={
                    "why": f"more than {REFUSALS_PER_MINUTE} refused requests in a "
                    "minute: further refusals this minute are not recorded"
                },
            )
            return
        record(
            AuditAction.REFUSED,
            actor=user,
            target_type=target_type,
            target_id=target_id,
            target_label=f"{request.method} {request.path}"[:500],
            detail={"status": status, "reason": reason, **detail},
        )
