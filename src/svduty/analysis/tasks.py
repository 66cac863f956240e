"""Background work for the SNA: the report (PDF) of filters someone has just viewed,
made before they ask for it (`report.prepare_report`)."""

from __future__ import annotations

import datetime as dt

from django_tasks import task


@task()
def make_report(partnership_id: int, snapshot_id: int, view: dict) -> bool:
    """Make and keep the report of one view (period, kind, area) of a snapshot, as
    its download would (`report.pdf_for`). Nothing is made for a snapshot whose files
    are gone or a view that no longer computes; the download then makes it."""
    from .models import Snapshot
    from .report import pdf_for
    from .service import sna_for
    from .sna import SnaError

    snapshot = (
        Snapshot.objects.select_related("partnership")
        .filter(pk=snapshot_id, partnership_id=partnership_id, files_kept=True)
        .first()
    )
    if snapshot is None:
        return False
    try:
        result = sna_for(
            snapshot.partnership,
            snapshot=snapshot,
            period_from=dt.date.fromisoformat(view["period_from"]),
            period_to=dt.date.fromisoformat(view["period_to"]),
            kind=view.get("kind"),
            area=view.get("area"),
        )
    except SnaError:
        return False
    pdf_for(snapshot.partnership, snapshot, result)
    return True
