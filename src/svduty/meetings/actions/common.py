"""Checks every meetings action shares."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied

from svduty.accounts.models import User
from svduty.cases.models import Person
from svduty.cases.policies import can_edit, user_partnership_ids
from svduty.core.authorisation import Permission
from svduty.core.policies import has_permission
from svduty.meetings.models import (
    Meeting,
)
from svduty.places.models import PeerGroup, Place

#: The default review after a MACE panel: 12 weeks (reference C.2, one local model).
DEFAULT_REVIEW = dt.timedelta(weeks=12)


def require_manager(by: User, meeting: Meeting) -> None:
    if not meeting.may_manage(by):
        raise PermissionDenied("Only the chair or the organiser can change a meeting.")


def require_child(by: User, meeting: Meeting, person: Person) -> None:
    if person.partnership_id != meeting.partnership_id or not can_edit(by, person):
        raise PermissionDenied("You cannot change this child's record.")


def in_partnership(user: User, partnership_id: int) -> bool:
    return has_permission(user, Permission.VIEW_CASES) and (
        partnership_id in user_partnership_ids(user)
    )


def context_subject(
    place: Place | None, peer_group: PeerGroup | None
) -> tuple[str, Place | PeerGroup]:
    """The place or the peer group an item or decision is about, with the name of
    its field (the callers have checked that exactly one is given)."""
    if place is not None:
        return "place", place
    assert peer_group is not None
    return "peer_group", peer_group


def may_see_context(by: User, subject: Place | PeerGroup) -> bool:
    if isinstance(subject, Place):
        return Place.objects.visible_to(by).filter(pk=subject.pk).exists()
    return PeerGroup.objects.visible_to(by).filter(pk=subject.pk).exists()
