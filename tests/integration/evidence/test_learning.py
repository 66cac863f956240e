"""Workforce, engagement and learning records (issue 12 points 5 and 6): the actions'
rules, the database's, the indicators they feed (known numerator and denominator,
empty and small cases), and the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from svduty.audit.models import AuditEvent
from svduty.core.authorisation import Role
from svduty.evidence import actions, figures
from svduty.evidence.indicators import REGISTRY
from svduty.evidence.models import Recommendation, SupervisionReturn
from tests.factories.cases import practitioner
from tests.factories.evidence import evidence_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return evidence_world()


def totals(world, key):
    cells = figures.compute([world.partnership.pk], indicators=[REGISTRY[key]])
    rows = [c for c in cells if c.agency is None]
    return sum(c.numerator for c in rows), sum(c.denominator for c in rows)


def test_empty_partnership_counts_nothing(world):
    for key in (
        "practitioners-trained",
        "practitioners-supervised",
        "engagement-led-to-change",
        "young-people-engaged",
        "recommendations-on-time",
        "learning-events",
        "oversight-followed-up",
        "oversight-decisions",
        "sna-causes",
    ):
        assert totals(world, key) == (0, 0), key


def test_training_places_weighted_by_attendance(world):
    day = world.today - dt.timedelta(days=3)
    core = actions.record_training_session(
        by=world.lead,
        partnership=world.partnership,
        title="Exploitation",
        topic="exploitation",
        held_on=day,
    )
    other = actions.record_training_session(
        by=world.lead,
        partnership=world.partnership,
        title="Fire safety",
        topic="other",
        held_on=day,
    )
    actions.record_attendance(
        by=world.lead, session=core, agency=world.school, role="school", attended=7
    )
    actions.record_attendance(
        by=world.lead, session=other, agency=world.council, role="manager", attended=3
    )
    # Recording the same agency and role again replaces the number.
    actions.record_attendance(
        by=world.lead, session=core, agency=world.school, role="school", attended=9
    )
    assert totals(world, "practitioners-trained") == (9, 12)
    with pytest.raises(ValidationError):
        actions.record_attendance(
            by=world.lead, session=core, agency=world.school, role="school", attended=0
        )


def test_supervision_returns_and_their_rules(world):
    month = world.today.replace(day=1)
    actions.record_supervision(
        by=world.manager,
        partnership=world.partnership,
        agency=world.council,
        month=month,
        practitioners=4,
        supervised=3,
    )
    assert totals(world, "practitioners-supervised") == (3, 4)
    with pytest.raises(ValidationError):
        actions.record_supervision(
            by=world.manager,
            partnership=world.partnership,
            agency=world.council,
            month=month,
            practitioners=2,
            supervised=3,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        SupervisionReturn.objects.filter(agency=world.council).update(supervised=9)


def test_only_managers_in_the_partnership_record(world):
    with pytest.raises(PermissionDenied):
        actions.record_engagement(
            by=world.teacher,
            partnership=world.partnership,
            held_on=world.today,
            kind="survey",
            who="Parents",
            where="Online",
            participants=3,
            young_people=0,
            heard="Worried about the park",
        )
    other = evidence_world("Elsewhere")
    with pytest.raises(PermissionDenied):
        actions.record_review(
            by=other.lead,
            partnership=world.partnership,
            kind="rapid",
            title="Not ours",
            started_on=world.today,
        )


def test_engagement_change_and_young_people(world):
    first = actions.record_engagement(
        by=world.lead,
        partnership=world.partnership,
        held_on=world.today,
        kind="youth_forum",
        who="Year 9",
        where="School hall",
        participants=20,
        young_people=18,
        heard="Buses stop too early",
    )
    actions.record_engagement(
        by=world.lead,
        partnership=world.partnership,
        held_on=world.today,
        kind="parents",
        who="Parents",
        where="Library",
        participants=2,
        young_people=0,
        heard="Nowhere to go",
    )
    assert totals(world, "engagement-led-to-change") == (0, 2)
    actions.record_engagement_change(
        by=world.lead, activity=first, changed="Later bus agreed with the operator"
    )
    assert totals(world, "engagement-led-to-change") == (1, 2)
    assert totals(world, "young-people-engaged") == (18, 18)


def test_recommendations_on_time_and_learning_events(world):
    start = world.today - dt.timedelta(days=60)
    review = actions.record_review(
        by=world.lead,
        partnership=world.partnership,
        kind="rapid",
        title="Rapid review",
        started_on=start,
    )
    on_time = actions.add_recommendation(
        by=world.lead, review=review, text="A", due_on=start + dt.timedelta(days=10)
    )
    actions.add_recommendation(
        by=world.lead, review=review, text="B", due_on=start + dt.timedelta(days=20)
    )
    actions.add_recommendation(
        by=world.lead,
        review=review,
        text="Not due",
        due_on=world.today + dt.timedelta(days=30),
    )
    actions.complete_recommendation(
        by=world.lead,
        recommendation=on_time,
        completed_on=start + dt.timedelta(days=5),
        note="Done",
    )
    assert totals(world, "recommendations-on-time") == (1, 2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Recommendation.objects.filter(text="B").update(completed_on=world.today)
    with pytest.raises(ValidationError):
        actions.record_learning_event(
            by=world.lead,
            partnership=world.partnership,
            title="Single agency",
            held_on=world.today,
            attendees=5,
            agencies=[world.council],
        )
    actions.record_learning_event(
        by=world.lead,
        partnership=world.partnership,
        title="Learning",
        held_on=world.today,
        attendees=5,
        agencies=[world.council, world.school],
        review=review,
    )
    assert totals(world, "learning-events") == (1, 1)


def test_oversight_follow_up(world):
    decided = world.today - dt.timedelta(days=40)
    late = actions.record_oversight_decision(
        by=world.lead,
        partnership=world.partnership,
        forum="executive",
        decided_on=decided,
        subject="Exploitation",
        decision="A priority",
        follow_up_due_on=decided + dt.timedelta(days=7),
    )
    actions.record_oversight_decision(
        by=world.lead,
        partnership=world.partnership,
        forum="board",
        decided_on=decided,
        subject="No follow-up",
        decision="Noted",
    )
    assert totals(world, "oversight-followed-up") == (0, 1)
    assert totals(world, "oversight-decisions") == (2, 2)
    actions.record_follow_up(
        by=world.lead, decision=late, followed_up_on=decided + dt.timedelta(days=6)
    )
    assert totals(world, "oversight-followed-up") == (1, 1)


def test_pages_list_add_and_refuse(world, client_for):
    lead = client_for(world.lead)
    url = reverse("evidence:engagement", kwargs={"slug": world.partnership.slug})
    before = AuditEvent.objects.count()
    response = lead.post(
        url,
        {
            "kind": "survey",
            "held_on_day": world.today.day,
            "held_on_month": world.today.month,
            "held_on_year": world.today.year,
            "who": "Pupils",
            "where": "Online",
            "participants": "40",
            "young_people": "50",
            "heard": "Knife carrying is for protection",
        },
    )
    assert response.status_code == 200
    assert "cannot be more than everyone" in response.content.decode()
    assert AuditEvent.objects.count() == before
    # An analyst reads the list but has no form and cannot post.
    analyst = client_for(practitioner(world.council, Role.ANALYST))
    page = analyst.get(url)
    assert (
        page.status_code == 200 and "Record an engagement" not in page.content.decode()
    )
    assert analyst.post(url, {}).status_code == 403
