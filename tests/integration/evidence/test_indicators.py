"""Every indicator on a small fixture with a known numerator and denominator,
including the empty and the small-number cases."""

from __future__ import annotations

import datetime as dt

import pytest

from svduty.cases.models import (
    CaseTeamMember,
    Contribution,
    EventCategory,
    MissingEpisode,
    Plan,
    PlanAction,
    PlanVersion,
    RiskLevel,
    Screening,
    ScreeningTool,
)
from svduty.evidence import figures
from svduty.evidence.indicators import REGISTRY
from tests.factories.evidence import assessment, at, event, evidence_world, referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return evidence_world()


def totals(world, key):
    """(numerator, denominator, total) over the period, all agencies."""
    cells = figures.compute([world.partnership.pk], indicators=[REGISTRY[key]])
    rows = [c for c in cells if c.agency is None]
    num = sum(c.numerator for c in rows)
    den = sum(c.denominator for c in rows)
    tot = sum(c.total or 0 for c in rows)
    return num, den, tot


def test_an_empty_partnership_has_no_figures_for_any_indicator(world):
    assert figures.compute([world.partnership.pk]) == []


def test_referrals_decided_in_time_and_days_to_decision(world):
    day = world.today - dt.timedelta(days=20)
    referral(world, received=day, decided=day)  # same day: in time, 0.25 days
    referral(world, received=day, decided=day + dt.timedelta(days=3))  # late
    referral(world, received=day)  # overdue, undecided
    referral(world, received=world.today, due=world.today + dt.timedelta(days=1))
    assert totals(world, "referral-decided-in-time")[:2] == (1, 3)
    num, den, tot = totals(world, "referral-days-to-decision")
    assert den == 2
    assert tot == pytest.approx(0.25 + 3.25)
    assert totals(world, "children-referred")[1] == 4


def test_referrals_from_health_and_schools_by_agency(world):
    day = world.today - dt.timedelta(days=5)
    referral(world, received=day, agency=world.school)
    referral(world, received=day, agency=world.health)
    referral(world, received=day, agency=world.health)
    assert totals(world, "referrals-from-health")[:2] == (2, 3)
    assert totals(world, "referrals-from-schools")[:2] == (1, 3)
    cells = figures.compute(
        [world.partnership.pk], indicators=[REGISTRY["referrals-from-health"]]
    )
    by_agency = {c.agency: (c.numerator, c.denominator) for c in cells}
    assert by_agency[world.health.pk] == (2, 2)
    assert by_agency[world.school.pk] == (0, 1)


def test_assessment_indicators(world):
    old = world.today - dt.timedelta(days=60)
    due = world.today - dt.timedelta(days=10)
    on_time = assessment(
        world,
        started=old,
        due=due,
        signed_off=due,
        child_views="I want to stay at school.",
        extra_familial_harm="Older peers at the park.",
    )
    late = assessment(
        world, started=old, due=due, signed_off=due + dt.timedelta(days=2)
    )
    assessment(world, started=old, due=due)  # open and overdue
    assessment(world, started=world.today, due=world.today + dt.timedelta(days=45))
    Contribution.objects.create(
        assessment=late,
        agency=world.school,
        question="Attendance?",
        requested_by=world.manager,
        due_on=due,
    )
    assert on_time.pk
    assert totals(world, "assessment-on-time")[:2] == (1, 3)
    assert totals(world, "assessment-contributions")[:2] == (1, 2)
    assert totals(world, "assessment-child-views")[:2] == (1, 2)
    assert totals(world, "assessment-extra-familial")[:2] == (1, 2)
    assert totals(world, "assessment-online-harm")[:2] == (0, 2)


def test_plans_lead_professional_actions_and_review_after_rise(world):
    plan_ash = Plan.objects.create(
        person=world.ash, review_on=world.today, created_by=world.manager
    )
    Plan.objects.create(
        person=world.bo, review_on=world.today, created_by=world.manager
    )
    CaseTeamMember.objects.filter(person=world.bo, role="lead").update(
        ended_at=at(world.today)
    )
    assert totals(world, "plan-lead-professional")[:2] == (1, 2)

    due = world.today - dt.timedelta(days=3)
    done = PlanAction.objects.create(
        plan=plan_ash,
        text="Mentoring",
        owner_agency=world.council,
        owner=world.manager,
        due_on=due,
        status="done",
        completed_at=at(due),
    )
    PlanAction.objects.create(
        plan=plan_ash,
        text="School visit",
        owner_agency=world.school,
        owner=world.teacher,
        due_on=due,
    )
    PlanAction.objects.create(
        plan=plan_ash,
        text="Cancelled",
        owner_agency=world.school,
        owner=world.teacher,
        due_on=due,
        status="cancelled",
    )
    assert done.pk
    assert totals(world, "plan-actions-on-time")[:2] == (1, 2)

    tool = ScreeningTool.objects.create(name="Evidence tool")
    base = world.today - dt.timedelta(days=40)

    def screen(person, day, level):
        return Screening.objects.create(
            person=person,
            tool=tool,
            screened_on=day,
            score=1,
            suggested_level=level,
            agreed_level=level,
            completed_by=world.manager,
        )

    screen(world.ash, base, RiskLevel.LOW)
    rise = screen(world.ash, base + dt.timedelta(days=5), RiskLevel.HIGH)
    screen(world.bo, base, RiskLevel.MEDIUM)
    screen(world.bo, base + dt.timedelta(days=5), RiskLevel.HIGH)  # not reviewed
    screen(world.bo, base + dt.timedelta(days=6), RiskLevel.LOW)  # a fall
    PlanVersion.objects.create(
        plan=plan_ash,
        number=2,
        snapshot={},
        change_summary="Risk rose",
        created_by=world.manager,
        created_at=at(rise.screened_on + dt.timedelta(days=4)),
    )
    assert totals(world, "plan-reviewed-after-rise")[:2] == (1, 2)


def test_chronology_indicators(world):
    day = world.today - dt.timedelta(days=8)
    Plan.objects.create(
        person=world.ash,
        review_on=world.today,
        created_by=world.manager,
        created_at=at(day - dt.timedelta(days=30)),
    )
    event(world, category=EventCategory.ARREST, on=day)
    event(world, person=world.bo, category=EventCategory.ARREST, on=day)
    assert totals(world, "arrests-while-supported")[:2] == (1, 2)

    # What followed: ash (on a plan) diverted and later given a caution, bo (no
    # plan) charged; an arrest is not an outcome.
    event(world, category=EventCategory.DIVERSION, on=day)
    event(world, category=EventCategory.OUT_OF_COURT, on=day)
    event(world, person=world.bo, category=EventCategory.CHARGE, on=day)
    assert totals(world, "charges-while-supported")[:2] == (1, 2)
    assert totals(world, "diverted-from-prosecution")[:2] == (1, 3)

    event(
        world,
        category=EventCategory.NRM,
        on=day,
        decision="Positive RG",
        decision_on=day,
    )
    event(world, person=world.bo, category=EventCategory.NRM, on=day)
    assert totals(world, "nrm-decision-recorded")[:2] == (1, 2)

    event(world, category=EventCategory.MISSING_EDUCATION, on=day)
    event(world, category=EventCategory.EXCLUSION, on=day)
    event(world, category=EventCategory.CONTACT, on=day)
    assert totals(world, "missing-education")[1] == 2


def test_return_home_interviews(world):
    day = world.today - dt.timedelta(days=10)

    def episode(person, interviewed_after_hours):
        e = event(world, person=person, category=EventCategory.MISSING_HOME, on=day)
        returned = at(day, 12)
        due = returned + dt.timedelta(hours=72)
        return MissingEpisode.objects.create(
            event=e,
            person=person,
            started_at=at(day, 1),
            returned_at=returned,
            interview_due_at=due,
            interview_completed_at=(
                returned + dt.timedelta(hours=interviewed_after_hours)
                if interviewed_after_hours is not None
                else None
            ),
            interviewer=world.manager if interviewed_after_hours is not None else None,
        )

    episode(world.ash, 24)
    episode(world.bo, 100)
    episode(world.ash, None)  # overdue
    assert totals(world, "return-interview-in-time")[:2] == (1, 3)


def test_records_outside_the_period_or_partnership_are_not_counted(world):
    other = evidence_world("Other Evidence Partnership")
    long_ago = world.today - dt.timedelta(days=500)
    referral(world, received=long_ago, decided=long_ago)
    referral(other, received=world.today - dt.timedelta(days=2))
    assert totals(world, "children-referred")[1] == 0


def test_small_numbers_one_record(world):
    day = world.today - dt.timedelta(days=3)
    referral(world, received=day, decided=day)
    assert totals(world, "referral-decided-in-time")[:2] == (1, 1)
    indicator = REGISTRY["referral-decided-in-time"]
    assert indicator.value(1, 1, None) == 100.0
