"""The agenda built from triggers: new high-risk children, new missing episodes,
overdue plan actions and referrals awaiting a decision, only for children the
organiser may see; and the registry other apps add their own triggers to."""

from __future__ import annotations

import datetime as dt

import pytest

from svduty.meetings import actions, triggers
from svduty.meetings.models import AgendaItem, AgendaKind


def _by_child(suggestions):
    found: dict[int | None, set[str]] = {}
    for s in suggestions:
        found.setdefault(s.person_id, set()).add(s.trigger)
    return found


def test_each_trigger_finds_its_children_within_the_chairs_scope(busy):
    found = _by_child(triggers.suggestions_for(busy.meeting, busy.chair))
    assert found == {
        busy.ash.pk: {"cases.new_high_risk", "cases.overdue_actions"},
        busy.bo.pk: {"cases.new_missing", "cases.referrals_awaiting"},
    }
    assert busy.cy.pk not in found


def test_the_police_see_their_own_child(busy):
    found = _by_child(triggers.suggestions_for(busy.meeting, busy.officer))
    assert found[busy.cy.pk] == {"cases.new_high_risk"}
    assert busy.bo.pk not in found


def test_suggestions_become_one_item_per_child_with_every_reason(busy):
    chosen = triggers.suggestions_for(busy.meeting, busy.chair)
    actions.add_suggested_items(by=busy.chair, meeting=busy.meeting, suggestions=chosen)
    items = {i.person_id: i for i in AgendaItem.objects.filter(meeting=busy.meeting)}
    assert set(items) == {busy.ash.pk, busy.bo.pk}
    assert len(items[busy.ash.pk].triggers) == 2
    assert "overdue" in " ".join(t["reason"] for t in items[busy.ash.pk].triggers)
    # Asking again adds nothing twice.
    actions.add_suggested_items(by=busy.chair, meeting=busy.meeting, suggestions=chosen)
    assert AgendaItem.objects.filter(meeting=busy.meeting).count() == 2


def test_a_suggestion_about_a_child_out_of_scope_is_refused(busy):
    from django.core.exceptions import ValidationError

    forged = triggers.Suggestion(
        trigger="cases.new_high_risk", reason="x", person_id=busy.cy.pk
    )
    with pytest.raises(ValidationError):
        actions.add_suggested_items(
            by=busy.chair, meeting=busy.meeting, suggestions=[forged]
        )


def test_since_is_the_previous_meeting_of_the_same_type(world):
    assert triggers.since_for(world.meeting) == world.meeting.held_on - dt.timedelta(
        days=28
    )
    earlier = actions.schedule_meeting(
        by=world.chair,
        partnership=world.partnership,
        meeting_type="mace",
        title="Last month",
        held_on=world.meeting.held_on - dt.timedelta(days=14),
        chair=world.chair,
    )
    assert triggers.since_for(world.meeting) == earlier.held_on


class RisingIncidents:
    """What another app registers from its AppConfig.ready(): a subject that is
    not a child (nor one of the places app's places)."""

    key = "test.rising_incidents"
    label = "Corners with rising incidents"
    description = "More incidents than the 28 days before."

    def suggest(self, *, meeting, user, since):
        yield triggers.Suggestion(
            trigger=self.key,
            reason="12 incidents in 28 days (was 5)",
            title="Skate park, Demo Road",
            subject_type="test.corner",
            subject_id=7,
        )


def test_another_app_can_register_a_trigger(world):
    triggers.register(RisingIncidents())
    try:
        found = triggers.suggestions_for(
            world.meeting, world.chair, keys=["test.rising_incidents"]
        )
        items = actions.add_suggested_items(
            by=world.chair, meeting=world.meeting, suggestions=found
        )
        assert [(i.kind, i.title, i.subject_id) for i in items] == [
            (AgendaKind.SUBJECT, "Skate park, Demo Road", 7)
        ]
        with pytest.raises(triggers.DuplicateTrigger):

            class Impostor(RisingIncidents):
                pass

            triggers.register(Impostor())
    finally:
        triggers.unregister("test.rising_incidents")
    assert "test.rising_incidents" not in {p.key for p in triggers.providers()}


def test_registry_refuses_what_is_not_a_provider():
    with pytest.raises(TypeError):
        triggers.register(object())
