"""Background work (architecture D11): imports run in the django-tasks worker
(``svduty db_worker``), so an upload of a large file returns at once and the batch
page shows progress."""

from __future__ import annotations

from pathlib import Path

from django_tasks import task

from .imports import run_batch
from .models import ImportBatch


@task()
def import_file(batch_id: int, path: str) -> str:
    """Run a queued import, then delete the uploaded file.

    The rows are in the database (or the file was refused), so keeping a second
    copy of partner data on disk would only add risk.
    """
    try:
        batch = ImportBatch.objects.get(pk=batch_id)
        return run_batch(batch, path).status
    finally:
        Path(path).unlink(missing_ok=True)
