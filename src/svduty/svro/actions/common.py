"""Checks every SVRO action makes."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from svduty.accounts.models import User
from svduty.core.authorisation import Permission
from svduty.core.policies import has_permission

from ..models import Holder, force_ids_of


def require_manage(by: User, force_id: int | None = None) -> None:
    """Managing orders needs MANAGE_SVRO, in one of the user's own forces."""
    if not has_permission(by, Permission.MANAGE_SVRO) or (
        force_id is not None and force_id not in force_ids_of(by)
    ):
        raise PermissionDenied("You cannot manage orders here.")


def require_holder(by: User, holder: Holder) -> None:
    require_manage(by, holder.managing_force_id)


def not_in_future(day: dt.date | None, field: str, what: str) -> None:
    if day is not None and day > timezone.localdate():
        raise ValidationError({field: f"{what} must be today or in the past"})


def required(value: object, field: str, message: str) -> None:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValidationError({field: message})
