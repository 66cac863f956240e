"""The meetings world (tests/factories/meetings.py) and a busy one whose triggers
all fire: Ash newly high risk with an overdue action, Bo missing with a referral
awaiting a decision, and Cy, the police's child, newly high risk."""

import datetime as dt

import pytest
from django.utils import timezone

from svduty.cases import actions as case_actions
from svduty.cases.models import ScreeningTool
from svduty.cases.seed import load_defaults
from tests.factories.meetings import meeting_world


@pytest.fixture
def world(db):
    return meeting_world()


def _high_risk(by, person):
    load_defaults()
    tool = ScreeningTool.objects.get(version=1)
    answers = {
        i.pk: {"answer": "no"} for g in tool.groups.all() for i in g.indicators.all()
    }
    case_actions.record_screening(
        by=by,
        person=person,
        tool=tool,
        answers=answers,
        agreed_level="high",
        override_reason="Seen with adults known for county lines",
    )


@pytest.fixture
def busy(world):
    today = timezone.localdate()
    sw = world.social_worker
    _high_risk(sw, world.ash)
    plan = case_actions.create_plan(
        by=sw, person=world.ash, review_on=today + dt.timedelta(days=20), goals=["Safe"]
    )
    case_actions.add_plan_action(
        by=sw,
        plan=plan,
        expected_version=plan.version,
        text="Home visit",
        owner=sw,
        due_on=today - dt.timedelta(days=3),
    )
    case_actions.record_event(
        by=sw,
        person=world.bo,
        category="missing_home",
        occurred_at=timezone.now() - dt.timedelta(days=2),
        summary="Missing overnight",
        returned_at=timezone.now() - dt.timedelta(days=1),
    )
    case_actions.make_referral(
        by=sw,
        person=world.bo,
        reasons=["missing"],
        urgency="standard",
        what_is_known="Missing again",
    )
    # Cy is the police's child: the council chair may not see the record.
    _high_risk(world.officer, world.cy)
    return world
