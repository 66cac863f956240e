"""The run button: a reviewer queues a run for the background worker (in tests
tasks run at once, as with SVDUTY_TASK_WORKER=none); one run at a time."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from svduty.audit.models import AuditAction, AuditEvent
from svduty.core.authorisation import Role
from svduty.linkage import actions
from svduty.linkage.models import LinkageRun, RunStatus

from .helpers import import_rows, population_rows


def test_the_button_runs_linkage_in_the_background(
    client, analyst, partnership, agreement, tmp_path
):
    import_rows(analyst, partnership, agreement, tmp_path, population_rows(size=60))
    client.force_login(analyst)
    page = client.get(reverse("linkage:queue"))
    assert "Run linkage for Safer Middlesbrough" in page.content.decode()
    response = client.post(reverse("linkage:start_run", args=[partnership.slug]))
    assert response.status_code == 302
    run = LinkageRun.objects.get(partnership=partnership)
    assert run.status == RunStatus.SUCCEEDED
    assert run.started_by == analyst
    assert run.records > 0
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, target_type="linkage.linkagerun"
    ).exists()
    page = client.get(reverse("linkage:queue")).content.decode()
    assert "Linkage has run" in page
    assert "Finished" in page


def test_one_run_at_a_time(analyst, partnership):
    LinkageRun.objects.create(
        partnership=partnership,
        started_by=analyst,
        status=RunStatus.RUNNING,
        accept_above=0.975,
        review_above=0.85,
    )
    with pytest.raises(ValidationError, match="already running"):
        actions.start_run(by=analyst, partnership=partnership)


def test_a_practitioner_cannot_start_a_run(make_user, council, partnership):
    practitioner = make_user(Role.PRACTITIONER, agency=council)
    with pytest.raises(PermissionDenied):
        actions.start_run(by=practitioner, partnership=partnership)


def test_a_run_no_worker_started_shows_as_stuck(client, analyst, partnership):
    run = LinkageRun.objects.create(
        partnership=partnership,
        started_by=analyst,
        status=RunStatus.QUEUED,
        accept_above=0.975,
        review_above=0.85,
    )
    LinkageRun.objects.filter(pk=run.pk).update(
        started_at=timezone.now() - dt.timedelta(hours=1)
    )
    client.force_login(analyst)
    page = client.get(reverse("linkage:queue")).content.decode()
    assert "No background worker has started it" in page
