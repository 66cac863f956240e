"""Record linkage of partner person data (issue 13).

* :class:`PersonRecord`: one person as one agency holds them, from a
  ``person_extract`` import (or, with ``case_person`` set, a child's record in
  svduty, copied in at the start of each run so partner records can be linked
  to it). Re-importing an agency's extract updates its records in place; a record
  absent from the new extract is closed, never deleted.
* :class:`LinkedPerson`: the people the linkage believes exist. Every open record
  belongs to exactly one; ``case_person`` ties one to a child's record.
* :class:`LinkageRun`: one run of the model, with the m and u probabilities it
  estimated (``model``), the data it used and the thresholds it applied.
* :class:`CandidatePair`: a pair scored at or above the review threshold, with
  its match weight broken down by comparison, and the reviewer's decision.
* :class:`MergeEvent`: a merge of two linked people, undone by an unmerge that
  puts every record back where it was.
"""

from __future__ import annotations

from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from svduty.cases.models import Person
from svduty.core.authorisation import Permission
from svduty.core.guard import GuardedModel, GuardedQuerySet
from svduty.core.policies import PolicyQuerySet, has_permission
from svduty.core.types import AnyUser
from svduty.partnership.models import Partnership
from svduty.sharing.models import ImportBatch

#: The agency code of records copied from svduty's own child records.
SVDUTY_AGENCY = "SVDUTY"


class Decision(models.TextChoices):
    LINKED = "linked", "Linked"
    NEW = "new", "New person"
    REVIEW = "review", "Waiting for review"


class PairStatus(models.TextChoices):
    AUTO_MATCH = "auto_match", "Linked automatically"
    QUEUED = "queued", "Waiting for review"
    MATCH = "match", "Reviewed: the same person"
    NOT_MATCH = "not_match", "Reviewed: not the same person"
    NOT_SURE = "not_sure", "Reviewed: not sure"


class Verdict(models.TextChoices):
    """What a reviewer decides about a pair."""

    MATCH = "match", "The same person"
    NOT_MATCH = "not_match", "Not the same person"
    NOT_SURE = "not_sure", "Not sure"


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Finished"
    FAILED = "failed", "Failed"


class _ReviewQuerySet(PolicyQuerySet):
    """Visible with the partnership to users who review linkage."""

    def visible_to(self, user: AnyUser) -> Self:
        if not has_permission(user, Permission.REVIEW_LINKAGE):
            return self.none()
        visible = Partnership.objects.visible_to(user).values("pk")
        return self.filter(partnership__in=visible)


class LinkageSettings(GuardedModel):
    """A partnership's thresholds, as match probabilities (0 to 1)."""

    partnership = models.OneToOneField(
        Partnership, on_delete=models.CASCADE, related_name="linkage_settings"
    )
    accept_above = models.FloatField(
        default=0.975,
        help_text="Pairs at or above this probability are linked without review.",
    )
    review_above = models.FloatField(
        default=0.85,
        help_text="Pairs from this probability up to the first threshold are "
        "queued for review; pairs below it are not the same person.",
    )
    updated_at = models.DateTimeField(default=timezone.now)

    objects = GuardedQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "linkage settings"
        constraints = [
            models.CheckConstraint(
                name="linkage_thresholds_ordered",
                condition=Q(review_above__gt=0)
                & Q(review_above__lt=models.F("accept_above"))
                & Q(accept_above__lt=1),
            )
        ]

    def __str__(self) -> str:
        return f"Linkage settings of {self.partnership}"


class LinkedPerson(GuardedModel):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="linked_people"
    )
    case_person = models.OneToOneField(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="linked_person",
    )
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = _ReviewQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Linked person {self.pk}"


class PersonRecord(GuardedModel):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="person_records"
    )
    batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="person_records",
    )
    agency_code = models.CharField(max_length=20)
    local_id = models.CharField(max_length=50)
    forenames = models.CharField(max_length=100, blank=True)
    surname = models.CharField(max_length=100, blank=True)
    other_names = models.CharField(max_length=200, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, blank=True)
    ethnicity = models.CharField(max_length=40, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    address = models.CharField(max_length=300, blank=True)
    nhs_number = models.CharField(max_length=20, blank=True)
    nhs_number_valid = models.BooleanField(null=True)
    upn = models.CharField(max_length=20, blank=True)
    upn_valid = models.BooleanField(null=True)
    pnc_id = models.CharField(max_length=20, blank=True)
    pnc_id_valid = models.BooleanField(null=True)
    reason = models.CharField(max_length=300, blank=True)
    case_person = models.OneToOneField(
        Person,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="linkage_record",
    )
    linked_person = models.ForeignKey(
        LinkedPerson,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="records",
    )
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = _ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["agency_code", "local_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "agency_code", "local_id"],
                name="linkage_record_unique_local_id",
            ),
            models.CheckConstraint(
                name="linkage_record_decision_known",
                condition=Q(decision__in=["", *Decision.values]),
            ),
            models.CheckConstraint(
                name="linkage_record_case_copy_is_svduty",
                condition=Q(case_person__isnull=True)
                | (Q(agency_code=SVDUTY_AGENCY) & Q(batch__isnull=True)),
            ),
        ]
        indexes = [models.Index(fields=["partnership", "closed_at"])]

    def __str__(self) -> str:
        return f"{self.agency_code} {self.local_id}"

    @property
    def name(self) -> str:
        return f"{self.forenames} {self.surname}".strip()


class LinkageRun(GuardedModel):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="linkage_runs"
    )
    status = models.CharField(
        max_length=10, choices=RunStatus.choices, default=RunStatus.RUNNING
    )
    engine = models.CharField(max_length=10, default="duckdb")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    records = models.PositiveIntegerField(default=0)
    pairs_scored = models.PositiveBigIntegerField(default=0)
    linked = models.PositiveIntegerField(default=0)
    new = models.PositiveIntegerField(default=0)
    review = models.PositiveIntegerField(default=0)
    accept_above = models.FloatField()
    review_above = models.FloatField()
    #: Splink's model as it saved it (m and u probabilities per comparison level,
    #: the prior), with the date, records and data digest it was estimated from.
    model = models.JSONField(default=dict)
    message = models.TextField(blank=True)

    objects = _ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"Linkage run {self.pk}"

    @property
    def stuck(self) -> bool:
        """Queued from the web page and no worker has started it in time."""
        from svduty.core.background import is_stuck

        return self.status == RunStatus.QUEUED and is_stuck(self.started_at)


class CandidatePair(GuardedModel):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="candidate_pairs"
    )
    run = models.ForeignKey(LinkageRun, on_delete=models.CASCADE, related_name="pairs")
    left = models.ForeignKey(PersonRecord, on_delete=models.CASCADE, related_name="+")
    right = models.ForeignKey(PersonRecord, on_delete=models.CASCADE, related_name="+")
    match_weight = models.FloatField()
    probability = models.FloatField()
    #: [{"comparison", "level", "weight", "words"}], in the model's order.
    explanation = models.JSONField(default=list)
    status = models.CharField(max_length=12, choices=PairStatus.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)

    objects = _ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-probability", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "left", "right"], name="linkage_pair_once_per_run"
            ),
            models.CheckConstraint(
                name="linkage_pair_ordered", condition=Q(left__lt=models.F("right"))
            ),
            models.CheckConstraint(
                name="linkage_pair_status_known",
                condition=Q(status__in=PairStatus.values),
            ),
            models.CheckConstraint(
                name="linkage_pair_decision_has_reviewer",
                condition=Q(status__in=[PairStatus.AUTO_MATCH, PairStatus.QUEUED])
                | (Q(decided_by__isnull=False) & Q(decided_at__isnull=False)),
            ),
        ]
        indexes = [models.Index(fields=["partnership", "status"])]

    def __str__(self) -> str:
        return f"Pair {self.pk}"


class MergeEvent(GuardedModel):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="linkage_merges"
    )
    kept = models.ForeignKey(LinkedPerson, on_delete=models.PROTECT, related_name="+")
    merged = models.ForeignKey(LinkedPerson, on_delete=models.PROTECT, related_name="+")
    #: The ids of the records that moved from ``merged`` to ``kept``.
    records = models.JSONField(default=list)
    pair = models.ForeignKey(
        CandidatePair,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    undone_at = models.DateTimeField(null=True, blank=True)

    objects = _ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="linkage_merge_two_people", condition=~Q(kept=models.F("merged"))
            ),
            models.CheckConstraint(
                name="linkage_merge_undo_paired",
                condition=Q(undone_at__isnull=True, undone_by__isnull=True)
                | Q(undone_at__isnull=False, undone_by__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"Merge {self.pk}"
