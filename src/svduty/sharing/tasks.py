"""Background work (architecture D11): imports run in the django-tasks worker
(``svduty db_worker``), so an upload of a large file returns at once and the batch
page shows progress."""

from __future__ import annotations

from pathlib import Path

from django_tasks import task

from .imports import announce_import_succeeded, fail_if_interrupted, run_batch
from .models import BatchStatus, ImportBatch


@task()
def import_file(batch_id: int, path: str) -> str:
    """Run a queued import, then delete the uploaded file.

    The rows are in the database (or the file was refused), so keeping a second
    copy of partner data on disk would only add risk.

    The task is run again when its worker died (`svduty.core.taskrecovery`): if the
    import had committed, only what follows it is done again (the analysis
    refreshed, its report's PDF typeset); if it was half-way, the batch is marked
    failed, as its page would.
    """
    try:
        batch = ImportBatch.objects.get(pk=batch_id)
        if batch.status == BatchStatus.SUCCEEDED:
            announce_import_succeeded(batch.partnership)
            return batch.status
        if batch.status == BatchStatus.RUNNING:
            fail_if_interrupted(batch)
            batch.refresh_from_db()
            return batch.status
        return run_batch(batch, path).status
    finally:
        Path(path).unlink(missing_ok=True)
