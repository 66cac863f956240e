"""Links from an order holder to the shared person record in `cases` (issue 10: an
SVRO subject is an adult, but often a sibling, parent or associate of a child at
risk, and may already be known to the partnership as an adult of concern).

A link is seen only by someone who may see both ends: the holder (an SVRO officer of
the managing force) and the person's full record (the `cases` policy). A holder may be
linked to more than one record (a person has one record in each partnership that
knows them), so a link never hides or replaces one the user cannot see. Erasing the
person's record (retention) erases the link with it."""

from __future__ import annotations

from typing import Self

from django.conf import settings
from django.db import models
from django.utils import timezone

from svduty.cases.models import Person
from svduty.core.guard import GuardedModel
from svduty.core.types import AnyUser

from .base import ForceScopedQuerySet
from .orders import Holder


class PersonLinkQuerySet(ForceScopedQuerySet):
    force_path = "holder__managing_force_id"

    def visible_to(self, user: AnyUser) -> Self:
        """Links whose holder is in the user's forces and whose person's full record
        the user may read."""
        return (
            super().visible_to(user).filter(person__in=Person.objects.visible_to(user))
        )


class PersonLink(GuardedModel):
    holder = models.ForeignKey(
        Holder, on_delete=models.PROTECT, related_name="person_links"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    linked_at = models.DateTimeField(default=timezone.now)

    objects = PersonLinkQuerySet.as_manager()

    class Meta:
        ordering = ["linked_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["holder", "person"], name="svro_one_link_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"Link of order holder {self.holder_id} to person {self.person_id}"
