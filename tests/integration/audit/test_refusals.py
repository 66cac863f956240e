"""Refused attempts are audited (issue 14): a signed-in user's request for a child
outside their scope (HTML and API), and a page their roles do not allow, each write
one event saying who asked, for what and why it was refused; a scan is throttled."""

from __future__ import annotations

import pytest
from django.urls import reverse

from svduty.audit.models import AuditAction, AuditEvent
from svduty.audit.refusals import REFUSALS_PER_MINUTE
from svduty.core.authorisation import Role
from tests.factories.accounts import AgencyFactory
from tests.factories.cases import partnership_with, person_on_team, practitioner

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    ours, theirs = AgencyFactory(name="Our Council"), AgencyFactory(name="Elsewhere")
    partnership_with(ours)
    other_partnership = partnership_with(theirs, name="Other Partnership")
    outsider = practitioner(ours, full_name="Olly Outsider")
    owner = practitioner(theirs)
    child = person_on_team(owner, partnership=other_partnership)
    return outsider, child


def _refusals():
    return list(AuditEvent.objects.filter(action=AuditAction.REFUSED))


def test_a_child_outside_scope_is_a_404_and_an_event(world, client_for):
    outsider, child = world
    response = client_for(outsider).get(reverse("cases:person", args=[child.pk]))
    assert response.status_code == 404
    # The same helpful page as for a wrong address (issue 16, point 8).
    assert "If someone sent you this link" in response.content.decode()
    [event] = _refusals()
    assert event.actor_id == outsider.pk
    assert event.target_type == "cases.person" and event.target_id == str(child.pk)
    assert event.detail["status"] == 404 and event.detail["exists"] is True
    assert "outside the user's scope" in event.detail["reason"]
    assert reverse("cases:person", args=[child.pk]) in event.target_label


def test_a_record_that_does_not_exist_is_told_apart(world, client_for):
    outsider, child = world
    client_for(outsider).get(reverse("cases:person", args=[child.pk + 1000]))
    [event] = _refusals()
    assert (
        event.detail["exists"] is False and event.detail["reason"] == "no such record"
    )


def test_an_api_request_outside_scope_is_recorded(world, client_for):
    outsider, child = world
    response = client_for(outsider).get(f"/api/cases/people/{child.pk}/")
    assert response.status_code == 404
    [event] = _refusals()
    assert event.detail["status"] == 404 and event.actor_id == outsider.pk


def test_a_page_the_role_does_not_allow_is_recorded(make_user, client_for):
    analyst = make_user(Role.ANALYST)
    response = client_for(analyst).get(reverse("audit:event_list"))
    assert response.status_code == 403
    [event] = _refusals()
    assert event.detail == {
        "status": 403,
        "reason": "the user's roles do not allow this",
        "permission": "view_audit",
    }


def test_a_scan_is_throttled(world, client_for):
    outsider, child = world
    client = client_for(outsider)
    for offset in range(REFUSALS_PER_MINUTE + 10):
        client.get(reverse("cases:person", args=[child.pk + offset]))
    assert len(_refusals()) == REFUSALS_PER_MINUTE
    assert AuditEvent.objects.filter(action=AuditAction.REFUSALS_THROTTLED).count() == 1


def test_an_anonymous_request_is_not_a_refusal(world, client):
    _, child = world
    client.get(reverse("cases:person", args=[child.pk]))
    assert _refusals() == []
