"""The relevant authorities register: the educational, prison and youth custody
authorities for each local government area (PCSC Act 2022 s.8(4), s.12, Sch.2).

s.8(4) asks the specified authorities to consult *each* such authority for the area,
whether or not it takes part in the partnership, so the register is kept per local
area and is the list a strategy's consultation is checked against. Models are
imported into `models.py` so that Django finds them.
"""

from __future__ import annotations

from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from svduty.accounts.models import Agency
from svduty.core.authorisation import Permission
from svduty.core.guard import GuardedModel
from svduty.core.policies import PolicyQuerySet, has_permission
from svduty.core.types import AnyUser


class Establishment(models.TextChoices):
    """What the register entry is (Sch.2): it decides the authority type."""

    SCHOOL = "school", "School (governing body)"
    ACADEMY = "academy", "Academy or free school (proprietor)"
    INDEPENDENT_SCHOOL = "independent_school", "Independent school (proprietor)"
    SPECIAL_SCHOOL = "special_school", "Special school (governing body or proprietor)"
    COLLEGE = "college", "College (governing body)"
    PRISON = "prison", "Prison"
    YOUNG_OFFENDER_INSTITUTION = "yoi", "Young offender institution"
    SECURE_TRAINING_CENTRE = "stc", "Secure training centre"
    SECURE_SCHOOL = "secure_school", "Secure school"


#: Establishment -> authority type (partnership.AuthorityType values).
AUTHORITY_TYPE_OF: dict[str, str] = {
    Establishment.SCHOOL: "educational",
    Establishment.ACADEMY: "educational",
    Establishment.INDEPENDENT_SCHOOL: "educational",
    Establishment.SPECIAL_SCHOOL: "educational",
    Establishment.COLLEGE: "educational",
    Establishment.PRISON: "prison",
    Establishment.YOUNG_OFFENDER_INSTITUTION: "youth_custody",
    Establishment.SECURE_TRAINING_CENTRE: "youth_custody",
    Establishment.SECURE_SCHOOL: "youth_custody",
}

_TYPE_MATCHES_ESTABLISHMENT = Q()
for _est, _type in AUTHORITY_TYPE_OF.items():
    _TYPE_MATCHES_ESTABLISHMENT |= Q(establishment=_est, authority_type=_type)


class RelevantAuthorityQuerySet(PolicyQuerySet):
    def visible_to(self, user: AnyUser) -> Self:
        """Entries for the areas of the user's partnerships."""
        from .models import Partnership

        if not has_permission(user, Permission.VIEW_PARTNERSHIP):
            return self.none()
        areas = Partnership.objects.visible_to(user).values("areas")
        return self.filter(area__in=areas)

    def current(self) -> Self:
        """Still operating: closed establishments are not consulted."""
        return self.filter(closed_on__isnull=True)


class RelevantAuthority(GuardedModel):
    """One educational, prison or youth custody authority for one local area."""

    area = models.ForeignKey(
        "partnership.LocalArea",
        on_delete=models.PROTECT,
        related_name="relevant_authorities",
    )
    establishment = models.CharField(max_length=20, choices=Establishment.choices)
    authority_type = models.CharField(max_length=20)
    name = models.CharField(max_length=200)
    identifier = models.CharField(
        "Identifier",
        max_length=20,
        blank=True,
        help_text="The DfE unique reference number (URN) or the prison code.",
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.SET_NULL,
        related_name="relevant_authority_entries",
        null=True,
        blank=True,
        help_text="The agency in svduty, if the authority uses it.",
    )
    closed_on = models.DateField(
        "Closed on",
        null=True,
        blank=True,
        help_text="When it closed: a closed establishment is no longer consulted.",
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

    objects = RelevantAuthorityQuerySet.as_manager()

    class Meta:
        ordering = ["area__name", "authority_type", "name"]
        verbose_name_plural = "relevant authorities"
        constraints = [
            models.CheckConstraint(
                condition=_TYPE_MATCHES_ESTABLISHMENT,
                name="relevant_authority_type_matches_establishment",
            ),
            models.UniqueConstraint(
                fields=["area", "name"], name="relevant_authority_name_once_per_area"
            ),
            models.UniqueConstraint(
                fields=["area", "identifier"],
                condition=~Q(identifier=""),
                name="relevant_authority_identifier_once_per_area",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.authority_type = AUTHORITY_TYPE_OF.get(self.establishment, "")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def get_authority_type_display(self) -> str:
        from .models import AuthorityType

        return str(AuthorityType(self.authority_type).label)


def register_gaps(areas: object) -> list[str]:
    """Blocking warnings: areas with no educational authority on the register.

    Every local area has schools, so an area with none registered means the duty to
    consult them cannot be shown. An area may have no prison or youth custody
    establishment at all, so those are not required."""
    from .models import LocalArea

    area_list = list(LocalArea.objects.filter(pk__in=[a.pk for a in areas]))  # type: ignore[attr-defined]
    covered = set(
        RelevantAuthority.objects.current()
        .filter(area__in=area_list, authority_type="educational")
        .values_list("area_id", flat=True)
    )
    return [
        f"No educational authority is registered for {area.name}: the duty to "
        "consult cannot be shown"
        for area in sorted(area_list, key=lambda a: a.name)
        if area.pk not in covered
    ]
