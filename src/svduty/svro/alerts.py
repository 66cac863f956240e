"""Alerts for SVRO officers: notifications overdue and orders nearing expiry, on the
officer's home page and in a daily e-mail (counts only: no names leave svduty)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q

from svduty.accounts.models import User
from svduty.core.authorisation import Role

from .models import Notification, Order


def expiry_horizon(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=settings.SVRO_EXPIRY_ALERT_DAYS)


def expiring(orders, today: dt.date):
    """Orders in force whose last day falls within the alert period."""
    return orders.filter(
        Q(discharged_on__isnull=True),
        expires_on__gte=today,
        expires_on__lte=expiry_horizon(today),
    )


def send_daily_alerts(today: dt.date) -> int:
    """One e-mail per SVRO officer whose force has an overdue notification or an
    order nearing expiry. Returns the number of e-mails sent."""
    overdue = Counter(
        Notification.objects.overdue_on(today).values_list(
            "order__managing_force_id", flat=True
        )
    )
    ending = Counter(
        expiring(Order.objects.all(), today).values_list("managing_force_id", flat=True)
    )
    sent = 0
    officers = User.objects.filter(
        is_active=True, roles__contains=[Role.SVRO_OFFICER.value]
    ).prefetch_related("memberships")
    for officer in officers:
        forces = {m.agency_id for m in officer.memberships.all()}
        late = sum(overdue[f] for f in forces)
        soon = sum(ending[f] for f in forces)
        if not (late or soon) or not officer.email:
            continue
        send_mail(
            "svduty: orders that need attention",
            f"Notifications overdue: {late}\n"
            f"Orders ending in the next {settings.SVRO_EXPIRY_ALERT_DAYS} days: "
            f"{soon}\n\nSign in to svduty to see them: {settings.SITE_URL}/svro/\n",
            None,
            [officer.email],
        )
        sent += 1
    return sent
