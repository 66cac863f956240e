from svduty.core.authorisation import Role

from . import ALL_ROLES, Route, elsewhere

LEAD = frozenset({Role.PARTNERSHIP_LEAD})
API = frozenset(r for r in Role if r is not Role.AUDITOR)


def setup(ctx):
    """A formed partnership with ctx.agency as its local authority, an agreed
    definition, a published strategy, an action and a board meeting."""
    from svduty.partnership.models import RelevantAuthority, StatutoryRole
    from svduty.strategy.states import StrategyState
    from tests.factories.partnership import (
        MeetingFactory,
        agreed_definition,
        formed_partnership,
    )
    from tests.factories.strategy import ActionFactory, strategy_in_state

    partnership = formed_partnership(lead_agency=ctx.agency, slug="matrix")
    ctx.partnership = partnership
    # Out of scope for every matrix user: a partnership none of their agencies is in.
    from tests.factories.accounts import AgencyFactory, UserFactory

    other_council = AgencyFactory(name="Matrix Elsewhere Council")
    ctx.other_partnership = formed_partnership(
        lead_agency=other_council,
        slug="matrix-elsewhere",
        name="Matrix Elsewhere Partnership",
    )
    ctx.other_definition = agreed_definition(ctx.other_partnership)
    other_lead = UserFactory(
        username="matrix-elsewhere-lead",
        roles=[Role.PARTNERSHIP_LEAD.value],
        agencies=[other_council],
    )
    ctx.other_strategy = strategy_in_state(
        other_lead, ctx.other_partnership, StrategyState.PUBLISHED
    )
    ctx.other_action = ActionFactory(
        partnership=ctx.other_partnership,
        owner_agency=other_council,
        created_by=other_lead,
    )
    ctx.definition = agreed_definition(
        partnership, excluded_codes=["99"], exclusions_source="Force registrar"
    )
    ctx.kind = ctx.definition.kinds.first()
    ctx.rule = ctx.kind.rules.first()
    ctx.exclusion = ctx.definition.exclusions.get()
    ctx.relevant_member = partnership.members.filter(
        statutory_role=StatutoryRole.RELEVANT
    ).first()
    ctx.specified_member = partnership.members.get(agency=ctx.agency)
    ctx.relevant_authority = RelevantAuthority.objects.filter(
        area__in=partnership.areas.all()
    ).first()
    ctx.strategy = strategy_in_state(
        ctx.users[Role.PARTNERSHIP_LEAD], partnership, StrategyState.PUBLISHED
    )
    ctx.section = ctx.strategy.sections.first()
    ctx.meeting = MeetingFactory(partnership=partnership)
    ctx.action = ActionFactory(
        partnership=partnership,
        owner_agency=ctx.agency,
        created_by=ctx.users[Role.PARTNERSHIP_LEAD],
    )


def _slug(ctx):
    return {"slug": ctx.partnership.slug}


def _definition(ctx):
    return {"slug": ctx.partnership.slug, "number": ctx.definition.number}


def _kind(ctx):
    return {**_definition(ctx), "pk": ctx.kind.pk}


ROUTES = [
    Route("partnership:list", allowed=ALL_ROLES),
    Route("partnership:detail", allowed=ALL_ROLES, kwargs=_slug),
    Route("partnership:edit", allowed=LEAD, kwargs=_slug),
    Route("partnership:member_add", allowed=LEAD, kwargs=_slug),
    Route(
        "partnership:member_edit",
        allowed=LEAD,
        kwargs=lambda ctx: {**_slug(ctx), "pk": ctx.specified_member.pk},
    ),
    Route(
        "partnership:member_remove",
        allowed=LEAD,
        kwargs=lambda ctx: {**_slug(ctx), "pk": ctx.specified_member.pk},
        note="GET shows the confirmation",
    ),
    Route("partnership:definition_list", allowed=ALL_ROLES, kwargs=_slug),
    Route("partnership:definition_start", allowed=LEAD, kwargs=_slug),
    Route("partnership:definition_detail", allowed=ALL_ROLES, kwargs=_definition),
    Route("partnership:definition_agree", allowed=LEAD, kwargs=_definition),
    Route("partnership:kind_add", allowed=LEAD, kwargs=_definition),
    Route("partnership:kind_edit", allowed=LEAD, kwargs=_kind),
    Route(
        "partnership:kind_remove",
        allowed=LEAD,
        kwargs=_kind,
        method="post",
        redirects_to="partnership:definition_detail",
        note="refused for an agreed definition: redirects with a message",
    ),
    Route("partnership:rule_add", allowed=LEAD, kwargs=_kind),
    Route(
        "partnership:rule_remove",
        allowed=LEAD,
        kwargs=lambda ctx: {**_definition(ctx), "pk": ctx.rule.pk},
        method="post",
        redirects_to="partnership:definition_detail",
        note="refused for an agreed definition: redirects with a message",
    ),
    Route("partnership:exclusion_add", allowed=LEAD, kwargs=_definition),
    Route(
        "partnership:exclusion_remove",
        allowed=LEAD,
        kwargs=lambda ctx: {**_definition(ctx), "pk": ctx.exclusion.pk},
        method="post",
        redirects_to="partnership:definition_detail",
        note="refused for an agreed definition: redirects with a message",
    ),
    Route("partnership:register", allowed=ALL_ROLES, kwargs=_slug),
    Route("partnership:register_add", allowed=LEAD, kwargs=_slug),
    Route("partnership:register_import", allowed=LEAD, kwargs=_slug),
    Route(
        "partnership:register_edit",
        allowed=LEAD,
        kwargs=lambda ctx: {**_slug(ctx), "pk": ctx.relevant_authority.pk},
    ),
    Route("partnership:meeting_list", allowed=ALL_ROLES, kwargs=_slug),
    Route("partnership:meeting_create", allowed=LEAD, kwargs=_slug),
    Route(
        "partnership:meeting_detail",
        allowed=ALL_ROLES,
        kwargs=lambda ctx: {**_slug(ctx), "pk": ctx.meeting.pk},
    ),
    Route("api-partnerships-list", allowed=API),
    Route(
        "api-partnerships-detail",
        allowed=API,
        kwargs=lambda ctx: {"pk": ctx.partnership.pk},
        out_of_scope=lambda ctx: {"pk": ctx.other_partnership.pk},
    ),
    Route("api-definitions-list", allowed=API),
    Route(
        "api-definitions-detail",
        allowed=API,
        kwargs=lambda ctx: {"pk": ctx.definition.pk},
        out_of_scope=lambda ctx: {"pk": ctx.other_definition.pk},
    ),
]

# Pages about one partnership's objects: another partnership's are 404.
ROUTES = elsewhere(ROUTES)
