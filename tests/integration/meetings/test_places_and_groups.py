"""Decisions per place and per peer group (MACE level 2), the "places with rising
incidents" trigger, and the child's record showing their meetings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from svduty.cases.panels import panels_for
from svduty.meetings import actions, place_triggers, triggers
from svduty.meetings.models import AgendaItem, AgendaKind
from svduty.meetings.reading import meeting_for
from svduty.places.triggers import RisingPlace
from tests.factories.meetings import agenda_with_children
from tests.factories.places import make_group, make_place


@pytest.fixture
def panel(world):
    agenda_with_children(world)
    world.place = make_place(world.social_worker, world.partnership, name="Skate park")
    # Ash and Bo: the chair may read both; the police officer may not read Bo.
    world.group = make_group(
        world.social_worker, world.partnership, world.ash, world.bo
    )
    for subject in ({"place": world.place}, {"peer_group": world.group}):
        actions.add_agenda_item(by=world.chair, meeting=world.meeting, **subject)
        actions.record_decision(
            by=world.chair,
            meeting=world.meeting,
            text=f"Decision about the {next(iter(subject))}",
            **subject,
        )
    return world


def test_chair_sees_place_and_group_decisions(panel):
    view = meeting_for(panel.chair, panel.meeting)
    kinds = [item.kind for item, _ in view.rows]
    assert kinds.count(AgendaKind.PLACE) == 1 and kinds.count(AgendaKind.GROUP) == 1
    texts = {d.text for _, section in view.rows if section for d in section.decisions}
    assert {"Decision about the place", "Decision about the peer_group"} <= texts
    assert view.hidden_contexts == 0


def test_group_is_hidden_from_an_attendee_who_cannot_see_every_member(
    panel, client_for
):
    data = (
        client_for(panel.officer)
        .get(reverse("api-meetings-detail", args=[panel.meeting.pk]))
        .json()
    )
    titles = [item["title"] for item in data["agenda"]]
    assert "Skate park" in titles
    assert "Group 1 (town centre)" not in titles
    assert data["hidden_contexts"] == 1
    assert "Decision about the peer_group" not in str(data)
    assert "Decision about the place" in str(data)
    page = client_for(panel.officer).get(
        reverse("meetings:detail", args=[panel.meeting.pk])
    )
    assert b"Group 1 (town centre)" not in page.content
    assert b"1 place or peer group on the agenda is not shown" in page.content


def test_place_decisions_take_no_plan_actions(panel):
    with pytest.raises(ValidationError):
        actions.record_decision(
            by=panel.chair,
            meeting=panel.meeting,
            place=panel.place,
            text="Patrols",
            actions=[
                actions.ActionSpec(
                    text="Patrol",
                    owner=panel.chair,
                    due_on=timezone.localdate() + dt.timedelta(days=3),
                )
            ],
        )


def test_rising_places_trigger_suggests_a_place_item(world, monkeypatch):
    place = make_place(world.social_worker, world.partnership, name="Bus station")
    month = dt.date(2026, 9, 1)
    monkeypatch.setattr(
        place_triggers,
        "rising_places",
        lambda partnership, *, as_of: [
            RisingPlace(place, 12, 5, (month, month), (month, month), "recorded")
        ],
    )
    found = triggers.suggestions_for(
        world.meeting, world.chair, keys=["places.rising_incidents"]
    )
    assert [(s.title, s.subject_id) for s in found] == [("Bus station", place.pk)]
    actions.add_suggested_items(
        by=world.chair, meeting=world.meeting, suggestions=found
    )
    item = AgendaItem.objects.get(meeting=world.meeting)
    assert (item.kind, item.place_id) == (AgendaKind.PLACE, place.pk)
    assert "12 incidents recorded" in item.triggers[0]["reason"]


def test_childs_record_shows_a_meetings_panel(panel, client_for):
    assert "Meetings" in [p.title for p in panels_for(panel.social_worker)]
    fragment = client_for(panel.social_worker).get(
        reverse("meetings:child", args=[panel.ash.pk]), HTTP_HX_REQUEST="true"
    )
    body = fragment.content.decode()
    assert "<html" not in body
    assert "Decision about Ash Alpha" in body
    assert "Bo Bravo" not in body
