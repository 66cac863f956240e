"""Factories for the evidence app: a small partnership with known records, written
as plain rows (the indicators only read them)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from svduty.accounts.models import AgencyType
from svduty.cases.models import (
    Assessment,
    AssessmentStatus,
    AssessmentType,
    Event,
    EventCategory,
    Referral,
)
from svduty.core.authorisation import Role
from tests.factories.accounts import AgencyFactory
from tests.factories.cases import partnership_with, person_on_team, practitioner


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))


def evidence_world(name: str = "Evidence Partnership") -> SimpleNamespace:
    """A council, a school and a hospital trust in one partnership; the council's
    team manager leads two children (Ash, Bo); a partnership lead; a practitioner
    in the school who is on no case team."""
    council = AgencyFactory(name=f"{name} Council")
    school = AgencyFactory(name=f"{name} School", agency_type=AgencyType.EDUCATION)
    health = AgencyFactory(name=f"{name} Trust", agency_type=AgencyType.HEALTH_PROVIDER)
    partnership = partnership_with(council, school, health, name=name)
    manager = practitioner(council, Role.TEAM_MANAGER, full_name="Mandy Manager")
    lead = practitioner(council, Role.PARTNERSHIP_LEAD, full_name="Lee Lead")
    teacher = practitioner(school, full_name="Tess Teacher")
    ash = person_on_team(
        manager, partnership=partnership, first_name="Ash", last_name="Alpha"
    )
    bo = person_on_team(
        manager, partnership=partnership, first_name="Bo", last_name="Bravo"
    )
    today = timezone.localdate()
    return SimpleNamespace(**locals())


def referral(
    world: SimpleNamespace,
    *,
    person=None,
    agency=None,
    received: dt.date,
    due: dt.date | None = None,
    decided: dt.date | None = None,
) -> Referral:
    return Referral.objects.create(
        person=person or world.ash,
        partnership=world.partnership,
        referred_by=world.manager,
        referrer_agency=agency or world.council,
        received_at=at(received, 9),
        reasons=["weapon_carrying"],
        urgency="standard",
        what_is_known="Seen with a knife.",
        decision_due_on=due or received + dt.timedelta(days=1),
        outcome="assessment" if decided else "",
        decided_at=at(decided, 15) if decided else None,
        decided_by=world.manager if decided else None,
    )


def assessment(
    world: SimpleNamespace,
    *,
    person=None,
    started: dt.date,
    due: dt.date,
    signed_off: dt.date | None = None,
    **fields,
) -> Assessment:
    kind, _ = AssessmentType.objects.get_or_create(name="Child and family assessment")
    return Assessment.objects.create(
        person=person or world.ash,
        assessment_type=kind,
        lead=world.manager,
        started_on=started,
        due_on=due,
        status=AssessmentStatus.SIGNED_OFF
        if signed_off
        else AssessmentStatus.IN_PROGRESS,
        signed_off_by=world.manager if signed_off else None,
        signed_off_at=at(signed_off) if signed_off else None,
        **fields,
    )


def event(
    world: SimpleNamespace, *, person=None, category: str, on: dt.date, **fields
) -> Event:
    return Event.objects.create(
        person=person or world.ash,
        occurred_at=at(on),
        category=category,
        agency=fields.pop("agency", world.council),
        summary=f"{EventCategory(category).label}",
        recorded_by=world.manager,
        **fields,
    )


def learning_records(partnership, by, agencies, *, day: dt.date | None = None):
    """One record of each workforce, engagement and learning kind in the partnership,
    written as plain rows (for the access matrix and out-of-scope checks)."""
    from svduty.evidence.models import (
        EngagementActivity,
        LearningEvent,
        OversightDecision,
        PracticeReview,
        Recommendation,
        SupervisionReturn,
        TrainingAttendance,
        TrainingSession,
    )

    day = day or timezone.localdate() - dt.timedelta(days=20)
    session = TrainingSession.objects.create(
        partnership=partnership,
        title="Exploitation basics",
        topic="exploitation",
        held_on=day,
        recorded_by=by,
    )
    TrainingAttendance.objects.create(
        session=session, agency=agencies[0], role="social_worker", attended=12
    )
    SupervisionReturn.objects.create(
        partnership=partnership,
        agency=agencies[0],
        month=day.replace(day=1),
        practitioners=20,
        supervised=15,
        recorded_by=by,
    )
    activity = EngagementActivity.objects.create(
        partnership=partnership,
        held_on=day,
        kind="youth_forum",
        who="Year 10 pupils",
        where="Youth centre",
        participants=30,
        young_people=25,
        heard="The underpass feels unsafe after dark.",
        recorded_by=by,
    )
    review = PracticeReview.objects.create(
        partnership=partnership,
        kind="rapid",
        title="Rapid review: child A",
        started_on=day,
        recorded_by=by,
    )
    recommendation = Recommendation.objects.create(
        review=review, text="Share missing episodes with schools", due_on=day
    )
    event = LearningEvent.objects.create(
        partnership=partnership,
        title="Learning from child A",
        held_on=day,
        attendees=40,
        recorded_by=by,
    )
    event.agencies.set(agencies)
    decision = OversightDecision.objects.create(
        partnership=partnership,
        forum="executive",
        decided_on=day,
        subject="Exploitation priority",
        decision="Exploitation is a safeguarding priority for the year.",
        follow_up_due_on=day + dt.timedelta(days=30),
        recorded_by=by,
    )
    return SimpleNamespace(
        session=session,
        activity=activity,
        review=review,
        recommendation=recommendation,
        event=event,
        decision=decision,
    )
