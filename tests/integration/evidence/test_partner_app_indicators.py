"""The indicators counted from meetings, places and services on small fixtures
with known numerators and denominators (the empty case for every indicator is
`test_indicators.test_an_empty_partnership_has_no_figures_for_any_indicator`)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from svduty.cases.models import EventCategory, MissingEpisode, PlanAction
from svduty.cases.models.plans import PlanActionStatus
from svduty.meetings import actions as meeting_actions
from svduty.meetings.models import Attendance, Invitation, MeetingType
from svduty.places import actions as place_actions
from svduty.places.models import InterventionKind
from svduty.services import actions as service_actions
from svduty.services.models import GroundsDecision
from tests.factories.evidence import at, event, evidence_world
from tests.factories.meetings import agenda_with_children, meeting_world
from tests.factories.places import make_place
from tests.factories.places import world as places_world

from .test_indicators import totals

pytestmark = pytest.mark.django_db


def test_meeting_attendance_actions_and_children_discussed():
    world = meeting_world()
    agenda_with_children(world)  # police (named) and council invited; Ash, Bo
    invitations = {
        i.agency_id: i.pk for i in Invitation.objects.filter(meeting=world.meeting)
    }
    meeting_actions.record_attendance(
        by=world.chair,
        meeting=world.meeting,
        attendance={
            invitations[world.police.pk]: Attendance.SENT_REPORT,
            invitations[world.council.pk]: Attendance.APOLOGIES,
        },
    )
    # A meeting next month, its invitation not yet recorded: not counted.
    later = meeting_actions.schedule_meeting(
        by=world.chair,
        partnership=world.partnership,
        meeting_type=MeetingType.STRATEGY,
        title="Later",
        held_on=world.meeting.held_on + dt.timedelta(days=30),
        chair=world.chair,
    )
    meeting_actions.invite(by=world.chair, meeting=later, agency=world.police)
    assert totals(world, "meeting-attendance")[:2] == (1, 2)
    assert totals(world, "children-discussed-mace")[1] == 2

    # The two agreed actions are due in 14 days: none counted yet.
    assert totals(world, "meeting-actions-on-time")[:2] == (0, 0)
    today = timezone.localdate()
    first, second = PlanAction.objects.order_by("pk")
    PlanAction.objects.filter(pk=first.pk).update(
        due_on=today - dt.timedelta(days=1),
        status=PlanActionStatus.DONE,
        completed_at=at(today - dt.timedelta(days=2)),
    )
    PlanAction.objects.filter(pk=second.pk).update(due_on=today - dt.timedelta(days=1))
    assert totals(world, "meeting-actions-on-time")[:2] == (1, 2)
    PlanAction.objects.filter(pk=second.pk).update(status=PlanActionStatus.CANCELLED)
    assert totals(world, "meeting-actions-on-time")[:2] == (1, 1)


def test_places_with_an_intervention_and_interventions_started():
    world = places_world()
    park = make_place(world.lead, world.partnership)
    make_place(world.lead, world.partnership, name="Bus station")
    assert totals(world, "places-with-intervention")[:2] == (0, 2)
    assert totals(world, "place-interventions-started")[1] == 0
    place_actions.record_intervention(
        by=world.lead,
        place=park,
        kind=InterventionKind.LIGHTING,
        started_on=timezone.localdate() - dt.timedelta(days=3),
    )
    assert totals(world, "places-with-intervention")[:2] == (1, 2)
    assert totals(world, "place-interventions-started")[1] == 1


def test_return_home_interview_offers_in_time():
    world = evidence_world()
    day = world.today - dt.timedelta(days=10)

    def offered_after(person, hours):
        e = event(world, person=person, category=EventCategory.MISSING_HOME, on=day)
        returned = at(day, 12)
        episode = MissingEpisode.objects.create(
            event=e,
            person=person,
            started_at=at(day, 1),
            returned_at=returned,
            interview_due_at=returned + dt.timedelta(hours=72),
        )
        return service_actions.offer_return_interview(
            by=world.manager,
            episode=episode,
            offered_at=returned + dt.timedelta(hours=hours),
        )

    assert offered_after(world.ash, 24).offered_in_time
    assert not offered_after(world.bo, 100).offered_in_time
    assert totals(world, "return-offer-in-time")[:2] == (1, 2)


def test_nrm_reasonable_grounds_decisions_in_time():
    world = evidence_world()
    referred = world.today - dt.timedelta(days=40)

    def nrm(person, on=referred):
        return service_actions.record_nrm_referral(
            by=world.manager,
            person=person,
            referred_on=on,
            first_responder=world.council,
            referring_officer="PC Test",
            exploitation_types=["criminal"],
            decision_route="devolved",
        )

    in_time, late = nrm(world.ash), nrm(world.bo)
    nrm(world.ash)  # undecided and overdue: in the denominator
    nrm(world.bo, on=world.today)  # undecided, not yet due: not counted
    service_actions.record_rg_decision(
        by=world.manager,
        nrm=in_time,
        decision=GroundsDecision.POSITIVE,
        decided_on=referred + dt.timedelta(days=1),
    )
    service_actions.record_rg_decision(
        by=world.manager,
        nrm=late,
        decision=GroundsDecision.NEGATIVE,
        decided_on=referred + dt.timedelta(days=30),
    )
    assert totals(world, "nrm-rg-in-time")[:2] == (1, 3)
