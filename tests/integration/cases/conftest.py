"""A small world for the children-at-risk tests: one partnership with a council, a
police force and a school; a lead professional and a child; and a user for each way
of (not) reaching the record."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from svduty.cases import actions
from svduty.cases.models import AccessRequest, AccessStatus
from svduty.core.authorisation import Role
from tests.factories.accounts import AgencyFactory
from tests.factories.cases import partnership_with, person_on_team, practitioner


@pytest.fixture
def world(db):
    council = AgencyFactory(name="Cases Council")
    police = AgencyFactory(name="Cases Police")
    school = AgencyFactory(name="Cases School")
    elsewhere = AgencyFactory(name="Agency in another partnership")
    partnership = partnership_with(council, police, school)
    partnership_with(elsewhere, name="Other Partnership")
    lead = practitioner(council, full_name="Lee Lead", email="lead@example.org")
    manager = practitioner(council, Role.TEAM_MANAGER, full_name="Mo Manager")
    same_agency = practitioner(council, full_name="Sam Sameagency")
    other_agency = practitioner(police, full_name="Pat Police")
    outsider = practitioner(elsewhere, full_name="Olly Outsider")
    expired = practitioner(school, full_name="Ex Pired")
    granted = practitioner(school, full_name="Gra Nted")
    glass = practitioner(police, full_name="Bree Glass")
    auditor = practitioner(
        police, Role.AUDITOR, full_name="Audrey Auditor", email="dpo@example.org"
    )
    child = person_on_team(
        lead, partnership=partnership, first_name="Casey", last_name="Childs"
    )
    now = timezone.now()
    for user, expires in (
        (granted, now + dt.timedelta(days=5)),
        (expired, now - dt.timedelta(days=1)),
    ):
        AccessRequest.objects.create(
            person=child,
            requested_by=user,
            reason="Working with the family",
            status=AccessStatus.GRANTED,
            decided_by=lead,
            decided_at=now - dt.timedelta(days=10),
            expires_at=expires,
        )
    actions.break_glass(
        by=glass, person=child, reason="Child missing overnight, police need contacts"
    )
    police_agency = police
    return SimpleNamespace(**locals())
