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


def test_notifications_and_custody_through_the_api(officer, make_user, client_for):
    """The initial notification's attendance, a new address (3 days including the
    event day, paused by custody) and the release, under the forms' rules."""
    order = make_order(officer)
    client = client_for(officer)
    url = reverse("api-svro-notifications", args=[order.pk])
    [initial] = client.get(url).json()
    assert initial["event"] == "initial"
    assert initial["due_on"] == "2026-02-04"  # made Monday 2 February: 2, 3, 4
    assert initial["status"] == "overdue"
    attend = reverse("api-svro-notification-attendance", args=[initial["id"]])
    missing = client.post(attend, {"notified_on": "2026-02-05"}, "application/json")
    assert missing.status_code == 400
    assert {"station", "received_by"} <= set(missing.json()["errors"])
    attended = {
        "notified_on": "2026-02-05",
        "station": "Middlesbrough",
        "received_by": "PC 4",
        "address": "1 Demo Street",
    }
    late = client.post(attend, attended, "application/json")
    assert late.status_code == 200, late.json()
    assert late.json()["status"] == "late"
    again = client.post(attend, attended, "application/json")
    assert again.status_code == 400  # already recorded, not overwritten
    # Custody from 10 to 11 March pauses the clock of a move on 9 March.
    custody = client.post(
        reverse("api-svro-custody", args=[order.holder_id]),
        {"started_on": "2026-03-10"},
        "application/json",
    )
    assert custody.status_code == 201, custody.json()
    moved = client.post(
        url,
        {"event": "new_home", "event_on": "2026-03-09", "address": "2 Demo Road"},
        "application/json",
    )
    assert moved.status_code == 201, moved.json()
    assert moved.json()["due_on"] is None  # in custody, no release date: paused
    backwards = client.post(
        reverse("api-svro-custody-release", args=[custody.json()["id"]]),
        {"ended_on": "2026-03-01"},
        "application/json",
    )
    assert backwards.status_code == 400
    assert "ended_on" in backwards.json()["errors"]
    released = client.post(
        reverse("api-svro-custody-release", args=[custody.json()["id"]]),
        {"ended_on": "2026-03-12"},
        "application/json",
    )
    assert released.status_code == 200
    moved_now = next(n for n in client.get(url).json() if n["id"] == moved.json()["id"])
    assert moved_now["due_on"] == "2026-03-13"  # 9, then 12 and 13
    no_address = client.post(
        url, {"event": "new_home", "event_on": "2026-03-09"}, "application/json"
    )
    assert no_address.status_code == 400
    assert "address" in no_address.json()["errors"]
    assert AuditEvent.objects.filter(
        action="view", detail__page="api-notifications"
    ).exists()
    assert AuditEvent.objects.filter(
        action="create", target_type="svro.custodyperiod"
    ).exists()
    other = client_for(
        make_user(Role.SVRO_OFFICER, agency=force("Durham Constabulary"))
    )
    assert other.get(url).status_code == 404
    assert other.post(attend, attended, "application/json").status_code == 404
    release = reverse("api-svro-custody-release", args=[custody.json()["id"]])
    assert (
        other.post(release, {"ended_on": "2026-03-12"}, "application/json").status_code
        == 404
    )


def test_breaches_and_convictions_through_the_api(officer, make_user, client_for):
    order = make_order(officer)
    client = client_for(officer)
    url = reverse("api-svro-breaches", args=[order.pk])
    breach = {
        "kind": "obstruction",
        "occurred_on": "2026-03-03",
        "reported_by": "PC 7",
        "investigation": "convicted",
        "charge": "Obstructing a search (s.342G)",
        "sentence": "conditional_discharge",
    }
    refused = client.post(url, breach, "application/json")
    assert refused.status_code == 400
    assert "sentence" in refused.json()["errors"]
    made = client.post(url, breach | {"sentence": "fine"}, "application/json")
    assert made.status_code == 201, made.json()
    update = reverse("api-svro-breach-update", args=[made.json()["id"]])
    changed = client.post(
        update,
        {
            "investigation": "convicted",
            "charge": "Obstruction",
            "sentence": "community",
        },
        "application/json",
    )
    assert changed.status_code == 200
    assert changed.json()["sentence"] == "community"
    assert [b["sentence"] for b in client.get(url).json()] == ["community"]
    convictions = reverse("api-svro-convictions", args=[order.holder_id])
    conviction = {
        "offence": "Possession of a bladed article",
        "offence_date": "2026-02-01",  # the day before the order was made
        "conviction_date": "2026-05-01",
        "weapon_related": True,
    }
    before = client.post(convictions, conviction, "application/json")
    assert before.status_code == 400
    assert "offence_date" in before.json()["errors"]
    after = client.post(
        convictions, conviction | {"offence_date": "2026-02-02"}, "application/json"
    )
    assert after.status_code == 201, after.json()
    assert after.json()["source"] == "Entered by an officer"
    assert AuditEvent.objects.filter(
        action="change", target_type="svro.breach"
    ).exists()
    other = client_for(
        make_user(Role.SVRO_OFFICER, agency=force("Durham Constabulary"))
    )
    assert other.get(url).status_code == 404
    assert (
        other.post(update, {"investigation": "nfa"}, "application/json").status_code
        == 404
    )
    assert other.post(convictions, conviction, "application/json").status_code == 404
    analyst = client_for(make_user(Role.ANALYST))
    assert analyst.get(url).status_code == 403


def test_samples_and_reviews_through_the_api(officer, make_user, client_for):
    """A panel's sample drawn and reviewed through the API: force-scoped, the same
    searches again from the same seed, no names."""
    order = make_order(officer)
    client = client_for(officer)
    searches = reverse("api-svro-searches", args=[order.pk])
    for number in range(3):
        body = SEARCH | {
            "reference": f"SAMPLE-{number}",
            "searched_at": f"2026-03-0{number + 2}T12:00:00+00:00",
        }
        assert client.post(searches, body, "application/json").status_code == 201
    police = officer.memberships.get().agency
    request = {
        "panel": "Cleveland Stop and Search Scrutiny Panel",
        "force": police.pk,
        "period_start": "2026-03-01",
        "period_end": "2026-03-31",
        "size": 2,
        "seed": 42,
    }
    url = reverse("api-svro-samples")
    first = client.post(url, request, "application/json")
    assert first.status_code == 201, first.json()
    again = client.post(url, request, "application/json").json()
    picked = [i["reference"] for i in first.json()["items"]]
    assert len(picked) == 2 and picked == [i["reference"] for i in again["items"]]
    assert order.holder.current_name not in str(first.json())
    item = first.json()["items"][0]["id"]
    review = reverse("api-svro-sample-review", args=[item])
    incomplete = client.post(review, {"video_watched": True}, "application/json")
    assert incomplete.status_code == 400
    assert {"grounds", "conduct"} <= set(incomplete.json()["errors"])
    reviewed = client.post(
        review,
        {"video_watched": True, "grounds": "met", "conduct": "partly"},
        "application/json",
    )
    assert reviewed.status_code == 200, reviewed.json()
    assert reviewed.json()["reviewed_at"]
    assert len(client.get(url).json()) == 2
    other = make_user(Role.SVRO_OFFICER, agency=force("Durham Constabulary"))
    elsewhere = client_for(other)
    assert elsewhere.get(url).json() == []
    assert elsewhere.post(review, {}, "application/json").status_code == 404
    refused = elsewhere.post(url, request, "application/json")
    assert refused.status_code == 400 and "force" in refused.json()["errors"]
