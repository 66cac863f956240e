"""Record linkage in subject access (privacy app; issue 14, point 11): the person
records partner agencies shared for linkage, the people the linkage believes they
are, and the review decisions and merges about them.

A partner's record may be held about someone who has no child's record, so this app
registers its own finder. Records that the linkage put in the same linked person
are the same person for subject access (a link), and so is the child's record a
linked person is tied to. Linkage is probabilistic: every partner record is marked
for the DPO to confirm it is the same person before it is released.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from svduty.privacy.subject_access import (
    Candidate,
    Identities,
    Subject,
    SubjectItem,
    SubjectSource,
    item_from,
    register_subject_finder,
    register_subject_link,
    register_subject_source,
)

from .models import CandidatePair, LinkedPerson, MergeEvent, PersonRecord

KIND = "linkage.personrecord"
CHILD = "cases.person"
MATCHED = "linked by record linkage: confirm it is the same person"


def find(query: str) -> list[Candidate]:
    words = query.split()
    if not words:
        return []
    text = query.strip()
    by_identifier = (
        Q(nhs_number__iexact=text)
        | Q(upn__iexact=text)
        | Q(pnc_id__iexact=text)
        | Q(local_id__iexact=text)
    )
    by_name = Q()
    for word in words:
        by_name &= (
            Q(forenames__icontains=word)
            | Q(surname__icontains=word)
            | Q(other_names__icontains=word)
        )
    records = (
        PersonRecord.objects.filter(case_person__isnull=True)
        .filter(by_identifier | by_name)
        .order_by("surname", "pk")[:50]
    )
    return [
        Candidate(
            subject_id=record.pk,
            label=_name(record),
            detail=(
                f"Born {record.date_of_birth:%d %B %Y} · "
                if record.date_of_birth
                else ""
            )
            + f"{record.agency_code} record {record.local_id}",
            kind=KIND,
            held_as="Partner agency's record (linkage)",
        )
        for record in records
    ]


def _name(record: PersonRecord) -> str:
    return f"{record.forenames} {record.surname}".strip() or str(record)


def label(subject_id: int) -> str | None:
    record = PersonRecord.objects.filter(pk=subject_id).first()
    return _name(record) if record else None


def links(subject: Subject) -> Iterable[Subject]:
    if subject.kind == CHILD:
        records = PersonRecord.objects.filter(
            Q(case_person_id=subject.id) | Q(linked_person__case_person_id=subject.id)
        )
        return [Subject(KIND, pk) for pk in records.values_list("pk", flat=True)]
    if subject.kind == KIND:
        record = (
            PersonRecord.objects.filter(pk=subject.id)
            .select_related("linked_person")
            .first()
        )
        if record is None:
            return []
        found = []
        if record.case_person_id:
            found.append(Subject(CHILD, record.case_person_id))
        if record.linked_person_id:
            if record.linked_person and record.linked_person.case_person_id:
                found.append(Subject(CHILD, record.linked_person.case_person_id))
            found.extend(
                Subject(KIND, pk)
                for pk in PersonRecord.objects.filter(
                    linked_person_id=record.linked_person_id
                ).values_list("pk", flat=True)
            )
        return found
    return []


def _linkage(who: Identities) -> list[SubjectItem]:
    record_ids = who.ids(KIND)
    records = PersonRecord.objects.filter(pk__in=record_ids).order_by("pk")
    people = LinkedPerson.objects.filter(
        Q(records__pk__in=record_ids) | Q(case_person_id__in=who.ids(CHILD))
    ).distinct()
    person_ids = list(people.values_list("pk", flat=True))
    items: list[SubjectItem] = []
    for record in records:
        items.append(
            item_from(
                record,
                f"Record shared by {record.agency_code}",
                "" if record.case_person_id else MATCHED,
                skip=("case_person", "linked_person"),
            )
        )
    for person in people.order_by("pk"):
        items.append(item_from(person, "Person found by record linkage"))
    for pair in CandidatePair.objects.filter(
        Q(left_id__in=record_ids) | Q(right_id__in=record_ids)
    ).order_by("pk"):
        items.append(
            item_from(
                pair,
                "Linkage review: is this the same person?",
                "compares the record with another person's",
            )
        )
    for merge in MergeEvent.objects.filter(
        Q(kept_id__in=person_ids) | Q(merged_id__in=person_ids)
    ).order_by("pk"):
        items.append(
            item_from(
                merge,
                "Records merged as the same person",
                "names members of staff",
            )
        )
    return items


def register() -> None:
    register_subject_finder(find, label, kind=KIND)
    register_subject_link(links)
    register_subject_source(
        SubjectSource(
            key="linkage",
            title="Records shared by partner agencies and record linkage",
            collect=_linkage,
            models=(
                "linkage.personrecord",
                "linkage.linkedperson",
                "linkage.candidatepair",
                "linkage.mergeevent",
            ),
        )
    )
