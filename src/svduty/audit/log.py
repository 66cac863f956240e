"""Write audit events. Call `record()` inside the same transaction as the change it
describes (architecture D6), so that a change is never saved without its event."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone

from svduty.core.types import AnyUser as Actor

from .context import current
from .models import AuditAction, AuditEvent


def _actor_fields(actor: Actor) -> dict[str, Any]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return {"actor_id": None, "actor_label": ""}
    return {"actor_id": actor.pk, "actor_label": actor.get_username()}


def _agency_label(actor: Actor) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return ""
    describe = getattr(actor, "agency_names", None)
    return str(describe()) if callable(describe) else ""


def record(
    action: AuditAction | str,
    *,
    actor: Actor = None,
    target: models.Model | None = None,
    target_type: str = "",
    target_id: str | int = "",
    target_label: str = "",
    detail: dict[str, Any] | None = None,
    actor_label: str = "",
) -> AuditEvent:
    """Append one event. `target` fills type, id and label from a model instance."""
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_id = target_id or target.pk
        target_label = target_label or str(target)
    fields = _actor_fields(actor)
    if actor_label and not fields["actor_label"]:
        fields["actor_label"] = actor_label
    context = current.get()
    return AuditEvent.objects.create(
        occurred_at=timezone.now(),
        agency_label=_agency_label(actor)[:300],
        action=str(action),
        target_type=target_type,
        target_id=str(target_id),
        target_label=target_label[:500],
        request_id=context.request_id,
        ip_address=context.ip_address,
        detail=detail or {},
        **fields,
    )
