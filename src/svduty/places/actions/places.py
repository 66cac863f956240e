"""Changes to places of concern, their children, reports, assessments and
interventions (architecture D6): each checks its rule and writes its audit event in
the same transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from svduty.accounts.models import Agency
from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.cases.models import Person, PersonKind
from svduty.partnership.locking import bump, lock
from svduty.partnership.models import LocalArea, Partnership

from ..models import (
    InterventionKind,
    Place,
    PlaceAssessment,
    PlaceChild,
    PlaceIntervention,
    PlaceKind,
    PlaceLinkRole,
    PlaceReport,
    PlaceStatus,
    ReportKind,
)
from .common import agency_of, in_order, not_in_future, require_manage, require_visible

MIN_RADIUS, MAX_RADIUS = 50, 2000

#: Fields of a place that `update_place` may change.
PLACE_FIELDS = (
    "name",
    "kind",
    "description",
    "area",
    "latitude",
    "longitude",
    "radius_m",
    "lead_agency",
)


def _check_place(partnership: Partnership, fields: dict[str, Any]) -> None:
    if not (fields.get("name") or "").strip():
        raise ValidationError({"name": "Enter the name of the place"})
    latitude, longitude = fields.get("latitude"), fields.get("longitude")
    if fields.get("kind") == PlaceKind.ONLINE:
        if latitude is not None or longitude is not None:
            raise ValidationError(
                {
                    "latitude": "An online platform has no point on the map: leave the "
                    "latitude and longitude empty"
                }
            )
    elif (latitude is None) != (longitude is None):
        field = "latitude" if latitude is None else "longitude"
        raise ValidationError({field: "Enter both the latitude and the longitude"})
    if latitude is not None and not -90 <= latitude <= 90:
        raise ValidationError({"latitude": "Latitude must be between -90 and 90"})
    if longitude is not None and not -180 <= longitude <= 180:
        raise ValidationError({"longitude": "Longitude must be between -180 and 180"})
    radius = fields.get("radius_m", 300)
    if radius is None or not MIN_RADIUS <= radius <= MAX_RADIUS:
        message = f"Radius must be between {MIN_RADIUS} and {MAX_RADIUS:,} metres"
        raise ValidationError({"radius_m": message})
    area: LocalArea | None = fields.get("area")
    if area is not None and not partnership.areas.filter(pk=area.pk).exists():
        raise ValidationError({"area": "Select one of the partnership's areas"})


@transaction.atomic
def create_place(
    *,
    by: Any,
    partnership: Partnership,
    name: str,
    kind: PlaceKind | str,
    description: str = "",
    area: LocalArea | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
    radius_m: int = 300,
    lead_agency: Agency | None = None,
) -> Place:
    require_manage(by, partnership)
    fields = {
        "name": name.strip(),
        "kind": PlaceKind(kind),
        "description": description,
        "area": area,
        "latitude": latitude,
        "longitude": longitude,
        "radius_m": radius_m,
        "lead_agency": lead_agency,
    }
    _check_place(partnership, fields)
    place = Place.objects.create(partnership=partnership, created_by=by, **fields)
    record(
        AuditAction.CREATE,
        actor=by,
        target=place,
        detail={"kind": place.kind, "has_point": place.has_point},
    )
    return place


@transaction.atomic
def update_place(
    *, by: Any, place: Place, expected_version: int | None, **fields: Any
) -> Place:
    require_manage(by, place.partnership_id)
    require_visible(by, place)
    unknown = set(fields) - set(PLACE_FIELDS)
    if unknown:
        raise TypeError(f"update_place cannot change {sorted(unknown)}")
    locked = lock(place, expected_version)
    values = {name: getattr(locked, name) for name in PLACE_FIELDS} | fields
    if "name" in fields:
        values["name"] = values["name"].strip()
    _check_place(locked.partnership, values)
    changed = sorted(n for n in fields if getattr(locked, n) != values[n])
    for name in PLACE_FIELDS:
        setattr(locked, name, values[name])
    bump(locked)
    locked.updated_at = timezone.now()
    locked.save()
    record(AuditAction.CHANGE, actor=by, target=locked, detail={"changed": changed})
    return locked


@transaction.atomic
def close_place(*, by: Any, place: Place, closed_on: dt.date, reason: str) -> Place:
    """A place that is no longer of concern stays on record (its evaluation is part
    of the evidence) but leaves the map of current concerns."""
    require_manage(by, place.partnership_id)
    require_visible(by, place)
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the place is no longer of concern"})
    not_in_future(closed_on, "closed_on", "The date")
    locked = lock(place)
    if locked.status == PlaceStatus.CLOSED:
        raise ValidationError("This place is already closed")
    locked.status = PlaceStatus.CLOSED
    locked.closed_on = closed_on
    bump(locked)
    locked.updated_at = timezone.now()
    locked.save()
    record(
        AuditAction.CHANGE,
        actor=by,
        target=locked,
        detail={"closed_on": closed_on.isoformat(), "reason": reason.strip()},
    )
    return locked


@transaction.atomic
def link_child(
    *,
    by: Any,
    place: Place,
    person: Person,
    role: PlaceLinkRole | str,
    linked_on: dt.date,
    note: str = "",
) -> PlaceChild:
    """Only a child whose full record the user may read can be linked by them: the
    link says something about the child."""
    require_manage(by, place.partnership_id)
    require_visible(by, place)
    if not Person.objects.visible_to(by).filter(pk=person.pk).exists():
        raise PermissionDenied("You cannot see this child's record.")
    if person.partnership_id != place.partnership_id:
        raise ValidationError({"person": "Select a child in the place's partnership"})
    if person.kind != PersonKind.CHILD:
        raise ValidationError({"person": "Select a child or young person"})
    not_in_future(linked_on, "linked_on", "The date")
    if PlaceChild.objects.filter(
        place=place, person=person, ended_on__isnull=True
    ).exists():
        raise ValidationError({"person": "This child is already linked to the place"})
    link = PlaceChild.objects.create(
        place=place,
        person=person,
        role=PlaceLinkRole(role),
        linked_on=linked_on,
        note=note.strip(),
        linked_by=by,
    )
    record(
        AuditAction.CREATE,
        actor=by,
        target=link,
        detail={"place_id": place.pk, "person_id": person.pk, "role": link.role},
    )
    return link


@transaction.atomic
def end_link(*, by: Any, link: PlaceChild, ended_on: dt.date) -> PlaceChild:
    require_manage(by, link.place.partnership_id)
    require_visible(by, link)
    not_in_future(ended_on, "ended_on", "The date")
    in_order(link.linked_on, ended_on, "ended_on", "The date", "the date linked")
    if link.ended_on is not None:
        raise ValidationError("This link has already ended")
    link.ended_on = ended_on
    link.save(update_fields=["ended_on"])
    record(
        AuditAction.CHANGE,
        actor=by,
        target=link,
        detail={"ended_on": ended_on.isoformat(), "person_id": link.person_id},
    )
    return link


@transaction.atomic
def record_report(
    *,
    by: Any,
    place: Place,
    kind: ReportKind | str,
    occurred_on: dt.date,
    summary: str,
    source_agency: Agency | None = None,
) -> PlaceReport:
    require_manage(by, place.partnership_id)
    require_visible(by, place)
    if not summary.strip():
        raise ValidationError({"summary": "Enter a summary"})
    not_in_future(occurred_on, "occurred_on", "The date")
    report = PlaceReport.objects.create(
        place=place,
        kind=ReportKind(kind),
        occurred_on=occurred_on,
        summary=summary.strip(),
        source_agency=source_agency,
        recorded_by=by,
    )
    record(
        AuditAction.CREATE,
        actor=by,
        target=report,
        detail={"place_id": place.pk, "kind": report.kind},
    )
    return report


@transaction.atomic
def record_place_assessment(
    *,
    by: Any,
    place: Place,
    assessed_on: dt.date,
    risk_level: str,
    summary: str,
    **text: str,
) -> PlaceAssessment:
    """An assessment of the place; its level of risk becomes the place's current
    level when it is the latest."""
    require_manage(by, place.partnership_id)
    require_visible(by, place)
    if not summary.strip():
        raise ValidationError({"summary": "Enter what is happening at the place"})
    not_in_future(assessed_on, "assessed_on", "The date of the assessment")
    assessment = PlaceAssessment.objects.create(
        place=place,
        assessed_on=assessed_on,
        risk_level=risk_level,
        summary=summary.strip(),
        recorded_by=by,
        agency=agency_of(by),
        **{k: v.strip() for k, v in text.items()},
    )
    latest = place.assessments.order_by("-assessed_on", "-id").first()
    if latest is not None and latest.pk == assessment.pk:
        Place.objects.filter(pk=place.pk).update(risk_level=risk_level)
    record(
        AuditAction.CREATE,
        actor=by,
        target=assessment,
        detail={"place_id": place.pk, "risk_level": risk_level},
    )
    return assessment


@transaction.atomic
def record_intervention(
    *,
    by: Any,
    place: Place,
    kind: InterventionKind | str,
    started_on: dt.date,
    ended_on: dt.date | None = None,
    description: str = "",
    lead_agency: Agency | None = None,
) -> PlaceIntervention:
    require_manage(by, place.partnership_id)
    require_visible(by, place)
    in_order(started_on, ended_on, "ended_on", "The end date", "the start date")
    intervention = PlaceIntervention.objects.create(
        place=place,
        kind=InterventionKind(kind),
        started_on=started_on,
        ended_on=ended_on,
        description=description.strip(),
        lead_agency=lead_agency,
        recorded_by=by,
    )
    record(
        AuditAction.CREATE,
        actor=by,
        target=intervention,
        detail={"place_id": place.pk, "kind": intervention.kind},
    )
    return intervention


@transaction.atomic
def end_intervention(
    *, by: Any, intervention: PlaceIntervention, ended_on: dt.date
) -> PlaceIntervention:
    require_manage(by, intervention.place.partnership_id)
    require_visible(by, intervention)
    if intervention.ended_on is not None:
        raise ValidationError("This intervention has already ended")
    in_order(
        intervention.started_on, ended_on, "ended_on", "The end date", "the start date"
    )
    intervention.ended_on = ended_on
    intervention.save(update_fields=["ended_on"])
    record(
        AuditAction.CHANGE,
        actor=by,
        target=intervention,
        detail={"ended_on": ended_on.isoformat()},
    )
    return intervention
