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
    from tests.factories.accounts import AgencyFactory
    from tests.factories.cases import partnership_with, person_on_team, practitioner
    from tests.factories.evidence import learning_records

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
    ctx.evidence_partnership = partnership
    ctx.evidence_records = learning_records(
        partnership, ctx.users[Role.TEAM_MANAGER], [ctx.agency]
    )
    # Out of scope for every matrix user: a partnership none of their agencies is in
    # (tests/access/partnership.py makes ctx.other_partnership after this module).
    elsewhere_agency = AgencyFactory(name="Evidence Elsewhere Council")
    other = partnership_with(elsewhere_agency, name="Evidence Elsewhere")
    other_lead = practitioner(elsewhere_agency, Role.PARTNERSHIP_LEAD)
    ctx.evidence_other = other
    ctx.evidence_other_records = learning_records(other, other_lead, [elsewhere_agency])
    other_manager = practitioner(elsewhere_agency, Role.TEAM_MANAGER)
    person_on_team(practitioner(elsewhere_agency), partnership=other)
    ctx.evidence_other_sample = actions.draw_sample(
        by=other_manager, partnership=other, title="Elsewhere audit", seed=7, size=1
    )
    ctx.evidence_document = _document(partnership, ctx.users[Role.TEAM_MANAGER])
    ctx.evidence_other_document = _document(other, other_manager)


def _document(partnership, manager):
    """An uploaded PDF behind a self-assessment of outcome 4."""
    import datetime as dt

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from svduty.evidence import actions

    sa = actions.save_self_assessment(
        by=manager,
        partnership=partnership,
        outcome=4,
        grade="adequate",
        narrative="Assessments are timely.",
        owner=manager,
        review_on=timezone.localdate() + dt.timedelta(days=30),
    )
    return actions.add_evidence_link(
        by=manager,
        self_assessment=sa,
        title="Assessment audit",
        document=SimpleUploadedFile("audit.pdf", b"%PDF-1.7\n%matrix\n"),
    )


def _case(ctx):
    return {"pk": ctx.evidence.pk, "case_pk": ctx.evidence.cases.first().pk}


def _other_case(ctx):
    sample = ctx.evidence_other_sample
    return {"pk": sample.pk, "case_pk": sample.cases.first().pk}


def _other_partnership(ctx):
    """For pages that take the partnership from `?partnership=`."""
    return {"partnership": ctx.evidence_other.pk}


def _number(ctx):
    """Outcome 3 of the inspection framework (a fixed number, not a record)."""
    return {"number": 3}


def _key(ctx):
    """An indicator of the framework (a fixed key, not a record)."""
    return {"key": "referral-decided-in-time"}


#: Pages that take the partnership from `?partnership=` (or the form): asked about
#: the other partnership, they are 404.
_CHOSEN: dict = {
    "out_of_scope": lambda ctx: {},
    "out_of_scope_data": _other_partnership,
}


def _slug(ctx):
    return {"slug": ctx.evidence_partnership.slug}


def _other_slug(ctx):
    return {"slug": ctx.evidence_other.slug}


def _record(name):
    return lambda ctx: {"pk": getattr(ctx.evidence_records, name).pk}


def _other_record(name):
    return lambda ctx: {"pk": getattr(ctx.evidence_other_records, name).pk}


def _recommendation(records):
    def kwargs(ctx):
        found = getattr(ctx, records)
        return {"pk": found.review.pk, "rec_pk": found.recommendation.pk}

    return kwargs


# Workforce, engagement and learning records (issue 12 points 5 and 6): read by
# VIEW_EVIDENCE, recorded by MANAGE_EVIDENCE; another partnership's are 404.
LEARNING_ROUTES = [
    Route(
        f"evidence:{name}",
        allowed=VIEWERS,
        kwargs=_slug,
        out_of_scope=_other_slug,
    )
    for name in (
        "training",
        "supervision",
        "engagement",
        "reviews",
        "learning_events",
        "oversight",
        "disproportionality",
        "trajectories",
    )
] + [
    Route(
        f"evidence:{name}",
        allowed=VIEWERS,
        kwargs=_record(record),
        out_of_scope=_other_record(record),
    )
    for name, record in (
        ("training_session", "session"),
        ("engagement_activity", "activity"),
        ("review", "review"),
    )
]

#: The evidence API (read-only): USE_API and VIEW_EVIDENCE, keyed by the
#: partnership's id; another partnership's is 404.
API_ROUTES = [
    Route(
        name,
        allowed=VIEWERS,
        kwargs=lambda c, extra=extra: {"pk": c.evidence_partnership.pk, **extra},
        out_of_scope=lambda c, extra=extra: {"pk": c.evidence_other.pk, **extra},
    )
    for name, extra in (
        ("api-evidence-outcomes", {}),
        ("api-evidence-indicator", {"key": "referral-decided-in-time"}),
        ("api-evidence-disproportionality", {}),
        ("api-evidence-records", {}),
        ("api-evidence-self-assessments", {}),
    )
] + [
    # Case audits: only those who audit cases (AUDIT_CASES), as on their pages.
    Route(
        "api-evidence-audits",
        allowed=MANAGERS,
        kwargs=lambda c: {"pk": c.evidence_partnership.pk},
        out_of_scope=lambda c: {"pk": c.evidence_other.pk},
    ),
    # The inspection data request: as its page, EXPORT_INSPECTION_DATA; producing a
    # list is a POST through the page's action (recorded and audited as EXPORT).
    Route(
        "api-evidence-inspection-requests",
        allowed=MANAGERS,
        kwargs=lambda c: {"pk": c.evidence_partnership.pk},
        out_of_scope=lambda c: {"pk": c.evidence_other.pk},
    ),
    Route(
        "api-evidence-inspection",
        allowed=MANAGERS,
        method="post",
        data={
            "kind": "referred",
            "period_start": "2026-01-01",
            "period_end": "2026-12-31",
        },
        expect=201,
        kwargs=lambda c: {"pk": c.evidence_partnership.pk},
        out_of_scope=lambda c: {"pk": c.evidence_other.pk},
    ),
]

ROUTES = [
    *LEARNING_ROUTES,
    *API_ROUTES,
    Route(
        "evidence:audit_forms",
        allowed=MANAGERS,
        kwargs=_slug,
        out_of_scope=_other_slug,
    ),
    Route(
        "evidence:recommendation_complete",
        allowed=MANAGERS,
        kwargs=_recommendation("evidence_records"),
        out_of_scope=_recommendation("evidence_other_records"),
    ),
    Route(
        "evidence:oversight_follow_up",
        allowed=MANAGERS,
        kwargs=_record("decision"),
        out_of_scope=_other_record("decision"),
    ),
    Route("evidence:audits", allowed=MANAGERS, **_CHOSEN),
    Route(
        "evidence:audit_sample",
        allowed=MANAGERS,
        kwargs=lambda c: {"pk": c.evidence.pk},
        out_of_scope=lambda c: {"pk": c.evidence_other_sample.pk},
    ),
    Route(
        "evidence:case_audit",
        allowed=MANAGERS,
        kwargs=_case,
        out_of_scope=_other_case,
    ),
    Route(
        "evidence:moderate",
        allowed=MANAGERS,
        kwargs=_case,
        out_of_scope=_other_case,
    ),
    Route(
        "evidence:self_assessment",
        allowed=MANAGERS,
        kwargs=_number,
        out_of_scope=_number,
        out_of_scope_data=_other_partnership,
    ),
    Route(
        "evidence:evidence_add",
        allowed=MANAGERS,
        kwargs=_number,
        out_of_scope=_number,
        out_of_scope_data=_other_partnership,
        redirects_to="evidence:self_assessment",
        note="the matrix has no self-assessment for outcome 3 yet, so the page sends "
        "the user to write one first (a fixture with one would show the form)",
    ),
    Route(
        "evidence:evidence_document",
        allowed=VIEWERS,
        kwargs=lambda c: {"pk": c.evidence_document.pk},
        out_of_scope=lambda c: {"pk": c.evidence_other_document.pk},
    ),
    Route("evidence:report", allowed=VIEWERS, **_CHOSEN),
    Route("evidence:inspection", allowed=MANAGERS, **_CHOSEN),
    Route("evidence:inspection_log", allowed=MANAGERS, **_CHOSEN),
    Route("evidence:outcomes", allowed=VIEWERS, **_CHOSEN),
    Route(
        "evidence:refresh",
        allowed=VIEWERS,
        method="post",
        redirects_to="evidence:outcomes",
        **_CHOSEN,
    ),
    Route(
        "evidence:outcome",
        allowed=VIEWERS,
        kwargs=lambda c: {"number": 1},
        out_of_scope=lambda c: {"number": 1},
        out_of_scope_data=_other_partnership,
    ),
    Route(
        "evidence:indicator",
        allowed=VIEWERS,
        kwargs=_key,
        out_of_scope=_key,
        out_of_scope_data=_other_partnership,
    ),
    Route(
        "evidence:indicator_records",
        allowed=VIEWERS,
        kwargs=_key,
        out_of_scope=_key,
        out_of_scope_data=_other_partnership,
    ),
]
