"""The SVRO API: the same policies as the pages (another force's order is 404),
searches refused outside the order, scrutiny aggregates only, reads audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from svduty.audit.models import AuditEvent
from svduty.core.authorisation import Role
from tests.factories.svro import force, make_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(make_user):
    return make_user(Role.SVRO_OFFICER, agency=force())


SEARCH = {
    "reference": "API-1",
    "force_area": "cleveland",
    "officer_identifier": "PC 9",
    "searched_at": "2026-03-06T14:30:00+00:00",
    "location": "Middlesbrough",
    "public_place": True,
    "identity_method": "pnc",
    "self_ethnicity": "W1",
    "officer_ethnicity": "white",
    "sex": "male",
    "outcome": "nfa",
}


def test_orders_and_searches(officer, make_user, client_for):
    order = make_order(officer)
    client = client_for(officer)
    listed = client.get(reverse("api-svro-orders")).json()
    assert [o["id"] for o in listed] == [order.pk]
    assert listed[0]["in_force"] is True
    url = reverse("api-svro-searches", args=[order.pk])
    assert client.post(url, SEARCH, content_type="application/json").status_code == 201
    late = SEARCH | {"reference": "API-2", "searched_at": "2027-02-02T00:30:00+00:00"}
    response = client.post(url, late, content_type="application/json")
    assert response.status_code == 400
    assert [s["reference"] for s in client.get(url).json()] == ["API-1"]
    assert AuditEvent.objects.filter(
        action="view", detail__page="api-searches"
    ).exists()
    other = client_for(
        make_user(Role.SVRO_OFFICER, agency=force("Durham Constabulary"))
    )
    assert other.get(reverse("api-svro-order", args=[order.pk])).status_code == 404
    assert other.post(url, SEARCH, content_type="application/json").status_code == 404


def test_scrutiny_for_analyst(officer, make_user, client_for):
    make_order(officer)
    client = client_for(make_user(Role.ANALYST))
    body = client.get(reverse("api-svro-scrutiny") + "?by=age&months=24").json()
    assert body["by"] == "age"
    assert "funnel" in [t["key"] for t in body["tables"]]
    assert "Jordan" not in str(body)
    assert client.get(reverse("api-svro-orders")).status_code == 403
