"""The SVRO API: the same policies as the pages (another force's order is 404),
searches refused outside the order, scrutiny aggregates only, reads audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from svduty.audit.models import AuditEvent
from svduty.core.authorisation import Role
from tests.factories.svro import force, make_order, svro_type

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


def _order_body(holder, application, **changes):
    return {
        "holder": holder.pk,
        "order_type": "svro",
        "application": application.pk,
        "issuing_area": "cleveland",
        "issuing_court": "Teesside Crown Court",
        "made_on": "2026-02-02",
        "period_months": 12,
        "weapon_condition": "own_use",
        "necessity": ["a"],
        "explanation_given": True,
    } | changes


def test_record_an_order_through_the_api(officer, make_user, client_for):
    from tests.factories.svro import granted_application, make_holder

    holder = make_holder(officer)
    application = granted_application(officer, holder)
    client = client_for(officer)
    url = reverse("api-svro-orders")
    # The Act's rules, as on the form: 25 months and no weapon condition refused.
    too_long = client.post(
        url, _order_body(holder, application, period_months=25), "application/json"
    )
    assert too_long.status_code == 400
    assert "period_months" in too_long.json()["errors"]
    no_condition = client.post(
        url, _order_body(holder, application, weapon_condition=""), "application/json"
    )
    assert no_condition.status_code == 400
    assert "weapon_condition" in no_condition.json()["errors"]
    made = client.post(url, _order_body(holder, application), "application/json")
    assert made.status_code == 201, made.json()
    body = made.json()
    assert body["expires_on"] == "2027-02-01"
    assert [v["event"] for v in body["versions"]] == ["made"]
    assert AuditEvent.objects.filter(
        action="create", target_id=str(body["id"])
    ).exists()
    # Another force's officer cannot name this holder or application.
    other = make_user(Role.SVRO_OFFICER, agency=force("Durham Constabulary"))
    refused = client_for(other).post(
        url, _order_body(holder, application), "application/json"
    )
    assert refused.status_code == 400
    assert set(refused.json()["errors"]) >= {"holder", "application"}
    # Analysts see aggregates only.
    analyst = client_for(make_user(Role.ANALYST))
    denied = analyst.post(url, _order_body(holder, application), "application/json")
    assert denied.status_code == 403


def test_vary_and_discharge_through_the_api(officer, make_user, client_for):
    order = make_order(officer)
    client = client_for(officer)
    url = reverse("api-svro-order-decisions", args=[order.pk])
    decision = {
        "event": "varied",
        "event_on": "2026-03-02",
        "applicant": "chief_officer",
        "court": "Teesside Crown Court",
        "period_months": 25,
    }
    assert client.post(url, decision, "application/json").status_code == 400
    varied = client.post(url, decision | {"period_months": 18}, "application/json")
    assert varied.status_code == 201, varied.json()
    assert varied.json()["period_months"] == 18
    discharged = client.post(
        url,
        {
            "event": "discharged",
            "event_on": "2026-04-01",
            "applicant": "offender",
            "court": "Teesside Crown Court",
        },
        "application/json",
    )
    assert discharged.status_code == 201
    body = discharged.json()
    assert body["discharged_on"] == "2026-04-01"
    assert [v["number"] for v in body["versions"]] == [1, 2, 3]
    # A search from the first minute of the discharge day is refused.
    searches = reverse("api-svro-searches", args=[order.pk])
    after = SEARCH | {"reference": "API-3", "searched_at": "2026-04-01T00:01:00+01:00"}
    assert client.post(searches, after, "application/json").status_code == 400
    other = client_for(
        make_user(Role.SVRO_OFFICER, agency=force("Durham Constabulary"))
    )
    assert other.post(url, decision, "application/json").status_code == 404
    # Bad input is a 400, never a 500.
    assert client.post(url, {"event": "made"}, "application/json").status_code == 400
    assert client.post(url, "not json", "application/json").status_code == 400


def test_person_application_decision_and_order_through_the_api(
    officer, make_user, client_for
):
    """From a new person to an order, through the API only, under the forms' rules."""
    svro_type()
    client = client_for(officer)
    police = officer.memberships.get().agency
    person = {
        "managing_force": police.pk,
        "name": "Alex Apitest",
        "date_of_birth": "2008-03-10",
        "sex": "male",
        "ethnicity": "B1",
    }
    made = client.post(reverse("api-svro-people"), person, "application/json")
    assert made.status_code == 201, made.json()
    holder_id = made.json()["id"]
    assert made.json()["current_name"] == "Alex Apitest"
    url = reverse("api-svro-applications", args=[holder_id])
    application = {
        "order_type": "svro",
        "considered_on": "2026-03-01",
        "status": "pending",
        "offence": "Possession of a bladed article",
        "offence_date": "2025-12-01",
        "conviction_date": "2026-03-09",  # the day before the 18th birthday
        "sentence": "Community order",
        "court": "Teesside Crown Court",
        "hearing_date": "2026-03-10",
    }
    young = client.post(url, application, "application/json")
    assert young.status_code == 400
    assert "conviction_date" in young.json()["errors"]
    applied = client.post(
        url, application | {"conviction_date": "2026-03-10"}, "application/json"
    )
    assert applied.status_code == 201, applied.json()
    assert applied.json()["status"] == "pending"
    decide = reverse("api-svro-application-decision", args=[applied.json()["id"]])
    refused = client.post(
        decide,
        {"status": "refused", "decided_on": "2026-03-10"},
        "application/json",
    )
    assert refused.status_code == 400
    assert "reason" in refused.json()["errors"]
    granted = client.post(
        decide,
        {"status": "granted", "decided_on": "2026-03-10"},
        "application/json",
    )
    assert granted.status_code == 200
    assert granted.json()["status"] == "granted"
    order = client.post(
        reverse("api-svro-orders"),
        {
            "holder": holder_id,
            "order_type": "svro",
            "application": applied.json()["id"],
            "issuing_area": "cleveland",
            "issuing_court": "Teesside Crown Court",
            "made_on": "2026-03-10",
            "period_months": 6,
            "weapon_condition": "own_possession",
            "necessity": ["b"],
        },
        "application/json",
    )
    assert order.status_code == 201, order.json()
    assert order.json()["expires_on"] == "2026-09-09"
    # Another force: the person is not there (404), nor is their force choosable.
    other = client_for(
        make_user(Role.SVRO_OFFICER, agency=force("Durham Constabulary"))
    )
    assert other.post(url, application, "application/json").status_code == 404
    assert other.post(decide, {}, "application/json").status_code == 404
    elsewhere = other.post(reverse("api-svro-people"), person, "application/json")
    assert elsewhere.status_code == 400
    assert "managing_force" in elsewhere.json()["errors"]
