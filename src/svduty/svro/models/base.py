"""Scope of SVRO records: a police force manages its order holders, and only its SVRO
officers see them (issue 10, point 7). Everyone else sees aggregates or nothing."""

from __future__ import annotations

from typing import Any, Self

from svduty.core.authorisation import Permission
from svduty.core.policies import PolicyQuerySet, has_permission
from svduty.core.types import AnyUser


def force_ids_of(user: AnyUser) -> set[int]:
    """The agencies (forces) the user works for, cached on the user by accounts."""
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    ids: set[int] = user.agency_ids()  # type: ignore[union-attr]
    return ids


class ForceScopedQuerySet(PolicyQuerySet):
    """Rows that belong to a holder managed by one force. `force_path` names the
    lookup from the row to the managing force's id."""

    force_path = "managing_force_id"

    def visible_to(self, user: AnyUser) -> Self:
        if not has_permission(user, Permission.MANAGE_SVRO):
            return self.none()
        lookup: dict[str, Any] = {f"{self.force_path}__in": force_ids_of(user)}
        return self.filter(**lookup)
