"""An import whose worker is killed half-way (issue 14, build 7): nothing of it is
written, the batch is marked failed with a message saying what happened, and the
same file can be imported again.

The worker is a real process running `run_batch` on the real sample month; it is
killed with SIGKILL (no clean-up of any kind) once it has reported progress."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from django.urls import reverse

from svduty.sharing.imports import (
    INTERRUPTED,
    TARGETS,
    fail_if_interrupted,
    queue_import,
    run_batch,
)
from svduty.sharing.models import BatchStatus, ImportBatch
from tests.integration.core.test_background_work import _database_url

from .conftest import STREET_2022_01

WORKER = """
import os, sys, time
import django
django.setup()
from svduty.sharing.imports import run_batch
from svduty.sharing.models import ImportBatch

def progress(batch):
    print("importing", flush=True)
    time.sleep(600)  # killed here

run_batch(ImportBatch.objects.get(pk=int(sys.argv[1])), sys.argv[2], progress=progress)
"""


def _rows() -> int:
    return TARGETS["police_street"].model.objects.count()


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_half_way_leaves_nothing_and_the_batch_failed(
    analyst, partnership, agreement, client_for
):
    batch = queue_import(
        by=analyst,
        partnership=partnership,
        kind="police_street",
        path=STREET_2022_01,
        file_name=STREET_2022_01.name,
        agreement=agreement,
    )
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SVDUTY_TESTING", "DJANGO_SETTINGS_MODULE"}
    } | {
        "SVDUTY_DEMO": "true",
        "DATABASE_URL": _database_url(),
        "DJANGO_SETTINGS_MODULE": "svduty.config.settings",
    }
    worker = subprocess.Popen(  # noqa: S603
        [sys.executable, "-c", WORKER, str(batch.pk), str(STREET_2022_01)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        line = worker.stdout.readline().decode()
        assert line.startswith("importing"), line + worker.stdout.read(3000).decode()
        batch.refresh_from_db()
        assert batch.status == BatchStatus.RUNNING
        # A live worker holds the batch: it is not taken for dead.
        assert fail_if_interrupted(batch) is False
        batch.refresh_from_db()
        assert batch.status == BatchStatus.RUNNING
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=60)
        worker.stdout.close()

    # PostgreSQL notices the dead connection at once, but give it a moment.
    deadline = time.monotonic() + 120  # generous: a loaded machine is slow to reap
    while not fail_if_interrupted(batch) and time.monotonic() < deadline:
        time.sleep(0.2)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.FAILED
    assert batch.message == INTERRUPTED
    assert batch.rows_imported == 0
    assert _rows() == 0, "nothing of the killed import may be published"

    # The user reading the batch's page is told, in those words.
    page = client_for(analyst).get(reverse("sharing:batch", args=[batch.pk]))
    assert "Nothing from this file was imported" in page.content.decode()

    # The same file again: imported in full (a failed batch is no duplicate).
    again = queue_import(
        by=analyst,
        partnership=partnership,
        kind="police_street",
        path=STREET_2022_01,
        file_name=STREET_2022_01.name,
        agreement=agreement,
    )
    assert again.status == BatchStatus.QUEUED
    done = run_batch(again, STREET_2022_01, rebuild_snapshot=False)
    assert done.status == BatchStatus.SUCCEEDED, done.message
    assert _rows() == done.rows_imported > 0
    assert ImportBatch.objects.get(pk=batch.pk).status == BatchStatus.FAILED
