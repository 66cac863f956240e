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
    ctx.svro_published = _published(_reporting(ctx))
    ctx.svro_published_out = _published_elsewhere()
    ctx.svro_out.link = _link(
        ctx.svro_out.holder,
        ctx.svro_out.holder.managing_force,
        "Matrix Elsewhere SVRO Partnership",
    )


def _reporting(ctx):
    """The matrix lead's partnership covers both matrix forces' areas, so that the
    all-forces report is theirs to publish (tests/access/partnership.py's
    partnership already has the matrix agency, the officer's force)."""
    from tests.factories.partnership import MemberFactory, PartnershipFactory

    partnership = PartnershipFactory(
        slug="matrix-svro-reporting", name="Matrix SVRO reporting"
    )
    for police in (ctx.agency, ctx.svro_out.holder.managing_force):
        MemberFactory(partnership=partnership, agency=police)
    return ctx.users[Role.PARTNERSHIP_LEAD]


def _published_elsewhere():
    """Out of scope: a report of a force no matrix partnership covers, published by
    the lead of the partnership that does."""
    from svduty.svro import actions
    from svduty.svro.views.scrutiny import filters_for
    from tests.factories.accounts import UserFactory
    from tests.factories.partnership import MemberFactory, PartnershipFactory
    from tests.factories.svro import force

    police = force("Matrix Unreached Police")
    lead = UserFactory(
        username="matrix-unreached-lead",
        roles=[Role.PARTNERSHIP_LEAD.value],
        agencies=[police],
    )
    MemberFactory(
        partnership=PartnershipFactory(slug="matrix-unreached"), agency=police
    )
    return actions.publish_report(
        by=lead, filters=filters_for("12", "ethnicity", police.pk)
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


def _pk(path: str):
    """Keyword arguments naming the record at `path` among the matrix's records
    (`ctx.svro`), or its other force's copy (`ctx.svro_out`) when called with
    "svro_out" (see with_copies_out_of_scope below)."""

    def kwargs(ctx, w="svro"):
        record = getattr(ctx, w)
        for part in path.split("."):
            record = getattr(record, part)
        return {"pk": record.pk}

    return kwargs


def _notification(ctx, w="svro"):
    return {"pk": getattr(ctx, w).order.notifications.get().pk}


def _sample_item(ctx, w="svro"):
    return {"pk": getattr(ctx, w).sample.items.get().pk}


_holder, _order = _pk("holder"), _pk("order")


def _published_report(ctx):
    return {"pk": ctx.svro_published.pk}


def _officers(name, kwargs=None, **kw):
    return Route(name, allowed=OFFICERS, kwargs=kwargs, **kw)


def _empty_post(name, what, kwargs=None, allowed=OFFICERS):
    """A write endpoint sent nothing: refused (400) with the fields it lacks."""
    return Route(
        name,
        allowed=allowed,
        kwargs=kwargs,
        method="post",
        expect=400,
        note=f"an empty {what}: refused with the fields it lacks",
    )


ROUTES = [
    _officers("svro:register"),
    _officers("svro:holder_new"),
    _officers("svro:holder", _holder),
    _officers("svro:application_new", _holder),
    _officers("svro:application_decide", _pk("pending")),
    _officers("svro:order_new", _holder),
    _officers("svro:order", _order),
    _officers("svro:notification_new", _order),
    _officers("svro:notification_record", _notification),
    _officers("svro:custody_new", _holder),
    _officers("svro:custody_end", _pk("custody")),
    _officers("svro:search_new", _order),
    _officers("svro:order_event", _order),
    _officers("svro:breach_new", _order),
    _officers("svro:breach_update", _pk("breach")),
    _officers("svro:reoffence_new", _holder),
]

SCRUTINY = frozenset(
    {Role.SVRO_OFFICER, Role.AUDITOR, Role.ANALYST, Role.PARTNERSHIP_LEAD}
)
ROUTES += [
    Route("svro:scrutiny", allowed=SCRUTINY),
    Route("svro:scrutiny_export", allowed=SCRUTINY),
]

API_OFFICERS = OFFICERS  # every role with MANAGE_SVRO also has USE_API
API_SCRUTINY = frozenset({Role.SVRO_OFFICER, Role.ANALYST, Role.PARTNERSHIP_LEAD})
ROUTES += [
    _officers("api-svro-orders"),
    _officers("api-svro-order", _order),
    _officers("api-svro-searches", _order),
    Route("api-svro-scrutiny", allowed=API_SCRUTINY, note="auditor: no USE_API"),
    _empty_post("api-svro-order-decisions", "decision", _order),
    _empty_post("api-svro-people", "person"),
    _empty_post("api-svro-applications", "application", _holder),
    _empty_post("api-svro-application-decision", "decision", _pk("pending")),
    _officers("api-svro-notifications", _order),
    _empty_post("api-svro-notification-attendance", "attendance", _notification),
    _empty_post("api-svro-custody", "custody period", _holder),
    _empty_post("api-svro-custody-release", "release", _pk("custody")),
    _officers("api-svro-breaches", _order),
    _empty_post("api-svro-breach-update", "update", _pk("breach")),
    _empty_post("api-svro-convictions", "conviction", _holder),
    _officers("api-svro-samples"),
    _empty_post("api-svro-sample-review", "review", _sample_item),
]

ROUTES += [
    Route("svro:scrutiny_xlsx", allowed=SCRUTINY),
    Route("svro:report", allowed=SCRUTINY),
    Route("svro:report_pdf", allowed=SCRUTINY),
    Route(
        "svro:report_publish",
        allowed=frozenset({Role.PARTNERSHIP_LEAD}),
        out_of_scope=lambda ctx: {},
        out_of_scope_data=lambda ctx: {"force": ctx.svro_published_out.force_id},
        note="a force area the lead's partnerships do not cover is a 404",
    ),
    Route(
        "svro:report_withdraw",
        allowed=frozenset({Role.PARTNERSHIP_LEAD}),
        kwargs=_published_report,
        out_of_scope=lambda ctx: {"pk": ctx.svro_published_out.pk},
    ),
]


# The published transparency reports: public, figures frozen at publication.
ROUTES += [Route("public_svro:index", public=True)] + [
    Route(f"public_svro:{name}", public=True, kwargs=_published_report)
    for name in ("detail", "pdf", "csv", "xlsx")
]

ROUTES += [
    _officers("svro:samples"),
    _officers("svro:sample_new"),
    _officers("svro:sample", _pk("sample")),
    _officers("svro:sample_review", _sample_item),
]

ROUTES += [
    Route("svro:order_types", allowed=SCRUTINY),
    _officers(
        "svro:order_type_edit",
        lambda c: {"pk": c.svro.order.order_type_id},
        note="order types are shared configuration: no out-of-scope object",
    ),
    _officers("svro:population_edit"),
]


NEEDS_BOTH = (
    "the link and the person's record are seen only by someone who is also on the "
    "person's case team; matrix users hold one role, so the SVRO officer gets 404 "
    "(tests/integration/svro/test_person_links.py covers an officer who may)"
)


def _person(ctx, w="svro"):
    return {"pk": getattr(ctx, w).link.person_id}


ROUTES += [
    _officers("svro:person_links", _holder),
    _officers("svro:person_link_remove", _pk("link"), expect=404, note=NEEDS_BOTH),
    _officers("svro:person_panel", _person, expect=404, note=NEEDS_BOTH),
]

# The API for configuration and links to shared person records (as the pages).
ROUTES += [
    Route("api-svro-order-types", allowed=API_SCRUTINY, note="auditor: no USE_API"),
    Route(
        "api-svro-order-type",
        allowed=API_SCRUTINY,
        kwargs=lambda c: {"pk": c.svro.order.order_type_id},
        note="order types are shared configuration: no out-of-scope object",
    ),
    Route("api-svro-population", allowed=API_SCRUTINY, note="auditor: no USE_API"),
    _officers("api-svro-person-links", _holder),
    _officers(
        "api-svro-person-link",
        _pk("link"),
        method="delete",
        expect=404,
        note=NEEDS_BOTH,
    ),
    _officers("api-svro-person-orders", _person, expect=404, note=NEEDS_BOTH),
]


# Every page about one record names the other force's copy of it (order types are
# shared configuration: see NO_OUT_OF_SCOPE).
ROUTES = with_copies_out_of_scope(
    ROUTES,
    "svro_out",
    skip=frozenset(
        {"svro:order_type_edit", "svro:report_withdraw", "api-svro-order-type"}
    ),
)
