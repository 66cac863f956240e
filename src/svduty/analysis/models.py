"""The analytic snapshot, the narrative of a strategic needs assessment (SNA) and the
harm weights a partnership uses.

A `Snapshot` records exactly which imported data an SNA was computed from (architecture
D3, convention 10): the source batches and their file hashes, the row counts and a hash
of the Parquet files. Snapshots are never changed after they are built.

An `SnaVersion` is the analyst's written assessment for a period, tied to the snapshot
its figures came from. Once signed off it is fixed: a change means a new version, so the
strategy that cites it always cites the same words and figures.
"""

from __future__ import annotations

from typing import Any, Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from svduty.core.authorisation import Permission
from svduty.core.guard import GuardedModel
from svduty.core.types import AnyUser
from svduty.partnership.models import Partnership, PartnershipScopedQuerySet


class SnapshotQuerySet(PartnershipScopedQuerySet):
    def visible_to(self, user: AnyUser) -> Self:
        from svduty.core.policies import has_permission

        if not has_permission(user, Permission.VIEW_ANALYSIS):
            return self.none()
        return super().visible_to(user)


class Snapshot(GuardedModel):
    """One build of a partnership's pseudonymised analytic data (Parquet files)."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="snapshots"
    )
    created_at = models.DateTimeField(db_index=True)
    # Folder name under SNAPSHOT_DIR/<partnership slug>/.
    folder = models.CharField(max_length=80)
    # [{"id": 12, "kind": "police_street", "file_name": "...", "sha256": "..."}]
    source_batches = models.JSONField(default=list)
    # {"police_street": 91516, "lsoa": 352, ...}
    row_counts = models.JSONField(default=dict)
    content_hash = models.CharField(max_length=64)
    # False once the Parquet files have been pruned (the record stays for provenance).
    files_kept = models.BooleanField(default=True)

    objects = SnapshotQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        get_latest_by = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "folder"], name="snapshot_folder_unique"
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """How every figure names its snapshot: number, content hash and time."""
        return (
            f"Snapshot {self.pk} ({self.content_hash[:12]}), built "
            f"{self.created_at:%d %B %Y %H:%M} UTC"
        )

    @property
    def path(self):
        return settings.SNAPSHOT_DIR / self.partnership.slug / self.folder


class SnaStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SIGNED_OFF = "signed_off", "Signed off"


class SnaVersionQuerySet(SnapshotQuerySet):
    def signed_off(self):
        return self.filter(status=SnaStatus.SIGNED_OFF)


class SnaVersion(GuardedModel):
    """The written strategic needs assessment for one period, on one snapshot."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="sna_versions"
    )
    number = models.PositiveIntegerField()
    period_from = models.DateField("Start of period")
    period_to = models.DateField("End of period")
    snapshot = models.ForeignKey(
        Snapshot, on_delete=models.PROTECT, related_name="sna_versions"
    )
    # The local definition version the figures follow (the one in force at the end
    # of the period when the version was started); None means the svduty default.
    # A later definition does not change it: a new SNA version is needed for that.
    definition = models.ForeignKey(
        "partnership.LocalDefinition",
        on_delete=models.PROTECT,
        related_name="sna_versions",
        null=True,
        blank=True,
    )
    title = models.CharField(max_length=200)
    findings = models.TextField("Key findings", blank=True)
    causes_and_drivers = models.TextField("Causes and drivers", blank=True)
    risk_and_protective_factors = models.TextField(
        "Risk and protective factors", blank=True
    )
    gaps = models.TextField("Gaps in data and knowledge", blank=True)
    recommendations = models.TextField(blank=True)
    status = models.CharField(
        max_length=12, choices=SnaStatus.choices, default=SnaStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    # Optimistic locking: two analysts may edit the same draft.
    version = models.PositiveIntegerField(default=1)

    objects = SnaVersionQuerySet.as_manager()

    NARRATIVE_FIELDS = (
        "findings",
        "causes_and_drivers",
        "risk_and_protective_factors",
        "gaps",
        "recommendations",
    )

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "number"], name="sna_version_number_unique"
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        status=SnaStatus.SIGNED_OFF,
                        signed_off_by__isnull=False,
                        signed_off_at__isnull=False,
                    )
                    | Q(
                        status=SnaStatus.DRAFT,
                        signed_off_by__isnull=True,
                        signed_off_at__isnull=True,
                    )
                ),
                name="sna_version_sign_off_paired",
            ),
            models.CheckConstraint(
                condition=Q(period_to__gte=models.F("period_from")),
                name="sna_version_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partnership}: SNA version {self.number} – {self.title}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Belt and braces behind the actions: a signed-off version never changes.
        if self.pk is not None:
            stored = (
                type(self)
                .objects.filter(pk=self.pk)
                .values_list("status", flat=True)
                .first()
            )
            if stored == SnaStatus.SIGNED_OFF:
                raise ValidationError(
                    "This needs assessment has been signed off and cannot be changed"
                )
        super().save(*args, **kwargs)

    @property
    def is_signed_off(self) -> bool:
        return self.status == SnaStatus.SIGNED_OFF

    @property
    def definition_label(self) -> str:
        if self.definition is None:
            return "the svduty default definition (no local definition in force)"
        return self.definition.label

    @property
    def period_label(self) -> str:
        return f"{self.period_from:%B %Y} to {self.period_to:%B %Y}"


def latest_signed_off(partnership: Partnership) -> SnaVersion | None:
    """The partnership's most recently signed-off SNA version, for the strategy."""
    return (
        SnaVersion.objects.filter(partnership=partnership, status=SnaStatus.SIGNED_OFF)
        .order_by("-signed_off_at", "-number")
        .first()
    )


class HarmWeightTable(GuardedModel):
    """A partnership's own harm weights, replacing the illustrative default.

    Weights are keyed by data.police.uk crime type; every figure that uses them says
    which table (name and version), whose weights they are and where they come from.
    Each import is a new numbered version; the newest is in use and the older ones are
    kept, so a figure computed with one can always say which.
    """

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="harm_weight_tables"
    )
    number = models.PositiveIntegerField(null=True)
    name = models.CharField(max_length=200)
    version = models.CharField(max_length=50)
    owner = models.CharField(
        "Whose weights", max_length=200, blank=True, help_text="Who supplied them."
    )
    source = models.TextField(help_text="Where the weights come from.")
    effective_on = models.DateField("Date of the weights", null=True, blank=True)
    weights = models.JSONField()
    illustrative = models.BooleanField(default=False)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = SnapshotQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "number"], name="harm_weight_number_unique"
            ),
            models.CheckConstraint(
                condition=~Q(source=""), name="harm_weights_have_a_source"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.version}"
