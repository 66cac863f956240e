"""Querysets shared by records that belong to one child."""

from __future__ import annotations

from typing import Self

from svduty.core.policies import PolicyQuerySet
from svduty.core.types import AnyUser


class ChildRecordQuerySet(PolicyQuerySet):
    """A record about a child is visible exactly when the child's full record is."""

    def visible_to(self, user: AnyUser) -> Self:
        from .people import Person

        return self.filter(person__in=Person.objects.visible_to(user))
