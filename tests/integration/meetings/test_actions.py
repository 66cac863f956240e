"""Meetings: arranging, attendance, agenda, minutes, decisions, and actions that are
the children's own plan actions (one row, seen from both places)."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from svduty.cases import actions as case_actions
from svduty.cases.models import Event, EventCategory, PlanAction, PlanActionStatus
from svduty.core.authorisation import ROLE_PERMISSIONS, Permission, Role
from svduty.meetings import actions
from svduty.meetings.models import (
    AgendaItem,
    Attendance,
    DecisionAction,
    Invitation,
    MinutePart,
)
from tests.factories.cases import practitioner
from tests.factories.meetings import agenda_with_children


def test_only_the_chair_or_organiser_runs_the_meeting(world):
    with pytest.raises(PermissionDenied):
        actions.invite(by=world.officer, meeting=world.meeting, agency=world.police)


def test_invitation_must_be_a_partnership_agency_and_its_staff(world):
    with pytest.raises(ValidationError):
        actions.invite(by=world.chair, meeting=world.meeting, agency=world.elsewhere)
    with pytest.raises(ValidationError):
        actions.invite(
            by=world.chair,
            meeting=world.meeting,
            agency=world.council,
            user=world.officer,
        )


def test_a_named_invitee_must_be_able_to_see_childrens_records(world):
    """The page and the API offer only people with VIEW_CASES; the action refuses
    anyone else too (an analyst or an inactive account would otherwise see the
    meeting and its agenda through the invitation)."""
    analyst = practitioner(world.police, Role.ANALYST, full_name="Ana Lyst")
    with pytest.raises(ValidationError) as refused:
        actions.invite(
            by=world.chair, meeting=world.meeting, agency=world.police, user=analyst
        )
    assert "user" in refused.value.message_dict
    gone = practitioner(world.police, full_name="Ex Officer")
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    with pytest.raises(ValidationError):
        actions.invite(
            by=world.chair, meeting=world.meeting, agency=world.police, user=gone
        )
    assert not Invitation.objects.filter(meeting=world.meeting).exists()
    # The boundary: a practitioner of the same agency is accepted.
    actions.invite(
        by=world.chair, meeting=world.meeting, agency=world.police, user=world.officer
    )


def test_the_database_refuses_a_named_invitee_who_may_not_see_records(world):
    analyst = practitioner(world.police, Role.ANALYST, full_name="Ana Lyst")
    for agency, user in (
        (world.police, analyst),  # no VIEW_CASES
        (world.council, world.officer),  # not of the invited agency
    ):
        with (
            pytest.raises(IntegrityError, match="invited by name"),
            transaction.atomic(),
        ):
            Invitation.objects.create(meeting=world.meeting, agency=agency, user=user)
    invitation = Invitation.objects.create(
        meeting=world.meeting, agency=world.police, user=world.officer
    )
    Invitation.objects.create(meeting=world.meeting, agency=world.council)
    with pytest.raises(IntegrityError), transaction.atomic():
        Invitation.objects.filter(pk=invitation.pk).update(user=analyst)


def test_the_databases_invitee_roles_are_those_with_view_cases():
    """The trigger's role list is copied from the code's roles: they must agree."""
    module = importlib.import_module(
        "svduty.meetings.migrations.0003_invitee_may_see_records"
    )
    assert set(module.INVITEE_ROLES) == {
        role.value
        for role, permissions in ROLE_PERMISSIONS.items()
        if Permission.VIEW_CASES in permissions
    }


def test_attendance_is_recorded_per_invitation(world):
    police = actions.invite(
        by=world.chair, meeting=world.meeting, agency=world.police, user=world.officer
    )
    council = actions.invite(
        by=world.chair, meeting=world.meeting, agency=world.council
    )
    actions.record_attendance(
        by=world.chair,
        meeting=world.meeting,
        attendance={police.pk: Attendance.SENT_REPORT, council.pk: Attendance.ATTENDED},
    )
    assert dict(Invitation.objects.values_list("pk", "attendance")) == {
        police.pk: "sent_report",
        council.pk: "attended",
    }
    with pytest.raises(ValidationError):
        actions.record_attendance(
            by=world.chair, meeting=world.meeting, attendance={police.pk: "late"}
        )


def test_chair_cannot_put_a_child_they_cannot_see_on_the_agenda(world):
    with pytest.raises(ValidationError):
        actions.add_agenda_item(by=world.chair, meeting=world.meeting, person=world.cy)
    with pytest.raises(ValidationError):
        actions.add_agenda_item(by=world.chair, meeting=world.meeting, title=" ")


def test_decision_action_is_the_childs_plan_action(world):
    agenda_with_children(world)
    links = DecisionAction.objects.select_related("plan_action__plan")
    assert links.count() == 2
    # One row each: the plan holds exactly the actions the meeting links to.
    assert PlanAction.objects.count() == 2
    ash_action = links.get(decision__person=world.ash).plan_action
    assert ash_action.plan.person == world.ash
    assert ash_action.owner == world.social_worker
    # A plan was made for the child (they had none) with the decision as its goal.
    assert ash_action.plan.goals.get().text == "Decision about Ash Alpha"
    # Completing it in the plan is what the meeting sees.
    plan = ash_action.plan
    case_actions.update_plan_action(
        by=world.social_worker,
        action=ash_action,
        expected_version=plan.version,
        status=PlanActionStatus.DONE,
    )
    link = DecisionAction.objects.select_related("plan_action").get(
        plan_action=ash_action
    )
    assert link.plan_action.status == PlanActionStatus.DONE


def test_a_second_action_joins_the_current_plan(world):
    agenda_with_children(world)
    decision = DecisionAction.objects.get(decision__person=world.ash).decision
    actions.add_decision_action(
        by=world.chair,
        decision=decision,
        text="Return home interview",
        owner=world.officer,
        due_on=timezone.localdate() + dt.timedelta(days=3),
    )
    plans = {a.plan_id for a in PlanAction.objects.filter(plan__person=world.ash)}
    assert len(plans) == 1
    assert decision.actions.count() == 2


def test_minute_is_split_into_each_childs_chronology(world):
    agenda_with_children(world)
    ash_events = Event.objects.filter(
        person=world.ash, category=EventCategory.MEETING, source_type="minutepart"
    )
    assert [e.detail for e in ash_events] == ["Ash was seen with older men."]
    bo_details = " ".join(
        Event.objects.filter(person=world.bo).values_list("detail", flat=True)
    )
    assert "Ash" not in bo_details
    assert MinutePart.objects.count() == 2


def test_minute_part_needs_the_child_on_the_agenda(world):
    """The action holds the rule, not only the page and the API: a part goes into
    the child's chronology, so only a child the meeting discussed may have one."""
    with pytest.raises(ValidationError) as refused:
        actions.record_minute(
            by=world.chair,
            meeting=world.meeting,
            heading="Any other business",
            parts={world.ash: "Said in passing."},
        )
    assert "parts" in refused.value.message_dict
    assert not MinutePart.objects.exists()


def test_decision_needs_the_child_on_the_agenda(world):
    with pytest.raises(ValidationError):
        actions.record_decision(
            by=world.chair, meeting=world.meeting, person=world.ash, text="Something"
        )


def test_free_agenda_item_needs_no_child(world):
    item = actions.add_agenda_item(
        by=world.chair, meeting=world.meeting, title="Themes: county lines"
    )
    assert item.kind == "free"
    assert AgendaItem.objects.get().title == "Themes: county lines"


def test_meeting_closes_only_once_it_happened(world):
    meeting = actions.close_meeting(
        by=world.chair,
        meeting=world.meeting,
        expected_version=world.meeting.version,
        general_minutes="Information shared under the agreement.",
    )
    assert meeting.status == "held"
    later = actions.schedule_meeting(
        by=world.chair,
        partnership=world.partnership,
        meeting_type="mace",
        title="Next panel",
        held_on=timezone.localdate() + dt.timedelta(days=30),
        chair=world.chair,
    )
    with pytest.raises(ValidationError):
        actions.close_meeting(by=world.chair, meeting=later, expected_version=1)
