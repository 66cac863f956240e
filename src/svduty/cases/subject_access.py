"""The child's record in subject access (privacy app; issue 14, point 11).

Everything the cases app holds about a person, item by item. An item that may
identify someone else is marked for the DPO's review: a relationship names another
person; free text written by professionals (what is known, chronology detail, plan
and assessment notes) may mention family, friends or other children.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from svduty.privacy.subject_access import (
    Candidate,
    SubjectItem,
    SubjectSource,
    register_subject_finder,
    register_subject_source,
)

from .models import (
    Address,
    Alias,
    Assessment,
    Event,
    Identifier,
    Person,
    Plan,
    Referral,
    Relationship,
    Screening,
)

FREE_TEXT = "free text written by professionals may mention other people"
#: Columns that are the system's own bookkeeping, not information about the person.
_SKIP = {"id", "person", "version", "last_name_key", "first_name_key"}


def _value(obj: models.Model, field: models.Field) -> str:
    display = getattr(obj, f"get_{field.name}_display", None)
    if callable(display):
        return str(display())
    value = getattr(obj, field.name)
    if value is None or value == "":
        return ""
    if isinstance(field, models.ForeignKey):
        return str(value)
    return str(value)


def _item(obj: models.Model, heading: str, third_party: str = "") -> SubjectItem:
    fields = []
    free_text = False
    for field in obj._meta.concrete_fields:
        if field.name in _SKIP:
            continue
        text = _value(obj, field)
        if not text:
            continue
        if isinstance(field, models.TextField):
            free_text = True
        fields.append((str(field.verbose_name).capitalize(), text))
    return SubjectItem(
        key=f"{obj._meta.label_lower}:{obj.pk}",
        heading=heading,
        fields=tuple(fields),
        third_party=third_party or (FREE_TEXT if free_text else ""),
    )


def find(query: str) -> list[Candidate]:
    words = query.split()
    if not words:
        return []
    q = Q(identifiers__value__iexact=query.strip())
    name_q = Q()
    for word in words:
        name_q &= (
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(aliases__first_name__icontains=word)
            | Q(aliases__last_name__icontains=word)
        )
    people = Person.objects.filter(q | name_q).distinct().order_by("last_name")[:50]
    return [
        Candidate(
            subject_id=person.pk,
            label=person.display_name,
            detail=(
                f"Born {person.date_of_birth:%d %B %Y}" if person.date_of_birth else ""
            )
            + f" · {person.partnership}",
        )
        for person in people
    ]


def label(subject_id: int) -> str | None:
    person = Person.objects.filter(pk=subject_id).first()
    return person.display_name if person else None


def _record(subject_id: int) -> list[SubjectItem]:
    person = Person.objects.filter(pk=subject_id).first()
    if person is None:
        return []
    items = [_item(person, "Personal details")]
    for model, heading in (
        (Identifier, "Identifier"),
        (Alias, "Other name"),
        (Address, "Address"),
    ):
        for obj in model.objects.filter(person_id=subject_id).order_by("pk"):
            items.append(_item(obj, heading))
    for rel in Relationship.objects.filter(person_id=subject_id).select_related(
        "related"
    ):
        items.append(_item(rel, "Relationship", "names another person"))
    for rel in Relationship.objects.filter(related_id=subject_id).select_related(
        "person"
    ):
        items.append(_item(rel, "Relationship", "names another person"))
    return items


def _work(subject_id: int) -> list[SubjectItem]:
    items = []
    for model, heading in (
        (Referral, "Referral"),
        (Screening, "Screening"),
        (Assessment, "Assessment"),
        (Plan, "Plan"),
        (Event, "Chronology entry"),
    ):
        for obj in model.objects.filter(person_id=subject_id).order_by("pk"):
            items.append(_item(obj, heading))
    return items


def register() -> None:
    register_subject_finder(find, label)
    register_subject_source(
        SubjectSource(key="cases.1_record", title="The record", collect=_record)
    )
    register_subject_source(
        SubjectSource(
            key="cases.2_work",
            title="Referrals, screenings, assessments, plans and chronology",
            collect=_work,
        )
    )
