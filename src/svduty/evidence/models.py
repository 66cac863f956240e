"""Inspection-ready evidence (issue 12): precomputed indicator figures, and (in the
modules below) self-assessment, case audits, the inspection data request, workforce
and learning records."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from svduty.core.guard import GuardedModel
from svduty.partnership.models import PartnershipScopedQuerySet

from .documents import DocumentType


class FigureRunQuerySet(PartnershipScopedQuerySet):
    partnership_path = "partnership"


class FigureRun(GuardedModel):
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


class IndicatorFigure(GuardedModel):
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


class SelfAssessment(GuardedModel):
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


class EvidenceLink(GuardedModel):
    """A piece of evidence behind a self-assessment: a document's address, a link to
    a page in svduty, or a note saying where the evidence is."""

    self_assessment = models.ForeignKey(
        SelfAssessment, on_delete=models.CASCADE, related_name="evidence"
    )
    title = models.CharField(max_length=200)
    url = models.URLField("Link (optional)", max_length=500, blank=True)
    note = models.TextField(blank=True)
    # An uploaded document (evidence/documents.py): its path under MEDIA_ROOT, the
    # user's file name (for the download only), its checked type and size.
    document = models.CharField(max_length=300, blank=True)
    document_name = models.CharField(max_length=255, blank=True)
    document_type = models.CharField(
        max_length=10, choices=DocumentType.choices, blank=True
    )
    document_size = models.PositiveBigIntegerField(null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    objects = EvidenceLinkQuerySet.as_manager()

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(url="") | ~Q(note="") | ~Q(document=""),
                name="evidence_link_has_a_link_note_or_document",
            ),
            models.CheckConstraint(
                condition=Q(
                    document="",
                    document_type="",
                    document_name="",
                    document_size__isnull=True,
                )
                | (
                    ~Q(document="")
                    & ~Q(document_type="")
                    & ~Q(document_name="")
                    & Q(document_size__isnull=False)
                ),
                name="evidence_document_described",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class InspectionList(models.TextChoices):
    REFERRED = "referred", "Children referred in the period"
    MACE = "mace", "Children discussed at a MACE panel in the period"
    MISSING = "missing", "Children with a missing episode in the period"
    SERVICES = "services", "Children referred to or receiving a service in the period"
    AUDITED = "audited", "Children whose case was audited in the period, with grades"


class InspectionExportQuerySet(PartnershipScopedQuerySet):
    partnership_path = "partnership"


class InspectionExport(GuardedModel):
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


class AuditFormQuerySet(PartnershipScopedQuerySet):
    partnership_path = "partnership"


class AuditForm(GuardedModel):
    """A partnership's audit form: its questions as data, each optionally the part
    of one kind of agency (multi-agency audits). Versioned: a change is a new
    version with the same name, and a sample keeps the version it was drawn with,
    so past audits keep their questions."""

    partnership = models.ForeignKey(
        "partnership.Partnership", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(max_length=200)
    version = models.PositiveIntegerField()
    #: [{"key": "q1", "text": "...", "part": "" or an AgencyType value}]
    questions = models.JSONField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = AuditFormQuerySet.as_manager()

    class Meta:
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "name", "version"],
                name="audit_form_version_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} (version {self.version})"

    def question_pairs(self) -> tuple[tuple[str, str], ...]:
        return tuple((q["key"], q["text"]) for q in self.questions)


class AuditAnswer(models.TextChoices):
    YES = "yes", "Yes"
    PARTLY = "partly", "Partly"
    NO = "no", "No"


class Stratification(models.TextChoices):
    """What a stratified audit sample is drawn across (svduty.evidence.sampling)."""

    AGENCY = "agency", "Agency of the lead professional"
    RISK = "risk", "Risk level"
    AGE = "age", "Age band"
    SEX = "sex", "Sex"
    ETHNICITY = "ethnicity", "Ethnic group (where recorded)"
    AREA = "area", "Area (postcode district of the current address)"


class AuditSampleQuerySet(PartnershipScopedQuerySet):
    partnership_path = "partnership"


class AuditSample(GuardedModel):
    """A sample of children drawn for a case audit. The draw is reproducible: the
    same seed over the same eligible children gives the same sample."""

    partnership = models.ForeignKey(
        "partnership.Partnership", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(max_length=200)
    seed = models.PositiveIntegerField()
    size = models.PositiveSmallIntegerField()
    risk_level = models.CharField(max_length=10, blank=True)
    form = models.ForeignKey(
        "evidence.AuditForm",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="samples",
        help_text="Blank: the built-in questions (AUDIT_QUESTIONS).",
    )
    eligible = models.PositiveIntegerField()
    stratify_by = models.CharField(
        max_length=20, choices=Stratification.choices, blank=True
    )
    minimum_per_stratum = models.PositiveSmallIntegerField(default=0)
    #: The groups of a stratified draw: [{"stratum", "eligible", "drawn"}].
    strata = models.JSONField(default=list, blank=True)
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
            ),
            models.CheckConstraint(
                condition=Q(stratify_by__gt="") | Q(minimum_per_stratum=0, strata=[]),
                name="audit_sample_strata_only_when_stratified",
            ),
            models.CheckConstraint(
                condition=Q(minimum_per_stratum__lte=models.F("size")),
                name="audit_sample_minimum_within_size",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def questions(self) -> tuple[tuple[str, str], ...]:
        return self.form.question_pairs() if self.form else AUDIT_QUESTIONS

    def parts(self) -> dict[str, str]:
        """Question key -> the agency type whose part it is ("" for everyone)."""
        if not self.form:
            return {}
        return {q["key"]: q.get("part", "") for q in self.form.questions}


class SampleCaseQuerySet(PartnershipScopedQuerySet):
    partnership_path = "sample__partnership"


class SampleCase(GuardedModel):
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


# --- Workforce, engagement and learning (issue 12 points 5 and 6) -----------------
# Partnership records, not about any child: every user who may read the evidence of
# the partnership may read them; MANAGE_EVIDENCE records them (through the actions).


class LearningRecordQuerySet(PartnershipScopedQuerySet):
    partnership_path = "partnership"


class PartnershipRecord(GuardedModel):
    """A record of the partnership (not about any child), with who recorded it and
    when."""

    partnership = models.ForeignKey(
        "partnership.Partnership", on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = LearningRecordQuerySet.as_manager()

    class Meta:
        abstract = True


class TrainingTopic(models.TextChoices):
    EXPLOITATION = "exploitation", "Child exploitation (criminal and sexual)"
    CONTEXTUAL = "contextual", "Contextual safeguarding (harm outside the home)"
    TRAUMA = "trauma", "Trauma-informed practice"
    BIAS = "bias", "Avoiding victim-blaming and recognising bias"
    ONLINE = "online", "Online harm"
    OTHER = "other", "Other safeguarding training"


class PractitionerRole(models.TextChoices):
    SOCIAL_WORKER = "social_worker", "Social worker"
    POLICE = "police", "Police officer or staff"
    HEALTH = "health", "Health practitioner"
    SCHOOL = "school", "School or college staff"
    YOUTH_WORKER = "youth_worker", "Youth worker"
    YOUTH_JUSTICE = "youth_justice", "Youth justice practitioner"
    MANAGER = "manager", "Manager or leader"
    OTHER = "other", "Other"


class TrainingSession(PartnershipRecord):
    """A training session held for the partnership's practitioners."""

    title = models.CharField(max_length=200)
    topic = models.CharField(max_length=20, choices=TrainingTopic.choices)
    held_on = models.DateField()
    provider = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["partnership", "held_on"])]

    def __str__(self) -> str:
        return self.title


class TrainingAttendanceQuerySet(LearningRecordQuerySet):
    partnership_path = "session__partnership"


class TrainingAttendance(GuardedModel):
    """How many practitioners of one agency, in one role, attended a session."""

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="attendance"
    )
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(max_length=20, choices=PractitionerRole.choices)
    attended = models.PositiveIntegerField()

    objects = TrainingAttendanceQuerySet.as_manager()

    class Meta:
        ordering = ["agency__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "agency", "role"], name="training_attendance_once"
            ),
            models.CheckConstraint(
                condition=Q(attended__gte=1), name="training_attendance_someone"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attended} from {self.agency} ({self.get_role_display()})"


class SupervisionReturn(PartnershipRecord):
    """An agency's count, for one month, of its practitioners working with the
    partnership's children and of how many of them had supervision (counts only)."""

    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField()
    practitioners = models.PositiveIntegerField()
    supervised = models.PositiveIntegerField()

    class Meta:
        ordering = ["-month", "agency__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "agency", "month"], name="supervision_once"
            ),
            models.CheckConstraint(
                condition=Q(supervised__lte=models.F("practitioners")),
                name="supervision_within_practitioners",
            ),
            models.CheckConstraint(
                condition=Q(month__day=1), name="supervision_month_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency}, {self.month:%B %Y}"


class EngagementKind(models.TextChoices):
    COMMUNITY_MEETING = "meeting", "Community meeting"
    YOUTH_FORUM = "youth_forum", "Children and young people's forum"
    PARENTS = "parents", "Parents and carers' group"
    SURVEY = "survey", "Survey or consultation"
    OUTREACH = "outreach", "Street or detached outreach"
    FAITH = "faith", "Faith or community group"


class EngagementActivity(PartnershipRecord):
    """Community engagement: who, where, how many, what was heard, what changed."""

    held_on = models.DateField()
    kind = models.CharField(max_length=20, choices=EngagementKind.choices)
    who = models.CharField("Who took part", max_length=300)
    where = models.CharField(max_length=200)
    participants = models.PositiveIntegerField()
    young_people = models.PositiveIntegerField(default=0)
    heard = models.TextField("What was heard")
    changed = models.TextField("What changed as a result", blank=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(young_people__lte=models.F("participants")),
                name="engagement_young_people_within_participants",
            ),
            models.CheckConstraint(
                condition=~Q(heard=""), name="engagement_records_what_was_heard"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.where}"


class ReviewKind(models.TextChoices):
    RAPID = "rapid", "Rapid review"
    CSPR = "cspr", "Local child safeguarding practice review"
    LEARNING = "learning", "Multi-agency learning review"
    DHR = "dhr", "Domestic homicide or offensive weapon homicide review"


class PracticeReview(PartnershipRecord):
    """A rapid review or practice review, whose recommendations are tracked."""

    kind = models.CharField(max_length=20, choices=ReviewKind.choices)
    title = models.CharField(max_length=200)
    started_on = models.DateField()
    completed_on = models.DateField(null=True, blank=True)
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True)
                | Q(completed_on__gte=models.F("started_on")),
                name="practice_review_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.title


class RecommendationQuerySet(LearningRecordQuerySet):
    partnership_path = "review__partnership"


class Recommendation(GuardedModel):
    review = models.ForeignKey(
        PracticeReview, on_delete=models.CASCADE, related_name="recommendations"
    )
    text = models.TextField()
    agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    due_on = models.DateField()
    completed_on = models.DateField(null=True, blank=True)
    completion_note = models.TextField(blank=True)

    objects = RecommendationQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True) | ~Q(completion_note=""),
                name="recommendation_completion_says_what",
            )
        ]

    def __str__(self) -> str:
        return self.text[:80]


class LearningEvent(PartnershipRecord):
    """A multi-agency learning event (a briefing, workshop or practice week)."""

    title = models.CharField(max_length=200)
    held_on = models.DateField()
    attendees = models.PositiveIntegerField()
    agencies = models.ManyToManyField("accounts.Agency", related_name="+")
    review = models.ForeignKey(
        PracticeReview,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title


class OversightForum(models.TextChoices):
    EXECUTIVE = "executive", "Safeguarding partnership executive"
    BOARD = "board", "Safeguarding partnership board"
    SUBGROUP = "subgroup", "Exploitation or serious violence subgroup"
    DUTY = "duty", "Serious violence duty partnership"


class OversightDecision(PartnershipRecord):
    """A decision of the safeguarding partnership about serious youth violence,
    with its follow-up."""

    forum = models.CharField(max_length=20, choices=OversightForum.choices)
    decided_on = models.DateField()
    subject = models.CharField(max_length=200)
    decision = models.TextField()
    follow_up_due_on = models.DateField(null=True, blank=True)
    followed_up_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-decided_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(decision=""), name="oversight_decision_says_what"
            )
        ]

    def __str__(self) -> str:
        return self.subject


class Dimension(models.TextChoices):
    ETHNICITY = "ethnicity", "Ethnic group"
    SEX = "sex", "Sex"
    AGE = "age", "Age"
    DISABILITY = "disability", "Disability or learning disability"


class ChildPopulation(GuardedModel):
    """The number of children living in the partnership's area in one group (the
    denominator of disproportionality), with its source (for example the ONS
    Census 2021 for the local authorities of the area)."""

    partnership = models.ForeignKey(
        "partnership.Partnership", on_delete=models.CASCADE, related_name="+"
    )
    dimension = models.CharField(max_length=20, choices=Dimension.choices)
    group = models.CharField(max_length=80)
    population = models.PositiveIntegerField()
    source = models.CharField(max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = LearningRecordQuerySet.as_manager()

    class Meta:
        ordering = ["dimension", "group"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "dimension", "group"],
                name="child_population_once",
            ),
            models.CheckConstraint(
                condition=~Q(source=""), name="child_population_has_source"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_dimension_display()}: {self.group}"
