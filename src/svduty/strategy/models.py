"""Strategy versions and their content, consultation, sign-off, reviews, the action
plan and its progress updates, and the record of review reminders sent.

Published versions are immutable: the action layer refuses changes, and database
triggers (below) refuse them too, so that no code path (a bug, the admin shell, a
migration) can rewrite a strategy the partnership has published.
"""

from __future__ import annotations

import datetime as dt
from typing import Self

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Case, Count, F, Q, Value, When
from django.utils import timezone

from svduty.accounts.models import Agency
from svduty.core.guard import GuardedModel, GuardedQuerySet
from svduty.partnership.models import (
    BoardMeeting,
    LocalDefinition,
    Partnership,
    PartnershipMember,
    PartnershipScopedQuerySet,
    RelevantAuthority,
)

from .dates import is_review_overdue, review_due_on
from .digest import DIGEST_SQL
from .states import EDITABLE_STATES, PUBLISHED_STATES, StrategyState

_PUBLISHED = sorted(s.value for s in PUBLISHED_STATES)
_IN_PROGRESS = sorted(s.value for s in EDITABLE_STATES)

# Columns of a strategy version that may change after publication: its state (review,
# re-confirmation, revision), the last review date and the optimistic-lock counter.
_FROZEN_VERSION_COLUMNS = (
    "partnership_id",
    "number",
    "title",
    "period_start",
    "period_end",
    "definition_id",
    "published_on",
    "published_by_id",
    "published_digest",
    "created_at",
    "created_by_id",
)
_VERSION_CHANGED = " OR ".join(
    f"OLD.{column} IS DISTINCT FROM NEW.{column}" for column in _FROZEN_VERSION_COLUMNS
)

PUBLISHED_VERSION_IS_IMMUTABLE = pgtrigger.Trigger(
    name="published_version_immutable",
    when=pgtrigger.Before,
    operation=pgtrigger.Update | pgtrigger.Delete,
    func="""
        IF OLD.published_on IS NOT NULL AND (
            TG_OP = 'DELETE'
            OR NEW.state NOT IN ('published', 'under_review', 'revised')
            OR {changed}
        ) THEN
            RAISE EXCEPTION 'published strategy version % cannot be changed (%)',
                OLD.id, TG_OP USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    """.replace("{changed}", _VERSION_CHANGED),
)


# A version is published only with the digest of its content as it is at that moment
# (recomputed here from the rows, not taken on trust), and only when every specified
# authority of the partnership has a live sign-off of exactly that digest. The action
# checks the same first, with messages a person can act on; this is the backstop.
PUBLICATION_MATCHES_SIGN_OFFS = pgtrigger.Trigger(
    name="publication_matches_sign_offs",
    when=pgtrigger.Before,
    operation=pgtrigger.Insert | pgtrigger.Update,
    declare=[("computed", "TEXT")],
    func="""
        IF NEW.published_on IS NULL THEN RETURN NEW; END IF;
        IF TG_OP = 'UPDATE' THEN
            IF OLD.published_on IS NOT NULL THEN RETURN NEW; END IF;
        END IF;
        computed := {digest};
        IF NEW.published_digest IS DISTINCT FROM computed THEN
            RAISE EXCEPTION 'strategy version % is published with digest % but its '
                'content has digest %', NEW.id, NEW.published_digest, computed
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF NOT EXISTS (
            SELECT 1 FROM partnership_partnershipmember m
            WHERE m.partnership_id = NEW.partnership_id
              AND m.statutory_role = 'specified'
        ) OR EXISTS (
            SELECT 1 FROM partnership_partnershipmember m
            WHERE m.partnership_id = NEW.partnership_id
              AND m.statutory_role = 'specified'
              AND NOT EXISTS (
                SELECT 1 FROM strategy_signoff so
                WHERE so.strategy_version_id = NEW.id AND so.member_id = m.id
                  AND so.superseded_at IS NULL AND so.withdrawn_at IS NULL
                  AND so.content_digest = computed
                  AND so.definition_id IS NOT DISTINCT FROM NEW.definition_id
              )
        ) THEN
            RAISE EXCEPTION 'strategy version % lacks a sign-off of digest % by every '
                'specified authority', NEW.id, computed
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    """.replace("{digest}", DIGEST_SQL),
)


# s.8(4): consultation closes only when every educational, prison and youth custody
# authority on the register for the partnership's areas has a consultation record
# (or an exception a second person approved), and every area has an educational
# authority registered. The action checks the same (actions.check_transition).
CONSULTATION_COVERS_REGISTER = pgtrigger.Trigger(
    name="consultation_covers_register",
    when=pgtrigger.Before,
    operation=pgtrigger.Update,
    condition=pgtrigger.Q(old__state="consultation", new__state="awaiting_sign_off"),
    func="""
        IF EXISTS (
            SELECT 1 FROM partnership_partnership_areas pa
            WHERE pa.partnership_id = NEW.partnership_id
              AND NOT EXISTS (
                SELECT 1 FROM partnership_relevantauthority ra
                WHERE ra.area_id = pa.localarea_id
                  AND ra.authority_type = 'educational' AND ra.closed_on IS NULL
              )
        ) THEN
            RAISE EXCEPTION 'strategy version %: an area of the partnership has no '
                'educational authority registered', NEW.id
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF EXISTS (
            SELECT 1 FROM partnership_relevantauthority ra
            JOIN partnership_partnership_areas pa ON pa.localarea_id = ra.area_id
            WHERE pa.partnership_id = NEW.partnership_id AND ra.closed_on IS NULL
              AND NOT EXISTS (
                SELECT 1 FROM strategy_consultation c
                WHERE c.strategy_version_id = NEW.id AND c.authority_id = ra.id
                  AND (NOT c.is_exception OR c.exception_approved_by_id IS NOT NULL)
              )
        ) THEN
            RAISE EXCEPTION 'strategy version %: a registered relevant authority has '
                'no consultation record', NEW.id
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    """,
)


def _child_is_frozen(name: str) -> pgtrigger.Trigger:
    """Content, consultation and sign-off rows of a published version are frozen."""
    return pgtrigger.Trigger(
        name=name,
        when=pgtrigger.Before,
        operation=pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete,
        declare=[("parent_id", "BIGINT")],
        func="""
            IF TG_OP = 'INSERT' THEN
                parent_id := NEW.strategy_version_id;
            ELSE
                parent_id := OLD.strategy_version_id;
            END IF;
            IF EXISTS (
                SELECT 1 FROM strategy_strategyversion
                WHERE id = parent_id AND published_on IS NOT NULL
            ) OR (TG_OP = 'UPDATE' AND EXISTS (
                SELECT 1 FROM strategy_strategyversion
                WHERE id = NEW.strategy_version_id AND published_on IS NOT NULL
            )) THEN
                RAISE EXCEPTION 'strategy version % is published and cannot be changed',
                    parent_id USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
            RETURN NEW;
        """,
    )


class StrategyVersionQuerySet(PartnershipScopedQuerySet):
    def published(self):
        return self.filter(published_on__isnull=False)


class StrategyVersion(GuardedModel):
    """One version of a partnership's serious violence strategy (s.8(3)(c))."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="strategy_versions"
    )
    number = models.PositiveIntegerField()
    state = models.CharField(
        max_length=20, choices=StrategyState.choices, default=StrategyState.DRAFT
    )
    title = models.CharField(max_length=200)
    period_start = models.DateField("Start of the strategy period", null=True)
    period_end = models.DateField("End of the strategy period", null=True)
    # The local definition in force when the version was published.
    definition = models.ForeignKey(
        LocalDefinition,
        on_delete=models.PROTECT,
        related_name="strategy_versions",
        null=True,
        blank=True,
    )
    published_on = models.DateField(null=True, blank=True)
    # SHA-256 of the content and definition published (see digest.py): the same
    # digest every specified authority signed off.
    published_digest = models.CharField(max_length=64, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    last_reviewed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    version = models.PositiveIntegerField(default=1)

    objects = StrategyVersionQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "number"], name="strategy_number_unique"
            ),
            models.UniqueConstraint(
                fields=["partnership"],
                condition=Q(state__in=_IN_PROGRESS),
                name="one_strategy_in_progress",
            ),
            models.CheckConstraint(
                condition=(Q(state__in=_PUBLISHED) & Q(published_on__isnull=False))
                | (Q(state__in=_IN_PROGRESS) & Q(published_on__isnull=True)),
                name="published_state_has_publication_date",
            ),
            models.CheckConstraint(
                condition=Q(period_end__isnull=True)
                | Q(period_start__isnull=True)
                | Q(period_end__gt=models.F("period_start")),
                name="strategy_period_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(published_on__isnull=True) | ~Q(published_digest=""),
                name="published_version_has_digest",
            ),
        ]
        triggers = [
            PUBLISHED_VERSION_IS_IMMUTABLE,
            PUBLICATION_MATCHES_SIGN_OFFS,
            CONSULTATION_COVERS_REGISTER,
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.number})"

    @property
    def is_published(self) -> bool:
        return self.published_on is not None

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES

    @property
    def review_reference(self) -> dt.date | None:
        return self.last_reviewed_on or self.published_on

    @property
    def review_due_on(self) -> dt.date | None:
        reference = self.review_reference
        return review_due_on(reference) if reference else None

    def is_review_overdue(self, today: dt.date | None = None) -> bool:
        if self.state not in (StrategyState.PUBLISHED, StrategyState.UNDER_REVIEW):
            return False
        return is_review_overdue(self.review_reference, today or timezone.localdate())


class SectionKind(models.TextChoices):
    SNA_SUMMARY = "sna_summary", "Summary of the strategic needs assessment"
    DEFINITION = "definition", "Our local definition of serious violence"
    LEAD_ARRANGEMENTS = "lead_arrangements", "How the partnership is led"
    PRIORITIES = "priorities", "Priorities"
    INTERVENTIONS = "interventions", "Areas of activity and interventions"
    ENGAGEMENT = "engagement", "Working with communities, young people and charities"
    OUTCOMES = "outcomes", "Outcomes and how we will measure them"
    OTHER = "other", "Other"


class StrategySection(GuardedModel):
    strategy_version = models.ForeignKey(
        StrategyVersion, on_delete=models.CASCADE, related_name="sections"
    )
    kind = models.CharField(max_length=30, choices=SectionKind.choices)
    heading = models.CharField(max_length=200)
    body = models.TextField()
    publishable = models.BooleanField(
        "Include on the public page",
        default=True,
        help_text="Leave unticked for material that must not be published, for "
        "example operational detail or information about individuals.",
    )
    order = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    objects = GuardedQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        triggers = [_child_is_frozen("published_section_immutable")]

    def __str__(self) -> str:
        return self.heading


class ConsultationMethod(models.TextChoices):
    MEETING = "meeting", "Meeting"
    EMAIL = "email", "Email or letter"
    SURVEY = "survey", "Survey or questionnaire"
    WORKSHOP = "workshop", "Workshop or event"
    OTHER = "other", "Other"


class Consultation(GuardedModel):
    """That an educational, prison or youth custody authority was consulted (s.8(4)),
    or why it was not (a justified exception)."""

    strategy_version = models.ForeignKey(
        StrategyVersion, on_delete=models.CASCADE, related_name="consultations"
    )
    # Records made before the register (issue 9) name a partnership member; new
    # records name the authority on the relevant authorities register.
    member = models.ForeignKey(
        PartnershipMember,
        on_delete=models.PROTECT,
        related_name="consultations",
        null=True,
        blank=True,
    )
    authority = models.ForeignKey(
        RelevantAuthority,
        on_delete=models.PROTECT,
        related_name="consultations",
        null=True,
        blank=True,
    )
    is_exception = models.BooleanField(default=False)
    consulted_on = models.DateField(null=True, blank=True)
    method = models.CharField(
        max_length=20, choices=ConsultationMethod.choices, blank=True
    )
    consulted_person = models.CharField(max_length=200, blank=True)
    response = models.TextField(blank=True)
    how_considered = models.TextField(blank=True)
    exception_reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    # A reason for not consulting stands only once a second person approves it.
    exception_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    exception_approved_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = GuardedQuerySet.as_manager()

    class Meta:
        ordering = ["authority__name", "member__agency__name"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(member__isnull=True) & Q(authority__isnull=False))
                | (Q(member__isnull=False) & Q(authority__isnull=True)),
                name="consultation_names_one_authority",
            ),
            models.UniqueConstraint(
                fields=["strategy_version", "authority"],
                name="one_consultation_per_authority",
            ),
            models.CheckConstraint(
                condition=(
                    Q(exception_approved_by__isnull=True)
                    & Q(exception_approved_at__isnull=True)
                )
                | (
                    Q(is_exception=True)
                    & Q(exception_approved_by__isnull=False)
                    & Q(exception_approved_at__isnull=False)
                    & ~Q(exception_approved_by=models.F("recorded_by"))
                ),
                name="consultation_exception_approved_by_another",
            ),
            models.UniqueConstraint(
                fields=["strategy_version", "member"],
                name="one_consultation_per_member",
            ),
            models.CheckConstraint(
                condition=(Q(is_exception=True) & ~Q(exception_reason=""))
                | (
                    Q(is_exception=False)
                    & Q(consulted_on__isnull=False)
                    & ~Q(method="")
                    & ~Q(consulted_person="")
                    & ~Q(response="")
                    & ~Q(how_considered="")
                ),
                name="consultation_complete_or_justified",
            ),
        ]
        triggers = [_child_is_frozen("published_consultation_immutable")]

    def __str__(self) -> str:
        return f"Consultation with {self.authority_name}"

    @property
    def authority_name(self) -> str:
        if self.authority_id:
            return self.authority.name  # type: ignore[union-attr]
        return self.member.agency.name if self.member else ""

    @property
    def stands(self) -> bool:
        """Counts towards closing consultation: a record, or an approved exception."""
        return not self.is_exception or self.exception_approved_by_id is not None


class SignOffMethod(models.TextChoices):
    SIGNATORY = "signatory", "Signed off in svduty by someone from the authority"
    EVIDENCE = "evidence", "Signed evidence uploaded by the partnership lead"
    LEGACY = "legacy", "Recorded before sign-offs were bound to the content"


class SignOffEvidence(GuardedModel):
    """A signed document (a letter, board minutes) kept as evidence of one or more
    sign-offs. Kept in the database so that it is frozen with the version it backs."""

    strategy_version = models.ForeignKey(
        StrategyVersion, on_delete=models.CASCADE, related_name="sign_off_evidence"
    )
    file_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    content = models.BinaryField()
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    objects = GuardedQuerySet.as_manager()

    class Meta:
        triggers = [_child_is_frozen("published_sign_off_evidence_immutable")]

    def __str__(self) -> str:
        return self.file_name


class SignOffQuerySet(GuardedQuerySet["SignOff"]):
    def live(self) -> Self:
        """Sign-offs that still stand: neither superseded by a change nor withdrawn."""
        return self.filter(superseded_at__isnull=True, withdrawn_at__isnull=True)


class SignOff(GuardedModel):
    """A specified authority's sign-off of one exact content of a strategy version.

    A change to the content or to the definition voids it (`superseded_at`): it stays
    in the history. The authority may withdraw it, with a reason, before publication.
    """

    strategy_version = models.ForeignKey(
        StrategyVersion, on_delete=models.CASCADE, related_name="sign_offs"
    )
    member = models.ForeignKey(
        PartnershipMember, on_delete=models.PROTECT, related_name="sign_offs"
    )
    method = models.CharField(
        max_length=20, choices=SignOffMethod.choices, default=SignOffMethod.SIGNATORY
    )
    signatory = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    evidence = models.ForeignKey(
        SignOffEvidence,
        on_delete=models.PROTECT,
        related_name="sign_offs",
        null=True,
        blank=True,
    )
    signed_by_name = models.CharField("Name of the person signing off", max_length=200)
    signed_by_role = models.CharField("Their role", max_length=200)
    signed_on = models.DateField("Date signed off")
    content_digest = models.CharField(max_length=64, blank=True)
    definition = models.ForeignKey(
        LocalDefinition,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    superseded_at = models.DateTimeField(null=True, blank=True)
    superseded_reason = models.CharField(max_length=300, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    withdrawal_reason = models.TextField(blank=True)

    objects = SignOffQuerySet.as_manager()

    class Meta:
        ordering = ["member__agency__name", "-recorded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["strategy_version", "member"],
                condition=Q(superseded_at__isnull=True, withdrawn_at__isnull=True),
                name="one_live_sign_off_per_member",
            ),
            # The record says which way it was given, and carries what that way needs.
            models.CheckConstraint(
                condition=Q(method="legacy")
                | (
                    Q(method="signatory")
                    & Q(signatory__isnull=False)
                    & Q(evidence__isnull=True)
                    & Q(content_digest__regex=r"^[0-9a-f]{64}$")
                    & Q(definition__isnull=False)
                )
                | (
                    Q(method="evidence")
                    & Q(evidence__isnull=False)
                    & Q(content_digest__regex=r"^[0-9a-f]{64}$")
                    & Q(definition__isnull=False)
                ),
                name="sign_off_method_has_its_record",
            ),
            models.CheckConstraint(
                condition=(
                    Q(withdrawn_at__isnull=True)
                    & Q(withdrawn_by__isnull=True)
                    & Q(withdrawal_reason="")
                )
                | (
                    Q(withdrawn_at__isnull=False)
                    & Q(withdrawn_by__isnull=False)
                    & ~Q(withdrawal_reason="")
                ),
                name="withdrawn_sign_off_has_reason",
            ),
            models.CheckConstraint(
                condition=(Q(superseded_at__isnull=True) & Q(superseded_reason=""))
                | (Q(superseded_at__isnull=False) & ~Q(superseded_reason="")),
                name="superseded_sign_off_has_reason",
            ),
        ]
        triggers = [_child_is_frozen("published_sign_off_immutable")]

    def __str__(self) -> str:
        return f"Sign-off by {self.member.agency}"

    @property
    def is_live(self) -> bool:
        return self.superseded_at is None and self.withdrawn_at is None


class ReviewOutcome(models.TextChoices):
    RECONFIRMED = "reconfirmed", "Re-confirmed without changes"
    REVISED = "revised", "Revised: a new version will be prepared"


class StrategyReview(GuardedModel):
    strategy_version = models.ForeignKey(
        StrategyVersion, on_delete=models.PROTECT, related_name="reviews"
    )
    started_on = models.DateField()
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    completed_on = models.DateField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    outcome = models.CharField(max_length=20, choices=ReviewOutcome.choices, blank=True)
    decisions = models.TextField(blank=True)
    changes = models.TextField(blank=True)

    objects = GuardedQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["strategy_version"],
                condition=Q(completed_on__isnull=True),
                name="one_open_review_per_version",
            ),
            models.CheckConstraint(
                condition=(Q(completed_on__isnull=True) & Q(outcome=""))
                | (Q(completed_on__isnull=False) & ~Q(outcome="")),
                name="completed_review_has_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"Review of {self.strategy_version} started {self.started_on}"


# --- Action plan


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OVERDUE = "overdue", "Overdue"
    COMPLETE = "complete", "Complete"


class StrategyActionQuerySet(PartnershipScopedQuerySet):
    def overdue(self, today: dt.date | None = None):
        today = today or timezone.localdate()
        return self.exclude(status=ActionStatus.COMPLETE).filter(
            Q(status=ActionStatus.OVERDUE) | Q(due_on__lt=today)
        )

    def shown_status_counts(self, today: dt.date | None = None) -> dict[str, int]:
        """How many actions show each status (see `StrategyAction.shown_status`)."""
        today = today or timezone.localdate()
        shown = Case(
            When(
                ~Q(status=ActionStatus.COMPLETE) & Q(due_on__lt=today),
                then=Value(ActionStatus.OVERDUE.value),
            ),
            default=F("status"),
            output_field=models.CharField(),
        )
        return dict(
            self.order_by()
            .annotate(shown=shown)
            .values_list("shown")
            .annotate(n=Count("pk"))
            .values_list("shown", "n")
        )


class StrategyAction(GuardedModel):
    """An action in the partnership's plan. It may be given to an educational, prison
    or youth custody authority (s.8(5))."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="strategy_actions"
    )
    reference = models.CharField(max_length=20)
    strategy_version = models.ForeignKey(
        StrategyVersion,
        on_delete=models.SET_NULL,
        related_name="actions",
        null=True,
        blank=True,
    )
    meeting = models.ForeignKey(
        BoardMeeting,
        on_delete=models.SET_NULL,
        related_name="actions",
        null=True,
        blank=True,
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="strategy_actions"
    )
    lead_name = models.CharField("Named lead", max_length=200)
    due_on = models.DateField("Due date")
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    completed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    objects = StrategyActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "reference"], name="action_reference_unique"
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=ActionStatus.COMPLETE) & Q(completed_on__isnull=False)
                )
                | (~Q(status=ActionStatus.COMPLETE) & Q(completed_on__isnull=True)),
                name="complete_action_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    def is_overdue(self, today: dt.date | None = None) -> bool:
        if self.status == ActionStatus.COMPLETE:
            return False
        today = today or timezone.localdate()
        return self.status == ActionStatus.OVERDUE or self.due_on < today

    def shown_status(self, today: dt.date | None = None) -> str:
        """The one status to show: "Overdue" once the due date has passed without
        completion, whatever the last update reported; otherwise the reported one.
        (Showing "On track" and "Overdue" side by side told the reader nothing.)"""
        if self.is_overdue(today):
            return ActionStatus.OVERDUE
        return self.status

    @property
    def shown_status_label(self) -> str:
        return ActionStatus(self.shown_status()).label


class ActionUpdate(GuardedModel):
    action = models.ForeignKey(
        StrategyAction, on_delete=models.CASCADE, related_name="updates"
    )
    written_at = models.DateTimeField(default=timezone.now)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField("Progress update")
    status = models.CharField(max_length=20, choices=ActionStatus.choices)

    objects = GuardedQuerySet.as_manager()

    class Meta:
        ordering = ["-written_at", "-pk"]

    def __str__(self) -> str:
        return f"Update on {self.action.reference} at {self.written_at:%Y-%m-%d}"


class ReviewReminder(models.Model):
    """One row per partnership per day a reminder was sent, so that running the daily
    job twice on the same day sends one e-mail."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="review_reminders"
    )
    sent_on = models.DateField()
    recipients = models.JSONField(default=list)
    overdue_review = models.BooleanField(default=False)
    overdue_actions = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "sent_on"], name="one_reminder_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"Reminder to {self.partnership} on {self.sent_on}"
