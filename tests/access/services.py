"""Access matrix for services and interventions (issue 11, parts 2, 3 and 6).
The catalogue holds no personal data: everyone in the partnership reads it, and
partnership leads and team managers keep it (MANAGE_SERVICES). A child's referrals,
reachable moments, NRM referrals, return home interviews and notices are part of the
child's record: the case team (the matrix practitioner) and their team manager."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from svduty.core.authorisation import Role

from . import ALL_ROLES, Route, with_copies_out_of_scope

CATALOGUE = frozenset({Role.PARTNERSHIP_LEAD, Role.TEAM_MANAGER})
CASEWORK = frozenset({Role.PRACTITIONER, Role.TEAM_MANAGER})
API_USERS = ALL_ROLES - {Role.AUDITOR}  # auditors have no API tokens


def setup(ctx):
    from tests.factories.cases import partnership_with, person_on_team, practitioner

    partnership = partnership_with(ctx.agency, name="Matrix Partnership")
    worker = ctx.users[Role.PRACTITIONER]
    child = person_on_team(worker, partnership=partnership, first_name="Served")
    ctx.services = _records(ctx.users[Role.TEAM_MANAGER], worker, ctx.agency, child)
    # Out of scope: the same records about another partnership's child
    # (tests/access/cases.py's stranger), kept by that partnership's own staff.
    stranger_lead, stranger = ctx.cases_out.lead, ctx.cases_out.child
    elsewhere = stranger_lead.agencies.get()
    ctx.services_out = _records(
        practitioner(elsewhere, role=Role.TEAM_MANAGER),
        stranger_lead,
        elsewhere,
        stranger,
    )


def _records(manager, worker, agency, child):
    """A service in the child's partnership, and a referral, reachable moment, NRM
    referral, return home interview offer and disruption notice about the child."""
    from django.utils import timezone

    from svduty.cases import actions as cases_actions
    from svduty.cases.models import MissingEpisode
    from svduty.services import actions
    from tests.factories.services import make_service, refer

    service = make_service(manager, child.partnership)
    referral = refer(worker, child, service, dt.date(2026, 1, 5))
    moment = actions.record_reachable_moment(
        by=worker,
        person=child,
        setting="emergency_department",
        site="Matrix Hospital",
        occurred_at=timezone.make_aware(dt.datetime(2026, 1, 6, 22)),
        injury="stab",
        lawful_basis="Safeguarding of children",
        worker="Matrix youth worker",
        offer="Support",
    )
    nrm = actions.record_nrm_referral(
        by=worker,
        person=child,
        referred_on=dt.date(2026, 1, 5),
        first_responder=agency,
        referring_officer="Matrix officer",
        exploitation_types=["criminal"],
        decision_route="sca",
    )
    refused = actions.record_nrm_referral(
        by=worker,
        person=child,
        referred_on=dt.date(2026, 1, 5),
        first_responder=agency,
        referring_officer="Matrix officer",
        exploitation_types=["criminal"],
        decision_route="sca",
    )
    refused = actions.record_rg_decision(
        by=worker, nrm=refused, decision="negative", decided_on=dt.date(2026, 1, 9)
    )
    reconsideration = actions.request_nrm_reconsideration(
        by=worker,
        nrm=refused,
        stage="reasonable",
        requested_on=dt.date(2026, 1, 12),
        requested_by="Matrix guardian",
        reason="New evidence",
    )
    returned = timezone.make_aware(dt.datetime(2026, 1, 8, 9))
    event = cases_actions.record_event(
        by=worker,
        person=child,
        category="missing_home",
        occurred_at=returned - dt.timedelta(hours=20),
        summary="Missing overnight",
        returned_at=returned,
    )
    episode = MissingEpisode.objects.get(event=event)
    event2 = cases_actions.record_event(
        by=worker,
        person=child,
        category="missing_home",
        occurred_at=returned + dt.timedelta(days=3),
        summary="Missing again",
        returned_at=returned + dt.timedelta(days=4),
    )
    offered = actions.offer_return_interview(
        by=worker,
        episode=MissingEpisode.objects.get(event=event2),
        offered_at=returned + dt.timedelta(days=4, hours=2),
    )
    tool = actions.record_disruption(
        by=worker,
        person=child,
        kind="cawn",
        subject="Adult A",
        issued_by=agency,
        issued_on=dt.date(2026, 1, 10),
    )
    return SimpleNamespace(
        child=child,
        service=service,
        referral=referral,
        moment=moment,
        nrm=nrm,
        refused=refused,
        reconsideration=reconsideration,
        episode=episode,
        offer=offered,
        tool=tool,
    )


def _child(ctx, which="services"):
    return {"pk": getattr(ctx, which).child.pk}


def _s(name):
    return lambda ctx, which="services": {"pk": getattr(getattr(ctx, which), name).pk}


ROUTES = [
    Route("services:catalogue", allowed=ALL_ROLES),
    Route("services:export_csv", allowed=ALL_ROLES),
    Route("services:export_xlsx", allowed=ALL_ROLES),
    Route("services:export_pdf", allowed=ALL_ROLES),
    Route("services:new", allowed=CATALOGUE),
    Route("services:detail", allowed=ALL_ROLES, kwargs=_s("service")),
    Route("services:edit", allowed=CATALOGUE, kwargs=_s("service")),
    Route(
        "services:person_panel",
        allowed=CASEWORK,
        kwargs=_child,
        note="The child's services, loaded into the child's record.",
    ),
    Route("services:refer", allowed=CASEWORK, kwargs=_child),
    Route("services:moment_new", allowed=CASEWORK, kwargs=_child),
    Route("services:nrm_new", allowed=CASEWORK, kwargs=_child),
    Route("services:disruption_new", allowed=CASEWORK, kwargs=_child),
    Route("services:referral", allowed=CASEWORK, kwargs=_s("referral")),
    Route(
        "services:referral_step",
        allowed=CASEWORK,
        kwargs=lambda c, which="services": {
            "pk": getattr(c, which).referral.pk,
            "step": "decide",
        },
    ),
    Route("services:moment_response", allowed=CASEWORK, kwargs=_s("moment")),
    Route("services:moment_follow_up", allowed=CASEWORK, kwargs=_s("moment")),
    Route(
        "services:nrm_decision",
        allowed=CASEWORK,
        kwargs=lambda c, which="services": {
            "pk": getattr(c, which).nrm.pk,
            "stage": "reasonable",
        },
    ),
    Route("services:nrm_s45", allowed=CASEWORK, kwargs=_s("nrm")),
    Route(
        "services:nrm_reconsideration",
        allowed=CASEWORK,
        kwargs=lambda c, which="services": {
            "pk": getattr(c, which).refused.pk,
            "stage": "reasonable",
        },
    ),
    Route(
        "services:nrm_reconsideration_answer",
        allowed=CASEWORK,
        kwargs=_s("reconsideration"),
    ),
    Route("services:interview_offer", allowed=CASEWORK, kwargs=_s("episode")),
    Route("services:interview_outcome", allowed=CASEWORK, kwargs=_s("offer")),
    Route("services:disruption_end", allowed=CASEWORK, kwargs=_s("tool")),
    Route("api-services", allowed=API_USERS),
    Route("api-service-waiting-list", allowed=API_USERS, kwargs=_s("service")),
    Route("api-child-service-referrals", allowed=CASEWORK, kwargs=_child),
    Route("api-child-nrm-referrals", allowed=CASEWORK, kwargs=_child),
    Route("api-child-reachable-moments", allowed=CASEWORK, kwargs=_child),
    Route("api-child-return-interviews", allowed=CASEWORK, kwargs=_child),
    Route(
        "api-service-referral-step",
        allowed=CASEWORK,
        kwargs=lambda c, which="services": {
            "pk": getattr(c, which).referral.pk,
            "step": "decide",
        },
        method="post",
        expect=400,
        note="POST only; an empty step is refused as 400.",
    ),
    Route(
        "api-nrm-decision",
        allowed=CASEWORK,
        kwargs=lambda c, which="services": {
            "pk": getattr(c, which).nrm.pk,
            "stage": "reasonable",
        },
        method="post",
        expect=400,
        note="POST only; an empty decision is refused as 400.",
    ),
    Route(
        "api-nrm-reconsider",
        allowed=CASEWORK,
        kwargs=lambda c, which="services": {
            "pk": getattr(c, which).refused.pk,
            "stage": "reasonable",
        },
        method="post",
        expect=400,
        note="POST only; an empty request is refused as 400.",
    ),
    Route(
        "api-nrm-reconsideration-answer",
        allowed=CASEWORK,
        kwargs=_s("reconsideration"),
        method="post",
        expect=400,
        note="POST only; an empty answer is refused as 400.",
    ),
    Route(
        "api-nrm-section-45",
        allowed=CASEWORK,
        kwargs=_s("nrm"),
        method="post",
        expect=400,
        note="POST only; an empty record is refused as 400.",
    ),
]


# Every page about one record names the other partnership's copy of it.
ROUTES = with_copies_out_of_scope(ROUTES, "services_out")
