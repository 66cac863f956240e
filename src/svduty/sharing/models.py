"""Data sharing agreements, import batches and the imported partner data.

Every data table carries the partnership it belongs to and the import batch that
brought each row in (``on_delete=CASCADE``), so provenance is one join away and a
batch's rows can be replaced as a unit. Tables are written only by
:mod:`svduty.sharing.imports` (COPY into a staging table, then one INSERT … SELECT
in a transaction); the analysis app reads them. Column names and indexes are
documented in ``docs/data-model.md``.
"""

from __future__ import annotations

import datetime as dt
from typing import Self

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone

from svduty.accounts.models import Agency
from svduty.core.authorisation import Permission
from svduty.core.background import is_stuck
from svduty.core.guard import GuardedModel
from svduty.core.policies import PolicyQuerySet, has_permission
from svduty.core.types import AnyUser
from svduty.partnership.models import Partnership
from svduty.sharing.readers import KINDS
from svduty.sharing.readers.registry import kind_choices

#: How long before the review date an agreement shows as "due for review".
REVIEW_WARNING = dt.timedelta(days=30)


class _PartnershipDataQuerySet(PolicyQuerySet):
    """Visible with the partnership, to users holding one of ``permissions``."""

    permissions: tuple[Permission, ...] = ()

    def visible_to(self, user: AnyUser) -> Self:
        if not any(has_permission(user, p) for p in self.permissions):
            return self.none()
        visible = Partnership.objects.visible_to(user).values("pk")
        return self.filter(partnership__in=visible)


# --- Data sharing agreements ----------------------------------------------------------


class LegalGateway(models.TextChoices):
    PCSC_S16 = (
        "pcsc_s16",
        "Police, Crime, Sentencing and Courts Act 2022, section 16",
    )
    PCSC_S17 = (
        "pcsc_s17",
        "Police, Crime, Sentencing and Courts Act 2022, section 17",
    )
    CDA_S115 = "cda_s115", "Crime and Disorder Act 1998, section 115"
    CONSENT = "consent", "Consent of the people the information is about"
    OTHER = "other", "Another legal power"


class LawfulBasis(models.TextChoices):
    GDPR_PUBLIC_TASK = (
        "gdpr_6_1_e",
        "UK GDPR Article 6(1)(e): public task",
    )
    GDPR_LEGAL_OBLIGATION = (
        "gdpr_6_1_c",
        "UK GDPR Article 6(1)(c): legal obligation",
    )
    GDPR_VITAL_INTERESTS = (
        "gdpr_6_1_d",
        "UK GDPR Article 6(1)(d): vital interests",
    )
    GDPR_CONSENT = "gdpr_6_1_a", "UK GDPR Article 6(1)(a): consent"
    DPA_PART_3 = (
        "dpa_part_3",
        "Data Protection Act 2018 Part 3: law enforcement processing (section 35)",
    )


class DpiaOutcome(models.TextChoices):
    NOT_STARTED = "not_started", "Not carried out yet"
    LOW_RISK = "low_risk", "Completed: risks are low or have been reduced"
    HIGH_RISK_MITIGATED = (
        "high_risk_mitigated",
        "Completed: high risks remain but have been accepted with measures",
    )
    ICO_CONSULTED = "ico_consulted", "Completed: the ICO was consulted"
    NOT_NEEDED = "not_needed", "Screened out: not needed"


class AgreementStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    DUE_FOR_REVIEW = "due_for_review", "Due for review"
    NOT_SIGNED_OFF = "not_signed_off", "Not signed off"
    NOT_STARTED = "not_started", "Not started yet"
    EXPIRED = "expired", "Expired"
    WITHDRAWN = "withdrawn", "Withdrawn"


class AgreementQuerySet(_PartnershipDataQuerySet):
    permissions = (Permission.MANAGE_AGREEMENTS, Permission.IMPORT_DATA)

    def active(self, on: dt.date | None = None):
        on = on or timezone.localdate()
        return self.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=on),
            signed_off_at__isnull=False,
            starts_on__lte=on,
            withdrawn_at__isnull=True,
        )

    def expired(self, on: dt.date | None = None):
        return self.filter(ends_on__lt=on or timezone.localdate())

    def due_for_review(self, on: dt.date | None = None):
        on = on or timezone.localdate()
        return self.active(on).filter(review_on__lte=on + REVIEW_WARNING)


class DataSharingAgreement(GuardedModel):
    """A data sharing agreement, with the fields the ICO data sharing code asks for.

    PCSC Act 2022 s.16(4): section 16 does not authorise a health or social care
    authority to disclose personal information, nor anyone to disclose patient
    information; the database refuses that combination as well as the action.
    """

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="agreements"
    )
    title = models.CharField(max_length=200)
    parties = models.ManyToManyField(Agency, related_name="sharing_agreements")
    purpose = models.TextField()
    #: s.16(1)-(2): information is disclosed under s.16 only to enable or assist the
    #: recipient to exercise its functions under the Serious Violence Duty.
    for_duty_functions = models.BooleanField(
        "For the recipients' functions under the Serious Violence Duty", default=False
    )
    legal_gateway = models.CharField(max_length=20, choices=LegalGateway.choices)
    legal_gateway_other = models.CharField(max_length=300, blank=True)
    lawful_basis = models.CharField(max_length=20, choices=LawfulBasis.choices)
    special_category_condition = models.TextField(blank=True)
    criminal_offence_condition = models.TextField(blank=True)
    data_items = models.TextField()
    datasets = ArrayField(
        models.CharField(max_length=40, choices=kind_choices), default=list
    )
    #: Who discloses the data (a subset of the parties): s.16(4)(b) turns on it.
    providers = models.ManyToManyField(
        Agency, related_name="agreements_providing", blank=True
    )
    #: Information about identifiable people (not anonymous or aggregate).
    personal_information = models.BooleanField(default=True)
    discloses_patient_information = models.BooleanField(default=False)
    #: Derived by the action from the providers' agency types (s16.py), never asked.
    discloser_is_health_or_social_care = models.BooleanField(default=False)
    dpia_reference = models.CharField(max_length=100, blank=True)
    dpia_review_on = models.DateField("DPIA review date", null=True, blank=True)
    dpia_outcome = models.CharField(
        max_length=30, choices=DpiaOutcome.choices, default=DpiaOutcome.NOT_STARTED
    )
    retention_and_deletion = models.TextField()
    security_measures = models.TextField()
    rights_route = models.TextField()
    frequency = models.CharField(max_length=200)
    signed_off_by = models.CharField(max_length=300, blank=True)
    signed_off_at = models.DateField(null=True, blank=True)
    starts_on = models.DateField()
    review_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    #: A party withdrew, ending the agreement early (actions.withdraw_agreement):
    #: the data shared under it is no longer used and the recipients were told.
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    withdrawn_for = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text="The party that withdrew.",
    )
    withdrawal_reason = models.TextField(blank=True)
    # Optimistic locking: partners edit the same agreement.
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["title", "pk"]
        constraints = [
            models.CheckConstraint(
                name="sharing_dsa_s16_not_for_health_or_patient_information",
                condition=~(
                    Q(legal_gateway="pcsc_s16")
                    & (
                        Q(discloses_patient_information=True)
                        | Q(discloser_is_health_or_social_care=True)
                    )
                ),
            ),
            models.CheckConstraint(
                name="sharing_dsa_s16_for_duty_functions",
                condition=~Q(legal_gateway="pcsc_s16") | Q(for_duty_functions=True),
            ),
            models.CheckConstraint(
                name="sharing_dsa_other_gateway_described",
                condition=~Q(legal_gateway="other") | ~Q(legal_gateway_other=""),
            ),
            models.CheckConstraint(
                name="sharing_dsa_sign_off_paired",
                condition=(Q(signed_off_at__isnull=True) & Q(signed_off_by=""))
                | (Q(signed_off_at__isnull=False) & ~Q(signed_off_by="")),
            ),
            models.CheckConstraint(
                name="sharing_dsa_ends_after_start",
                condition=Q(ends_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
            ),
            models.CheckConstraint(
                name="sharing_dsa_review_after_start",
                condition=Q(review_on__gte=models.F("starts_on")),
            ),
            # A withdrawal is recorded whole (who, for which party, why) and ends
            # the agreement.
            models.CheckConstraint(
                name="sharing_dsa_withdrawal_recorded",
                condition=(
                    Q(withdrawn_at__isnull=True)
                    & Q(withdrawn_by__isnull=True)
                    & Q(withdrawn_for__isnull=True)
                    & Q(withdrawal_reason="")
                )
                | (
                    Q(withdrawn_at__isnull=False)
                    & Q(withdrawn_by__isnull=False)
                    & Q(withdrawn_for__isnull=False)
                    & ~Q(withdrawal_reason="")
                    & Q(ends_on__isnull=False)
                ),
            ),
        ]
        indexes = [models.Index(fields=["partnership", "ends_on"])]

    def __str__(self) -> str:
        return self.title

    def is_active(self, on: dt.date | None = None) -> bool:
        on = on or timezone.localdate()
        return (
            self.signed_off_at is not None
            and self.withdrawn_at is None
            and self.starts_on <= on
            and (self.ends_on is None or self.ends_on >= on)
        )

    def covers(self, kind: str) -> bool:
        return kind in (self.datasets or [])

    def status(self, on: dt.date | None = None) -> AgreementStatus:
        on = on or timezone.localdate()
        if self.withdrawn_at is not None:
            return AgreementStatus.WITHDRAWN
        if self.ends_on is not None and self.ends_on < on:
            return AgreementStatus.EXPIRED
        if self.signed_off_at is None:
            return AgreementStatus.NOT_SIGNED_OFF
        if self.starts_on > on:
            return AgreementStatus.NOT_STARTED
        if self.review_on <= on + REVIEW_WARNING:
            return AgreementStatus.DUE_FOR_REVIEW
        return AgreementStatus.ACTIVE

    @property
    def gateway_label(self) -> str:
        if self.legal_gateway == LegalGateway.OTHER:
            return self.legal_gateway_other
        return self.get_legal_gateway_display()

    def dataset_labels(self) -> list[str]:
        return [KINDS[k].label for k in self.datasets if k in KINDS]


# --- Import batches ------------------------------------------------------------


class BatchStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Importing"
    SUCCEEDED = "succeeded", "Imported"
    FAILED = "failed", "Not imported"
    DUPLICATE = "duplicate", "Already imported"


BATCH_STATUS_COLOURS = {
    BatchStatus.QUEUED: "grey",
    BatchStatus.RUNNING: "light-blue",
    BatchStatus.SUCCEEDED: "green",
    BatchStatus.FAILED: "red",
    BatchStatus.DUPLICATE: "yellow",
}


#: The import kind of figures supplied under section 17 (readers/s17.py).
S17_KIND = "s17_figures"


class ImportBatchQuerySet(_PartnershipDataQuerySet):
    permissions = (Permission.IMPORT_DATA, Permission.VIEW_ANALYSIS)

    def visible_to(self, user: AnyUser) -> Self:
        """A batch answering a section 17 request is seen only by the requesting
        local policing body and the authority that supplied it (its problems can
        quote the figures)."""
        visible = super().visible_to(user)
        agencies = user.agency_ids() if user.is_authenticated else []  # type: ignore[union-attr]
        return visible.filter(
            Q(information_request__isnull=True)
            | Q(information_request__requesting_body__in=agencies)
            | Q(information_request__authority__in=agencies)
        )

    def current(self):
        """Succeeded batches whose rows have not all been replaced by a newer file,
        and that were not withdrawn (their agreement ended by a party's withdrawal:
        the analysis stops using them)."""
        return self.filter(
            status=BatchStatus.SUCCEEDED,
            superseded_by__isnull=True,
            withdrawn_at__isnull=True,
        )

    def street_batches_covering(self, partnership_id, periods, *, exclude=None):
        """Ids of current police.uk street batches of the partnership whose
        ``periods`` share a (force, month) with ``periods`` ((force, date) pairs).

        Only these batches can hold rows a new file for those periods replaces, so
        the supersede delete reads just their rows (through the BRIN on batch).
        A batch without periods (none should exist) is included to be safe.
        """
        wanted = {(force, month.isoformat()) for force, month in periods}
        found = []
        batches = (
            self.current()
            .filter(partnership_id=partnership_id, kind="police_street")
            .exclude(pk=exclude)
            .values_list("pk", "periods")
        )
        for pk, covered in batches:
            if not covered or any(tuple(p) in wanted for p in covered):
                found.append(pk)
        return found


class ImportBatch(GuardedModel):
    """One file brought in: its provenance, progress and outcome.

    A failed import leaves only this record (with its problems); a duplicate leaves
    this record pointing at the earlier import of the same file.
    """

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="import_batches"
    )
    kind = models.CharField(max_length=40, choices=kind_choices)
    file_name = models.CharField(max_length=255)
    file_size = models.BigIntegerField(null=True, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    agreement = models.ForeignKey(
        DataSharingAgreement,
        on_delete=models.PROTECT,
        related_name="batches",
        null=True,
        blank=True,
    )
    status = models.CharField(
        max_length=12, choices=BatchStatus.choices, default=BatchStatus.QUEUED
    )
    synthetic = models.BooleanField(
        default=False, help_text="Made-up data for demonstration or testing."
    )
    progress_rows = models.PositiveBigIntegerField(default=0)
    rows_total = models.PositiveBigIntegerField(null=True, blank=True)
    rows_imported = models.PositiveBigIntegerField(default=0)
    #: Rows of this batch deleted since because a newer file replaced them (the same
    #: force and month, LSOA…): the batch now holds rows_imported - rows_replaced,
    #: which the analytic snapshot checks it exported (analysis.snapshot).
    rows_replaced = models.PositiveBigIntegerField(default=0)
    rows_outside_area = models.PositiveBigIntegerField(null=True, blank=True)
    problems = models.JSONField(default=list, blank=True)
    problems_not_shown = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    #: (force, "YYYY-MM-DD") pairs for police.uk street files, months otherwise.
    periods = models.JSONField(default=list, blank=True)
    #: Other facts the reader found (population year, LSOA vintage, sites…).
    facts = models.JSONField(default=dict, blank=True)
    upload_path = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        related_name="supersedes",
        null=True,
        blank=True,
    )
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        related_name="duplicates",
        null=True,
        blank=True,
    )
    #: Set when the agreement it came under was withdrawn: its rows stay (for the
    #: audit and the provider's retention terms) but nothing uses them any more.
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    #: The section 17 request a file of figures answers (kind ``s17_figures`` only).
    information_request = models.ForeignKey(
        "sharing.InformationRequest",
        on_delete=models.PROTECT,
        related_name="batches",
        null=True,
        blank=True,
    )

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # The same file twice is "already imported"; for s.17 figures, twice
            # for the same request (a second request may be answered with it).
            models.UniqueConstraint(
                fields=["partnership", "kind", "sha256", "information_request"],
                condition=Q(status=BatchStatus.SUCCEEDED),
                name="sharing_batch_same_file_once",
                nulls_distinct=False,
            ),
            models.CheckConstraint(
                name="sharing_batch_s17_figures_answer_a_request",
                condition=(Q(kind=S17_KIND) & Q(information_request__isnull=False))
                | (~Q(kind=S17_KIND) & Q(information_request__isnull=True)),
            ),
        ]
        indexes = [
            models.Index(fields=["partnership", "kind", "status"]),
            models.Index(fields=["partnership", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_kind_display()})"

    @property
    def status_colour(self) -> str:
        return BATCH_STATUS_COLOURS[self.status]

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind].label if self.kind in KINDS else self.kind

    @property
    def finished(self) -> bool:
        return self.status not in (BatchStatus.QUEUED, BatchStatus.RUNNING)

    @property
    def stuck(self) -> bool:
        """Waiting longer than a worker would take to pick it up (issue 16)."""
        return self.status == BatchStatus.QUEUED and is_stuck(self.created_at)

    @property
    def percent_done(self) -> int | None:
        if not self.rows_total:
            return None
        return min(100, round(100 * self.progress_rows / self.rows_total))


# --- Imported data -------------------------------------------------------------


class _ImportedDataQuerySet(_PartnershipDataQuerySet):
    permissions = (Permission.VIEW_ANALYSIS, Permission.IMPORT_DATA)


class ImportedData(models.Model):
    """Base of every data table.

    Only ``batch_id`` has a database foreign key: checking two foreign keys row by
    row doubled the time to publish a large file (measured in
    ``benchmarks/bench_import.py``). ``partnership_id`` is a copy of the batch's
    partnership, kept for the analysis queries' indexes; the import writes both
    from the same batch, and the batch's own foreign key stops its partnership
    being deleted underneath it, so integrity still holds in the database.
    Django cascades a partnership's deletion through both.
    """

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    batch = models.ForeignKey(
        ImportBatch, on_delete=models.CASCADE, related_name="+", db_index=False
    )

    objects = _ImportedDataQuerySet.as_manager()

    class Meta:
        abstract = True


class Vintage(models.IntegerChoices):
    LSOA_2011 = 2011, "2011"
    LSOA_2021 = 2021, "2021"


class Lsoa(ImportedData):
    """One LSOA of the partnership's analysis geography, with its boundary."""

    code = models.CharField(max_length=9)
    name = models.CharField(max_length=200)
    vintage = models.PositiveSmallIntegerField(choices=Vintage.choices)
    lad_code = models.CharField(max_length=9, blank=True, null=True)
    #: A GeoJSON geometry (Polygon or MultiPolygon) in WGS84 longitude/latitude.
    geometry = models.JSONField()

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "code"], name="sharing_lsoa_once"
            )
        ]
        indexes = [
            models.Index(fields=["partnership", "lad_code"]),
            models.Index(fields=["batch"]),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class LsoaLookup(ImportedData):
    lsoa11_code = models.CharField(max_length=9)
    lsoa21_code = models.CharField(max_length=9)
    change_indicator = models.CharField(max_length=1)
    lad_code = models.CharField(max_length=9, blank=True, null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "lsoa11_code", "lsoa21_code"],
                name="sharing_lsoalookup_pair_once",
            )
        ]
        indexes = [
            models.Index(fields=["partnership", "lsoa21_code"]),
            models.Index(fields=["partnership", "lad_code"]),
            models.Index(fields=["batch"]),
        ]

    def __str__(self) -> str:
        return f"{self.lsoa11_code} → {self.lsoa21_code}"


class LsoaPopulation(ImportedData):
    lsoa_code = models.CharField(max_length=9)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    population = models.PositiveIntegerField()
    #: Age/sex counts when the file has them, e.g. {"females_16_24": 41}.
    age_sex = models.JSONField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "lsoa_code", "year"],
                name="sharing_lsoapopulation_once",
                nulls_distinct=False,
            )
        ]
        indexes = [
            models.Index(fields=["partnership", "year"]),
            models.Index(fields=["batch"]),
        ]

    def __str__(self) -> str:
        return f"{self.lsoa_code} {self.year}: {self.population}"


class Deprivation(ImportedData):
    """Index of Multiple Deprivation: rank 1 is the most deprived LSOA."""

    lsoa_code = models.CharField(max_length=9)
    lad_code = models.CharField(max_length=9, blank=True, null=True)
    rank = models.PositiveIntegerField()
    decile = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "lsoa_code"], name="sharing_deprivation_once"
            ),
            models.CheckConstraint(
                name="sharing_deprivation_decile_1_10",
                condition=Q(decile__gte=1, decile__lte=10),
            ),
        ]
        indexes = [models.Index(fields=["batch"])]

    def __str__(self) -> str:
        return f"{self.lsoa_code}: IMD decile {self.decile}"


class PoliceStreetRecord(ImportedData):
    """One row of a data.police.uk street-level crime file."""

    # The largest table has no per-row database foreign key to its batch: PostgreSQL
    # checks one row by row at commit, about 2x the time of COPY for 1M rows
    # (docs/adr/0006). Rows are written only by the import pipeline, in the
    # transaction that creates their batch; a trigger deletes a batch's rows with the
    # batch (migration 0004), so the reference cannot dangle even under raw SQL.
    batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )

    crime_id = models.CharField(max_length=100, blank=True, null=True)
    month = models.DateField(help_text="The first day of the month.")
    reported_by = models.CharField(max_length=100, blank=True, null=True)
    falls_within = models.CharField(max_length=100)
    longitude = models.FloatField(null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    location = models.CharField(max_length=300, blank=True, null=True)
    lsoa_code = models.CharField(max_length=9, blank=True, null=True)
    lsoa_name = models.CharField(max_length=200, blank=True, null=True)
    crime_type = models.CharField(max_length=60)
    last_outcome = models.CharField(max_length=200, blank=True, null=True)
    context = models.TextField(blank=True, null=True)

    # One partition per batch (docs/adr/0008, svduty.sharing.partitions): the
    # database's primary key is (batch_id, id), and every query reads rows by batch
    # (the snapshot export, the supersede delete, the cascade from a batch), which
    # PostgreSQL prunes to the batches' partitions. The analysis reads the snapshot.
    def __str__(self) -> str:
        return f"{self.crime_type}, {self.month:%B %Y}, {self.lsoa_code or 'no LSOA'}"


class StopSearchRecord(ImportedData):
    """One row of a data.police.uk stop and search file."""

    search_type = models.CharField(max_length=40)
    searched_at = models.DateTimeField()
    month = models.DateField(help_text="The first day of the month, UK time.")
    part_of_policing_operation = models.BooleanField(null=True, blank=True)
    policing_operation = models.CharField(max_length=200, blank=True, null=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    gender = models.CharField(max_length=10, blank=True, null=True)
    age_range = models.CharField(max_length=20, blank=True, null=True)
    self_defined_ethnicity = models.CharField(max_length=200, blank=True, null=True)
    officer_defined_ethnicity = models.CharField(max_length=100, blank=True, null=True)
    legislation = models.CharField(max_length=200, blank=True, null=True)
    object_of_search = models.CharField(max_length=200, blank=True, null=True)
    outcome = models.CharField(max_length=200, blank=True, null=True)
    outcome_linked_to_object_of_search = models.BooleanField(null=True, blank=True)
    removal_of_more_than_outer_clothing = models.BooleanField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["partnership", "month"]),
            models.Index(fields=["batch"]),
        ]

    def __str__(self) -> str:
        return f"{self.search_type}, {self.searched_at:%Y-%m-%d}"


class CrimeExtractRecord(ImportedData):
    """One crime from a force's own extract (svduty template)."""

    crime_reference = models.CharField(max_length=50)
    recorded_date = models.DateField()
    offence_from = models.DateTimeField()
    offence_to = models.DateTimeField(null=True, blank=True)
    ho_offence_code = models.CharField(max_length=10)
    offence_description = models.CharField(max_length=300)
    knife_or_sharp_object = models.BooleanField()
    firearm = models.BooleanField()
    domestic_abuse = models.BooleanField()
    lsoa_code = models.CharField(max_length=9, blank=True, null=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    victim_age_band = models.CharField(max_length=10, blank=True, null=True)
    victim_sex = models.CharField(max_length=10, blank=True, null=True)
    victim_ethnicity = models.CharField(max_length=2, blank=True, null=True)
    suspect_age_band = models.CharField(max_length=10, blank=True, null=True)
    suspect_sex = models.CharField(max_length=10, blank=True, null=True)
    suspect_ethnicity = models.CharField(max_length=2, blank=True, null=True)
    outcome = models.CharField(max_length=3, blank=True, null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "crime_reference"],
                name="sharing_crimeextract_reference_once",
            )
        ]
        indexes = [
            models.Index(fields=["partnership", "recorded_date"]),
            models.Index(fields=["partnership", "offence_from"]),
            models.Index(fields=["partnership", "lsoa_code"]),
            models.Index(fields=["batch"]),
        ]

    def __str__(self) -> str:
        return f"Crime {self.crime_reference}"


class IstvRecord(ImportedData):
    """One assault attendance at an emergency department (ISTV minimum dataset)."""

    reporting_period_start = models.DateField()
    reporting_period_end = models.DateField()
    site_code = models.CharField(max_length=12)
    arrival_datetime = models.DateTimeField(null=True, blank=True)
    assault_datetime = models.DateTimeField()
    assault_method = models.CharField(max_length=30)
    assault_method_other = models.TextField(blank=True, null=True)
    assault_location_type = models.CharField(max_length=30)
    assault_location_description = models.TextField(blank=True, null=True)
    lsoa_code = models.CharField(max_length=9, blank=True, null=True)
    postcode_district = models.CharField(max_length=4, blank=True, null=True)

    class Meta:
        indexes = [
            models.Index(fields=["partnership", "assault_datetime"]),
            models.Index(fields=["partnership", "lsoa_code"]),
            models.Index(
                fields=[
                    "partnership",
                    "site_code",
                    "reporting_period_start",
                    "reporting_period_end",
                ]
            ),
            models.Index(fields=["batch"]),
        ]

    def __str__(self) -> str:
        return f"{self.site_code} assault {self.assault_datetime:%Y-%m-%d}"


class S17FigureQuerySet(PolicyQuerySet):
    def visible_to(self, user: AnyUser) -> Self:
        """Use limitation (s.17): only the requesting local policing body's users
        may use what was supplied, not the partnership's."""
        if not has_permission(user, Permission.MANAGE_AGREEMENTS):
            return self.none()
        return self.filter(
            batch__withdrawn_at__isnull=True,
            batch__information_request__requesting_body__in=user.agency_ids(),  # type: ignore[union-attr]
            partnership__in=Partnership.objects.visible_to(user).values("pk"),
        )


class S17Figure(ImportedData):
    """One figure supplied under section 17 from a file (readers/s17.py). Not part
    of the analytic snapshot: only the requesting local policing body may use it."""

    measure = models.CharField(max_length=200)
    period_start = models.DateField()
    period_end = models.DateField()
    area_code = models.CharField(max_length=50, blank=True, null=True)
    value = models.FloatField()
    notes = models.TextField(blank=True, null=True)

    objects = S17FigureQuerySet.as_manager()

    class Meta:
        ordering = ["batch", "measure", "period_start", "area_code", "pk"]
        constraints = [
            models.CheckConstraint(
                name="sharing_s17figure_period_in_order",
                condition=Q(period_end__gte=models.F("period_start")),
            ),
            models.CheckConstraint(
                name="sharing_s17figure_value_not_negative", condition=Q(value__gte=0)
            ),
        ]
        indexes = [models.Index(fields=["batch"])]

    def __str__(self) -> str:
        return (
            f"{self.measure}, {self.period_start} to {self.period_end}: {self.value:g}"
        )


# Section 17 requests live in their own module (models.py is long).
from .s17_models import InformationRequest as InformationRequest  # noqa: E402
