"""Partnerships, the local government areas they cover, their members, the local
definition of serious violence and the partnership board's meetings.

A partnership (for example a community safety partnership, or a violence reduction unit
for a force area) covers one or more local government areas; agencies are its members,
each with its statutory role under the Serious Violence Duty. A user's partnerships are
those their agencies belong to: that is the scope of everything partnership-level.
"""

from __future__ import annotations

from typing import Any, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from svduty.accounts.models import Agency, AgencyType
from svduty.core.authorisation import Permission
from svduty.core.guard import GuardedModel, GuardedQuerySet
from svduty.core.policies import PolicyQuerySet
from svduty.core.types import AnyUser


class LocalArea(models.Model):
    """A local government area (ONS code, e.g. E06000001 Hartlepool)."""

    ons_code = models.CharField("ONS code", max_length=9, unique=True)
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.ons_code})"


class PartnershipQuerySet(PolicyQuerySet):
    def visible_to(self, user: AnyUser) -> Self:
        from svduty.core.policies import has_permission

        if not has_permission(user, Permission.VIEW_PARTNERSHIP):
            return self.none()
        if has_permission(user, Permission.VIEW_AUDIT):
            return self.all()
        # has_permission above proves a signed-in accounts.User.
        agencies = user.agency_ids()  # type: ignore[union-attr]
        return self.filter(members__agency__in=agencies).distinct()


class LeadArrangement(models.TextChoices):
    CSP = "csp", "Community safety partnership"
    VRU = "vru", "Violence reduction unit"
    COUNTY_BOARD = "county_board", "County-level board"
    PCC_CONVENED = "pcc_convened", "Convened by the local policing body (PCC)"
    OTHER = "other", "Another arrangement"


class Partnership(GuardedModel):
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200, unique=True)
    areas = models.ManyToManyField(LocalArea, related_name="partnerships", blank=True)
    lead_arrangement = models.CharField(
        "Lead arrangement",
        max_length=20,
        choices=LeadArrangement.choices,
        blank=True,
        help_text="The local partnership arrangement that leads on the duty.",
    )
    lead_arrangement_name = models.CharField(
        "Name of the lead body", max_length=200, blank=True
    )
    chair_name = models.CharField("Chair or convener", max_length=200, blank=True)
    chair_agency = models.ForeignKey(
        Agency,
        verbose_name="Chair's agency",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    governance_route = models.TextField(
        "Governance route",
        blank=True,
        help_text="Which boards the partnership reports to and how it decides.",
    )
    lead_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Partnership lead",
        on_delete=models.SET_NULL,
        related_name="led_partnerships",
        null=True,
        blank=True,
        help_text="Receives the daily reminder when the strategy review is overdue.",
    )
    formed_on = models.DateField("Date formed", null=True, blank=True)
    # Optimistic locking: several agencies edit the partnership's details.
    version = models.PositiveIntegerField(default=1)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PartnershipScopedQuerySet(PolicyQuerySet):
    """Records that belong to one partnership are visible with the partnership."""

    partnership_path = "partnership"

    def visible_to(self, user: AnyUser) -> Self:
        visible = Partnership.objects.visible_to(user).values("pk")
        return self.filter(**{f"{self.partnership_path}__in": visible})


class StatutoryRole(models.TextChoices):
    SPECIFIED = "specified", "Specified authority"
    RELEVANT = "relevant", "Relevant authority (educational, prison or youth custody)"
    LOCAL_POLICING_BODY = "local_policing_body", "Local policing body"
    INVITED = "invited", "Invited participant"
    VOLUNTARY = "voluntary", "Voluntary or community partner"


class AuthorityType(models.TextChoices):
    """What kind of authority a member is (PCSC Act 2022 s.11, s.12, Sch.1 and 2)."""

    POLICE = "police", "Chief officer of police"
    FIRE = "fire", "Fire and rescue authority"
    ICB = "icb", "Integrated care board (or local health board in Wales)"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    YOUTH_OFFENDING_TEAM = "youth_offending_team", "Youth offending team"
    PROBATION = "probation", "Probation service"
    EDUCATIONAL = "educational", "Educational authority"
    PRISON = "prison", "Prison authority"
    YOUTH_CUSTODY = "youth_custody", "Youth custody authority"
    LOCAL_POLICING_BODY = "local_policing_body", "Local policing body"
    OTHER = "other", "Other organisation"


#: The six kinds of specified authority (duty holders), in the Act's order.
SPECIFIED_AUTHORITY_TYPES: tuple[AuthorityType, ...] = (
    AuthorityType.POLICE,
    AuthorityType.FIRE,
    AuthorityType.ICB,
    AuthorityType.LOCAL_AUTHORITY,
    AuthorityType.YOUTH_OFFENDING_TEAM,
    AuthorityType.PROBATION,
)
#: Educational, prison and youth custody authorities: consulted, may be given actions.
RELEVANT_AUTHORITY_TYPES: tuple[AuthorityType, ...] = (
    AuthorityType.EDUCATIONAL,
    AuthorityType.PRISON,
    AuthorityType.YOUTH_CUSTODY,
)

AUTHORITY_TYPE_FOR_AGENCY: dict[str, AuthorityType] = {
    AgencyType.POLICE: AuthorityType.POLICE,
    AgencyType.FIRE: AuthorityType.FIRE,
    AgencyType.ICB: AuthorityType.ICB,
    AgencyType.LOCAL_AUTHORITY: AuthorityType.LOCAL_AUTHORITY,
    AgencyType.YOUTH_JUSTICE: AuthorityType.YOUTH_OFFENDING_TEAM,
    AgencyType.PROBATION: AuthorityType.PROBATION,
    AgencyType.EDUCATION: AuthorityType.EDUCATIONAL,
    AgencyType.PRISON: AuthorityType.PRISON,
    AgencyType.YOUTH_CUSTODY: AuthorityType.YOUTH_CUSTODY,
    AgencyType.LOCAL_POLICING_BODY: AuthorityType.LOCAL_POLICING_BODY,
}


def authority_type_for(agency: Agency) -> AuthorityType:
    return AUTHORITY_TYPE_FOR_AGENCY.get(agency.agency_type, AuthorityType.OTHER)


class PartnershipMember(GuardedModel):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="members"
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="partnership_memberships"
    )
    statutory_role = models.CharField(max_length=30, choices=StatutoryRole.choices)
    authority_type = models.CharField(
        max_length=30,
        choices=AuthorityType.choices,
        blank=True,
        help_text="Filled from the agency's type when left blank.",
    )
    # The areas this member covers within the partnership (Sch.1: a county council
    # covers each district in it, a youth offending team the areas within its own).
    # None chosen means it covers every area of the partnership.
    areas = models.ManyToManyField(
        LocalArea, related_name="covering_members", blank=True
    )

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "agency"], name="agency_once_per_partnership"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency} in {self.partnership}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Other apps create members with only a statutory role; the authority type
        # follows from the agency so that coverage checks still see them.
        if not self.authority_type and self.agency_id:
            self.authority_type = authority_type_for(self.agency)
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "authority_type"}
        super().save(*args, **kwargs)

    @property
    def is_specified(self) -> bool:
        return self.statutory_role == StatutoryRole.SPECIFIED

    @property
    def is_relevant(self) -> bool:
        return self.statutory_role == StatutoryRole.RELEVANT


# --- Local definition of serious violence


class DefinitionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    AGREED = "agreed", "Agreed"


class LocalDefinition(GuardedModel):
    """One version of the partnership's local definition of serious violence.

    A draft can be changed; once agreed (with the date it was agreed) it is fixed, and a
    change means a new version. The definition in force on a date is the agreed version
    with the latest agreed date on or before it (see `definitions.py`).
    """

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="definitions"
    )
    number = models.PositiveIntegerField()
    status = models.CharField(
        max_length=10, choices=DefinitionStatus.choices, default=DefinitionStatus.DRAFT
    )
    agreed_on = models.DateField("Date agreed", null=True, blank=True)
    agreed_by = models.CharField(
        "Agreed by",
        max_length=300,
        blank=True,
        help_text="For example, the partnership board meeting that agreed it.",
    )
    notes = models.TextField(blank=True)
    exclusions_source = models.TextField(
        "Where the excluded offence codes come from",
        blank=True,
        help_text="For example, the force's crime recording team's list of the codes "
        "it records terrorism offences under, with its date.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    version = models.PositiveIntegerField(default=1)

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "number"], name="definition_number_unique"
            ),
            models.UniqueConstraint(
                fields=["partnership"],
                condition=Q(status=DefinitionStatus.DRAFT),
                name="one_draft_definition_per_partnership",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=DefinitionStatus.AGREED) & Q(agreed_on__isnull=False)
                )
                | (Q(status=DefinitionStatus.DRAFT) & Q(agreed_on__isnull=True)),
                name="agreed_definition_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partnership}: definition version {self.number}"

    @property
    def is_agreed(self) -> bool:
        return self.status == DefinitionStatus.AGREED

    @property
    def label(self) -> str:
        """How every SNA figure and export names the definition it used."""
        if self.agreed_on is None:
            return f"local definition version {self.number} (draft)"
        return (
            f"local definition version {self.number}, agreed {self.agreed_on:%-d %B %Y}"
        )


class ViolenceKind(models.TextChoices):
    HOMICIDE = "homicide", "Homicide"
    KNIFE_CRIME = "knife_crime", "Knife crime"
    GUN_CRIME = "gun_crime", "Gun crime"
    ROBBERY = "robbery", "Robbery"
    VIOLENCE_WITH_INJURY = "violence_with_injury", "Violence with injury"
    COUNTY_LINES = "county_lines", "County lines and exploitation"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
    SEXUAL_VIOLENCE = "sexual_violence", "Sexual violence"
    CORROSIVE = "corrosive", "Corrosive substance attacks"
    THREATS = "threats", "Threats of violence"
    PROPERTY = "property", "Violence against property"
    ALCOHOL = "alcohol", "Alcohol-related violence"
    MODERN_SLAVERY = "modern_slavery", "Modern slavery"
    GENDER_BASED = "gender_based", "Violence against women and girls"
    OTHER = "other", "Another kind (describe it)"


_NOT_TERRORISM = ~Q(label__icontains="terror") & ~Q(description__icontains="terror")


class DefinitionKind(GuardedModel):
    """A kind of serious violence in scope, with the four statutory factors (s.13(6)):
    why this kind counts as serious here. Terrorism is never in scope (s.13(3))."""

    definition = models.ForeignKey(
        LocalDefinition, on_delete=models.CASCADE, related_name="kinds"
    )
    kind = models.CharField(max_length=30, choices=ViolenceKind.choices)
    label = models.CharField(
        max_length=200, help_text="The name the partnership uses for it."
    )
    description = models.TextField(blank=True)
    maximum_penalty = models.TextField(
        "Maximum penalty", help_text="The maximum penalty for the offences involved."
    )
    impact_on_victims = models.TextField("Impact on victims")
    prevalence = models.TextField(
        "Prevalence in the area", help_text="How common it is in the area."
    )
    impact_on_community = models.TextField("Impact on the community")
    publishable = models.BooleanField(default=True)
    order = models.PositiveIntegerField(default=0)

    objects = GuardedQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["definition", "kind", "label"], name="definition_kind_unique"
            ),
            # Belt and braces for the Act's exclusion of terrorism (s.13(3)).
            models.CheckConstraint(condition=_NOT_TERRORISM, name="kind_not_terrorism"),
        ]

    def __str__(self) -> str:
        return self.label


class RuleSource(models.TextChoices):
    POLICE_UK = "police_uk", "data.police.uk crime type"
    HO_OFFENCE = "ho_offence", "Home Office offence code"
    WEAPON = "weapon", "Weapon flag"
    ED_ASSAULT = "ed_assault", "Emergency department assault method"


class WeaponFlag(models.TextChoices):
    KNIFE = "knife_or_sharp", "Knife or sharp instrument"
    FIREARM = "firearm", "Firearm"
    CORROSIVE = "corrosive", "Corrosive substance"
    BLUNT = "blunt", "Blunt instrument"


class MappingRule(GuardedModel):
    """How records in one source of data are counted as a kind of serious violence."""

    kind = models.ForeignKey(
        DefinitionKind, on_delete=models.CASCADE, related_name="rules"
    )
    source = models.CharField(max_length=20, choices=RuleSource.choices)
    value = models.CharField(max_length=200)

    objects = GuardedQuerySet.as_manager()

    class Meta:
        ordering = ["source", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "source", "value"], name="mapping_rule_unique"
            ),
            models.CheckConstraint(
                condition=~Q(value__icontains="terror"), name="rule_not_terrorism"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()}: {self.value}"


class ExclusionReason(models.TextChoices):
    TERRORISM = "terrorism", "Terrorism (outside the Act's meaning of violence)"


class ExcludedOffence(GuardedModel):
    """A Home Office offence code whose records never count as serious violence under
    this version of the definition, whatever its kinds' rules match.

    This is how terrorism is kept out of the figures (s.13(3)): by code, not by
    looking for a word. svduty ships no list of terrorism offence codes because its
    reference material has no published source for one; the partnership records the
    codes its force uses and, on the definition, where the list comes from.
    """

    definition = models.ForeignKey(
        LocalDefinition, on_delete=models.CASCADE, related_name="exclusions"
    )
    code = models.CharField("Home Office offence code", max_length=12)
    reason = models.CharField(
        max_length=20,
        choices=ExclusionReason.choices,
        default=ExclusionReason.TERRORISM,
    )

    objects = GuardedQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["definition", "code"], name="excluded_offence_unique"
            ),
            # The normalised form the SNA matches on (see partnership/codes.py).
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9]{1,3}[A-Z]?([/.][0-9]{1,3}[A-Z]?)?$"),
                name="excluded_offence_code_format",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.get_reason_display()})"


# --- Board meetings


class BoardMeeting(GuardedModel):
    """A meeting of the partnership board: evidence of collaboration (s.8(1))."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="meetings"
    )
    held_on = models.DateField("Date of meeting")
    title = models.CharField(max_length=200)
    attending_agencies = models.ManyToManyField(
        Agency, related_name="board_meetings", blank=True
    )
    attendees = models.TextField(
        "Who attended", blank=True, help_text="Names and roles, one a line."
    )
    decisions = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%-d %B %Y})"


# The relevant authorities register lives in its own module (models.py is long).
from .registers import Establishment as Establishment  # noqa: E402
from .registers import RelevantAuthority as RelevantAuthority  # noqa: E402
