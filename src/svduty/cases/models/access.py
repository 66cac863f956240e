"""Who works with a child, and every other route to a child's record: time-limited
access granted on request, break-glass in an emergency, and disclosures outside the
platform."""

from __future__ import annotations

from typing import Self

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from svduty.core.guard import GuardedModel, GuardedQuerySet
from svduty.core.policies import PolicyQuerySet
from svduty.core.types import AnyUser

from .choices import TeamRole
from .people import Person


class CaseTeamMember(GuardedModel):
    """A practitioner (and so their agency) working with the child. Ending a
    membership keeps the row, so that who was involved stays on record."""

    objects = GuardedQuerySet.as_manager()

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_teams"
    )
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="case_teams"
    )
    role = models.CharField(max_length=20, choices=TeamRole.choices)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["role", "added_at"]
        indexes = [
            models.Index(
                fields=["user", "person"],
                condition=Q(ended_at__isnull=True),
                name="case_team_active_user",
            ),
            models.Index(
                fields=["agency", "person"],
                condition=Q(ended_at__isnull=True),
                name="case_team_active_agency",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(role="lead", ended_at__isnull=True),
                name="one_lead_professional",
            ),
            models.UniqueConstraint(
                fields=["person", "user"],
                condition=Q(ended_at__isnull=True),
                name="one_active_membership_per_user",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}) for {self.person}"


class AccessStatus(models.TextChoices):
    REQUESTED = "requested", "Waiting for a decision"
    GRANTED = "granted", "Granted"
    REFUSED = "refused", "Refused"


class AccessRequestQuerySet(PolicyQuerySet):
    def visible_to(self, user: AnyUser) -> Self:
        """Your own requests, and requests about children whose full record you see
        (so that the lead professional and managers can decide them)."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(requested_by=user) | Q(person__in=Person.objects.visible_to(user))
        )

    def active(self):
        return self.filter(status=AccessStatus.GRANTED, expires_at__gt=timezone.now())


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent())
class AccessRequest(GuardedModel):
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="access_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField()
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=10, choices=AccessStatus.choices, default=AccessStatus.REQUESTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=500, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    objects = AccessRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at"]
        indexes = [
            models.Index(fields=["requested_by", "person", "expires_at"]),
            models.Index(fields=["person", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=AccessStatus.REQUESTED, decided_at__isnull=True)
                | Q(
                    ~Q(status=AccessStatus.REQUESTED),
                    decided_at__isnull=False,
                    decided_by__isnull=False,
                ),
                name="access_decision_recorded_together",
            ),
            models.CheckConstraint(
                condition=~Q(status=AccessStatus.GRANTED) | Q(expires_at__isnull=False),
                name="granted_access_expires",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="access_has_reason"),
        ]

    def __str__(self) -> str:
        return f"Access to {self.person} for {self.requested_by}"

    @property
    def is_active(self) -> bool:
        return (
            self.status == AccessStatus.GRANTED
            and self.expires_at is not None
            and self.expires_at > timezone.now()
        )


class BreakGlassQuerySet(PolicyQuerySet):
    def visible_to(self, user: AnyUser) -> Self:
        from svduty.core.authorisation import Permission
        from svduty.core.policies import has_permission

        if has_permission(user, Permission.VIEW_AUDIT):
            return self.all()
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

    def active(self):
        return self.filter(expires_at__gt=timezone.now())


class BreakGlass(GuardedModel):
    """Emergency access without the lead professional's agreement. The reason is
    mandatory and the data protection officer is told at once."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="break_glass"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField()
    started_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    objects = BreakGlassQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        verbose_name_plural = "break-glass accesses"
        indexes = [models.Index(fields=["user", "person", "expires_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""), name="break_glass_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("started_at")),
                name="break_glass_expires_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"Break-glass by {self.user} on {self.person}"


class LegalGateway(models.TextChoices):
    CHILDREN_ACT_1989_S47 = "ca1989_s47", "Children Act 1989, section 47 (enquiries)"
    CHILDREN_ACT_1989_S17 = (
        "ca1989_s17",
        "Children Act 1989, section 17 (child in need)",
    )
    CHILDREN_ACT_2004_S11 = "ca2004_s11", "Children Act 2004, section 11"
    CRIME_DISORDER_S115 = "cda1998_s115", "Crime and Disorder Act 1998, section 115"
    PCSC_2022_S16 = (
        "pcsc2022_s16",
        "Police, Crime, Sentencing and Courts Act 2022, section 16 (Serious Violence "
        "Duty)",
    )
    DPA_SCHEDULE_2_CRIME = (
        "dpa2018_sch2_p2",
        "Data Protection Act 2018, Schedule 2 paragraph 2 (crime and taxation)",
    )
    DPA_SAFEGUARDING = (
        "dpa2018_sch1_p18",
        "Data Protection Act 2018, Schedule 1 paragraph 18 (safeguarding children)",
    )
    CONSENT = "consent", "Consent of the child or their parent"
    COURT_ORDER = "court_order", "Court order"


class DisclosurePurpose(models.TextChoices):
    """What the disclosure was for. Under PCSC Act 2022 s.16 the purpose must be the
    recipient's functions under the Serious Violence Duty (s.16(1)-(2))."""

    DUTY_FUNCTIONS = (
        "duty_functions",
        "To enable or assist the recipient to exercise its functions under the "
        "Serious Violence Duty (PCSC Act 2022, Part 2 Chapter 1)",
    )
    SAFEGUARDING = "safeguarding", "To safeguard the child or others"
    CRIME = "crime", "To prevent or detect crime"
    OTHER = "other", "Another purpose (say which below)"


class DisclosureQuerySet(PolicyQuerySet):
    def visible_to(self, user: AnyUser) -> Self:
        return self.filter(person__in=Person.objects.visible_to(user))


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent())
class Disclosure(GuardedModel):
    """Information shared with someone outside the platform (DPA 2018 s.62: a log of
    disclosures, with the recipient and the lawful basis)."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="disclosures"
    )
    disclosed_on = models.DateField()
    recipient = models.CharField(
        "Who received it", max_length=200, help_text="Name and role."
    )
    recipient_organisation = models.CharField(max_length=200)
    #: The recipient's organisation when it is an agency known to svduty: needed to
    #: judge s.16 (only s.16 parties receive under it) and to tell it of a withdrawal.
    recipient_agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    recipient_email = models.EmailField(
        blank=True, help_text="Where to tell them if the disclosure is withdrawn."
    )
    legal_gateway = models.CharField(max_length=30, choices=LegalGateway.choices)
    #: As on an import: the data sharing agreement it was shared under, if any.
    agreement = models.ForeignKey(
        "sharing.DataSharingAgreement",
        on_delete=models.PROTECT,
        related_name="case_disclosures",
        null=True,
        blank=True,
    )
    purpose_basis = models.CharField(
        "Purpose",
        max_length=20,
        choices=DisclosurePurpose.choices,
        default=DisclosurePurpose.OTHER,
    )
    purpose = models.TextField()
    information_shared = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    withdrawal_reason = models.TextField(blank=True)

    objects = DisclosureQuerySet.as_manager()

    class Meta:
        ordering = ["-disclosed_on", "-id"]
        constraints = [
            # s.16(1)-(2) (for the recipient's functions under the Chapter, to an
            # s.16 party) is checked by the trigger cases_disclosure_s16 (migration
            # 0004) on new and changed rows: disclosures recorded before the purpose
            # and recipient were asked for cannot meet it.
            models.CheckConstraint(
                name="cases_disclosure_withdrawal_recorded",
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
            ),
        ]

    def __str__(self) -> str:
        return f"Disclosure about {self.person} to {self.recipient_organisation}"
