"""Background work (architecture D11): a linkage run started from the web page
runs in the django-tasks worker (`svduty serve` starts one), so the page answers
at once and the queue page shows the run as running, finished or failed."""

from __future__ import annotations

from django_tasks import task

from .models import LinkageRun, RunStatus
from .runs import run_linkage


@task()
def run_linkage_task(run_id: int) -> str:
    """Do a run that :func:`svduty.linkage.actions.start_run` queued."""
    run = LinkageRun.objects.select_related("partnership", "started_by").get(pk=run_id)
    if run.status != RunStatus.QUEUED:
        return run.status  # already done (a worker retried the task)
    done = run_linkage(by=run.started_by, partnership=run.partnership, run=run)
    return done.status
