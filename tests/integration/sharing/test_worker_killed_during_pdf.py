"""A background worker killed while it typesets a PDF (issue 14, build 7).

After an import commits, its task refreshes the partnership's analysis and typesets
the report's PDF (`analysis.receivers.refresh`). Here the worker is a real
`svduty task_worker` process, killed with SIGKILL while it is in the typesetter. The
import stays imported; the task, which said "running" for ever before, is found
abandoned and queued again when a worker starts, and the next worker finishes it
(the PDF is made). A task whose worker dies every time is marked failed, saying
why, after `TASK_MAX_ATTEMPTS` tries."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.urls import reverse
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from svduty.core.taskrecovery import ABANDONED, GRACE, recover_abandoned_tasks
from svduty.sharing.imports import TARGETS, queue_import, run_import
from svduty.sharing.models import BatchStatus
from svduty.sharing.tasks import import_file
from tests.integration.core.test_background_work import (
    _database_backend,
    _database_url,
)

from .conftest import HARTLEPOOL_BOUNDARIES, LOOKUP, STREET_2022_01, STREET_2022_01_ROWS

WORKER = """
import sys, time
import django
django.setup()
from unittest import mock
from django.core.management import call_command
import svduty.analysis.report as report

def typeset(*args, **kwargs):
    print("typesetting", flush=True)
    time.sleep(600)  # killed here

with mock.patch.object(report, "typeset_pdf", typeset):
    call_command("task_worker", batch=True, no_startup_delay=True, verbosity=0)
"""


def _env() -> dict:
    return {
        key: value
        for key, value in os.environ.items()
        if key not in {"SVDUTY_TESTING", "DJANGO_SETTINGS_MODULE"}
    } | {
        "SVDUTY_DEMO": "true",
        "DATABASE_URL": _database_url(),
        "DJANGO_SETTINGS_MODULE": "svduty.config.settings",
        # The worker stores the snapshot where this test reads it: the run's
        # temporary media folder (tests/conftest.py, media_root), not var/data.
        "SVDUTY_DATA_DIR": str(settings.MEDIA_ROOT),
    }


def _areas(analyst, partnership) -> None:
    """The partnership's areas, which the analysis (and so its report) needs."""
    areas = [("lsoa_boundaries", HARTLEPOOL_BOUNDARIES), ("lsoa_lookup", LOOKUP)]
    for kind, path in areas:
        run_import(
            by=analyst,
            partnership=partnership,
            kind=kind,
            path=path,
            rebuild_snapshot=False,
        )


def _worker_killed_in_the_typesetter() -> None:
    worker = subprocess.Popen(  # noqa: S603
        [sys.executable, "-c", WORKER],
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        line = worker.stdout.readline().decode()
        assert line.startswith("typesetting"), line + worker.stdout.read(3000).decode()
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=60)
        worker.stdout.close()


def _recover_once_the_connection_is_gone() -> dict:
    # PostgreSQL notices the dead connection (and frees its lock) at once, but give
    # it a moment; the grace period is for tasks just claimed, skipped here.
    later = GRACE + GRACE
    deadline = time.monotonic() + 120  # generous: a loaded machine is slow to reap
    while True:
        from django.utils import timezone

        done = recover_abandoned_tasks(now=timezone.now() + later)
        if any(done.values()) or time.monotonic() > deadline:
            return done
        time.sleep(0.2)


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_in_the_pdf_is_recovered_and_the_task_done_again(
    analyst, partnership, agreement, client_for, tmp_path
):
    _areas(analyst, partnership)
    upload = tmp_path / "upload.csv"
    shutil.copy(STREET_2022_01, upload)
    batch = queue_import(
        by=analyst,
        partnership=partnership,
        kind="police_street",
        path=upload,
        file_name=STREET_2022_01.name,
        agreement=agreement,
        upload_path=str(upload),
    )
    result = _database_backend().enqueue(import_file, (batch.pk, str(upload)), {})

    _worker_killed_in_the_typesetter()
    task = DBTaskResult.objects.get(pk=result.id)
    assert task.status == TaskResultStatus.RUNNING  # what it said for ever before
    batch.refresh_from_db()
    assert batch.status == BatchStatus.SUCCEEDED  # the import itself committed
    assert TARGETS["police_street"].model.objects.count() == STREET_2022_01_ROWS

    assert _recover_once_the_connection_is_gone() == {"queued again": 1, "failed": 0}
    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY

    # The next worker (`svduty serve` starts one again) finishes the task.
    subprocess.run(  # noqa: S603
        [sys.executable, "-m", "svduty.manage", "task_worker", "--batch"],
        env=_env(),
        check=True,
        timeout=600,
    )
    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL, task.traceback
    assert task.return_value == BatchStatus.SUCCEEDED
    assert not upload.exists()  # the upload is deleted once the task is done
    # Imported once, and the report's PDF is there for the analyst.
    assert TARGETS["police_street"].model.objects.count() == STREET_2022_01_ROWS
    pdf = client_for(analyst).get(
        reverse("analysis:report_pdf", kwargs={"slug": partnership.slug})
    )
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"


@pytest.mark.django_db(transaction=True)
def test_a_task_whose_worker_dies_every_time_is_failed_saying_why(
    analyst, partnership, agreement, tmp_path, settings
):
    settings.TASK_MAX_ATTEMPTS = 1
    _areas(analyst, partnership)
    upload = tmp_path / "upload.csv"
    shutil.copy(STREET_2022_01, upload)
    batch = queue_import(
        by=analyst,
        partnership=partnership,
        kind="police_street",
        path=upload,
        file_name=STREET_2022_01.name,
        agreement=agreement,
        upload_path=str(upload),
    )
    result = _database_backend().enqueue(import_file, (batch.pk, str(upload)), {})
    _worker_killed_in_the_typesetter()
    assert _recover_once_the_connection_is_gone() == {"queued again": 0, "failed": 1}
    task = DBTaskResult.objects.get(pk=result.id)
    assert task.status == TaskResultStatus.FAILED
    assert task.traceback == ABANDONED.format(attempts=1)
    # Nothing says "running" any more; the import itself stands.
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).exists()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.SUCCEEDED
