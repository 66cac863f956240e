"""The child population of the partnership's area, by group (the denominator of
disproportionality)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from svduty.accounts.models import User
from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.evidence.disproportionality import GROUPS
from svduty.evidence.models import ChildPopulation, Dimension
from svduty.partnership.models import Partnership

from .assessment import require_manage


@transaction.atomic
def set_population(
    *,
    by: User,
    partnership: Partnership,
    dimension: str,
    group: str,
    population: int,
    source: str,
) -> ChildPopulation:
    """Record (or replace) the number of children in one group of the area."""
    require_manage(by, partnership.pk)
    if dimension not in Dimension.values:
        raise ValidationError({"dimension": "Choose what the groups are of"})
    if group not in GROUPS[dimension]:
        raise ValidationError({"group": "Choose a group of that kind"})
    if population < 1:
        raise ValidationError({"population": "Enter the number of children, 1 or more"})
    if not source.strip():
        raise ValidationError({"source": "Enter where the figure comes from"})
    row, created = ChildPopulation.objects.update_or_create(
        partnership=partnership,
        dimension=dimension,
        group=group,
        defaults={
            "population": population,
            "source": source.strip(),
            "recorded_by": by,
            "recorded_at": timezone.now(),
        },
    )
    record(
        AuditAction.CREATE if created else AuditAction.CHANGE,
        actor=by,
        target=row,
        detail={"dimension": dimension, "group": group, "population": population},
    )
    return row
