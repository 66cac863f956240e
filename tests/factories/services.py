"""Factories for services and interventions: made through the actions, so the rules
hold in every test that uses them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from svduty.core.authorisation import Role
from svduty.services import actions
from svduty.services.models import Service, ServiceType
from tests.factories.accounts import AgencyFactory
from tests.factories.cases import partnership_with, person_on_team, practitioner


def make_service(by, partnership, **fields) -> Service:
    values = {
        "name": "Test mentoring",
        "provider": "Test provider",
        "service_type": ServiceType.MENTORING,
        "capacity": 10,
        "min_age": 10,
        "max_age": 18,
    }
    values.update(fields)
    return actions.add_service(by=by, partnership=partnership, **values)


def refer(by, person, service, referred_on=dt.date(2026, 1, 5), **fields):
    values = {"reason": "Needs a trusted adult", "consent": "child"}
    values.update(fields)
    return actions.refer_to_service(
        by=by, person=person, service=service, referred_on=referred_on, **values
    )


@dataclass
class World:
    partnership: object
    council: object
    police: object
    lead: object  # practitioner at the council: sees child_a and child_b
    other: object  # practitioner at the police: sees child_c only
    manager: object  # team manager at the council: keeps the catalogue
    partnership_lead: object
    outsider: object
    child_a: object
    child_b: object
    child_c: object
    service: object


def world() -> World:
    council = AgencyFactory(name="Services Test Council")
    police = AgencyFactory(name="Services Test Police")
    partnership = partnership_with(council, police, name="Services Test Partnership")
    lead = practitioner(council)
    other = practitioner(police)
    manager = practitioner(council, role=Role.TEAM_MANAGER)
    partnership_lead = practitioner(council, role=Role.PARTNERSHIP_LEAD)
    elsewhere = AgencyFactory(name="Elsewhere Services Council")
    partnership_with(elsewhere, name="Elsewhere Services Partnership")
    outsider = practitioner(elsewhere)
    child_a = person_on_team(lead, partnership=partnership, first_name="Alex")
    child_b = person_on_team(lead, partnership=partnership, first_name="Billie")
    child_c = person_on_team(other, partnership=partnership, first_name="Casey")
    service = make_service(manager, partnership)
    return World(
        partnership,
        council,
        police,
        lead,
        other,
        manager,
        partnership_lead,
        outsider,
        child_a,
        child_b,
        child_c,
        service,
    )
