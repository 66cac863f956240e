"""Access matrix for the inspection evidence pages (issue 12). Figures are counts,
read by leaders, analysts and team managers (VIEW_EVIDENCE); the drill-down lists
only the children each user may already see. Finer cases are in
tests/integration/evidence/test_views.py."""

from __future__ import annotations

from svduty.core.authorisation import Role

from . import Route

VIEWERS = frozenset({Role.PARTNERSHIP_LEAD, Role.ANALYST, Role.TEAM_MANAGER})
MANAGERS = frozenset({Role.PARTNERSHIP_LEAD, Role.TEAM_MANAGER})


def setup(ctx):
    from svduty.evidence import actions
    from tests.factories.cases import partnership_with, person_on_team

    partnership = partnership_with(ctx.agency, name="Matrix Partnership")
    person_on_team(ctx.users[Role.PRACTITIONER], partnership=partnership)
    sample = actions.draw_sample(
        by=ctx.users[Role.TEAM_MANAGER],
        partnership=partnership,
        title="Matrix audit",
        seed=7,
        size=1,
    )
    ctx.evidence = sample


def _case(ctx):
    return {"pk": ctx.evidence.pk, "case_pk": ctx.evidence.cases.first().pk}


ROUTES = [
    Route("evidence:audits", allowed=MANAGERS),
    Route(
        "evidence:audit_sample",
        allowed=MANAGERS,
        kwargs=lambda c: {"pk": c.evidence.pk},
    ),
    Route("evidence:case_audit", allowed=MANAGERS, kwargs=_case),
    Route("evidence:moderate", allowed=MANAGERS, kwargs=_case),
    Route("evidence:self_assessment", allowed=MANAGERS, kwargs=lambda c: {"number": 3}),
    Route(
        "evidence:evidence_add",
        allowed=MANAGERS,
        kwargs=lambda c: {"number": 3},
        redirects_to="evidence:self_assessment",
        note="the matrix has no self-assessment for outcome 3 yet, so the page sends "
        "the user to write one first (a fixture with one would show the form)",
    ),
    Route("evidence:report", allowed=VIEWERS),
    Route("evidence:inspection", allowed=MANAGERS),
    Route("evidence:inspection_log", allowed=MANAGERS),
    Route("evidence:outcomes", allowed=VIEWERS),
    Route(
        "evidence:refresh",
        allowed=VIEWERS,
        method="post",
        redirects_to="evidence:outcomes",
    ),
    Route("evidence:outcome", allowed=VIEWERS, kwargs=lambda c: {"number": 1}),
    Route(
        "evidence:indicator",
        allowed=VIEWERS,
        kwargs=lambda c: {"key": "referral-decided-in-time"},
    ),
    Route(
        "evidence:indicator_records",
        allowed=VIEWERS,
        kwargs=lambda c: {"key": "referral-decided-in-time"},
    ),
]
