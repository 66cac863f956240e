"""Demo data: about 500 synthetic children across the four Cleveland community
safety partnerships, with referrals, screenings, assessments, plans, relationships
and events from every agency.

Every name is generated from obviously made-up parts ("Demowood", "Samplefield") so
nobody can mistake the demo for real data; the base template's banner says so on
every page. The workflow goes through the actions (so the audit trail, case teams and
timescales are real); historic agency events are bulk-inserted for speed. Running the
loader again changes nothing.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from svduty.accounts.models import Agency, Membership, User
from svduty.core.authorisation import Role
from svduty.partnership.models import Partnership

from . import actions
from .models import (
    AssessmentType,
    Event,
    EventCategory,
    Indicator,
    Person,
    Relationship,
    ScreeningTool,
    Significance,
)
from .seed import load_defaults

SEED = 20261127
#: The share of children whose work is behind (an overdue screening review or
#: assessment) in the demo.
BEHIND_SHARE = 1 / 7
FIRST_NAMES = [
    "Alex",
    "Bailey",
    "Casey",
    "Charlie",
    "Dani",
    "Eden",
    "Finley",
    "Frankie",
    "Harley",
    "Jamie",
    "Jordan",
    "Kai",
    "Lennie",
    "Logan",
    "Morgan",
    "Nico",
    "Olly",
    "Parker",
    "Quinn",
    "Riley",
    "Rowan",
    "Sam",
    "Sky",
    "Taylor",
    "Toni",
]
SURNAME_START = ["Demo", "Sample", "Mock", "Fictio", "Testa", "Example", "Synthe"]
SURNAME_END = ["wood", "field", "ley", "worth", "by", "ton", "ridge", "brook"]

# (partnership slug, council, youth justice service)
COUNCILS = {
    "hartlepool": "Hartlepool Borough Council",
    "middlesbrough": "Middlesbrough Council",
    "redcar-and-cleveland": "Redcar and Cleveland Borough Council",
    "stockton-on-tees": "Stockton-on-Tees Borough Council",
}

# Extra demo practitioners for the children-at-risk journeys.
# (username, full name, role, agency)
CASE_USERS = [
    (
        "school-lead",
        "Dee Safeguarding-Lead (demo)",
        Role.PRACTITIONER,
        "Teesside Academy (demo school)",
    ),
    (
        "police-officer",
        "PC Pat Constable (demo)",
        Role.PRACTITIONER,
        "Cleveland Police",
    ),
    (
        "health-nurse",
        "Nia Nurse (demo)",
        Role.PRACTITIONER,
        "North East and North Cumbria Integrated Care Board",
    ),
    (
        "sw-hartlepool",
        "Hari Social-Worker (demo)",
        Role.PRACTITIONER,
        "Hartlepool Borough Council",
    ),
    (
        "sw-redcar",
        "Remi Social-Worker (demo)",
        Role.PRACTITIONER,
        "Redcar and Cleveland Borough Council",
    ),
    (
        "sw-stockton",
        "Stevie Social-Worker (demo)",
        Role.PRACTITIONER,
        "Stockton-on-Tees Borough Council",
    ),
    (
        "manager-hartlepool",
        "Harper Manager (demo)",
        Role.TEAM_MANAGER,
        "Hartlepool Borough Council",
    ),
    (
        "manager-redcar",
        "Reese Manager (demo)",
        Role.TEAM_MANAGER,
        "Redcar and Cleveland Borough Council",
    ),
    (
        "manager-stockton",
        "Storm Manager (demo)",
        Role.TEAM_MANAGER,
        "Stockton-on-Tees Borough Council",
    ),
]
LEADS = {
    "hartlepool": ("sw-hartlepool", "manager-hartlepool"),
    "middlesbrough": ("practitioner", "manager"),
    "redcar-and-cleveland": ("sw-redcar", "manager-redcar"),
    "stockton-on-tees": ("sw-stockton", "manager-stockton"),
}
EVENT_TEXT = {
    EventCategory.POLICE_CONTACT: (
        "Cleveland Police",
        [
            "Stop and search, nothing found",
            "Seen with older males at the bus station",
            "Reported as a witness to an assault",
        ],
    ),
    EventCategory.MISSING_EDUCATION: (
        "Teesside Academy (demo school)",
        [
            "Not in school for 3 days, family not answering",
            "Left school at lunchtime without permission",
        ],
    ),
    EventCategory.EXCLUSION: (
        "Teesside Academy (demo school)",
        ["Fixed-term exclusion, 3 days", "Moved to the pupil referral unit"],
    ),
    EventCategory.ED_ATTENDANCE: (
        "South Tees Hospitals NHS Foundation Trust",
        ["Hand laceration, says he fell", "Facial injury after an assault"],
    ),
    EventCategory.ARREST: (
        "Cleveland Police",
        ["Arrested for possession of a bladed article, released under investigation"],
    ),
    EventCategory.CONTACT: (
        "Tees Valley Youth Support Trust (demo charity)",
        ["Mentoring session held", "Youth worker met the child at the hospital"],
    ),
}


def _users(context) -> dict[str, User]:
    from svduty.accounts.demo import DEMO_PASSWORD

    agencies = {a.name: a for a in Agency.objects.all()}
    for username, full_name, role, agency_name in CASE_USERS:
        if User.objects.filter(username=username).exists():
            continue
        user = User(
            username=username,
            full_name=full_name,
            email=f"{username}@demo.svduty.invalid",
            roles=[role.value],
            is_active=True,
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        Membership.objects.create(
            user=user, agency=agencies[agency_name], is_primary=True
        )
    names = [u[0] for u in CASE_USERS] + ["practitioner", "manager", "auditor"]
    return {u.username: u for u in User.objects.filter(username__in=names)}


def _name(rng: random.Random) -> tuple[str, str]:
    return rng.choice(FIRST_NAMES), rng.choice(SURNAME_START) + rng.choice(SURNAME_END)


def load(context: dict) -> None:
    # The data migration seeds these; seeding again is a no-op, and it makes the demo
    # work on a database whose tables were emptied since (as tests do between runs).
    load_defaults()
    if Person.objects.filter(created_by__username="school-lead").exists():
        return
    users = _users(context)
    count = 60 if context.get("quick") else 500
    rng = random.Random(SEED)
    partnerships = {p.slug: p for p in Partnership.objects.filter(slug__in=COUNCILS)}
    if len(partnerships) < len(COUNCILS):
        return
    tool = ScreeningTool.objects.filter(is_active=True).order_by("-version").first()
    indicators = list(Indicator.objects.filter(group__tool=tool))
    assessment_type = AssessmentType.objects.get(name="Child and family assessment")
    agencies = {a.name: a for a in Agency.objects.all()}
    police = agencies["Cleveland Police"]
    today = timezone.localdate()
    children_by_partnership: dict[str, list[Person]] = {}
    for index in range(count):
        slug = rng.choice(list(COUNCILS))
        with transaction.atomic():
            person = _child(
                rng,
                index,
                users,
                partnerships[slug],
                slug,
                tool,
                indicators,
                assessment_type,
                police,
                agencies,
                today,
            )
        children_by_partnership.setdefault(slug, []).append(person)
    # Siblings and peers within each partnership.
    for people in children_by_partnership.values():
        for a, b in zip(people[::7], people[1::7], strict=False):
            Relationship.objects.get_or_create(
                person=a, related=b, kind="peer", defaults={"created_by": a.created_by}
            )
        for a, b in zip(people[2::11], people[3::11], strict=False):
            Relationship.objects.get_or_create(
                person=a,
                related=b,
                kind="sibling",
                defaults={"created_by": a.created_by},
            )
    _justice_outcomes(police)
    _disclosures(children_by_partnership.get("middlesbrough", []), users, police, today)
    _waiting_referrals(users, partnerships["middlesbrough"])
    stdout = context.get("stdout")
    if stdout:
        stdout.write(f"  {count} synthetic children loaded")


def _waiting_referrals(users, partnership) -> None:
    """Two new Middlesbrough referrals nobody has decided yet, one urgent, so that
    the demo's team manager (`manager`) has a queue to triage from the home page and
    the navigation (issue 16: every demo referral was already decided, and the
    manager's home page said there was nothing to do). Their own random stream, so
    the rest of the demo is the same as before they were added."""
    rng = random.Random(SEED + 2)
    for referrer, urgency, reasons in (
        ("school-lead", "urgent", ["weapon_carrying"]),
        ("police-officer", "standard", ["criminal_exploitation", "missing"]),
    ):
        first, last = _name(rng)
        with transaction.atomic():
            person = actions.create_person(
                by=users[referrer],
                partnership=partnership,
                role="referrer",
                first_name=first,
                last_name=last,
                date_of_birth=timezone.localdate()
                - dt.timedelta(days=rng.randint(12 * 365, 16 * 365)),
                sex=rng.choice(["female", "male"]),
            )
            actions.make_referral(
                by=users[referrer],
                person=person,
                reasons=reasons,
                urgency=urgency,
                what_is_known=f"Synthetic demo referral about {first}: seen with "
                "older young people late at night.",
            )


def _disclosures(people, users, police, today) -> None:
    """Two disclosures outside svduty on a Middlesbrough child (the `practitioner`
    demo user is its lead): one standing, one withdrawn, each with its purpose and
    gateway (issue 9, build 3)."""
    if not people:
        return
    person, by = people[0], users["practitioner"]
    with transaction.atomic():
        actions.record_disclosure(
            by=by,
            person=person,
            disclosed_on=today - dt.timedelta(days=12),
            recipient="PC Demo, neighbourhood policing team",
            recipient_organisation="Cleveland Police",
            recipient_agency=police,
            legal_gateway="cda1998_s115",
            purpose_basis="crime",
            purpose="To plan joint work on the estate where the child was exploited.",
            information_shared="The places the child was found when missing.",
        )
        wrong = actions.record_disclosure(
            by=by,
            person=person,
            disclosed_on=today - dt.timedelta(days=9),
            recipient="Youth club manager (demo)",
            recipient_organisation="Demo Youth Club",
            legal_gateway="ca2004_s11",
            purpose_basis="safeguarding",
            purpose="So the club could look out for the child.",
            information_shared="The child's school and the names of two peers.",
        )
        actions.withdraw_disclosure(
            by=by,
            disclosure=wrong,
            reason="The peers' names should not have been shared (demo).",
        )


#: What followed an arrest in the demo: most children diverted to support, some
#: given an out-of-court disposal, a few charged (synthetic shares).
JUSTICE_TEXT = [
    (EventCategory.DIVERSION, "Diverted to the youth justice prevention programme"),
    (EventCategory.DIVERSION, "Deferred prosecution: referred to mentoring"),
    (EventCategory.OUT_OF_COURT, "Community resolution with a referral to support"),
    (EventCategory.OUT_OF_COURT, "Youth conditional caution"),
    (EventCategory.CHARGE, "Charged with possession of a bladed article"),
]


def _justice_outcomes(police: Agency) -> None:
    """An outcome for most demo arrests, a few weeks later. Its own random stream,
    so the rest of the demo is the same as before it was added."""
    rng = random.Random(SEED + 1)
    now = timezone.now()
    outcomes = []
    arrests = Event.objects.filter(
        category=EventCategory.ARREST,
        person__created_by__username__in=[
            "school-lead",
            "police-officer",
            "health-nurse",
        ],
    ).order_by("pk")
    for arrest in arrests:
        if rng.random() < 0.3:
            continue  # released, no further action yet
        category, summary = rng.choice(JUSTICE_TEXT)
        outcomes.append(
            Event(
                person_id=arrest.person_id,
                occurred_at=min(
                    now, arrest.occurred_at + dt.timedelta(days=rng.randint(7, 60))
                ),
                category=category,
                significance=Significance.MEDIUM,
                agency=police,
                summary=summary,
                recorded_by_id=arrest.recorded_by_id,
            )
        )
    Event.objects.bulk_create(outcomes)


def _child(
    rng,
    index,
    users,
    partnership,
    slug,
    tool,
    indicators,
    assessment_type,
    police,
    agencies,
    today,
) -> Person:
    lead_name, manager_name = LEADS[slug]
    lead, manager = users[lead_name], users[manager_name]
    referrer = users[rng.choice(["school-lead", "police-officer", "health-nurse"])]
    first, last = _name(rng)
    dob = today - dt.timedelta(days=rng.randint(10 * 365, 17 * 365))
    person = actions.create_person(
        by=referrer,
        partnership=partnership,
        role="referrer",
        first_name=first,
        last_name=last,
        date_of_birth=dob,
        sex=rng.choice(["female", "male", "male"]),
        ethnicity=rng.choice(
            ["white_british"] * 6
            + [
                "asian_pakistani",
                "mixed_white_black_caribbean",
                "black_african",
                "not_stated",
            ]
        ),
        sen_status=rng.choice(["none", "none", "sen_support", "ehc_plan", "not_known"]),
        learning_disability=rng.random() < 0.08,
        education_setting="Teesside Academy (demo school)",
    )
    referral = actions.make_referral(
        by=referrer,
        person=person,
        reasons=rng.sample(
            [
                "weapon_carrying",
                "criminal_exploitation",
                "missing",
                "injury",
                "exclusion_absence",
                "online_harm",
            ],
            k=rng.randint(1, 2),
        ),
        urgency=rng.choice(["standard", "standard", "urgent", "immediate"]),
        what_is_known=f"Synthetic demo referral about {first}: "
        "concerns about older associates.",
    )
    outcome = rng.choice(["screening", "screening", "assessment", "signpost", "nfa"])
    actions.decide_referral(
        by=manager,
        referral=referral,
        outcome=outcome,
        reason="Demo decision" if outcome in ("signpost", "nfa") else "",
        lead_professional=lead if outcome in ("screening", "assessment") else None,
    )
    if outcome in ("signpost", "nfa"):
        _history(rng, person, referrer, agencies, today, count=rng.randint(1, 4))
        return person
    level = None
    # Most children's work is on time, so that "Overdue" on the case list picks out
    # the few that are behind (issue 16: it marked 82 of 87 children). One child in
    # seven is behind: the latest screening older than its 12-week review, or an
    # assessment past its timescale. A separate generator decides which, so that
    # the rest of the demo stays as it was.
    behind = random.Random(f"{SEED}-behind-{index}").random() < BEHIND_SHARE
    months = rng.sample(range(1, 18), k=rng.randint(1, 3))
    if not behind:
        # The same spacing between screenings, the latest within two months.
        shift = min(months) - random.Random(f"{SEED}-latest-{index}").randint(0, 2)
        months = [m - shift for m in months]
    for months_ago in sorted(months, reverse=True):
        yes = {i.pk for i in rng.sample(indicators, k=rng.randint(0, 6))}
        answers = {
            i.pk: {
                "answer": "yes"
                if i.pk in yes
                else rng.choice(["no", "no", "not_known"]),
                "when": "current",
            }
            for i in indicators
        }
        suggestion = actions.work.suggestion_for(tool, person, answers)
        override = rng.random() < 0.1 and suggestion.level != "low"
        level = (
            "medium"
            if override and suggestion.level == "high"
            else ("low" if override else suggestion.level)
        )
        actions.record_screening(
            by=lead,
            person=person,
            tool=tool,
            answers=answers,
            agreed_level=level,
            override_reason="Demo: protective factors at home reduce the risk"
            if override
            else "",
            screened_on=today - dt.timedelta(days=30 * months_ago),
        )
    if outcome == "assessment" or rng.random() < 0.3:
        assessment = actions.start_assessment(
            by=lead,
            person=person,
            assessment_type=assessment_type,
            # 45 working days' timescale: started within 50 days, on time.
            started_on=today
            - dt.timedelta(days=_on_time(rng.randint(5, 90), behind, limit=50)),
        )
        contribution = actions.request_contribution(
            by=lead,
            assessment=assessment,
            agency=police,
            question="Police contact in the last year?",
        )
        if rng.random() < 0.7:
            actions.respond_to_contribution(
                by=users["police-officer"],
                contribution=contribution,
                response="Synthetic demo: two stop and searches, no arrests.",
            )
        if rng.random() < 0.5:
            assessment = actions.update_assessment(
                by=lead,
                assessment=assessment,
                expected_version=assessment.version,
                child_views="(Demo) I just want people to leave me alone.",
                analysis="(Demo) Risk outside the home from older peers; plan needed.",
                late_reason="Demo: waiting for contributions"
                if assessment.is_overdue()
                else "",
            )
            assessment = actions.submit_assessment(
                by=lead, assessment=assessment, expected_version=assessment.version
            )
            actions.sign_off_assessment(by=manager, assessment=assessment, approve=True)
    if level in ("medium", "high") and rng.random() < 0.7:
        plan = actions.create_plan(
            by=lead,
            person=person,
            review_on=today + dt.timedelta(days=rng.randint(7, 60)),
            goals=[
                f"{first} feels safe travelling to school",
                f"{first} is in full-time education",
            ],
        )
        for text in (
            "Safety planning session with the family",
            "Mentoring referral to the youth trust",
        ):
            plan.refresh_from_db()
            actions.add_plan_action(
                by=lead,
                plan=plan,
                expected_version=plan.version,
                text=text,
                owner=lead,
                due_on=today + dt.timedelta(days=rng.randint(1, 30)),
            )
    if rng.random() < 0.03:
        actions.set_restricted(
            by=manager,
            person=person,
            restricted=True,
            reason="Demo: relative of a member of staff",
        )
    _history(rng, person, lead, agencies, today, count=rng.randint(3, 15))
    return person


def _on_time(days_ago: int, behind: bool, *, limit: int) -> int:
    """`days_ago` for a child who is behind; otherwise folded into the last `limit`
    days (at least 5)."""
    return days_ago if behind else 5 + (days_ago - 5) % (limit - 5)


def _history(rng, person, recorder, agencies, today, *, count: int) -> None:
    """Historic events from every agency (bulk-inserted: they are the agencies' own
    records arriving in the chronology, with nothing to decide)."""
    events = []
    now = timezone.now()
    for _ in range(count):
        category = rng.choice(list(EVENT_TEXT))
        agency_name, texts = EVENT_TEXT[category]
        occurred = now - dt.timedelta(
            days=rng.randint(1, 700), hours=rng.randint(0, 23)
        )
        events.append(
            Event(
                person=person,
                occurred_at=occurred,
                category=category,
                significance=rng.choice(
                    [Significance.LOW, Significance.MEDIUM, Significance.HIGH]
                ),
                agency=agencies[agency_name],
                summary=rng.choice(texts),
                recorded_by=recorder,
            )
        )
    Event.objects.bulk_create(events)
    if rng.random() < 0.25:
        went = now - dt.timedelta(days=rng.randint(1, 20))
        event = (
            actions.record_event(
                by=recorder,
                person=person,
                category=EventCategory.MISSING_HOME,
                occurred_at=went,
                summary="Missing overnight from home (synthetic)",
                returned_at=went + dt.timedelta(hours=rng.randint(6, 30)),
            )
            if _can_edit(recorder, person)
            else None
        )
        if event is not None and rng.random() < 0.6:
            actions.record_return_interview(
                by=recorder,
                episode=event.missing_episode,
                summary="(Demo) Stayed at a friend's flat; "
                "felt pressured to carry a bag.",
            )
    actions.refresh_summary(person)


def _can_edit(user, person) -> bool:
    from .policies import can_edit

    return can_edit(user, person)
