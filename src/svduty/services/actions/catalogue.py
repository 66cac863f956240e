"""Keeping the catalogue of services."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction

from svduty.audit.log import record
from svduty.audit.models import AuditAction

from ..models import Service, ServiceType, YefImpact
from .common import require_catalogue

if TYPE_CHECKING:
    from svduty.accounts.models import User
    from svduty.partnership.models import Partnership

TAKEN = "This provider already has a service by that name"

FIELDS = (
    "name",
    "provider",
    "service_type",
    "description",
    "min_age",
    "max_age",
    "needs",
    "capacity",
    "contact_name",
    "contact_email",
    "contact_phone",
    "yef_strategy",
    "yef_impact",
    "yef_evidence_security",
    "evidence_source",
    "is_active",
)


def _check(values: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    if not str(values.get("name", "")).strip():
        errors["name"] = "Enter the name of the service"
    if not str(values.get("provider", "")).strip():
        errors["provider"] = "Enter who provides the service"
    if values.get("service_type") not in ServiceType.values:
        errors["service_type"] = "Select the type of service"
    min_age, max_age = values.get("min_age"), values.get("max_age")
    if min_age is not None and max_age is not None and min_age > max_age:
        errors["max_age"] = "The oldest age must be the same as or above the youngest"
    capacity = values.get("capacity")
    if capacity is None or capacity < 1:
        errors["capacity"] = "Enter how many children the service can work with"
    impact = values.get("yef_impact") or ""
    security = values.get("yef_evidence_security")
    if impact and impact not in YefImpact.values:
        errors["yef_impact"] = "Select the estimated impact"
    if security is not None and not 1 <= security <= 5:
        errors["yef_evidence_security"] = "Enter a number from 1 to 5"
    if security is not None and not impact:
        errors["yef_impact"] = "Select the estimated impact for the evidence rating"
    if impact and not values.get("evidence_source"):
        errors["evidence_source"] = "Enter the address of the toolkit page it is from"
    if errors:
        raise ValidationError(errors)


def _name_taken(partnership_id: int, values: dict[str, Any], pk: int | None) -> bool:
    same = Service.objects.filter(
        partnership_id=partnership_id,
        name=values["name"].strip(),
        provider=values["provider"].strip(),
    )
    if pk is not None:
        same = same.exclude(pk=pk)
    return same.exists()


@transaction.atomic
def add_service(*, by: User, partnership: Partnership, **values: Any) -> Service:
    require_catalogue(by, partnership)
    _check(values)
    if _name_taken(partnership.pk, values, None):
        raise ValidationError(
            {"name": "This provider already has a service by that name"}
        )
    values["name"] = values["name"].strip()
    values["provider"] = values["provider"].strip()
    service = Service.objects.create(
        partnership=partnership,
        created_by=by,
        **{k: v for k, v in values.items() if k in FIELDS},
    )
    record(AuditAction.CREATE, actor=by, target=service, detail={"name": service.name})
    return service


@transaction.atomic
def change_service(*, by: User, service: Service, **values: Any) -> Service:
    service = Service.objects.select_for_update().get(pk=service.pk)
    require_catalogue(by, service.partnership_id)
    merged = {field: getattr(service, field) for field in FIELDS}
    merged.update({k: v for k, v in values.items() if k in FIELDS})
    _check(merged)
    if _name_taken(service.partnership_id, merged, service.pk):
        raise ValidationError(
            {"name": "This provider already has a service by that name"}
        )
    changed = [f for f in FIELDS if getattr(service, f) != merged[f]]
    for field in changed:
        setattr(service, field, merged[field])
    if changed:
        service.save(update_fields=changed)
        record(
            AuditAction.CHANGE, actor=by, target=service, detail={"changed": changed}
        )
    return service
