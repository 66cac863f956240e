"""What the needs assessment puts on the analyst's home page (svduty.core.home): a
partnership with no analytic data yet, or a snapshot older than its latest import of
data the snapshot reads (the rebuild after the import did not happen). Imports the
snapshot does not read, such as partner person extracts for record linkage, never
make it stale."""

from __future__ import annotations

from typing import Any

from django.db.models import Max
from django.urls import reverse

from svduty.core.authorisation import Permission
from svduty.core.home import Panel, ToDo, Urgency, register
from svduty.core.policies import has_permission
from svduty.partnership.models import Partnership
from svduty.sharing.imports import TARGETS
from svduty.sharing.models import BatchStatus, ImportBatch

from .models import Snapshot
from .snapshot import EXPORTS


def snapshot_source_kinds() -> list[str]:
    """The import kinds whose rows the analytic snapshot copies."""
    copied = {export.model.lower() for export in EXPORTS}
    return sorted(
        kind
        for kind, target in TARGETS.items()
        if target.model._meta.label_lower in copied
    )


@register(order=50)
def analysis_panel(user: Any) -> Panel | None:
    if not (
        has_permission(user, Permission.VIEW_ANALYSIS)
        and has_permission(user, Permission.IMPORT_DATA)
    ):
        return None
    partnerships = list(Partnership.objects.visible_to(user).order_by("name"))
    ids = [p.pk for p in partnerships]
    built = dict(
        Snapshot.objects.filter(partnership_id__in=ids)
        .values_list("partnership_id")
        .annotate(latest=Max("created_at"))
    )
    imported = dict(
        ImportBatch.objects.filter(
            partnership_id__in=ids,
            status=BatchStatus.SUCCEEDED,
            kind__in=snapshot_source_kinds(),
        )
        .values_list("partnership_id")
        .annotate(latest=Max("finished_at"))
    )
    items: list[ToDo] = []
    for partnership in partnerships:
        url = reverse("analysis:dashboard", args=[partnership.slug])
        snapshot_at, import_at = built.get(partnership.pk), imported.get(partnership.pk)
        if import_at and (snapshot_at is None or snapshot_at < import_at):
            items.append(
                ToDo(
                    f"{partnership.name}: the needs assessment data is older than "
                    "the latest import",
                    url,
                    urgency=Urgency.OVERDUE,
                    hint="The analytic snapshot is rebuilt after each import; this "
                    "one was not. Import the file again or ask your administrator.",
                )
            )
        elif snapshot_at is None:
            items.append(
                ToDo(
                    f"{partnership.name}: no data for the needs assessment yet",
                    reverse("sharing:upload"),
                    urgency=Urgency.INFO,
                    hint="Upload police.uk street-level crime files to start.",
                )
            )
    return Panel(
        "Needs assessment",
        items,
        empty="Each partnership's needs assessment uses its latest imports.",
    )
