from svduty.core.authorisation import Role

from . import ALL_ROLES, Route, elsewhere

LEAD = frozenset({Role.PARTNERSHIP_LEAD})
API = frozenset(r for r in Role if r is not Role.AUDITOR)


def _slug(ctx):
    return {"slug": ctx.partnership.slug}


def _version(ctx):
    return {"slug": ctx.partnership.slug, "number": ctx.strategy.number}


ROUTES = [
    Route("strategy:monitoring", allowed=ALL_ROLES),
    Route("strategy:monitoring_export", allowed=ALL_ROLES),
    Route("strategy:overview", allowed=ALL_ROLES, kwargs=_slug),
    Route("strategy:version", allowed=ALL_ROLES, kwargs=_version),
    Route("strategy:version_edit", allowed=LEAD, kwargs=_version),
    Route("strategy:section_add", allowed=LEAD, kwargs=_version),
    Route(
        "strategy:section_edit",
        allowed=LEAD,
        kwargs=lambda ctx: {**_version(ctx), "pk": ctx.section.pk},
    ),
    Route(
        "strategy:section_remove",
        allowed=LEAD,
        kwargs=lambda ctx: {**_version(ctx), "pk": ctx.section.pk},
        method="post",
        redirects_to="strategy:version",
        note="refused for a published version: redirects with a message",
    ),
    Route(
        "strategy:consultation",
        allowed=LEAD,
        kwargs=lambda ctx: {
            **_version(ctx),
            "authority_pk": ctx.relevant_authority.pk,
        },
    ),
    Route(
        "strategy:consultation_approve",
        allowed=LEAD,
        kwargs=lambda ctx: {
            **_version(ctx),
            "pk": ctx.strategy.consultations.first().pk,
        },
        method="post",
        redirects_to="strategy:version",
        note="refused for a published version: redirects with a message",
    ),
    Route(
        "strategy:sign_off",
        allowed=LEAD,
        kwargs=lambda ctx: {**_version(ctx), "member_pk": ctx.specified_member.pk},
    ),
    Route("strategy:sign_off_evidence", allowed=LEAD, kwargs=_version),
    Route(
        "strategy:sign_off_withdraw",
        allowed=LEAD,
        kwargs=lambda ctx: {**_version(ctx), "pk": ctx.strategy.sign_offs.first().pk},
        note="GET shows the form; the action refuses it once published",
    ),
    Route(
        "strategy:sign_off_document",
        allowed=ALL_ROLES,
        kwargs=lambda ctx: {
            **_version(ctx),
            "pk": ctx.strategy.sign_off_evidence.first().pk,
        },
    ),
    Route(
        "strategy:transition",
        allowed=LEAD,
        kwargs=lambda ctx: {**_version(ctx), "name": "start_review"},
        note="GET shows the confirmation",
    ),
    Route(
        "strategy:review",
        allowed=LEAD,
        kwargs=_version,
        redirects_to="strategy:version",
        note="recording a review's outcome needs a version under review; the "
        "matrix version is published, so the page sends the lead back to it",
    ),
    Route("strategy:action_list", allowed=ALL_ROLES, kwargs=_slug),
    Route("strategy:action_export", allowed=ALL_ROLES, kwargs=_slug),
    Route("strategy:action_create", allowed=LEAD, kwargs=_slug),
    Route(
        "strategy:action_detail",
        allowed=ALL_ROLES,
        kwargs=lambda ctx: {**_slug(ctx), "pk": ctx.action.pk},
    ),
    Route(
        "strategy:action_edit",
        allowed=LEAD,
        kwargs=lambda ctx: {**_slug(ctx), "pk": ctx.action.pk},
    ),
    Route("strategy:compliance", allowed=ALL_ROLES, kwargs=_slug),
    Route("strategy:compliance_report", allowed=ALL_ROLES, kwargs=_slug),
    Route("strategy:compliance_report_pdf", allowed=ALL_ROLES, kwargs=_slug),
    Route("public_strategy:index", public=True),
    Route("public_strategy:detail", public=True, kwargs=_slug),
    Route("public_strategy:pdf", public=True, kwargs=_slug),
    Route("public_strategy:version", public=True, kwargs=_version),
    Route("public_strategy:version_pdf", public=True, kwargs=_version),
    Route("api-strategies-list", allowed=API),
    Route(
        "api-strategies-detail",
        allowed=API,
        kwargs=lambda ctx: {"pk": ctx.strategy.pk},
        out_of_scope=lambda ctx: {"pk": ctx.other_strategy.pk},
    ),
    Route("api-strategy-actions-list", allowed=API),
    Route(
        "api-strategy-actions-detail",
        allowed=API,
        kwargs=lambda ctx: {"pk": ctx.action.pk},
        out_of_scope=lambda ctx: {"pk": ctx.other_action.pk},
    ),
]

# Pages about one partnership's objects: another partnership's are 404.
ROUTES = elsewhere(ROUTES)
