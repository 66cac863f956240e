"""The police register of serious violence reduction orders in subject access
(privacy app; issue 14, point 11): an order holder's record, names, addresses,
custody, orders, notifications, breaches, reoffences and the searches made under
the order.

An order holder may have no child's record, so this app registers its own finder;
a holder linked to a child's record (svro.PersonLink) is the same person (a link).

Not every exemption under DPA 2018 is for the DPO to decide here: information held
for the prevention or detection of crime (Schedule 2, paragraph 2; Part 3, s.45(4))
may be restricted. The items are marked so the DPO reviews them with the force's
disclosure officer.
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
    register_not_subject_data,
    register_subject_finder,
    register_subject_link,
    register_subject_source,
)

from .models import (
    Application,
    Breach,
    CustodyPeriod,
    Holder,
    HolderAddress,
    HolderName,
    Notification,
    Order,
    OrderVersion,
    PersonLink,
    Reoffence,
    Search,
)

KIND = "svro.holder"
POLICING = "held for policing: check the crime exemption with the force"


def find(query: str) -> list[Candidate]:
    words = query.split()
    if not words:
        return []
    by_name = Q()
    for word in words:
        by_name &= Q(current_name__icontains=word) | Q(names__name__icontains=word)
    holders = (
        Holder.objects.filter(Q(reference__iexact=query.strip()) | by_name)
        .distinct()
        .order_by("current_name", "pk")[:50]
    )
    return [
        Candidate(
            subject_id=holder.pk,
            label=holder.current_name,
            detail=(
                f"Born {holder.date_of_birth:%d %B %Y} · "
                if holder.date_of_birth
                else ""
            )
            + f"register reference {holder.reference}",
            kind=KIND,
            held_as="Order holder (police register)",
        )
        for holder in holders
    ]


def label(subject_id: int) -> str | None:
    holder = Holder.objects.filter(pk=subject_id).first()
    return holder.current_name if holder else None


def links(subject: Subject) -> Iterable[Subject]:
    if subject.kind == "cases.person":
        return [
            Subject(KIND, pk)
            for pk in PersonLink.objects.filter(person_id=subject.id).values_list(
                "holder_id", flat=True
            )
        ]
    if subject.kind == KIND:
        return [
            Subject("cases.person", pk)
            for pk in PersonLink.objects.filter(holder_id=subject.id).values_list(
                "person_id", flat=True
            )
        ]
    return []


def _register(who: Identities) -> list[SubjectItem]:
    ids = who.ids(KIND)
    items: list[SubjectItem] = []
    for holder in Holder.objects.filter(pk__in=ids).order_by("pk"):
        items.append(item_from(holder, "Order holder", POLICING))
    for model, heading in (
        (HolderName, "Name"),
        (HolderAddress, "Address notified"),
        (CustodyPeriod, "Time in custody"),
        (Reoffence, "Reoffence"),
        (PersonLink, "Linked to a child's record"),
        (Application, "Application for an order"),
        (Order, "Order"),
    ):
        for obj in model.objects.filter(holder_id__in=ids).order_by("pk"):
            items.append(item_from(obj, heading, POLICING, skip=("holder",)))
    for order_model, heading in (
        (OrderVersion, "Order: an earlier version"),
        (Notification, "Notification"),
        (Breach, "Breach"),
        (Search, "Search under the order"),
    ):
        for row in order_model.objects.filter(order__holder_id__in=ids).order_by("pk"):
            items.append(item_from(row, heading, POLICING))
    return items


def register() -> None:
    register_subject_finder(find, label, kind=KIND)
    register_subject_link(links)
    register_subject_source(
        SubjectSource(
            key="svro",
            title="Serious violence reduction orders (police register)",
            collect=_register,
            models=(
                "svro.holder",
                "svro.holdername",
                "svro.holderaddress",
                "svro.custodyperiod",
                "svro.reoffence",
                "svro.personlink",
                "svro.application",
                "svro.order",
                "svro.orderversion",
                "svro.notification",
                "svro.breach",
                "svro.search",
            ),
        )
    )
    register_not_subject_data(
        "svro.sampleitem",
        "a scrutiny panel's sample points at searches, listed under the order; "
        "the panel's findings are about police practice, not the holder",
    )
