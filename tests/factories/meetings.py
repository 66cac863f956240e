"""Factories for meetings: a small multi-agency world, built through the actions."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from svduty.cases import actions as case_actions
from svduty.core.authorisation import Role
from svduty.meetings import actions
from svduty.meetings.models import MeetingType
from tests.factories.accounts import AgencyFactory
from tests.factories.cases import partnership_with, person_on_team, practitioner


def meeting_world(name: str = "Meetings Partnership") -> SimpleNamespace:
    """A council and a police force in one partnership. The council's team manager
    chairs a MACE panel about two council children (Ash and Bo); the police
    officer is invited and is on Ash's case team only; Cy is a police child the
    chair cannot see. An outsider works in another partnership."""
    council = AgencyFactory(name=f"{name} Council")
    police = AgencyFactory(name=f"{name} Police")
    elsewhere = AgencyFactory(name=f"{name} Elsewhere")
    partnership = partnership_with(council, police, name=name)
    partnership_with(elsewhere, name=f"{name} Other")
    social_worker = practitioner(council, full_name="Sol Worker")
    chair = practitioner(council, Role.TEAM_MANAGER, full_name="Cha Ir")
    officer = practitioner(police, full_name="Pat Constable")
    outsider = practitioner(elsewhere, full_name="Olly Outsider")
    ash = person_on_team(
        social_worker, partnership=partnership, first_name="Ash", last_name="Alpha"
    )
    bo = person_on_team(
        social_worker, partnership=partnership, first_name="Bo", last_name="Bravo"
    )
    cy = person_on_team(
        officer, partnership=partnership, first_name="Cy", last_name="Charlie"
    )
    case_actions.add_team_member(
        by=social_worker, person=ash, user=officer, role="key_worker"
    )
    meeting = actions.schedule_meeting(
        by=chair,
        partnership=partnership,
        meeting_type=MeetingType.MACE,
        title="MACE panel",
        held_on=timezone.localdate(),
        chair=chair,
    )
    return SimpleNamespace(**locals())


def agenda_with_children(world: SimpleNamespace) -> None:
    """Ash and Bo on the agenda with papers; a minute about both; the police
    invited by name."""
    chair, meeting = world.chair, world.meeting
    actions.invite(by=chair, meeting=meeting, agency=world.police, user=world.officer)
    actions.invite(by=chair, meeting=meeting, agency=world.council)
    for child in (world.ash, world.bo):
        actions.add_agenda_item(
            by=chair, meeting=meeting, person=child, paper=f"Paper about {child}"
        )
    actions.record_minute(
        by=chair,
        meeting=meeting,
        heading="Children at the skate park",
        text="Panel discussed the skate park.",
        parts={
            world.ash: "Ash was seen with older men.",
            world.bo: "Bo has a drug debt.",
        },
    )
    for child, text in ((world.ash, "Refer Ash to mentoring"), (world.bo, "Bo safety")):
        actions.record_decision(
            by=chair,
            meeting=meeting,
            person=child,
            text=f"Decision about {child}",
            actions=[
                actions.ActionSpec(
                    text=text,
                    owner=world.social_worker,
                    due_on=timezone.localdate() + dt.timedelta(days=14),
                )
            ],
        )
