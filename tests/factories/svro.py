"""Factories for the SVRO register, built through the actions so every row is one the
application could have written."""

from __future__ import annotations

import datetime as dt

from svduty.accounts.models import AgencyType
from svduty.svro import actions
from svduty.svro.models import (
    Application,
    ApplicationStatus,
    ForceArea,
    Holder,
    Lifecycle,
    Order,
    OrderType,
)
from svduty.svro.order_types import ensure_default_types
from tests.factories.accounts import AgencyFactory

CONVICTED = dt.date(2026, 1, 12)
MADE = dt.date(2026, 2, 2)


def force(name: str = "Cleveland Police"):
    return AgencyFactory(name=name, agency_type=AgencyType.POLICE)


def svro_type() -> OrderType:
    """The SVRO row, rolled out nationally from 2025 for tests that make orders in
    Cleveland (its default lifecycle ended with the pilot)."""
    ensure_default_types()  # a transactional test may have emptied the table
    order_type = OrderType.objects.get(code="svro")
    if order_type.lifecycle != Lifecycle.NATIONAL:
        order_type.lifecycle = Lifecycle.NATIONAL
        order_type.issuing_from = dt.date(2025, 4, 19)
        order_type.issuing_until = None
        order_type.save()
    return order_type


def make_holder(by, managing_force=None, **fields) -> Holder:
    values = {
        "name": "Jordan Example",
        "date_of_birth": dt.date(2000, 5, 17),
        "sex": "male",
        "ethnicity": "W1",
    } | fields
    if managing_force is None:
        managing_force = by.memberships.get(is_primary=True).agency
    return actions.create_holder(by=by, managing_force=managing_force, **values)


def granted_application(by, holder, **fields) -> Application:
    values = {
        "order_type": svro_type(),
        "considered_on": dt.date(2026, 1, 5),
        "status": ApplicationStatus.PENDING,
        "offence": "Wounding with intent (knife)",
        "offence_date": dt.date(2025, 11, 3),
        "conviction_date": CONVICTED,
        "sentence": "Suspended sentence order, 18 months",
        "court": "Teesside Crown Court",
        "hearing_date": dt.date(2026, 2, 2),
    } | fields
    application = actions.record_application(by=by, holder=holder, **values)
    return actions.decide_application(
        by=by,
        application=application,
        status=ApplicationStatus.GRANTED,
        decided_on=values["hearing_date"],
    )


def make_order(by, holder=None, **fields) -> Order:
    holder = holder or make_holder(by)
    application = fields.pop("application", None) or granted_application(by, holder)
    values = {
        "order_type": application.order_type,
        "application": application,
        "issuing_area": ForceArea.CLEVELAND,
        "issuing_court": "Teesside Crown Court",
        "made_on": MADE,
        "period_months": 12,
        "weapon_condition": "own_possession",
        "necessity": ["a", "c"],
        "explanation_given": True,
    } | fields
    return actions.make_order(by=by, holder=holder, **values)


def report_lead(make_user, *forces, **fields):
    """A partnership lead whose partnership covers these forces' areas (Cleveland
    by default): the police forces are members of the lead's agency's partnership,
    so the lead may publish and withdraw their transparency reports."""
    from svduty.core.authorisation import Role
    from tests.factories.partnership import MemberFactory, PartnershipFactory

    lead = make_user(Role.PARTNERSHIP_LEAD, **fields)
    partnership = PartnershipFactory()
    MemberFactory(
        partnership=partnership, agency=lead.memberships.get(is_primary=True).agency
    )
    for police in forces or (force(),):
        MemberFactory(partnership=partnership, agency=police)
    return lead
