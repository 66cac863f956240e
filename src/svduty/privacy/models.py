"""The erasure log: what the retention job (or a DPO) erased, as metadata only.

The ICO's guidance on DPA 2018 s.62 logging: log erasure as who erased which record
and when, and never copy the erased content into the log. An entry therefore names
the rule, the record's type and id, and how many dependent rows went with it; never a
name, a date of birth or any other field. Entries cannot be changed or deleted (a
database trigger, migration 0002).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from svduty.core.guard import GuardedModel, GuardedQuerySet

from .subject_access import Subject


class RunStatus(models.TextChoices):
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Finished"
    FAILED = "failed", "Finished with failures"


class RetentionRun(GuardedModel):
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    #: The day whose schedule was applied (time travel in tests, catch-up runs).
    run_for = models.DateField()
    status = models.CharField(
        max_length=10, choices=RunStatus.choices, default=RunStatus.RUNNING
    )
    #: How it was started: "command", "task" or the user's name.
    started_by = models.CharField(max_length=150)
    erased = models.PositiveIntegerField(default=0)
    failures = models.PositiveIntegerField(default=0)
    #: Counts by rule key, and failures as rule key, record id and error class only.
    summary = models.JSONField(default=dict, blank=True)
    dpo_notified_at = models.DateTimeField(null=True, blank=True)

    objects = GuardedQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status=RunStatus.RUNNING)
                | models.Q(finished_at__isnull=False),
                name="retention_run_finished_has_time",
            )
        ]

    def __str__(self) -> str:
        return f"Retention run for {self.run_for:%d %B %Y}"


class ErasureRecord(GuardedModel):
    run = models.ForeignKey(
        RetentionRun,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="erasures",
    )
    erased_at = models.DateTimeField(default=timezone.now)
    #: The retention rule's key, or "subject_request" for an erasure a DPO made.
    rule = models.CharField(max_length=100)
    record_type = models.CharField(max_length=100)
    record_id = models.CharField(max_length=100)
    method = models.CharField(max_length=20)
    #: Rows removed with it, by model (numbers only).
    dependants = models.JSONField(default=dict, blank=True)
    erased_by = models.CharField(max_length=150)

    objects = GuardedQuerySet.as_manager()

    class Meta:
        ordering = ["-erased_at", "-id"]
        indexes = [models.Index(fields=["record_type", "record_id"])]

    def __str__(self) -> str:
        return f"{self.record_type} {self.record_id} erased under {self.rule}"


class SubjectAccessRequest(GuardedModel):
    """A request by a person for what is held about them (UK GDPR Art 15; DPA 2018
    s.45). The subject is a record in the app that registered the finder for its
    type, not a foreign key: this app imports no domain app."""

    #: The model label of the record the request started from ("cases.person",
    #: "svro.holder", "linkage.personrecord"); the pack follows its links.
    subject_type = models.CharField(max_length=100, default="cases.person")
    subject_id = models.BigIntegerField()
    #: The person's name as found, so the request list reads without another lookup.
    subject_label = models.CharField(max_length=300)
    received_on = models.DateField()
    #: One calendar month after receipt (UK GDPR Art 12(3)), extendable by the DPO.
    due_on = models.DateField()
    opened_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    #: Keys of the items withheld from the pack (third-party information).
    withheld = models.JSONField(default=list, blank=True)
    exported_at = models.DateTimeField(null=True, blank=True)

    objects = GuardedQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("received_on")),
                name="subject_access_due_after_receipt",
            ),
            models.CheckConstraint(
                condition=models.Q(exported_at__isnull=True)
                | models.Q(reviewed_at__isnull=False),
                name="subject_access_reviewed_before_export",
            ),
        ]

    def __str__(self) -> str:
        return f"Subject access request {self.pk}"

    @property
    def subject(self) -> Subject:
        return Subject(self.subject_type, self.subject_id)
