"""People (children and the adults around them), their names, addresses, identifiers
and relationships."""

from __future__ import annotations

import datetime as dt
from typing import Any, Self

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from svduty.cases.rules import soundex
from svduty.core.guard import GuardedModel, GuardedQuerySet
from svduty.core.policies import PolicyQuerySet
from svduty.core.types import AnyUser
from svduty.partnership.models import Partnership

from .choices import (
    Ethnicity,
    IdentifierKind,
    LegalStatus,
    PersonKind,
    RelationshipKind,
    RiskLevel,
    SenStatus,
    Sex,
)


class PersonQuerySet(PolicyQuerySet):
    def visible_to(self, user: AnyUser) -> Self:
        """People whose full record `user` may read (case team, granted access,
        break-glass, or a manager of an agency on the case team)."""
        from svduty.cases.policies import full_record_q

        q = full_record_q(user)
        return self.filter(q) if q is not None else self.none()

    def searchable_by(self, user: AnyUser) -> Self:
        """People `user` may find in a search (and see a signpost for)."""
        from svduty.cases.policies import searchable_q

        q = searchable_q(user)
        return self.filter(q) if q is not None else self.none()


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent())
class Person(GuardedModel):
    #: A page that fetches a child is audited as a view (svduty.core.viewing).
    shows_personal_data = True

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="people"
    )
    kind = models.CharField(
        max_length=10, choices=PersonKind.choices, default=PersonKind.CHILD
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    preferred_name = models.CharField(
        max_length=100,
        blank=True,
        help_text="What they like to be called, if different.",
    )
    date_of_birth = models.DateField(null=True, blank=True)
    date_of_birth_estimated = models.BooleanField(default=False)
    sex = models.CharField(max_length=10, choices=Sex.choices, default=Sex.NOT_KNOWN)
    gender = models.CharField(
        max_length=100,
        blank=True,
        help_text="How they describe their gender, in their words, if known.",
    )
    ethnicity = models.CharField(
        max_length=40, choices=Ethnicity.choices, default=Ethnicity.NOT_STATED
    )
    languages = models.CharField(max_length=200, blank=True)
    disability = models.CharField(max_length=500, blank=True)
    learning_disability = models.BooleanField(default=False)
    sen_status = models.CharField(
        max_length=20, choices=SenStatus.choices, default=SenStatus.NOT_KNOWN
    )
    legal_status = models.CharField(
        max_length=20, choices=LegalStatus.choices, default=LegalStatus.NONE
    )
    education_setting = models.CharField(max_length=200, blank=True)
    is_restricted = models.BooleanField(
        default=False,
        help_text="Hidden from searches except to managers with the right to see "
        "restricted records, for example a member of staff's relative.",
    )
    restricted_reason = models.CharField(max_length=500, blank=True)
    # Denormalised for case lists (kept up to date by actions, never edited directly),
    # so that a list of thousands of children needs no per-row queries.
    risk_level = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    risk_level_on = models.DateField(null=True, blank=True)
    has_current_plan = models.BooleanField(default=False)
    next_due_on = models.DateField(null=True, blank=True)
    last_event_at = models.DateTimeField(null=True, blank=True)
    lead_professional = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lead_for",
    )
    # Phonetic keys for the duplicate search.
    last_name_key = models.CharField(max_length=4, editable=False, default="")
    first_name_key = models.CharField(max_length=4, editable=False, default="")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        indexes = [
            models.Index(fields=["partnership", "last_name_key", "date_of_birth"]),
            models.Index(fields=["last_name_key", "first_name_key"]),
            models.Index(fields=["date_of_birth"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_restricted=False) | ~Q(restricted_reason=""),
                name="restricted_person_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(risk_level="") | Q(risk_level_on__isnull=False),
                name="person_risk_level_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.last_name_key = soundex(self.last_name)
        self.first_name_key = soundex(self.first_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and (
            "last_name" in update_fields or "first_name" in update_fields
        ):
            kwargs["update_fields"] = {
                *update_fields,
                "last_name_key",
                "first_name_key",
            }
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        if self.preferred_name:
            return f"{self.first_name} ({self.preferred_name}) {self.last_name}"
        return str(self)

    def age_on(self, day: dt.date | None = None) -> int | None:
        if self.date_of_birth is None:
            return None
        day = day or timezone.localdate()
        dob = self.date_of_birth
        return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))

    @property
    def age(self) -> int | None:
        return self.age_on()


@pghistory.track(
    pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent()
)
class Alias(GuardedModel):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    note = models.CharField(
        max_length=200, blank=True, help_text="For example: previous name, street name."
    )
    last_name_key = models.CharField(max_length=4, editable=False, default="")
    first_name_key = models.CharField(max_length=4, editable=False, default="")

    objects = GuardedQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "aliases"
        indexes = [models.Index(fields=["last_name_key", "first_name_key"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(first_name="") | ~Q(last_name=""),
                name="alias_has_a_name",
            )
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.last_name_key = soundex(self.last_name)
        self.first_name_key = soundex(self.first_name)
        super().save(*args, **kwargs)


@pghistory.track(
    pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent()
)
class Address(GuardedModel):
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="addresses"
    )
    line_1 = models.CharField("Address line 1", max_length=200)
    line_2 = models.CharField("Address line 2", max_length=200, blank=True)
    town = models.CharField("Town or city", max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    is_temporary = models.BooleanField(
        default=False, help_text="Temporary accommodation, sofa-surfing or homeless."
    )
    from_date = models.DateField(null=True, blank=True)
    to_date = models.DateField(null=True, blank=True)

    objects = GuardedQuerySet.as_manager()

    class Meta:
        ordering = ["-from_date", "-id"]
        verbose_name_plural = "addresses"
        constraints = [
            models.CheckConstraint(
                condition=Q(to_date__isnull=True)
                | Q(from_date__isnull=True)
                | Q(to_date__gte=models.F("from_date")),
                name="address_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return ", ".join(
            p for p in (self.line_1, self.line_2, self.town, self.postcode) if p
        )

    @property
    def is_current(self) -> bool:
        return self.to_date is None


@pghistory.track(
    pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent()
)
class Identifier(GuardedModel):
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="identifiers"
    )
    kind = models.CharField(max_length=10, choices=IdentifierKind.choices)
    value = models.CharField(max_length=50)
    agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="For local identifiers: the agency that issued it.",
    )
    added_at = models.DateTimeField(default=timezone.now)

    objects = GuardedQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "value"]
        constraints = [
            # A national identifier belongs to one person: a second record with the
            # same NHS number is a duplicate, not a new child.
            models.UniqueConstraint(
                fields=["kind", "value"],
                condition=~Q(kind="local"),
                name="national_identifier_unique",
            ),
            models.UniqueConstraint(
                fields=["agency", "value"],
                condition=Q(kind="local"),
                name="local_identifier_unique_per_agency",
            ),
            models.CheckConstraint(
                condition=~Q(kind="local") | Q(agency__isnull=False),
                name="local_identifier_has_agency",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"


@pghistory.track(
    pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent()
)
class Relationship(GuardedModel):
    """A directed relationship: `related` is the person's <kind> (sibling, carer…)."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="relationships"
    )
    related = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="related_to"
    )
    kind = models.CharField(max_length=20, choices=RelationshipKind.choices)
    note = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = GuardedQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(person=models.F("related")),
                name="relationship_not_to_self",
            ),
            models.UniqueConstraint(
                fields=["person", "related", "kind"], name="relationship_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.related} is {self.person}'s {self.get_kind_display().lower()}"
