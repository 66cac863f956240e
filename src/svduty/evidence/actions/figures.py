"""Refreshing the precomputed figures."""

from __future__ import annotations

import datetime as dt
import time

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from svduty.accounts.models import User
from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.core.authorisation import Permission
from svduty.core.policies import has_permission
from svduty.evidence import figures
from svduty.evidence.indicators import REGISTRY
from svduty.evidence.models import FigureRun, IndicatorFigure
from svduty.partnership.models import Partnership


@transaction.atomic
def refresh_figures(
    *, by: User | None, partnership: Partnership, today: dt.date | None = None
) -> FigureRun:
    """Recompute every indicator for the partnership and replace its figures.
    `by` is None for the scheduled command; a user needs VIEW_EVIDENCE (the figures
    are counts, and anyone who reads them may ask for fresh ones)."""
    if by is not None and not has_permission(by, Permission.VIEW_EVIDENCE):
        raise PermissionDenied("You cannot refresh the evidence figures.")
    started = time.perf_counter()
    today = today or timezone.localdate()
    first, last = figures.period(today)
    cells = figures.compute([partnership.pk], today=today)
    # Lock the partnership row so two refreshes cannot interleave their writes.
    Partnership.objects.select_for_update().filter(pk=partnership.pk).first()
    IndicatorFigure.objects.filter(partnership=partnership).delete()
    IndicatorFigure.objects.bulk_create(
        IndicatorFigure(
            partnership_id=c.partnership,
            indicator=c.indicator,
            month=c.month,
            agency_id=c.agency,
            numerator=c.numerator,
            denominator=c.denominator,
            value_total=c.total,
        )
        for c in cells
    )
    run = FigureRun.objects.create(
        partnership=partnership,
        computed_by=by,
        first_month=first,
        last_month=last,
        indicators=len(REGISTRY),
        rows=len(cells),
        seconds=round(time.perf_counter() - started, 3),
    )
    record(
        AuditAction.CHANGE,
        actor=by,
        target=run,
        detail={"evidence": "figures refreshed", "rows": len(cells)},
        actor_label="" if by else "scheduled refresh_evidence",
    )
    return run
