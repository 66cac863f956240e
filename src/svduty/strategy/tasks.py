"""Background tasks (architecture D11): the daily review reminder."""

from __future__ import annotations

from django_tasks import task

from .reminders import send_review_reminders


@task()
def send_review_reminders_task() -> int:
    return send_review_reminders()
