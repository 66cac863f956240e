"""Background work runs wherever the platform runs (issue 16, point 1): `svduty serve`
starts a worker that takes queued tasks, and a task nobody takes is reported."""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import time
from urllib.parse import quote

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from svduty.strategy.tasks import send_review_reminders_task


def _database_backend() -> DatabaseBackend:
    return DatabaseBackend(
        "default", {"BACKEND": "django_tasks_db.DatabaseBackend", "OPTIONS": {}}
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url() -> str:
    settings = connection.settings_dict
    return (
        f"postgres://{quote(settings['USER'] or 'postgres')}@/{settings['NAME']}"
        f"?host={quote(settings['HOST'], safe='')}"
    )


@pytest.mark.django_db(transaction=True)
def test_serve_starts_a_worker_that_runs_queued_tasks():
    result = _database_backend().enqueue(send_review_reminders_task, (), {})
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SVDUTY_TESTING", "DJANGO_SETTINGS_MODULE"}
    } | {
        "SVDUTY_DEMO": "true",
        "SVDUTY_TASK_WORKER": "serve",
        "DATABASE_URL": _database_url(),
    }
    serve = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "svduty.manage",
            "serve",
            "--port",
            str(_free_port()),
            "--workers",
            "1",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 240
        status = None
        while time.monotonic() < deadline and serve.poll() is None:
            status = DBTaskResult.objects.get(pk=result.id).status
            if status in (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED):
                break
            time.sleep(0.5)
    finally:
        serve.send_signal(signal.SIGTERM)
        output = serve.communicate(timeout=120)[0].decode()
    assert status == TaskResultStatus.SUCCESSFUL, output[-3000:]
    assert "background tasks run in a worker started here" in output
    assert serve.returncode == 0


def test_a_task_nobody_takes_is_reported_by_healthz(client, settings, db):
    settings.TASK_STUCK_MINUTES = 10
    result = _database_backend().enqueue(send_review_reminders_task, (), {})
    assert client.get("/healthz").json()["tasks_stuck"] == 0
    DBTaskResult.objects.filter(pk=result.id).update(
        enqueued_at=timezone.now() - dt.timedelta(minutes=11)
    )
    body = client.get("/healthz").json()
    assert body["tasks_stuck"] == 1 and body["status"] == "degraded"
