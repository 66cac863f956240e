"""Places and peer groups in subject access (privacy app; issue 14, point 11): the
places a child is linked to and the peer groups they are a member of. A peer
group's name and a place's note may identify the other children in it."""

from __future__ import annotations

from svduty.privacy.subject_access import (
    Identities,
    SubjectItem,
    SubjectSource,
    item_from,
    register_subject_source,
)

from .models import PeerGroupMember, PlaceChild


def _places(who: Identities) -> list[SubjectItem]:
    ids = who.ids("cases.person")
    items: list[SubjectItem] = []
    for link in (
        PlaceChild.objects.filter(person_id__in=ids)
        .select_related("place")
        .order_by("pk")
    ):
        items.append(
            item_from(
                link,
                f"Linked to a place: {link.place}",
                "a place's record is about several people",
                skip=("person",),
            )
        )
    for member in (
        PeerGroupMember.objects.filter(person_id__in=ids)
        .select_related("group")
        .order_by("pk")
    ):
        items.append(
            item_from(
                member,
                f"Member of a peer group: {member.group}",
                "a peer group names or implies other children",
                skip=("person",),
            )
        )
    return items


def register() -> None:
    register_subject_source(
        SubjectSource(
            key="places",
            title="Places and peer groups",
            collect=_places,
            models=("places.placechild", "places.peergroupmember"),
        )
    )
