"""Notification requirements (issue 10 point 3, reference A.5): each notifiable event
with its due date, when and where it was notified; custody periods that pause the
clock; the address history, never overwritten."""

from __future__ import annotations

import datetime as dt

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from svduty.core.guard import GuardedModel

from .base import ForceScopedQuerySet
from .choices import AddressKind, NotifiableEvent
from .orders import Holder, HolderRecordQuerySet, Order, OrderRecordQuerySet


class NotificationQuerySet(OrderRecordQuerySet):
    def overdue_on(self, day: dt.date) -> NotificationQuerySet:
        return self.filter(notified_on__isnull=True, due_on__lt=day)


class Notification(GuardedModel):
    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, related_name="notifications"
    )
    event = models.CharField(max_length=20, choices=NotifiableEvent.choices)
    event_on = models.DateField("Date of the event")
    # Null while the holder is in custody with no release date (the clock paused).
    due_on = models.DateField(null=True, blank=True)
    notified_on = models.DateField(null=True, blank=True)
    station = models.CharField("Police station", max_length=200, blank=True)
    received_by = models.CharField(
        "Officer or authorised person", max_length=200, blank=True
    )
    information = models.TextField("Information notified", blank=True)
    advice_given = models.BooleanField(default=False)
    description_update = models.TextField("Updated description", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-event_on", "-id"]
        indexes = [models.Index(fields=["notified_on", "due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__isnull=True) | Q(due_on__gte=F("event_on")),
                name="svro_notification_due_after_event",
            ),
            models.CheckConstraint(
                condition=Q(notified_on__isnull=True)
                | Q(notified_on__gte=F("event_on"), station__gt="", received_by__gt=""),
                name="svro_notified_after_event_with_station",
            ),
        ]

    def __str__(self) -> str:
        return f"Notification {self.pk}"

    def status_on(self, day: dt.date) -> str:
        if self.notified_on is not None:
            if self.due_on is not None and self.notified_on > self.due_on:
                return "late"
            return "on_time"
        if self.due_on is not None and self.due_on < day:
            return "overdue"
        return "due"


class CustodyPeriod(GuardedModel):
    """Time in custody, which pauses the notification clock."""

    holder = models.ForeignKey(
        Holder, on_delete=models.PROTECT, related_name="custody_periods"
    )
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = HolderRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="svro_custody_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"Custody {self.pk} of order holder {self.holder_id}"


class HolderAddress(GuardedModel):
    holder = models.ForeignKey(
        Holder, on_delete=models.PROTECT, related_name="addresses"
    )
    kind = models.CharField(max_length=20, choices=AddressKind.choices)
    address = models.TextField()
    from_date = models.DateField()
    notification = models.ForeignKey(
        Notification, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = HolderRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-from_date", "-id"]
        triggers = [
            pgtrigger.Protect(
                name="svro_address_never_changed",
                operation=pgtrigger.Update | pgtrigger.Delete,
            )
        ]

    def __str__(self) -> str:
        return f"Address {self.pk} of order holder {self.holder_id}"


__all__ = [
    "CustodyPeriod",
    "ForceScopedQuerySet",
    "HolderAddress",
    "Notification",
]
