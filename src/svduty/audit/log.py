"""Write audit events. Call `record()` inside the same transaction as the change it
describes (architecture D6), so that a change is never saved without its event.

`record()` enforces it: an event that describes a change refuses to be written outside
an atomic block (`OutsideTransaction`). Events of access and of sessions (`STANDALONE`)
describe nothing that a transaction could hold and may be written on their own. The
test suite's own per-test transaction does not count, so tests catch a missing
`@transaction.atomic` as production would."""

from __future__ import annotations

from typing import Any

from django.db import connection, models
from django.utils import timezone

from svduty.core.types import AnyUser as Actor
from svduty.core.viewing import mark_audited

from .context import current
from .models import AuditAction, AuditEvent

#: Events written on their own: reads, exports and sign-in events (and the MFA changes
#: django-allauth makes in its own code). Every other event describes a change.
STANDALONE: frozenset[AuditAction] = frozenset(
    {
        AuditAction.SIGN_IN,
        AuditAction.SIGN_IN_FAILED,
        AuditAction.SIGN_OUT,
        AuditAction.LOCKED_OUT,
        AuditAction.SESSION_TIMED_OUT,
        AuditAction.MFA_ACTIVATED,
        AuditAction.MFA_DEACTIVATED,
        AuditAction.VIEW,
        AuditAction.SEARCH,
        AuditAction.EXPORT,
        AuditAction.PRINT,
    }
)


#: Events that stand for a page's access to personal data: a page that writes one
#: needs no other (svduty.core.viewing).
ACCESS: frozenset[AuditAction] = frozenset(
    {
        AuditAction.VIEW,
        AuditAction.SEARCH,
        AuditAction.EXPORT,
        AuditAction.PRINT,
        AuditAction.DISCLOSURE,
    }
)


class OutsideTransaction(RuntimeError):
    """A change event recorded outside the transaction of the change."""


def _in_transaction() -> bool:
    """In an atomic block of the code's own (not only a test case's wrapper)."""
    return any(
        not getattr(block, "_from_testcase", False)
        for block in connection.atomic_blocks
    )


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
    if action not in STANDALONE and not _in_transaction():
        raise OutsideTransaction(
            f"The {action} event must be recorded in the transaction of the change "
            "it describes: call record() from an action (@transaction.atomic)."
        )
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_id = target_id or target.pk
        target_label = target_label or str(target)
    fields = _actor_fields(actor)
    if actor_label and not fields["actor_label"]:
        fields["actor_label"] = actor_label
    if action in ACCESS:
        mark_audited()
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
