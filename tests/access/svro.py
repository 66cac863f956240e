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
    ctx.svro = SimpleNamespace(
        order=order, holder=order.holder, pending=pending, custody=custody
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
