"""Access matrix for Serious Violence Reduction Orders (issue 10): only SVRO officers
reach identifiable order data, and only their own force's (the matrix agency is the
officer's force here)."""

from __future__ import annotations

from types import SimpleNamespace

from svduty.core.authorisation import Role

from . import Route

OFFICERS = frozenset({Role.SVRO_OFFICER})


def setup(ctx):
    from svduty.svro import actions
    from tests.factories.svro import make_holder, make_order, svro_type

    officer = ctx.users[Role.SVRO_OFFICER]
    order = make_order(officer)
    pending = actions.record_application(
        by=officer,
        holder=make_holder(officer, name="Pending Person"),
        order_type=svro_type(),
        considered_on=order.made_on,
        status="pending",
        offence="Possession of a bladed article",
        offence_date=order.application.offence_date,
        conviction_date=order.application.conviction_date,
        sentence="Community order",
        court="Teesside Magistrates' Court",
        hearing_date=order.made_on,
    )
    custody = actions.record_custody(
        by=officer, holder=pending.holder, started_on=order.made_on
    )
    breach = actions.record_breach(
        by=officer,
        order=order,
        kind="fail_to_notify",
        occurred_on=order.made_on,
        reported_by="PC 1",
    )
    ctx.svro = SimpleNamespace(
        order=order,
        holder=order.holder,
        pending=pending,
        custody=custody,
        breach=breach,
    )


def _holder(ctx):
    return {"pk": ctx.svro.holder.pk}


ROUTES = [
    Route("svro:register", allowed=OFFICERS),
    Route("svro:holder_new", allowed=OFFICERS),
    Route("svro:holder", allowed=OFFICERS, kwargs=_holder),
    Route("svro:application_new", allowed=OFFICERS, kwargs=_holder),
    Route(
        "svro:application_decide",
        allowed=OFFICERS,
        kwargs=lambda c: {"pk": c.svro.pending.pk},
    ),
    Route("svro:order_new", allowed=OFFICERS, kwargs=_holder),
    Route("svro:order", allowed=OFFICERS, kwargs=lambda c: {"pk": c.svro.order.pk}),
]

ROUTES += [
    Route(
        "svro:notification_new",
        allowed=OFFICERS,
        kwargs=lambda c: {"pk": c.svro.order.pk},
    ),
    Route(
        "svro:notification_record",
        allowed=OFFICERS,
        kwargs=lambda c: {"pk": c.svro.order.notifications.get().pk},
    ),
    Route("svro:custody_new", allowed=OFFICERS, kwargs=_holder),
    Route(
        "svro:custody_end",
        allowed=OFFICERS,
        kwargs=lambda c: {"pk": c.svro.custody.pk},
    ),
]

ROUTES += [
    Route(
        "svro:search_new", allowed=OFFICERS, kwargs=lambda c: {"pk": c.svro.order.pk}
    ),
]

SCRUTINY = frozenset(
    {Role.SVRO_OFFICER, Role.AUDITOR, Role.ANALYST, Role.PARTNERSHIP_LEAD}
)
ROUTES += [
    Route("svro:scrutiny", allowed=SCRUTINY),
    Route("svro:scrutiny_export", allowed=SCRUTINY),
]

ROUTES += [
    Route(
        "svro:order_event", allowed=OFFICERS, kwargs=lambda c: {"pk": c.svro.order.pk}
    ),
    Route(
        "svro:breach_new", allowed=OFFICERS, kwargs=lambda c: {"pk": c.svro.order.pk}
    ),
    Route(
        "svro:breach_update",
        allowed=OFFICERS,
        kwargs=lambda c: {"pk": c.svro.breach.pk},
    ),
    Route("svro:reoffence_new", allowed=OFFICERS, kwargs=_holder),
]

API_OFFICERS = OFFICERS  # every role with MANAGE_SVRO also has USE_API
API_SCRUTINY = frozenset({Role.SVRO_OFFICER, Role.ANALYST, Role.PARTNERSHIP_LEAD})
ROUTES += [
    Route("api-svro-orders", allowed=API_OFFICERS),
    Route(
        "api-svro-order", allowed=API_OFFICERS, kwargs=lambda c: {"pk": c.svro.order.pk}
    ),
    Route(
        "api-svro-searches",
        allowed=API_OFFICERS,
        kwargs=lambda c: {"pk": c.svro.order.pk},
    ),
    Route("api-svro-scrutiny", allowed=API_SCRUTINY, note="auditor: no USE_API"),
]
