"""The scrutiny summary's background recount (docs/svro.md, Performance): a summary
older than SVDUTY_SVRO_SCRUTINY_MAX_AGE_MINUTES is shown with its age, and the task
it queues is one the task worker runs. The tests use the database backend and the
`db_worker` command that `svduty serve` starts (tests/integration/core/
test_background_work.py proves serve starts that worker), not the immediate backend
the other tests use, so a task that could only run in the web process would fail
here."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from svduty.core.authorisation import Role
from svduty.svro.models import ScrutinySummary
from tests.factories.svro import force, make_order

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def viewer(make_user, client_for):
    officer = make_user(Role.SVRO_OFFICER, agency=force())
    make_order(officer)
    return client_for(make_user(Role.ANALYST))


def age_summaries(minutes: int) -> None:
    ScrutinySummary.objects.update(
        computed_at=timezone.now() - dt.timedelta(minutes=minutes)
    )


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS, SVRO_SCRUTINY_MAX_AGE_MINUTES=60)
def test_stale_figures_say_their_age_and_the_worker_recounts_them(viewer):
    url = reverse("svro:scrutiny")
    fresh = viewer.get(url)  # first view of this filter: counted now
    assert "Figures as at" in fresh.text
    assert "figures-age" not in fresh.text
    assert not DBTaskResult.objects.exists()

    age_summaries(61)  # one minute past the limit
    stale = viewer.get(url)
    assert 'id="figures-age"' in stale.text
    assert "These figures were counted 1\xa0hour" in stale.text
    assert "recounted in the background" in stale.text
    queued = DBTaskResult.objects.get()
    assert queued.status == TaskResultStatus.READY
    assert queued.task_path == "svduty.svro.tasks.refresh_summary"

    viewer.get(url)  # a second viewer does not queue it again
    assert DBTaskResult.objects.count() == 1

    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    queued.refresh_from_db()
    assert queued.status == TaskResultStatus.SUCCESSFUL
    summary = ScrutinySummary.objects.get(key=queued.return_value)
    assert timezone.now() - summary.computed_at < dt.timedelta(minutes=5)
    assert summary.refresh_requested_at is None
    after = viewer.get(url)
    assert "figures-age" not in after.text
    assert "Figures as at" in after.text


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS, SVRO_SCRUTINY_MAX_AGE_MINUTES=60)
def test_figures_just_inside_the_limit_are_not_recounted(viewer):
    url = reverse("svro:scrutiny")
    viewer.get(url)
    age_summaries(59)
    page = viewer.get(url)
    assert "figures-age" not in page.text
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS, SVRO_SCRUTINY_MAX_AGE_MINUTES=60)
def test_report_says_how_old_its_figures_are(viewer):
    viewer.get(reverse("svro:report"))
    age_summaries(180)
    page = viewer.get(reverse("svro:report"))
    assert "These figures were counted 3\xa0hours" in page.text
