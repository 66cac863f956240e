"""Checks every places action makes: the permission, the partnership, the date."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone

from svduty.accounts.models import Agency
from svduty.core.authorisation import Permission
from svduty.core.policies import has_permission
from svduty.partnership.models import Partnership

from ..models.base import partnership_ids_of


def require_manage(by: Any, partnership: Partnership | int) -> None:
    """Changing places and peer groups needs MANAGE_PLACES in the partnership."""
    partnership_id = getattr(partnership, "pk", partnership)
    if not has_permission(by, Permission.MANAGE_PLACES) or (
        partnership_id not in partnership_ids_of(by)
    ):
        raise PermissionDenied("You cannot change places or peer groups here.")


def require_visible(by: Any, obj: models.Model) -> None:
    """The object must be in the user's scope (an out-of-scope id is refused as if
    it did not exist)."""
    manager: Any = type(obj)._default_manager  # a PolicyQuerySet's manager
    if not manager.visible_to(by).filter(pk=obj.pk).exists():
        raise PermissionDenied("You cannot see this record.")


def not_in_future(day: dt.date | None, field: str, what: str) -> None:
    if day is not None and day > timezone.localdate():
        raise ValidationError({field: f"{what} must be today or in the past"})


def in_order(
    start: dt.date, end: dt.date | None, field: str, what: str, after: str
) -> None:
    if end is not None and end < start:
        raise ValidationError({field: f"{what} must be the same as or after {after}"})


def agency_of(by: Any) -> Agency | None:
    """The user's primary agency, named on what they record."""
    membership = (
        by.memberships.select_related("agency").order_by("-is_primary", "id").first()
    )
    return membership.agency if membership is not None else None
