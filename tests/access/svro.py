"""Access matrix for Serious Violence Reduction Orders (issue 10): only SVRO officers
reach identifiable order data, and only their own force's (the matrix agency is the
officer's force here)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from svduty.core.authorisation import Role

from . import Route, with_copies_out_of_scope

OFFICERS = frozenset({Role.SVRO_OFFICER})


def setup(ctx):
    from tests.factories.accounts import UserFactory
    from tests.factories.svro import force

    ctx.svro = _records(ctx.users[Role.SVRO_OFFICER])
    # Out of scope: the same records kept by another force, whose officer no
    # matrix user is.
    ctx.svro_out = _records(
        UserFactory(
            username="matrix-elsewhere-svro",
            roles=[Role.SVRO_OFFICER.value],
            agencies=[force("Matrix Elsewhere Police")],
        ),
        reference="ACCESS-2",
    )
    ctx.svro.link = _link(ctx.svro.holder, ctx.agency, "Matrix Partnership")
    ctx.svro_published = _published(ctx.users[Role.PARTNERSHIP_LEAD])
    ctx.svro_out.link = _link(
        ctx.svro_out.holder,
        ctx.svro_out.holder.managing_force,
        "Matrix Elsewhere SVRO Partnership",
    )


def _published(lead):
    """A transparency report published by the partnership lead (public pages)."""
    from svduty.svro import actions
    from svduty.svro.views.scrutiny import filters_for

    return actions.publish_report(by=lead, filters=filters_for("12", "ethnicity", None))


def _link(holder, police, partnership_name):
    """The holder linked to a person's shared record by an officer who is also on
    the person's case team (matrix users hold one role each, so none of them may
    read the person: see the entries below)."""
    from svduty.core.authorisation import Role as R
    from svduty.svro import actions
    from tests.factories.accounts import UserFactory
    from tests.factories.cases import partnership_with, person_on_team

    both = UserFactory(
        roles=[R.SVRO_OFFICER.value, R.PRACTITIONER.value], agencies=[police]
    )
    person = person_on_team(
        both, partnership=partnership_with(police, name=partnership_name)
    )
    return actions.link_person(by=both, holder=holder, person=person)


def _records(officer, reference="ACCESS-1"):
    """A holder with an order (notified, searched, breached), a pending application
    with custody, and a sample of the force's searches."""
    from svduty.svro import actions
    from tests.factories.svro import make_holder, make_order, svro_type

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
    search = actions.record_search(
        by=officer,
        order=order,
        reference=reference,
        force_area="cleveland",
        officer_identifier="PC 1",
        searched_at=dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC),
        location="Middlesbrough",
        identity_method="pnc",
        self_ethnicity="W1",
        officer_ethnicity="white",
        sex="male",
        outcome="nfa",
    )
    sample = actions.draw_sample(
        by=officer,
        force=order.holder.managing_force,
        period_start=dt.date(2026, 3, 2),
        period_end=dt.date(2026, 3, 2),
        size=1,
        panel="Access panel",
    )
    return SimpleNamespace(
        search=search,
        sample=sample,
        order=order,
        holder=order.holder,
        pending=pending,
        custody=custody,
        breach=breach,
    )


def _holder(ctx, w="svro"):
    return {"pk": getattr(ctx, w).holder.pk}


ROUTES = [
    Route("svro:register", allowed=OFFICERS),
    Route("svro:holder_new", allowed=OFFICERS),
    Route("svro:holder", allowed=OFFICERS, kwargs=_holder),
    Route("svro:application_new", allowed=OFFICERS, kwargs=_holder),
    Route(
        "svro:application_decide",
        allowed=OFFICERS,
        kwargs=lambda c, w="svro": {"pk": getattr(c, w).pending.pk},
    ),
    Route("svro:order_new", allowed=OFFICERS, kwargs=_holder),
    Route(
        "svro:order",
        allowed=OFFICERS,
        kwargs=lambda c, w="svro": {"pk": getattr(c, w).order.pk},
    ),
]

ROUTES += [
    Route(
        "svro:notification_new",
        allowed=OFFICERS,
        kwargs=lambda c, w="svro": {"pk": getattr(c, w).order.pk},
    ),
    Route(
        "svro:notification_record",
        allowed=OFFICERS,
        kwargs=lambda c, w="svro": {"pk": getattr(c, w).order.notifications.get().pk},
    ),
    Route("svro:custody_new", allowed=OFFICERS, kwargs=_holder),
    Route(
        "svro:custody_end",
        allowed=OFFICERS,
        kwargs=lambda c, w="svro": {"pk": getattr(c, w).custody.pk},
    ),
]

ROUTES += [
    Route(
        "svro:search_new",
        allowed=OFFICERS,
        kwargs=lambda c, w="svro": {"pk": getattr(c, w).order.pk},
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
        "svro:order_event",
        allowed=OFFICERS,
        kwargs=lambda c, w="svro": {"pk": getattr(c, w).order.pk},
    ),
    Route(
        "svro:breach_new",
        allowed=OFFICERS,
        kwargs=lambda c, w="svro": {"pk": getattr(c, w).order.pk},
    ),
    Route(
        "svro:breach_update",
        allowed=OFFICERS,
        kwargs=lambda c, w="svro": {"pk": getattr(c, w).breach.pk},
    ),
    Route("svro:reoffence_new", allowed=OFFICERS, kwargs=_holder),
]

API_OFFICERS = OFFICERS  # every role with MANAGE_SVRO also has USE_API
API_SCRUTINY = frozenset({Role.SVRO_OFFICER, Role.ANALYST, Role.PARTNERSHIP_LEAD})
ROUTES += [
    Route("api-svro-orders", allowed=API_OFFICERS),
    Route(
        "api-svro-order",
        allowed=API_OFFICERS,
        kwargs=lambda c, w="svro": {"pk": getattr(c, w).order.pk},
    ),
    Route(
        "api-svro-searches",
        allowed=API_OFFICERS,
        kwargs=lambda c, w="svro": {"pk": getattr(c, w).order.pk},
    ),
    Route("api-svro-scrutiny", allowed=API_SCRUTINY, note="auditor: no USE_API"),
    Route(
        "api-svro-order-decisions",
        allowed=API_OFFICERS,
        kwargs=lambda c, w="svro": {"pk": getattr(c, w).order.pk},
        method="post",
        expect=400,
        note="an empty decision: refused with the fields it lacks",
    ),
    Route(
        "api-svro-people",
        allowed=API_OFFICERS,
        method="post",
        expect=400,
        note="an empty person: refused with the fields it lacks",
    ),
    Route(
        "api-svro-applications",
        allowed=API_OFFICERS,
        kwargs=_holder,
        method="post",
        expect=400,
        note="an empty application: refused with the fields it lacks",
    ),
    Route(
        "api-svro-application-decision",
        allowed=API_OFFICERS,
        kwargs=lambda c, w="svro": {"pk": getattr(c, w).pending.pk},
        method="post",
        expect=400,
        note="an empty decision: refused with the fields it lacks",
    ),
]

ROUTES += [
    Route(
        "api-svro-notifications",
        allowed=API_OFFICERS,
        kwargs=lambda c, w="svro": {"pk": getattr(c, w).order.pk},
    ),
    Route(
        "api-svro-notification-attendance",
        allowed=API_OFFICERS,
        kwargs=lambda c, w="svro": {"pk": getattr(c, w).order.notifications.get().pk},
        method="post",
        expect=400,
        note="an empty attendance: refused with the fields it lacks",
    ),
    Route(
        "api-svro-custody",
        allowed=API_OFFICERS,
        kwargs=_holder,
        method="post",
        expect=400,
        note="an empty custody period: refused with the fields it lacks",
    ),
    Route(
        "api-svro-custody-release",
        allowed=API_OFFICERS,
        kwargs=lambda c, w="svro": {"pk": getattr(c, w).custody.pk},
        method="post",
        expect=400,
        note="an empty release: refused with the fields it lacks",
    ),
    Route(
        "api-svro-breaches",
        allowed=API_OFFICERS,
        kwargs=lambda c, w="svro": {"pk": getattr(c, w).order.pk},
    ),
    Route(
        "api-svro-breach-update",
        allowed=API_OFFICERS,
        kwargs=lambda c, w="svro": {"pk": getattr(c, w).breach.pk},
        method="post",
        expect=400,
        note="an empty update: refused with the fields it lacks",
    ),
    Route(
        "api-svro-convictions",
        allowed=API_OFFICERS,
        kwargs=_holder,
        method="post",
        expect=400,
        note="an empty conviction: refused with the fields it lacks",
    ),
]

ROUTES += [
    Route("api-svro-samples", allowed=API_OFFICERS),
    Route(
        "api-svro-sample-review",
        allowed=API_OFFICERS,
        kwargs=lambda c, w="svro": {"pk": getattr(c, w).sample.items.get().pk},
        method="post",
        expect=400,
        note="an empty review: refused with the fields it lacks",
    ),
]

ROUTES += [
    Route("svro:scrutiny_xlsx", allowed=SCRUTINY),
    Route("svro:report", allowed=SCRUTINY),
    Route("svro:report_pdf", allowed=SCRUTINY),
    Route("svro:report_publish", allowed=frozenset({Role.PARTNERSHIP_LEAD})),
    # The published transparency reports: public, figures frozen at publication.
    Route("public_svro:index", public=True),
    Route(
        "public_svro:detail", public=True, kwargs=lambda c: {"pk": c.svro_published.pk}
    ),
    Route("public_svro:pdf", public=True, kwargs=lambda c: {"pk": c.svro_published.pk}),
    Route("public_svro:csv", public=True, kwargs=lambda c: {"pk": c.svro_published.pk}),
    Route(
        "public_svro:xlsx", public=True, kwargs=lambda c: {"pk": c.svro_published.pk}
    ),
    Route(
        "svro:report_withdraw",
        allowed=frozenset({Role.PARTNERSHIP_LEAD}),
        kwargs=lambda c: {"pk": c.svro_published.pk},
        note="published reports are public and installation-wide: see NO_OUT_OF_SCOPE",
    ),
]


ROUTES += [
    Route("svro:samples", allowed=OFFICERS),
    Route("svro:sample_new", allowed=OFFICERS),
    Route(
        "svro:sample",
        allowed=OFFICERS,
        kwargs=lambda c: {"pk": c.svro.sample.pk},
        out_of_scope=lambda c: {"pk": c.svro_out.sample.pk},
    ),
    Route(
        "svro:sample_review",
        allowed=OFFICERS,
        kwargs=lambda c: {"pk": c.svro.sample.items.get().pk},
        out_of_scope=lambda c: {"pk": c.svro_out.sample.items.get().pk},
    ),
]

ROUTES += [
    Route("svro:order_types", allowed=SCRUTINY),
    Route(
        "svro:order_type_edit",
        allowed=OFFICERS,
        kwargs=lambda c: {"pk": c.svro.order.order_type_id},
        note="order types are shared configuration: no out-of-scope object",
    ),
    Route("svro:population_edit", allowed=OFFICERS),
]


NEEDS_BOTH = (
    "the link and the person's record are seen only by someone who is also on the "
    "person's case team; matrix users hold one role, so the SVRO officer gets 404 "
    "(tests/integration/svro/test_person_links.py covers an officer who may)"
)
ROUTES += [
    Route("svro:person_links", allowed=OFFICERS, kwargs=_holder),
    Route(
        "svro:person_link_remove",
        allowed=OFFICERS,
        kwargs=lambda c, w="svro": {"pk": getattr(c, w).link.pk},
        expect=404,
        note=NEEDS_BOTH,
    ),
    Route(
        "svro:person_panel",
        allowed=OFFICERS,
        kwargs=lambda c, w="svro": {"pk": getattr(c, w).link.person_id},
        expect=404,
        note=NEEDS_BOTH,
    ),
]


# Every page about one record names the other force's copy of it (order types are
# shared configuration: see NO_OUT_OF_SCOPE).
ROUTES = with_copies_out_of_scope(
    ROUTES,
    "svro_out",
    skip=frozenset({"svro:order_type_edit", "svro:report_withdraw"}),
)
