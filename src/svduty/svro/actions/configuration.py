"""Configuration an SVRO officer keeps: the order types (lifecycle, issuing areas and
dates, period bounds, minimum age, first appointed day, notification period) and the
resident population used as the denominator of search rates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from svduty.accounts.models import User
from svduty.audit.log import record
from svduty.audit.models import AuditAction

from ..models import Lifecycle, OrderType, ResidentPopulation
from .common import require_manage, required

TYPE_FIELDS = [
    "lifecycle",
    "issuing_from",
    "issuing_until",
    "issuing_areas",
    "min_months",
    "max_months",
    "minimum_age",
    "first_appointed_day",
    "notification_days",
    "active",
]


@transaction.atomic
def change_order_type(
    *,
    by: User,
    order_type: OrderType,
    lifecycle: str,
    issuing_from: dt.date | None,
    issuing_until: dt.date | None,
    issuing_areas: Sequence[str],
    min_months: int | None,
    max_months: int | None,
    minimum_age: int,
    first_appointed_day: dt.date | None,
    notification_days: int | None,
    active: bool,
) -> OrderType:
    """Change an order type's configuration. Orders already made keep their terms;
    the new values apply to orders and searches recorded from now on."""
    require_manage(by)
    if lifecycle not in Lifecycle.values:
        raise ValidationError(
            {"lifecycle": "Choose where the order type is in its life"}
        )
    if lifecycle == Lifecycle.PILOT and not issuing_areas:
        raise ValidationError(
            {"issuing_areas": "Choose the force areas where the pilot issues orders"}
        )
    if issuing_from and issuing_until and issuing_from > issuing_until:
        raise ValidationError(
            {"issuing_until": "The last day of issuing must be on or after the first"}
        )
    if min_months and max_months and min_months > max_months:
        raise ValidationError(
            {"max_months": "The longest period must be at least the shortest"}
        )
    before = {f: _plain(getattr(order_type, f)) for f in TYPE_FIELDS}
    order_type.lifecycle = lifecycle
    order_type.issuing_from = issuing_from
    order_type.issuing_until = issuing_until
    order_type.issuing_areas = list(issuing_areas)
    order_type.min_months = min_months
    order_type.max_months = max_months
    order_type.minimum_age = minimum_age
    order_type.first_appointed_day = first_appointed_day
    order_type.notification_days = notification_days
    order_type.active = active
    order_type.save()
    after = {f: _plain(getattr(order_type, f)) for f in TYPE_FIELDS}
    record(
        AuditAction.CHANGE,
        actor=by,
        target=order_type,
        detail={
            "changed": {
                f: {"from": before[f], "to": after[f]}
                for f in TYPE_FIELDS
                if before[f] != after[f]
            }
        },
    )
    return order_type


def _plain(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return list(value)
    return value


@transaction.atomic
def set_population(
    *, by: User, force_area: str, ethnic_group: str, population: int, source: str
) -> ResidentPopulation:
    """Set the resident population of one ethnic group in a force area (replacing
    any earlier figure; the audit trail keeps it)."""
    require_manage(by)
    required(source, "source", "Enter where the figure comes from")
    if population < 0:
        raise ValidationError({"population": "The population cannot be negative"})
    row = ResidentPopulation.objects.filter(
        force_area=force_area, ethnic_group=ethnic_group
    ).first()
    before = row.population if row else None
    row, _ = ResidentPopulation.objects.update_or_create(
        force_area=force_area,
        ethnic_group=ethnic_group,
        defaults={"population": population, "source": source.strip()},
    )
    record(
        AuditAction.CHANGE,
        actor=by,
        target=row,
        detail={"from": before, "to": population, "source": row.source},
    )
    return row
