"""What scrutiny keeps: the dashboard's figures computed once per filter (a
materialised summary, so that the page does not recount 500,000 searches on every
view), and a scrutiny panel's reproducible sample of searches with its review
(issue 10 point 6)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from svduty.accounts.models import Agency
from svduty.core.guard import GuardedModel, GuardedQuerySet

from .base import ForceScopedQuerySet
from .searches import Search


class ScrutinySummary(models.Model):
    """The dashboard's suppressed tables for one filter (period, breakdown, force),
    as computed at `computed_at`. Aggregates only: nothing in it names a person."""

    key = models.CharField(max_length=120, unique=True)
    computed_at = models.DateTimeField(default=timezone.now)
    # When a refresh was asked for (a view found it stale): one refresh at a time.
    refresh_requested_at = models.DateTimeField(null=True, blank=True)
    data = models.JSONField()

    def __str__(self) -> str:
        return f"Scrutiny figures {self.key}"


class Assessment(models.TextChoices):
    MET = "met", "Met the standard"
    PARTLY = "partly", "Partly met the standard"
    NOT_MET = "not_met", "Did not meet the standard"
    CANNOT_TELL = "cannot_tell", "Could not tell"


class SampleQuerySet(ForceScopedQuerySet):
    force_path = "force_id"


class SearchSample(GuardedModel):
    """A sample of a force's searches drawn for a scrutiny panel: the seed, the
    period and the size are kept, so anyone can draw it again and get the same
    searches (`svro.samples.draw`)."""

    force = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField()
    period_end = models.DateField()
    size = models.PositiveSmallIntegerField()
    seed = models.BigIntegerField()
    panel = models.CharField("Scrutiny panel", max_length=200)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    drawn_at = models.DateTimeField(default=timezone.now)

    objects = SampleQuerySet.as_manager()

    class Meta:
        ordering = ["-drawn_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__lte=models.F("period_end")),
                name="svro_sample_period_in_order",
            ),
            models.CheckConstraint(
                condition=Q(size__gte=1, size__lte=200), name="svro_sample_size_sane"
            ),
        ]

    def __str__(self) -> str:
        return f"Sample {self.pk} for {self.panel}"


class SampleItemQuerySet(ForceScopedQuerySet):
    force_path = "sample__force_id"


class SampleItem(GuardedModel):
    """One sampled search and, once reviewed, the panel's review of it."""

    sample = models.ForeignKey(
        SearchSample, on_delete=models.PROTECT, related_name="items"
    )
    search = models.ForeignKey(Search, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    video_watched = models.BooleanField(null=True, blank=True)
    grounds = models.CharField(max_length=12, choices=Assessment.choices, blank=True)
    conduct = models.CharField(max_length=12, choices=Assessment.choices, blank=True)
    feedback = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    objects = SampleItemQuerySet.as_manager()

    class Meta:
        ordering = ["sample", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["sample", "search"], name="svro_sample_search_once"
            ),
            models.UniqueConstraint(
                fields=["sample", "position"], name="svro_sample_position_once"
            ),
            models.CheckConstraint(
                condition=Q(reviewed_at__isnull=True)
                | (~Q(grounds="") & ~Q(conduct="") & Q(video_watched__isnull=False)),
                name="svro_review_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"Sampled search {self.position}"


class PublishedReport(models.Model):
    """A transparency report as published on the public pages: the suppressed
    tables exactly as the approver saw them when publishing, kept here and never
    recomputed (so what the public see is bound to what was approved). Aggregates
    only: nothing in it names a person. The database refuses to change or delete
    one (migration 0010); a correction is a new publication."""

    period_start = models.DateField()
    period_end = models.DateField()
    # None: all forces.
    force = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    force_name = models.CharField(max_length=200)
    sections = models.JSONField()
    figures_as_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__lte=models.F("period_end")),
                name="svro_published_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"SVRO transparency report, {self.force_name}, "
            f"{self.period_start:%-d %B %Y} to {self.period_end:%-d %B %Y}"
        )


class ReportWithdrawal(GuardedModel):
    """A published transparency report taken off the public pages, by whom, when and
    why. The publication itself stays as it was published (frozen); the withdrawal
    is recorded beside it. The database allows one withdrawal per report, not before
    its publication, with a reason, and refuses to change or delete one (migration
    0011): withdrawing cannot be undone; a corrected report is a new publication."""

    report = models.OneToOneField(
        PublishedReport, on_delete=models.PROTECT, related_name="withdrawal"
    )
    reason = models.TextField()
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(default=timezone.now)

    objects = GuardedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason__regex=r"^\s*$"),
                name="svro_withdrawal_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Withdrawal of {self.report}"
