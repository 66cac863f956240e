"""The child's record in subject access (privacy app; issue 14, point 11).

Everything the cases app holds about a person, item by item. An item that may
identify someone else is marked for the DPO's review: a relationship names another
person; free text written by professionals (what is known, chronology detail, plan
and assessment notes) may mention family, friends or other children.
"""

from __future__ import annotations

from dataclasses import replace

from django.db import models
from django.db.models import Q

from svduty.privacy.subject_access import (
    Candidate,
    Identities,
    SubjectItem,
    SubjectSource,
    item_from,
    register_subject_finder,
    register_subject_source,
)

from .models import (
    AccessRequest,
    Address,
    Alias,
    Assessment,
    BreakGlass,
    CaseTeamMember,
    Contribution,
    Disclosure,
    Event,
    Goal,
    Identifier,
    MissingEpisode,
    Person,
    Plan,
    PlanAction,
    PlanVersion,
    Referral,
    Relationship,
    Screening,
    ScreeningAnswer,
)

KIND = "cases.person"
STAFF = "names members of staff"


def _item(obj: models.Model, heading: str, third_party: str = "") -> SubjectItem:
    return item_from(obj, heading, third_party, skip=("person",))


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
            kind=KIND,
            held_as="Child's record",
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


def _record(who: Identities) -> list[SubjectItem]:
    ids = who.ids(KIND)
    items = []
    for person in Person.objects.filter(pk__in=ids).order_by("pk"):
        items.append(_item(person, "Personal details"))
    for model, heading in (
        (Identifier, "Identifier"),
        (Alias, "Other name"),
        (Address, "Address"),
    ):
        for obj in model.objects.filter(person_id__in=ids).order_by("pk"):
            items.append(_item(obj, heading))
    relationships = Relationship.objects.filter(
        Q(person_id__in=ids) | Q(related_id__in=ids)
    ).select_related("person", "related")
    for rel in relationships.order_by("pk"):
        items.append(
            item_from(rel, "Relationship", "names another person", skip=("person",))
            if rel.person_id in ids
            else item_from(
                rel, "Relationship", "names another person", skip=("related",)
            )
        )
    return items


def _work(who: Identities) -> list[SubjectItem]:
    ids = who.ids(KIND)
    items = []
    for model, heading in (
        (Referral, "Referral"),
        (Screening, "Screening"),
        (Assessment, "Assessment"),
        (Plan, "Plan"),
        (MissingEpisode, "Missing episode"),
    ):
        for obj in model.objects.filter(person_id__in=ids).order_by("pk"):
            items.append(_item(obj, heading))
    # A chronology entry written from another record (meeting minutes, a decision)
    # is withheld whenever that record is.
    for event in Event.objects.filter(person_id__in=ids).order_by("pk"):
        item = _item(event, "Chronology entry")
        if event.source_type and event.source_id is not None:
            item = replace(item, copy_of=f"{event.source_type}:{event.source_id}")
        items.append(item)
    for answer in ScreeningAnswer.objects.filter(screening__person_id__in=ids).order_by(
        "screening_id", "pk"
    ):
        items.append(item_from(answer, "Screening answer"))
    # Another child's assessment that names this one among the people linked to it.
    for assessment in (
        Assessment.objects.filter(linked_people__in=ids)
        .exclude(person_id__in=ids)
        .distinct()
        .order_by("pk")
    ):
        items.append(
            item_from(
                assessment,
                "Named in another child's assessment",
                "an assessment of another child",
                skip=("person",),
            )
        )
    for contribution in Contribution.objects.filter(
        assessment__person_id__in=ids
    ).order_by("pk"):
        items.append(item_from(contribution, "Contribution to an assessment"))
    for plan_model, heading in (
        (Goal, "Plan goal"),
        (PlanAction, "Plan action"),
        (PlanVersion, "Plan version"),
    ):
        for row in plan_model.objects.filter(plan__person_id__in=ids).order_by("pk"):
            items.append(item_from(row, heading))
    return items


def _access(who: Identities) -> list[SubjectItem]:
    """Who worked with the record, who asked to see it, and who it was shared with
    (UK GDPR Art 15(1)(c): the recipients)."""
    ids = who.ids(KIND)
    items = []
    for model, heading, reason in (
        (CaseTeamMember, "Member of the team", STAFF),
        (AccessRequest, "Request to see the record", STAFF),
        (BreakGlass, "Emergency access to the record", STAFF),
        (Disclosure, "Information shared", ""),
    ):
        for obj in model.objects.filter(person_id__in=ids).order_by("pk"):
            items.append(_item(obj, heading, reason))
    return items


def register() -> None:
    register_subject_finder(find, label, kind=KIND)
    register_subject_source(
        SubjectSource(
            key="cases.1_record",
            title="The record",
            collect=_record,
            models=(
                "cases.person",
                "cases.identifier",
                "cases.alias",
                "cases.address",
                "cases.relationship",
            ),
        )
    )
    register_subject_source(
        SubjectSource(
            key="cases.2_work",
            title="Referrals, screenings, assessments, plans and chronology",
            collect=_work,
            models=(
                "cases.referral",
                "cases.screening",
                "cases.screeninganswer",
                "cases.assessment",
                "cases.assessment_linked_people",
                "cases.contribution",
                "cases.plan",
                "cases.goal",
                "cases.planaction",
                "cases.planversion",
                "cases.event",
                "cases.missingepisode",
            ),
        )
    )
    register_subject_source(
        SubjectSource(
            key="cases.3_access",
            title="Who worked with the record and who it was shared with",
            collect=_access,
            models=(
                "cases.caseteammember",
                "cases.accessrequest",
                "cases.breakglass",
                "cases.disclosure",
            ),
        )
    )
