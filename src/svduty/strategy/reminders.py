"""The daily reminder to partnership leads: the strategy review is overdue (more
than 12 months since publication or the last review) or actions are overdue.

Run once a day by `svduty send_review_reminders` (cron or a systemd timer; see
docs/strategy.md) or the `send_review_reminders_task` background task. A partnership
gets at most one e-mail a day, however often the job runs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from svduty.accounts.models import User
from svduty.core.authorisation import Role
from svduty.partnership.models import Partnership

from .models import ReviewReminder, StrategyAction
from .publication import current_version


@dataclass
class Due:
    partnership: Partnership
    review_overdue: bool
    review_due_on: dt.date | None
    overdue_actions: int


def overdue_partnerships(today: dt.date) -> list[Due]:
    result = []
    for partnership in Partnership.objects.order_by("name"):
        current = current_version(partnership)
        review_overdue = bool(current and current.is_review_overdue(today))
        overdue_actions = (
            StrategyAction.objects.filter(partnership=partnership)
            .overdue(today)
            .count()
        )
        if review_overdue or overdue_actions:
            result.append(
                Due(
                    partnership,
                    review_overdue,
                    current.review_due_on if current else None,
                    overdue_actions,
                )
            )
    return result


def recipients(partnership: Partnership) -> list[str]:
    """The partnership lead; failing that, every active partnership lead in a member
    agency, so that the reminder never goes nowhere."""
    lead = partnership.lead_user
    if lead is not None and lead.is_active and lead.email:
        return [lead.email]
    agencies = partnership.members.values_list("agency_id", flat=True)
    return sorted(
        User.objects.filter(
            is_active=True,
            roles__contains=[Role.PARTNERSHIP_LEAD.value],
            memberships__agency__in=agencies,
        )
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )


def _message(due: Due) -> str:
    base = settings.SITE_URL.rstrip("/")
    lines = [f"Serious violence duty reminder for {due.partnership.name}.", ""]
    if due.review_overdue:
        lines.append(
            "The strategy review is overdue: it was due by "
            f"{date_format(due.review_due_on, 'j F Y')}. The statutory guidance "
            "asks for a review at least every 12 months."
        )
    if due.overdue_actions:
        lines.append(f"{due.overdue_actions} action(s) in the plan are overdue.")
    lines += [
        "",
        "Duty compliance: "
        + base
        + reverse("strategy:compliance", args=[due.partnership.slug]),
        "",
        "You get this e-mail each day while something is overdue.",
    ]
    return "\n".join(lines)


def send_review_reminders(today: dt.date | None = None) -> int:
    """Send today's reminders; returns how many partnerships were reminded."""
    today = today or timezone.localdate()
    sent = 0
    for due in overdue_partnerships(today):
        to = recipients(due.partnership)
        if not to:
            continue
        try:
            with transaction.atomic():
                ReviewReminder.objects.create(
                    partnership=due.partnership,
                    sent_on=today,
                    recipients=to,
                    overdue_review=due.review_overdue,
                    overdue_actions=due.overdue_actions,
                )
        except IntegrityError:
            continue  # already reminded today
        send_mail(
            subject=f"svduty: overdue for {due.partnership.name}",
            message=_message(due),
            from_email=None,
            recipient_list=to,
        )
        sent += 1
    return sent
