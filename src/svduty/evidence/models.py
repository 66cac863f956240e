"""Inspection-ready evidence (issue 12): precomputed indicator figures, and (in the
modules below) self-assessment, case audits, the inspection data request, workforce
and learning records."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from svduty.partnership.models import PartnershipScopedQuerySet


class FigureRunQuerySet(PartnershipScopedQuerySet):
    partnership_path = "partnership"


class FigureRun(models.Model):
    """One refresh of a partnership's figures: when, by whom (blank: the scheduled
    command), and over which months. The pages show it beside every figure."""

    partnership = models.ForeignKey(
        "partnership.Partnership", on_delete=models.CASCADE, related_name="+"
    )
    computed_at = models.DateTimeField(default=timezone.now)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    first_month = models.DateField()
    last_month = models.DateField()
    indicators = models.PositiveIntegerField()
    rows = models.PositiveIntegerField()
    seconds = models.FloatField()

    objects = FigureRunQuerySet.as_manager()

    class Meta:
        ordering = ["-computed_at", "-id"]
        indexes = [models.Index(fields=["partnership", "-computed_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_month__gte=models.F("first_month")),
                name="figure_run_months_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"Figures for {self.partnership} at {self.computed_at:%d %b %Y %H:%M}"


class IndicatorFigureQuerySet(PartnershipScopedQuerySet):
    partnership_path = "partnership"


class IndicatorFigure(models.Model):
    """An indicator's numerator and denominator for one partnership, month and
    agency (agency blank: every agency). Counts only; no child is named."""

    partnership = models.ForeignKey(
        "partnership.Partnership", on_delete=models.CASCADE, related_name="+"
    )
    indicator = models.CharField(max_length=60)
    month = models.DateField()
    agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    numerator = models.PositiveIntegerField()
    denominator = models.PositiveIntegerField()
    value_total = models.FloatField(null=True, blank=True)

    objects = IndicatorFigureQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "month"]
        indexes = [models.Index(fields=["partnership", "indicator", "month"])]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "indicator", "month", "agency"],
                nulls_distinct=False,
                name="indicator_figure_once",
            ),
            models.CheckConstraint(
                condition=Q(numerator__lte=models.F("denominator")),
                name="indicator_numerator_within_denominator",
            ),
            models.CheckConstraint(
                condition=Q(month__day=1), name="indicator_figure_month_start"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.indicator} {self.month:%Y-%m}: {self.numerator}/{self.denominator}"
        )


class Grade(models.TextChoices):
    """The partnership's own judgement (JTAI letters are ungraded: this is a local
    self-grade, not the inspectorates')."""

    STRONG = "strong", "Strong: good evidence of impact for children"
    ADEQUATE = "adequate", "Adequate: sound, with some gaps"
    NEEDS_IMPROVEMENT = "needs_improvement", "Needs improvement"
    WEAK = "weak", "Weak: significant gaps"


class SelfAssessmentQuerySet(PartnershipScopedQuerySet):
    partnership_path = "partnership"


class SelfAssessment(models.Model):
    """Leaders' self-assessment of one outcome in one partnership."""

    partnership = models.ForeignKey(
        "partnership.Partnership", on_delete=models.CASCADE, related_name="+"
    )
    outcome = models.PositiveSmallIntegerField()
    grade = models.CharField(max_length=20, choices=Grade.choices)
    narrative = models.TextField()
    strengths = models.TextField(blank=True)
    improvements = models.TextField("Areas for improvement", blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    review_on = models.DateField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    objects = SelfAssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["outcome"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "outcome"],
                name="one_self_assessment_per_outcome",
            ),
            models.CheckConstraint(
                condition=Q(outcome__gte=1, outcome__lte=21),
                name="self_assessment_outcome_1_to_21",
            ),
            models.CheckConstraint(
                condition=~Q(narrative=""), name="self_assessment_has_narrative"
            ),
        ]

    def __str__(self) -> str:
        return f"Self-assessment of outcome {self.outcome} in {self.partnership}"


class EvidenceLinkQuerySet(PartnershipScopedQuerySet):
    partnership_path = "self_assessment__partnership"


class EvidenceLink(models.Model):
    """A piece of evidence behind a self-assessment: a document's address, a link to
    a page in svduty, or a note saying where the evidence is."""

    self_assessment = models.ForeignKey(
        SelfAssessment, on_delete=models.CASCADE, related_name="evidence"
    )
    title = models.CharField(max_length=200)
    url = models.URLField("Link (optional)", max_length=500, blank=True)
    note = models.TextField(blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    objects = EvidenceLinkQuerySet.as_manager()

    class Meta:
        ordering = ["added_at", "id"]

    def __str__(self) -> str:
        return self.title


class InspectionList(models.TextChoices):
    REFERRED = "referred", "Children referred in the period"
    MACE = "mace", "Children discussed at a MACE panel in the period"
    MISSING = "missing", "Children with a missing episode in the period"
    SERVICES = "services", "Children referred to or receiving a service in the period"


class InspectionExportQuerySet(PartnershipScopedQuerySet):
    partnership_path = "partnership"


class InspectionExport(models.Model):
    """Who exported which inspection list, for which period, how many children, and
    whether (and why) it included direct identifiers."""

    partnership = models.ForeignKey(
        "partnership.Partnership", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=InspectionList.choices)
    period_start = models.DateField()
    period_end = models.DateField()
    with_identifiers = models.BooleanField(default=False)
    reason = models.TextField(blank=True)
    children = models.PositiveIntegerField()
    exported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    exported_at = models.DateTimeField(default=timezone.now)

    objects = InspectionExportQuerySet.as_manager()

    class Meta:
        ordering = ["-exported_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(with_identifiers=False) | ~Q(reason=""),
                name="inspection_identifiers_need_reason",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="inspection_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.period_start} to {self.period_end})"


#: The audit questions (one answer each: yes, partly, no). Fixed in code for now;
#: issue 12 asks for configurable forms (see docs/evidence.md).
AUDIT_QUESTIONS: tuple[tuple[str, str], ...] = (
    ("identified", "Was the risk to the child identified early?"),
    ("assessment", "Did the assessment consider harm outside the home?"),
    ("voice", "Are the child's views recorded and acted on?"),
    ("plan", "Does the plan change when the risk changes?"),
    ("multiagency", "Did every agency involved contribute?"),
    ("impact", "Is the child safer because of what agencies did?"),
)


class AuditAnswer(models.TextChoices):
    YES = "yes", "Yes"
    PARTLY = "partly", "Partly"
    NO = "no", "No"


class AuditSampleQuerySet(PartnershipScopedQuerySet):
    partnership_path = "partnership"


class AuditSample(models.Model):
    """A sample of children drawn for a case audit. The draw is reproducible: the
    same seed over the same eligible children gives the same sample."""

    partnership = models.ForeignKey(
        "partnership.Partnership", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(max_length=200)
    seed = models.PositiveIntegerField()
    size = models.PositiveSmallIntegerField()
    risk_level = models.CharField(max_length=10, blank=True)
    eligible = models.PositiveIntegerField()
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    drawn_at = models.DateTimeField(default=timezone.now)

    objects = AuditSampleQuerySet.as_manager()

    class Meta:
        ordering = ["-drawn_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(size__gte=1, size__lte=50), name="audit_sample_size"
            )
        ]

    def __str__(self) -> str:
        return self.title


class SampleCaseQuerySet(PartnershipScopedQuerySet):
    partnership_path = "sample__partnership"


class SampleCase(models.Model):
    sample = models.ForeignKey(
        AuditSample, on_delete=models.CASCADE, related_name="cases"
    )
    person = models.ForeignKey(
        "cases.Person", on_delete=models.PROTECT, related_name="+"
    )
    order = models.PositiveSmallIntegerField()
    auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answers = models.JSONField(default=dict, blank=True)
    grade = models.CharField(max_length=20, choices=Grade.choices, blank=True)
    learning = models.TextField(blank=True)
    actions = models.TextField(blank=True)
    audited_at = models.DateTimeField(null=True, blank=True)
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    moderated_grade = models.CharField(max_length=20, choices=Grade.choices, blank=True)
    moderation_note = models.TextField(blank=True)
    moderated_at = models.DateTimeField(null=True, blank=True)

    objects = SampleCaseQuerySet.as_manager()

    class Meta:
        ordering = ["sample", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["sample", "person"], name="sample_case_once"
            ),
            models.CheckConstraint(
                condition=Q(audited_at__isnull=True, auditor__isnull=True)
                | Q(audited_at__isnull=False, auditor__isnull=False, grade__gt=""),
                name="sample_case_audit_recorded_together",
            ),
            models.CheckConstraint(
                condition=Q(moderated_at__isnull=True, moderator__isnull=True)
                | Q(
                    moderated_at__isnull=False,
                    moderator__isnull=False,
                    audited_at__isnull=False,
                    moderated_grade__gt="",
                ),
                name="sample_case_moderation_after_audit",
            ),
            models.CheckConstraint(
                condition=Q(moderator__isnull=True) | ~Q(moderator=models.F("auditor")),
                name="sample_case_moderator_is_a_second_auditor",
            ),
        ]

    def __str__(self) -> str:
        return f"Case {self.order} of {self.sample}"
