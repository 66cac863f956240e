"""Write audit events. Call `record()` inside the same transaction as the change it
describes (architecture D6), so that a change is never saved without its event.

`record()` enforces it: an event that describes a change refuses to be written outside
an atomic block (`OutsideTransaction`). Events of access and of sessions (`STANDALONE`)
describe nothing that a transaction could hold and may be written on their own. The
test suite's own per-test transaction does not count, so tests catch a missing
`@transaction.atomic` as production would."""

from __future__ import annotations

from typing import Any

from django.db import connection, connections, models, router, transaction
from django.db.models.signals import post_save, pre_save
from django.db.models.sql import InsertQuery
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
    return _insert(
        AuditEvent(
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
    )


#: The INSERT of an event, compiled once per process and database vendor.
_insert_sql: dict[str, tuple[str, list[models.Field[Any, Any]]]] = {}


def _insert(event: AuditEvent) -> AuditEvent:
    """`AuditEvent.objects.create(...)` for a made event: the same INSERT (the
    same columns, values prepared by each field as the ORM prepares them), with
    the statement compiled once per process instead of on every page. A receiver
    of the model's save signals makes it an ordinary save."""
    if pre_save.has_listeners(AuditEvent) or post_save.has_listeners(AuditEvent):
        event.save(force_insert=True)
        return event
    using = router.db_for_write(AuditEvent)
    connection_ = connections[using]
    meta = AuditEvent._meta
    compiled = _insert_sql.get(connection_.vendor)
    if compiled is None:
        fields = [
            f
            for f in meta.local_concrete_fields
            if not f.generated and f is not meta.auto_field
        ]
        query = InsertQuery(AuditEvent)
        query.insert_values(fields, [event])
        compiler = query.get_compiler(using=using)
        compiler.returning_fields = meta.db_returning_fields
        ((sql, params),) = compiler.as_sql()
        if len(params) != len(fields):  # a value written as SQL: not reusable
            event.save(force_insert=True)
            return event
        compiled = _insert_sql[connection_.vendor] = (sql, fields)
    sql, fields = compiled
    params = [
        f.get_db_prep_save(f.pre_save(event, True), connection=connection_)
        for f in fields
    ]
    # As Model.save: a failed INSERT inside an atomic block marks it for rollback.
    with (
        transaction.mark_for_rollback_on_error(using),
        connection_.cursor() as cursor,
    ):
        cursor.execute(sql, params)
        returned = cursor.fetchone()
    for value, field in zip(returned, meta.db_returning_fields, strict=True):
        setattr(event, field.attname, value)
    event._state.adding = False
    event._state.db = using
    return event
