"""Demo data: a synthetic service catalogue in each of the four Cleveland
partnerships, with children referred to the services (some waiting for weeks,
some receiving them, some ended with an outcome), a reachable moment at James Cook
University Hospital that became a referral to the hospital youth workers, NRM
referrals (one with its reasonable grounds decision overdue), return home interview
offers on the demo's missing episodes and a child abduction warning notice.

Services are synthetic ("(demo)" in the provider's name); the Youth Endowment Fund
ratings name the toolkit's strategy pages. Everything goes through the actions (audit
trail and all); running the loader again changes nothing."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from svduty.accounts.models import User
from svduty.cases.models import MissingEpisode, Person, PersonKind
from svduty.partnership.models import Partnership

from . import actions
from .models import Service

AREAS = {
    "hartlepool": ("sw-hartlepool", "manager-hartlepool"),
    "middlesbrough": ("practitioner", "manager"),
    "redcar-and-cleveland": ("sw-redcar", "manager-redcar"),
    "stockton-on-tees": ("sw-stockton", "manager-stockton"),
}
YEF = "https://youthendowmentfund.org.uk/toolkit/"
# (name, provider, type, min age, max age, capacity, YEF strategy, impact, security)
CATALOGUE = (
    (
        "Mentoring for young people",
        "Tees Mentors (demo)",
        "mentoring",
        10,
        18,
        12,
        "mentoring",
        "moderate",
        3,
    ),
    (
        "Trauma-focused therapy",
        "Tees Valley CAMHS (demo)",
        "therapeutic",
        10,
        17,
        6,
        "trauma-focused-cognitive-behavioural-therapy",
        "high",
        2,
    ),
    (
        "Multisystemic therapy",
        "Family Therapy Service (demo)",
        "family_therapy",
        11,
        17,
        4,
        "multisystemic-therapy",
        "moderate",
        3,
    ),
    (
        "Hospital youth workers",
        "Navigate Teesside (demo)",
        "hospital_navigator",
        11,
        25,
        20,
        "a-e-navigators",
        "moderate",
        1,
    ),
    (
        "Custody youth workers",
        "Navigate Teesside (demo)",
        "custody_navigator",
        11,
        25,
        15,
        "",
        "",
        None,
    ),
    (
        "Sport after school",
        "Boxing Club (demo)",
        "sport",
        10,
        18,
        30,
        "sports-programmes",
        "moderate",
        2,
    ),
    (
        "Detached youth work",
        "Youth Service (demo)",
        "detached_youth_work",
        10,
        19,
        40,
        "",
        "",
        None,
    ),
    (
        "Focused deterrence",
        "Community Safety (demo)",
        "focused_deterrence",
        14,
        25,
        10,
        "focused-deterrence",
        "high",
        3,
    ),
    (
        "Inclusion support",
        "Education Inclusion Team (demo)",
        "education_inclusion",
        10,
        16,
        25,
        "",
        "",
        None,
    ),
)


def _day(days_ago: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days_ago)


def _catalogue(manager: User, partnership: Partnership) -> list[Service]:
    made = []
    for name, provider, kind, lo, hi, cap, strategy, impact, security in CATALOGUE:
        made.append(
            actions.add_service(
                by=manager,
                partnership=partnership,
                name=name,
                provider=provider,
                service_type=kind,
                description="Synthetic demo service.",
                min_age=lo,
                max_age=hi,
                capacity=cap,
                contact_email="referrals@demo.svduty.invalid",
                yef_strategy=strategy.replace("-", " ").capitalize() if impact else "",
                yef_impact=impact,
                yef_evidence_security=security,
                evidence_source=(YEF + strategy) if impact else "",
            )
        )
    return made


def _referrals(user: User, services: list[Service], children: list[Person]) -> None:
    """A realistic spread: long waits for therapy, ended mentoring with outcomes."""
    plan = [
        # (service index, referred days ago, decided after, started after, ended after)
        (1, 95, 10, None, None),  # therapy: waiting over three months
        (1, 70, None, None, None),
        (1, 40, 7, None, None),
        (0, 120, 3, 14, 90),
        (0, 60, 2, 9, None),
        (0, 20, None, None, None),
        (2, 150, 5, 30, 120),
        (5, 45, 1, 4, None),
        (6, 30, 1, 2, None),
        (8, 80, 5, 12, None),
        (7, 25, None, None, None),
    ]
    for i, (index, ago, decided, started, ended) in enumerate(plan):
        if i >= len(children):
            break
        child, service = children[i], services[index]
        referral = actions.refer_to_service(
            by=user,
            person=child,
            service=service,
            referred_on=_day(ago),
            reason="Synthetic demo referral.",
            consent="child_and_parent" if i % 3 else "child",
        )
        if decided is None:
            continue
        actions.decide_referral(
            by=user, referral=referral, accepted=True, decided_on=_day(ago - decided)
        )
        if started is None:
            continue
        actions.start_service(
            by=user, referral=referral, started_on=_day(ago - started)
        )
        actions.record_attendance(by=user, referral=referral, offered=8, attended=6)
        if ended is None:
            continue
        actions.end_service(
            by=user,
            referral=referral,
            ended_on=_day(ago - ended),
            end_reason="completed",
            outcome="met" if i % 2 else "partly_met",
            outcome_notes="Synthetic demo outcome.",
        )


def _exploitation(user: User, services: list[Service], children: list[Person]) -> None:
    if len(children) < 3:
        return
    child = children[-1]
    moment = actions.record_reachable_moment(
        by=user,
        person=child,
        setting="emergency_department",
        site="James Cook University Hospital",
        occurred_at=timezone.now() - dt.timedelta(days=12, hours=3),
        injury="stab",
        lawful_basis="Safeguarding of children (DPA 2018 Schedule 1, paragraph 18)",
        worker="Hospital youth worker (demo)",
        offer="Meet on the ward tomorrow and weekly after discharge",
    )
    actions.record_moment_response(
        by=user,
        moment=moment,
        response="accepted",
        responded_on=_day(11),
        service=services[3],
        onward_referrals=["mace"],
    )
    actions.record_reachable_moment(
        by=user,
        person=children[-2],
        setting="custody_suite",
        site="Middlesbrough custody suite",
        occurred_at=timezone.now() - dt.timedelta(days=3),
        injury="none",
        lawful_basis="Safeguarding of children",
        worker="Custody youth worker (demo)",
        offer="Youth worker visit at home",
    )
    agency = user.memberships.order_by("-is_primary", "id").first()
    if agency is None:
        return
    overdue = actions.record_nrm_referral(
        by=user,
        person=children[-3],
        referred_on=_day(12),
        first_responder=agency.agency,
        referring_officer="Demo first responder",
        exploitation_types=["criminal"],
        decision_route="devolved",
    )
    del overdue  # no decision yet: more than 5 working days, shown as overdue
    decided = actions.record_nrm_referral(
        by=user,
        person=child,
        referred_on=_day(60),
        first_responder=agency.agency,
        referring_officer="Demo first responder",
        exploitation_types=["criminal", "sexual"],
        decision_route="devolved",
        ictg_referred_on=_day(58),
    )
    actions.record_rg_decision(
        by=user, nrm=decided, decision="positive", decided_on=_day(55)
    )
    actions.record_disruption(
        by=user,
        person=child,
        kind="cawn",
        subject="Adult of concern A (demo)",
        issued_by=agency.agency,
        issued_on=_day(20),
        expires_on=_day(20) + dt.timedelta(days=730),
    )


def _interviews(user: User, partnership: Partnership) -> None:
    episodes = (
        MissingEpisode.objects.filter(
            person__in=Person.objects.visible_to(user),
            person__partnership=partnership,
            returned_at__isnull=False,
            interview_completed_at__isnull=True,
            interview_not_held_reason="",
            return_offer__isnull=True,
        )
        .select_related("person")
        .order_by("id")[:3]
    )
    for n, episode in enumerate(episodes):
        assert episode.returned_at is not None
        offered_at = episode.returned_at + dt.timedelta(hours=20 if n != 1 else 90)
        if offered_at > timezone.now():
            continue
        offer = actions.offer_return_interview(
            by=user,
            episode=episode,
            offered_at=offered_at,
            interviewer_name="Independent return interviewer (demo)",
            interviewer_role="Missing children worker",
        )
        held_at = offered_at + dt.timedelta(hours=20)
        if n == 0 and held_at < timezone.now():
            actions.record_interview_outcome(
                by=user,
                offer=offer,
                response="held",
                completed_at=held_at,
                reasons="Synthetic demo: went to meet older peers who give lifts",
                support_wanted="Someone to talk to after school",
                shared_with_police=True,
                shared_with_mace=True,
            )


def load(context: dict) -> None:
    partnerships = {p.slug: p for p in Partnership.objects.filter(slug__in=AREAS)}
    names = [n for pair in AREAS.values() for n in pair]
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    made = 0
    for slug, partnership in partnerships.items():
        worker_name, manager_name = AREAS[slug]
        worker, manager = users.get(worker_name), users.get(manager_name)
        if worker is None or manager is None:
            continue
        if Service.objects.filter(partnership=partnership).exists():
            continue
        with transaction.atomic():
            services = _catalogue(manager, partnership)
            children = list(
                Person.objects.visible_to(worker)
                .filter(partnership=partnership, kind=PersonKind.CHILD)
                .order_by("id")[:14]
            )
            _referrals(worker, services, children)
            _exploitation(worker, services, children)
            _interviews(worker, partnership)
        made += len(services)
    stdout = context.get("stdout")
    if stdout and made:
        stdout.write(f"  {made} synthetic services loaded, with referrals")
