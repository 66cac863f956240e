"""Access matrix for the children-at-risk pages (issue 4). The matrix agency's
practitioner is lead professional for a child with a referral, screening, assessment,
plan and missing episode; its team manager sees the record as a manager of an agency
on the case team. Finer cases (signpost, granted, expired, break-glass, restricted)
are in tests/integration/cases/test_permissions.py."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from svduty.core.authorisation import Role

from . import Route

CASEWORK = frozenset({Role.PRACTITIONER, Role.TEAM_MANAGER})
MANAGERS = frozenset({Role.TEAM_MANAGER})
LOG = frozenset({Role.PRACTITIONER, Role.TEAM_MANAGER, Role.AUDITOR})


def setup(ctx):
    from svduty.cases import actions
    from svduty.cases.models import AssessmentType, ScreeningTool
    from tests.factories.accounts import AgencyFactory
    from tests.factories.cases import partnership_with, person_on_team, practitioner

    police = AgencyFactory(name="Matrix Police")
    partnership = partnership_with(ctx.agency, police, name="Matrix Partnership")
    lead = ctx.users[Role.PRACTITIONER]
    child = person_on_team(lead, partnership=partnership)
    referral = actions.make_referral(
        by=lead,
        person=child,
        reasons=["missing"],
        urgency="standard",
        what_is_known="Missing twice this month.",
    )
    tool = ScreeningTool.objects.get(version=1)
    answers = {
        i.pk: {"answer": "no"} for g in tool.groups.all() for i in g.indicators.all()
    }
    screening = actions.record_screening(
        by=lead, person=child, tool=tool, answers=answers, agreed_level="low"
    )
    assessment = actions.start_assessment(
        by=lead,
        person=child,
        assessment_type=AssessmentType.objects.get(name="Child and family assessment"),
    )
    contribution = actions.request_contribution(
        by=lead, assessment=assessment, agency=ctx.agency, question="What do you know?"
    )
    plan = actions.create_plan(
        by=lead,
        person=child,
        review_on=timezone.localdate() + dt.timedelta(days=30),
        goals=["Safe at home"],
    )
    plan_action = actions.add_plan_action(
        by=lead,
        plan=plan,
        expected_version=plan.version,
        text="Weekly visit",
        owner=lead,
        due_on=timezone.localdate() + dt.timedelta(days=7),
    )
    event = actions.record_event(
        by=lead,
        person=child,
        category="missing_home",
        occurred_at=timezone.now() - dt.timedelta(days=2),
        summary="Missing overnight",
        returned_at=timezone.now() - dt.timedelta(days=1),
    )
    asker = practitioner(police)
    access_request = actions.request_access(
        by=asker, person=child, reason="Working with the child's brother"
    )
    member = child.team.get(user=lead)
    # A child the matrix agency can find but not read (another agency's case): the
    # pages for asking for access are for such records.
    unseen = person_on_team(practitioner(police), partnership=partnership)
    # Out of scope: a child in another partnership, with a referral, an assessment
    # asking the matrix agency nothing, and an access request.
    elsewhere = AgencyFactory(name="Matrix Elsewhere")
    stranger_lead = practitioner(elsewhere)
    stranger = person_on_team(
        stranger_lead,
        partnership=partnership_with(elsewhere, name="Matrix Other Partnership"),
    )
    stranger_referral = actions.make_referral(
        by=stranger_lead,
        person=stranger,
        reasons=["missing"],
        urgency="standard",
        what_is_known="Not ours.",
    )
    stranger_assessment = actions.start_assessment(
        by=stranger_lead,
        person=stranger,
        assessment_type=AssessmentType.objects.get(name="Child and family assessment"),
    )
    ctx.cases_out = SimpleNamespace(
        lead=stranger_lead,
        child=stranger,
        referral=stranger_referral,
        contribution=actions.request_contribution(
            by=stranger_lead,
            assessment=stranger_assessment,
            agency=elsewhere,
            question="Not for the matrix agency",
        ),
        access_request=actions.request_access(
            by=practitioner(elsewhere), person=stranger, reason="Not ours to decide"
        ),
    )
    from svduty.cases.actions import configuration

    configuration.create_draft_tool(by=ctx.users[Role.SYSTEM_ADMIN])
    ctx.cases = SimpleNamespace(
        unseen=unseen,
        child=child,
        referral=referral,
        screening=screening,
        assessment=assessment,
        contribution=contribution,
        plan=plan.__class__.objects.get(pk=plan.pk),
        plan_action=plan_action,
        episode=event.missing_episode,
        access_request=access_request,
        member=member,
        disclosure=actions.record_disclosure(
            by=lead,
            person=child,
            disclosed_on=timezone.localdate(),
            recipient="A GP",
            recipient_organisation="Surgery",
            legal_gateway="ca2004_s11",
            purpose_basis="safeguarding",
            purpose="Health follow-up",
            information_shared="Attendance",
        ),
    )


def _p(ctx):
    return {"pk": ctx.cases.child.pk}


def _unseen(ctx):
    return {"pk": ctx.cases.unseen.pk}


def _out(ctx):
    """The out-of-scope child (another partnership's) in place of the matrix child;
    the other keyword arguments stay those of the matrix child's records."""
    return {"pk": ctx.cases_out.child.pk}


def _out_with(**extra):
    build = _with(**extra)

    def out(ctx):
        return build(ctx) | _out(ctx)

    return out


def _out_pk(attr):
    return lambda ctx: {"pk": getattr(ctx.cases_out, attr).pk}


def _with(**extra):
    def build(ctx):
        values = {"pk": ctx.cases.child.pk}
        for key, attr in extra.items():
            obj = ctx.cases
            for part in attr.split("."):
                obj = getattr(obj, part)
            values[key] = obj
        return values

    return build


ROUTES = [
    Route("cases:my_cases", allowed=CASEWORK),
    Route("cases:work", allowed=CASEWORK),
    Route("cases:search", allowed=CASEWORK),
    Route("cases:person_new", allowed=CASEWORK),
    Route("cases:referrals", allowed=MANAGERS),
    Route(
        "cases:referral",
        allowed=CASEWORK,
        kwargs=lambda c: {"pk": c.cases.referral.pk},
        out_of_scope=_out_pk("referral"),
    ),
    Route(
        "cases:referral_decide",
        allowed=MANAGERS,
        kwargs=lambda c: {"pk": c.cases.referral.pk},
        out_of_scope=_out_pk("referral"),
    ),
    Route(
        "cases:access_request_decide",
        allowed=CASEWORK,
        kwargs=lambda c: {"pk": c.cases.access_request.pk},
        out_of_scope=_out_pk("access_request"),
    ),
    Route(
        "cases:contribution",
        allowed=CASEWORK,
        kwargs=lambda c: {"pk": c.cases.contribution.pk},
        out_of_scope=_out_pk("contribution"),
    ),
    Route(
        "cases:language_check",
        allowed=CASEWORK,
        method="post",
        data={"text": "He is choosing to go missing"},
    ),
    Route("cases:person", allowed=CASEWORK, kwargs=_p, out_of_scope=_out),
    Route("cases:person_edit", allowed=CASEWORK, kwargs=_p, out_of_scope=_out),
    Route("cases:identifier_add", allowed=CASEWORK, kwargs=_p, out_of_scope=_out),
    Route("cases:alias_add", allowed=CASEWORK, kwargs=_p, out_of_scope=_out),
    Route("cases:address_add", allowed=CASEWORK, kwargs=_p, out_of_scope=_out),
    Route("cases:network", allowed=CASEWORK, kwargs=_p, out_of_scope=_out),
    Route("cases:relationship_add", allowed=CASEWORK, kwargs=_p, out_of_scope=_out),
    Route("cases:team", allowed=CASEWORK, kwargs=_p, out_of_scope=_out),
    Route(
        "cases:team_leave",
        allowed=CASEWORK,
        kwargs=_with(member_pk="member.pk"),
        out_of_scope=_out_with(member_pk="member.pk"),
        redirects_to="cases:team",
        note="GET only redirects to the team page; leaving is a POST",
    ),
    Route("cases:restrict", allowed=MANAGERS, kwargs=_p, out_of_scope=_out),
    Route(
        "cases:access_request",
        allowed=CASEWORK,
        kwargs=_unseen,
        out_of_scope=_out,
        note="for a record you can find but not read (one you can read redirects)",
    ),
    Route(
        "cases:break_glass",
        allowed=CASEWORK,
        kwargs=_unseen,
        out_of_scope=_out,
        note="for a record you can find but not read (one you can read redirects)",
    ),
    Route("cases:access_log", allowed=LOG, kwargs=_p, out_of_scope=_out),
    Route("cases:disclosure_add", allowed=CASEWORK, kwargs=_p, out_of_scope=_out),
    Route(
        "cases:disclosure_withdraw",
        allowed=CASEWORK,
        kwargs=_with(disclosure_pk="disclosure.pk"),
        out_of_scope=_out_with(disclosure_pk="disclosure.pk"),
    ),
    Route("cases:referral_new", allowed=CASEWORK, kwargs=_p, out_of_scope=_out),
    Route("cases:screenings", allowed=CASEWORK, kwargs=_p, out_of_scope=_out),
    Route("cases:screening_new", allowed=CASEWORK, kwargs=_p, out_of_scope=_out),
    Route(
        "cases:screening",
        allowed=CASEWORK,
        kwargs=_with(screening_pk="screening.pk"),
        out_of_scope=_out_with(screening_pk="screening.pk"),
    ),
    Route("cases:assessments", allowed=CASEWORK, kwargs=_p, out_of_scope=_out),
    Route("cases:assessment_new", allowed=CASEWORK, kwargs=_p, out_of_scope=_out),
    Route(
        "cases:assessment",
        allowed=CASEWORK,
        kwargs=_with(assessment_pk="assessment.pk"),
        out_of_scope=_out_with(assessment_pk="assessment.pk"),
    ),
    Route(
        "cases:assessment_sign_off",
        allowed=MANAGERS,
        kwargs=_with(assessment_pk="assessment.pk"),
        out_of_scope=_out_with(assessment_pk="assessment.pk"),
    ),
    Route(
        "cases:contribution_request",
        allowed=CASEWORK,
        kwargs=_with(assessment_pk="assessment.pk"),
        out_of_scope=_out_with(assessment_pk="assessment.pk"),
    ),
    Route(
        "cases:plans",
        allowed=CASEWORK,
        kwargs=_p,
        out_of_scope=_out,
        redirects_to="cases:plan",
        note="a child with one plan goes straight to it",
    ),
    Route("cases:plan_new", allowed=CASEWORK, kwargs=_p, out_of_scope=_out),
    Route(
        "cases:plan",
        allowed=CASEWORK,
        kwargs=_with(plan_pk="plan.pk"),
        out_of_scope=_out_with(plan_pk="plan.pk"),
    ),
    Route(
        "cases:plan_action_add",
        allowed=CASEWORK,
        kwargs=_with(plan_pk="plan.pk"),
        out_of_scope=_out_with(plan_pk="plan.pk"),
    ),
    Route(
        "cases:plan_action_update",
        allowed=CASEWORK,
        kwargs=_with(plan_pk="plan.pk", action_pk="plan_action.pk"),
        out_of_scope=_out_with(plan_pk="plan.pk", action_pk="plan_action.pk"),
    ),
    Route(
        "cases:plan_review",
        allowed=CASEWORK,
        kwargs=_with(plan_pk="plan.pk"),
        out_of_scope=_out_with(plan_pk="plan.pk"),
    ),
    Route(
        "cases:plan_end",
        allowed=CASEWORK,
        kwargs=_with(plan_pk="plan.pk"),
        out_of_scope=_out_with(plan_pk="plan.pk"),
    ),
    Route(
        "cases:plan_versions",
        allowed=CASEWORK,
        kwargs=_with(plan_pk="plan.pk"),
        out_of_scope=_out_with(plan_pk="plan.pk"),
    ),
    Route("cases:chronology", allowed=CASEWORK, kwargs=_p, out_of_scope=_out),
    Route("cases:chronology_print", allowed=CASEWORK, kwargs=_p, out_of_scope=_out),
    Route("cases:chronology_export", allowed=CASEWORK, kwargs=_p, out_of_scope=_out),
    Route("cases:event_new", allowed=CASEWORK, kwargs=_p, out_of_scope=_out),
    Route(
        "cases:return_interview",
        allowed=CASEWORK,
        kwargs=_with(episode_pk="episode.pk"),
        out_of_scope=_out_with(episode_pk="episode.pk"),
    ),
    Route(
        "cases:missing_return",
        allowed=CASEWORK,
        kwargs=_with(episode_pk="episode.pk"),
        out_of_scope=_out_with(episode_pk="episode.pk"),
    ),
    # REST API: the same policies (USE_API and case work).
    Route("api-cases-people", allowed=CASEWORK),
    Route(
        "api-cases-search",
        allowed=CASEWORK,
        data={"q": "Matrix"},
        note="400 without a query",
    ),
    Route("api-cases-person", allowed=CASEWORK, kwargs=_p, out_of_scope=_out),
    Route("api-cases-chronology", allowed=CASEWORK, kwargs=_p, out_of_scope=_out),
    Route(
        "api-cases-access-request",
        allowed=CASEWORK,
        kwargs=_unseen,
        out_of_scope=_out,
        method="post",
        data={"reason": "Matrix check"},
        expect=201,
        note="for a record you cannot read yet; 400 when you already can",
    ),
    Route("api-cases-referrals", allowed=CASEWORK),
    Route("api-cases-screenings", allowed=CASEWORK),
    Route("api-cases-assessments", allowed=CASEWORK),
    Route("api-cases-plans", allowed=CASEWORK),
    Route(
        "api-cases-language",
        allowed=CASEWORK,
        method="post",
        data={"text": "choosing to"},
    ),
]

# Settings (configuration held as data): system administrators and team managers.
CONFIG = frozenset({Role.SYSTEM_ADMIN, Role.TEAM_MANAGER})


def _tool(ctx):
    """The draft version (edit pages are for drafts; setup makes one), else the
    active one (for tests that reuse these entries without the matrix's setup)."""
    from svduty.cases.models import ScreeningTool

    tools = ScreeningTool.objects.order_by("is_active", "-version")
    return tools.first()


def _tool_kw(ctx):
    return {"tool_pk": _tool(ctx).pk}


def _group_kw(ctx):
    tool = _tool(ctx)
    return {"tool_pk": tool.pk, "group_pk": tool.groups.first().pk}


def _indicator_kw(ctx):
    tool = _tool(ctx)
    indicator = tool.groups.first().indicators.first()
    return {"tool_pk": tool.pk, "indicator_pk": indicator.pk}


def _rule_kw(ctx):
    from svduty.cases.models import LanguageRule

    return {"rule_pk": LanguageRule.objects.order_by("pk").first().pk}


def _type_kw(ctx):
    from svduty.cases.models import AssessmentType

    return {"type_pk": AssessmentType.objects.order_by("pk").first().pk}


_POST_ONLY = "GET only redirects to the version; the change is a POST"
ROUTES += [
    Route("cases:settings", allowed=CONFIG),
    Route("cases:language_rules", allowed=CONFIG),
    Route("cases:language_rule_add", allowed=CONFIG),
    Route("cases:language_rule_edit", allowed=CONFIG, kwargs=_rule_kw),
    Route(
        "cases:language_rule_active",
        allowed=CONFIG,
        kwargs=_rule_kw,
        redirects_to="cases:language_rules",
        note="GET only redirects to the list; switching is a POST",
    ),
    Route("cases:assessment_types", allowed=CONFIG),
    Route("cases:assessment_type_add", allowed=CONFIG),
    Route("cases:assessment_type_edit", allowed=CONFIG, kwargs=_type_kw),
    Route(
        "cases:assessment_type_active",
        allowed=CONFIG,
        kwargs=_type_kw,
        redirects_to="cases:assessment_types",
        note="GET only redirects to the list; switching is a POST",
    ),
    Route("cases:screening_tool", allowed=CONFIG),
    Route(
        "cases:screening_tool_new",
        allowed=CONFIG,
        redirects_to="cases:screening_tool",
        note="GET only redirects; creating a version is a POST",
    ),
    Route("cases:screening_tool_version", allowed=CONFIG, kwargs=_tool_kw),
    Route(
        "cases:screening_tool_settings",
        allowed=CONFIG,
        kwargs=_tool_kw,
    ),
    Route("cases:screening_tool_publish", allowed=CONFIG, kwargs=_tool_kw),
    Route("cases:screening_group_add", allowed=CONFIG, kwargs=_tool_kw),
    Route("cases:screening_group_edit", allowed=CONFIG, kwargs=_group_kw),
    Route(
        "cases:screening_group_move",
        allowed=CONFIG,
        kwargs=_group_kw,
        redirects_to="cases:screening_tool_version",
        note=_POST_ONLY,
    ),
    Route(
        "cases:screening_group_remove",
        allowed=CONFIG,
        kwargs=_group_kw,
        redirects_to="cases:screening_tool_version",
        note=_POST_ONLY,
    ),
    Route(
        "cases:screening_indicator_add",
        allowed=CONFIG,
        kwargs=_group_kw,
    ),
    Route(
        "cases:screening_indicator_edit",
        allowed=CONFIG,
        kwargs=_indicator_kw,
    ),
    Route(
        "cases:screening_indicator_move",
        allowed=CONFIG,
        kwargs=_indicator_kw,
        redirects_to="cases:screening_tool_version",
        note=_POST_ONLY,
    ),
    Route(
        "cases:screening_indicator_remove",
        allowed=CONFIG,
        kwargs=_indicator_kw,
        redirects_to="cases:screening_tool_version",
        note=_POST_ONLY,
    ),
]
