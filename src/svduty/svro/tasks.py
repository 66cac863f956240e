"""Background work for the SVRO module: recomputing the scrutiny figures of a filter
whose materialised summary is older than the configured age."""

from __future__ import annotations

import datetime as dt

from django_tasks import task


@task()
def refresh_summary(start: str, end: str, by: str, force_id: int | None) -> str:
    from .scrutiny import Filters, refresh, summary_key

    filters = Filters(
        start=dt.date.fromisoformat(start),
        end=dt.date.fromisoformat(end),
        by=by,
        force_id=force_id,
    )
    refresh(filters)
    return summary_key(filters)
