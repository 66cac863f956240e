"""Searches under s.342E (issue 10 point 4)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from svduty.accounts.models import User
from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.partnership.models import LocalArea

from ..models import Order, Search, SearchOutcome
from .common import require_holder, required


@transaction.atomic
def record_search(
    *,
    by: User,
    order: Order,
    reference: str,
    force_area: str,
    officer_identifier: str,
    searched_at: dt.datetime,
    location: str,
    identity_method: str,
    self_ethnicity: str,
    officer_ethnicity: str,
    sex: str,
    outcome: str,
    public_place: bool = True,
    not_public_reason: str = "",
    detained_at: dt.datetime | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
    gowisely: Sequence[str] = (),
    age: int | None = None,
    force_used: bool = False,
    force_type: str = "",
    items_found: Sequence[str] = (),
    seized: bool = False,
    arrest_offence: str = "",
    outcome_linked: bool = False,
    body_worn_video: bool = False,
    receipt_reference: str = "",
    copy_requested_on: dt.date | None = None,
    local_area: LocalArea | None = None,
) -> Search:
    """Refused when no order giving the power was in force at that moment, and,
    where the place is recorded as not public, without a reason for going on."""
    require_holder(by, order.holder)
    required(reference, "reference", "Enter the search reference")
    required(officer_identifier, "officer_identifier", "Enter the officer's number")
    required(location, "location", "Enter where the search happened")
    if timezone.is_naive(searched_at):
        searched_at = timezone.make_aware(searched_at)
    if searched_at > timezone.now():
        raise ValidationError({"searched_at": "The search must be in the past"})
    day = timezone.localtime(searched_at).date()
    if not order.order_type.gives_search_power:
        raise ValidationError(
            {"order": f"A {order.order_type.name} gives no power to search"}
        )
    if not order.in_force_on(day):
        raise ValidationError(
            {
                "searched_at": "The order was not in force at that time: a search "
                "under s.342E needs an order in force"
            }
        )
    if not public_place and not not_public_reason.strip():
        raise ValidationError(
            {
                "not_public_reason": "The power applies only in a public place: say "
                "why the search went ahead"
            }
        )
    if outcome == SearchOutcome.ARREST:
        required(arrest_offence, "arrest_offence", "Enter the offence for the arrest")
    if (latitude is None) != (longitude is None):
        raise ValidationError({"latitude": "Enter both the latitude and longitude"})
    if age is not None and age < 18:
        raise ValidationError({"age": "An order holder is 18 or over"})
    if Search.objects.filter(force_area=force_area, reference=reference).exists():
        raise ValidationError({"reference": "A search with this reference exists"})
    search = Search.objects.create(
        order=order,
        reference=reference.strip(),
        force_area=force_area,
        local_area=local_area,
        officer_identifier=officer_identifier.strip(),
        searched_at=searched_at,
        detained_at=detained_at,
        latitude=latitude,
        longitude=longitude,
        location=location.strip(),
        public_place=public_place,
        not_public_reason=not_public_reason.strip(),
        identity_method=identity_method,
        gowisely=list(gowisely),
        self_ethnicity=self_ethnicity,
        officer_ethnicity=officer_ethnicity,
        age=age,
        sex=sex,
        force_used=force_used,
        force_type=force_type,
        items_found=list(items_found),
        seized=seized,
        outcome=outcome,
        arrest_offence=arrest_offence.strip(),
        outcome_linked=outcome_linked,
        body_worn_video=body_worn_video,
        receipt_reference=receipt_reference,
        copy_requested_on=copy_requested_on,
        recorded_by=by,
    )
    record(AuditAction.CREATE, actor=by, target=search, detail={"order": order.pk})
    return search
