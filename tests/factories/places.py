"""Factories for places and peer groups: a small world in one partnership with two
practitioners who each see only their own children, built through the actions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from svduty.core.authorisation import Role
from svduty.places import actions
from svduty.places.models import PeerGroup, Place, PlaceKind
from tests.factories.accounts import AgencyFactory
from tests.factories.cases import partnership_with, person_on_team, practitioner

#: Middlesbrough town centre (a real police.uk map point area).
MIDDLESBROUGH = (54.5762, -1.2348)


def make_place(by, partnership, **fields) -> Place:
    values = {
        "name": "Centre Square",
        "kind": PlaceKind.PARK,
        "latitude": MIDDLESBROUGH[0],
        "longitude": MIDDLESBROUGH[1],
    } | fields
    return actions.create_place(by=by, partnership=partnership, **values)


def make_group(by, partnership, *people, started_on=dt.date(2026, 1, 5)) -> PeerGroup:
    group = actions.create_peer_group(
        by=by, partnership=partnership, name="Group 1 (town centre)"
    )
    for person in people:
        actions.add_member(by=by, group=group, person=person, started_on=started_on)
    return group


@dataclass
class World:
    partnership: object
    council: object
    police: object
    lead: object  # practitioner at the council: sees child_a and child_b
    other: object  # practitioner at the police: sees child_c only
    analyst: object
    outsider: object  # a practitioner in another partnership
    child_a: object
    child_b: object
    child_c: object


def world() -> World:
    council = AgencyFactory(name="Places Test Council")
    police = AgencyFactory(name="Places Test Police")
    partnership = partnership_with(council, police, name="Places Test Partnership")
    lead = practitioner(council)
    other = practitioner(police)
    analyst = practitioner(council, role=Role.ANALYST)
    elsewhere = AgencyFactory(name="Elsewhere Council")
    partnership_with(elsewhere, name="Elsewhere Partnership")
    outsider = practitioner(elsewhere)
    child_a = person_on_team(lead, partnership=partnership, first_name="Alex")
    child_b = person_on_team(lead, partnership=partnership, first_name="Billie")
    child_c = person_on_team(other, partnership=partnership, first_name="Casey")
    return World(
        partnership,
        council,
        police,
        lead,
        other,
        analyst,
        outsider,
        child_a,
        child_b,
        child_c,
    )
