"""The agenda: children, trigger suggestions, free items and briefing papers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from svduty.accounts.models import User
from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.cases.models import Person
from svduty.meetings.models import (
    AgendaItem,
    AgendaKind,
    Meeting,
)
from svduty.meetings.triggers import Suggestion
from svduty.places.models import PeerGroup, Place

from .common import (
    context_subject,
    may_see_context,
    require_child,
    require_manager,
)

#: How place triggers name a place (`Suggestion.subject_type`).
PLACE_SUBJECT = "places.place"


def _next_order(meeting: Meeting) -> int:
    top = AgendaItem.objects.filter(meeting=meeting).aggregate(m=Max("order"))["m"]
    return 0 if top is None else top + 1


@transaction.atomic
def add_agenda_item(
    *,
    by: User,
    meeting: Meeting,
    person: Person | None = None,
    place: Place | None = None,
    peer_group: PeerGroup | None = None,
    title: str = "",
    paper: str = "",
) -> AgendaItem:
    """A child the organiser may see, a place or peer group they may see, or a free
    item (no child's name in its title: free items are shown to every attendee)."""
    require_manager(by, meeting)
    Meeting.objects.select_for_update().get(pk=meeting.pk)
    if place is not None or peer_group is not None:
        return _add_context_item(
            by=by, meeting=meeting, place=place, peer_group=peer_group, paper=paper
        )
    if person is not None:
        if (
            person.partnership_id != meeting.partnership_id
            or not Person.objects.visible_to(by).filter(pk=person.pk).exists()
        ):
            raise ValidationError({"person": "Select a child whose record you can see"})
        if AgendaItem.objects.filter(meeting=meeting, person=person).exists():
            raise ValidationError({"person": "This child is already on the agenda"})
    elif not title.strip():
        raise ValidationError({"title": "Enter what the item is about"})
    item = AgendaItem.objects.create(
        meeting=meeting,
        order=_next_order(meeting),
        kind=AgendaKind.CHILD if person is not None else AgendaKind.FREE,
        person=person,
        title="" if person is not None else title.strip(),
        paper=paper.strip(),
        added_by=by,
    )
    record(
        AuditAction.CHANGE,
        actor=by,
        target=meeting,
        detail={"agenda_item": item.pk, "person": person.pk if person else None},
    )
    return item


def _add_context_item(
    *,
    by: User,
    meeting: Meeting,
    place: Place | None,
    peer_group: PeerGroup | None,
    paper: str,
) -> AgendaItem:
    field, subject = context_subject(place, peer_group)
    if subject.partnership_id != meeting.partnership_id or not may_see_context(
        by, subject
    ):
        raise ValidationError({field: "Select one you can see in this partnership"})
    if AgendaItem.objects.filter(meeting=meeting, **{field: subject}).exists():
        raise ValidationError({field: "It is already on the agenda"})
    item = AgendaItem.objects.create(
        meeting=meeting,
        order=_next_order(meeting),
        kind=AgendaKind.PLACE if place is not None else AgendaKind.GROUP,
        place=place,
        peer_group=peer_group,
        paper=paper.strip(),
        added_by=by,
    )
    record(
        AuditAction.CHANGE,
        actor=by,
        target=meeting,
        detail={"agenda_item": item.pk, field: subject.pk},
    )
    return item


@transaction.atomic
def add_suggested_items(
    *, by: User, meeting: Meeting, suggestions: Sequence[Suggestion]
) -> list[AgendaItem]:
    """Put trigger suggestions on the agenda: one item per child (or per subject),
    holding every reason it was suggested; a child already on the agenda gains the
    new reasons. Suggestions come from `triggers.suggestions_for(meeting, by)`,
    which only offers children `by` may see; that is checked again here."""
    require_manager(by, meeting)
    Meeting.objects.select_for_update().get(pk=meeting.pk)
    person_ids = {s.person_id for s in suggestions if s.person_id is not None}
    visible = set(
        Person.objects.visible_to(by)
        .filter(pk__in=person_ids, partnership_id=meeting.partnership_id)
        .values_list("pk", flat=True)
    )
    if visible != person_ids:
        raise ValidationError({"suggestions": "Select children whose records you see"})
    existing = {
        _key(item.person_id, item.subject_type, item.subject_id): item
        for item in AgendaItem.objects.filter(meeting=meeting)
    } | {
        _key(None, PLACE_SUBJECT, item.place_id): item
        for item in AgendaItem.objects.filter(meeting=meeting, place__isnull=False)
    }
    order = _next_order(meeting)
    touched: dict[tuple[Any, ...] | None, AgendaItem] = {}
    for suggestion in suggestions:
        key = _key(suggestion.person_id, suggestion.subject_type, suggestion.subject_id)
        item = touched.get(key) or existing.get(key)
        if item is None and suggestion.subject_type == PLACE_SUBJECT:
            place = (
                Place.objects.visible_to(by)
                .filter(pk=suggestion.subject_id, partnership_id=meeting.partnership_id)
                .first()
                if suggestion.subject_id is not None
                else None
            )
            if place is None:
                raise ValidationError({"suggestions": "Select places you can see"})
            item = AgendaItem(
                meeting=meeting,
                order=order,
                kind=AgendaKind.PLACE,
                place=place,
                subject_type=suggestion.subject_type,
                subject_id=suggestion.subject_id,
                added_by=by,
                triggers=[],
            )
            order += 1
        if item is None:
            item = AgendaItem(
                meeting=meeting,
                order=order,
                kind=AgendaKind.CHILD if suggestion.person_id else AgendaKind.SUBJECT,
                person_id=suggestion.person_id,
                title="" if suggestion.person_id else suggestion.title,
                subject_type=suggestion.subject_type,
                subject_id=suggestion.subject_id,
                added_by=by,
                triggers=[],
            )
            order += 1
        reason = {"trigger": suggestion.trigger, "reason": suggestion.reason}
        if reason not in item.triggers:
            item.triggers = [*item.triggers, reason]
        touched[key] = item
    new = [i for i in touched.values() if i.pk is None]
    AgendaItem.objects.bulk_create(new)
    AgendaItem.objects.bulk_update(
        [i for i in touched.values() if i.pk is not None and i not in new],
        ["triggers"],
    )
    record(
        AuditAction.CHANGE,
        actor=by,
        target=meeting,
        detail={
            "agenda_from_triggers": sorted({s.trigger for s in suggestions}),
            "people": sorted(person_ids),
        },
    )
    return list(touched.values())


def _key(
    person_id: int | None, subject_type: str, subject_id: int | None
) -> tuple[Any, ...] | None:
    if person_id is not None:
        return ("person", person_id)
    if subject_type and subject_id is not None:
        return (subject_type, subject_id)
    return None


@transaction.atomic
def write_paper(*, by: User, item: AgendaItem, paper: str) -> AgendaItem:
    """The briefing for a child's item: written by someone who may change the
    child's record (usually the lead professional), shown only to attendees who
    may see the child."""
    meeting = item.meeting
    if item.person is None:
        require_manager(by, meeting)
    else:
        require_child(by, meeting, item.person)
    if not paper.strip():
        raise ValidationError({"paper": "Enter the briefing"})
    item.paper = paper.strip()
    item.save(update_fields=["paper"])
    record(
        AuditAction.CHANGE,
        actor=by,
        target=meeting,
        detail={"paper_for_item": item.pk, "person": item.person_id},
    )
    return item
