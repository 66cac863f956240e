"""Section 17 requests (PCSC Act 2022 s.17): the local policing body asks a
specified, educational, prison or youth custody authority for information it holds,
to assist or monitor under the Serious Violence Duty; the authority supplies it or
refuses with a reason. What is supplied may be used only by that local policing body.

Imported into `models.py` so that Django finds the model.
"""

from __future__ import annotations

import datetime as dt
from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from svduty.accounts.models import Agency
from svduty.core.authorisation import Permission
from svduty.core.guard import GuardedModel
from svduty.core.policies import PolicyQuerySet, has_permission
from svduty.core.types import AnyUser
from svduty.partnership.models import Partnership


class RequestFunction(models.TextChoices):
    ASSIST = "assist", "To assist the specified authorities (s.14)"
    MONITOR = "monitor", "To monitor the specified authorities (s.14)"


class RequestStatus(models.TextChoices):
    OPEN = "open", "Waiting for an answer"
    ANSWERED = "answered", "Answered"
    REFUSED = "refused", "Refused"


class RefusalReason(models.TextChoices):
    DATA_PROTECTION = (
        "data_protection",
        "Disclosure would breach data protection legislation",
    )
    INVESTIGATORY_POWERS = (
        "investigatory_powers",
        "Disclosure is prohibited by the Investigatory Powers Act 2016",
    )
    NOT_HELD = "not_held", "The authority does not hold the information"


class InformationRequestQuerySet(PolicyQuerySet):
    def visible_to(self, user: AnyUser) -> Self:
        """The requesting body's and the asked authority's users, in scope."""
        if not has_permission(user, Permission.MANAGE_AGREEMENTS):
            return self.none()
        agencies = user.agency_ids()  # type: ignore[union-attr]
        return self.filter(
            Q(requesting_body__in=agencies) | Q(authority__in=agencies),
            partnership__in=Partnership.objects.visible_to(user).values("pk"),
        )

    def overdue(self, on: dt.date | None = None) -> Self:
        return self.filter(
            status=RequestStatus.OPEN, due_on__lt=on or timezone.localdate()
        )


class InformationRequest(GuardedModel):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="information_requests"
    )
    requesting_body = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="information_requests_made"
    )
    authority = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="information_requests_received"
    )
    purpose = models.TextField()
    function = models.CharField(max_length=10, choices=RequestFunction.choices)
    data_requested = models.TextField()
    due_on = models.DateField()
    status = models.CharField(
        max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    answer = models.TextField(blank=True)
    document_name = models.CharField(max_length=255, blank=True)
    document = models.BinaryField(null=True, blank=True)
    refusal_reason = models.CharField(
        max_length=30, choices=RefusalReason.choices, blank=True
    )
    refusal_detail = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = InformationRequestQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                name="s17_request_outcome_recorded",
                condition=(
                    Q(status=RequestStatus.OPEN)
                    & Q(answered_at__isnull=True)
                    & Q(answered_by__isnull=True)
                    & Q(refusal_reason="")
                )
                | (
                    Q(status=RequestStatus.ANSWERED)
                    & Q(answered_at__isnull=False)
                    & Q(answered_by__isnull=False)
                    & Q(refusal_reason="")
                    & (~Q(answer="") | ~Q(document_name=""))
                )
                | (
                    Q(status=RequestStatus.REFUSED)
                    & Q(answered_at__isnull=False)
                    & Q(answered_by__isnull=False)
                    & ~Q(refusal_reason="")
                    & ~Q(refusal_detail="")
                ),
            ),
            models.CheckConstraint(
                name="s17_request_not_to_itself",
                condition=~Q(requesting_body=models.F("authority")),
            ),
        ]

    def __str__(self) -> str:
        return f"Section 17 request to {self.authority} (due {self.due_on})"

    def is_late(self, on: dt.date | None = None) -> bool:
        """Answered after its due date, or still open after it (UK dates)."""
        if self.answered_at is not None:
            return timezone.localdate(self.answered_at) > self.due_on
        return (on or timezone.localdate()) > self.due_on
