"""Checks the services actions share."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from svduty.cases.actions.common import primary_agency, require_edit
from svduty.core.authorisation import Permission
from svduty.core.policies import has_permission

from ..models.catalogue import partnership_ids_of

if TYPE_CHECKING:
    from svduty.accounts.models import Agency, User
    from svduty.cases.models import Person
    from svduty.partnership.models import Partnership

__all__ = [
    "agency_of",
    "not_in_future",
    "require_catalogue",
    "require_edit",
    "require_order",
]


def require_catalogue(by: User, partnership: Partnership | int) -> None:
    """Changing the catalogue needs MANAGE_SERVICES in the service's partnership."""
    partnership_id = getattr(partnership, "pk", partnership)
    if not has_permission(by, Permission.MANAGE_SERVICES) or (
        partnership_id not in partnership_ids_of(by)
    ):
        raise PermissionDenied("You cannot change this partnership's services.")


def require_child(by: User, person: Person) -> None:
    require_edit(by, person)


def not_in_future(day: dt.date | None, field: str, what: str) -> None:
    if day is not None and day > timezone.localdate():
        raise ValidationError({field: f"{what} must be today or in the past"})


def require_order(
    later: dt.date | None, earlier: dt.date | None, field: str, message: str
) -> None:
    if later is not None and earlier is not None and later < earlier:
        raise ValidationError({field: message})


def agency_of(by: User) -> Agency:
    return primary_agency(by)
