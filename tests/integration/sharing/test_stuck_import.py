"""An import nobody takes is shown as a problem, not as "waiting" (issue 16)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from svduty.sharing.models import BatchStatus, ImportBatch


def test_an_import_waiting_too_long_says_no_worker_is_taking_it(
    settings, client_for, analyst, partnership
):
    settings.TASK_STUCK_MINUTES = 10
    batch = ImportBatch.objects.create(
        partnership=partnership,
        kind="police_street",
        file_name="2024-01-cleveland-street.csv",
        sha256="0" * 64,
        imported_by=analyst,
        status=BatchStatus.QUEUED,
    )
    client = client_for(analyst)
    page = client.get(reverse("sharing:batch", args=[batch.pk])).content.decode()
    assert "Waiting to start" in page and "no background worker" not in page
    ImportBatch.objects.filter(pk=batch.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=11)
    )
    page = client.get(reverse("sharing:batch", args=[batch.pk])).content.decode()
    assert "Not started after 10 minutes: no background worker" in page


def test_analyst_home_page_names_stuck_and_failed_imports(
    settings, client_for, analyst, partnership
):
    """Issue 16, point 2: the analyst was not told of stuck or failed imports."""
    settings.TASK_STUCK_MINUTES = 10
    home = reverse("core:home")
    client = client_for(analyst)
    assert "No import is stuck or failed" in client.get(home).content.decode()
    stuck = ImportBatch.objects.create(
        partnership=partnership,
        kind="police_street",
        file_name="2024-01-cleveland-street.csv",
        sha256="1" * 64,
        imported_by=analyst,
        status=BatchStatus.QUEUED,
    )
    failed = ImportBatch.objects.create(
        partnership=partnership,
        kind="police_street",
        file_name="2024-02-cleveland-street.csv",
        sha256="2" * 64,
        imported_by=analyst,
        status=BatchStatus.FAILED,
    )
    page = client.get(home).content.decode()
    assert "has not started" not in page  # waiting a minute is not stuck
    assert "1 import not imported in the last 14 days" in page
    assert reverse("sharing:batch", args=[failed.pk]) in page
    ImportBatch.objects.filter(pk=stuck.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=11)
    )
    page = client.get(home).content.decode()
    assert "Import of 2024-01-cleveland-street.csv has not started" in page
    assert reverse("sharing:batch", args=[stuck.pk]) in page
    assert "Waiting more than 10 minutes means no background worker" in page
