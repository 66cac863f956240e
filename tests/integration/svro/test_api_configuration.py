"""The SVRO API for what the register showed only on pages: order types, resident
population figures and links to shared person records, under the pages' policies
(reading configuration with VIEW_SVRO_SCRUTINY, changing it with MANAGE_SVRO; a
link only for someone who may see both ends, otherwise 404), through the actions,
audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from svduty.audit.models import AuditEvent
from svduty.core.authorisation import Role
from svduty.svro.models import OrderType, PersonLink, ResidentPopulation
from tests.factories.svro import force, make_order, svro_type

from .test_person_links import both, person, police  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

JSON = "application/json"


def _type_body(order_type: OrderType, **changes) -> dict:
    return {
        "lifecycle": order_type.lifecycle,
        "issuing_from": order_type.issuing_from and str(order_type.issuing_from),
        "issuing_until": None,
        "issuing_areas": order_type.issuing_areas,
        "min_months": order_type.min_months,
        "max_months": order_type.max_months,
        "minimum_age": order_type.minimum_age,
        "first_appointed_day": order_type.first_appointed_day
        and str(order_type.first_appointed_day),
        "notification_days": order_type.notification_days,
        "active": order_type.active,
    } | changes


def test_order_types_read_by_scrutiny_changed_by_officers(make_user, client_for):
    order_type = svro_type()
    analyst = client_for(make_user(Role.ANALYST))
    listed = analyst.get(reverse("api-svro-order-types"))
    assert listed.status_code == 200
    row = next(t for t in listed.json() if t["code"] == "svro")
    assert row["min_months"] == 6 and row["max_months"] == 24
    url = reverse("api-svro-order-type", args=[order_type.pk])
    assert analyst.get(url).json()["code"] == "svro"
    assert (
        analyst.put(url, _type_body(order_type), content_type=JSON).status_code == 403
    )

    officer = make_user(Role.SVRO_OFFICER, agency=force())
    client = client_for(officer)
    refused = client.put(
        url, _type_body(order_type, min_months=20, max_months=12), content_type=JSON
    )
    assert refused.status_code == 400 and "max_months" in refused.json()["errors"]
    # A body without every field is a 400 naming what is missing (it was a 500).
    partial = client.put(
        url,
        {"issuing_areas": [], "lifecycle": "pilot", "minimum_age": 0},
        content_type=JSON,
    )
    assert partial.status_code == 400
    assert {"issuing_from", "min_months", "active"} <= set(partial.json()["errors"])
    changed = client.put(
        url, _type_body(order_type, notification_days=5), content_type=JSON
    )
    assert changed.status_code == 200 and changed.json()["notification_days"] == 5
    assert OrderType.objects.get(pk=order_type.pk).notification_days == 5
    event = AuditEvent.objects.get(action="change", target_type="svro.ordertype")
    assert event.actor_id == officer.pk
    assert event.detail["changed"]["notification_days"]["to"] == 5
    assert client.get(reverse("api-svro-order-type", args=[999999])).status_code == 404
    # an auditor sees the page but has no API
    auditor = client_for(make_user(Role.AUDITOR))
    assert auditor.get(reverse("api-svro-order-types")).status_code == 403


def test_population_read_by_scrutiny_set_by_officers(make_user, client_for):
    url = reverse("api-svro-population")
    body = {
        "force_area": "cleveland",
        "ethnic_group": "white",
        "population": 520000,
        "source": "Census 2021, TS021",
    }
    analyst = client_for(make_user(Role.ANALYST))
    assert analyst.post(url, body, content_type=JSON).status_code == 403
    officer = make_user(Role.SVRO_OFFICER, agency=force())
    client = client_for(officer)
    negative = client.post(url, body | {"population": -1}, content_type=JSON)
    assert negative.status_code == 400
    assert client.post(url, body, content_type=JSON).status_code == 201
    again = client.post(url, body | {"population": 521000}, content_type=JSON)
    assert again.status_code == 201
    assert ResidentPopulation.objects.get().population == 521000
    rows = analyst.get(url).json()
    assert [(r["ethnic_group"], r["population"]) for r in rows] == [("white", 521000)]
    assert (
        AuditEvent.objects.filter(
            action="change", target_type="svro.residentpopulation"
        ).count()
        == 2
    )


def test_person_links_through_the_api(both, person, make_user, client_for):  # noqa: F811
    order = make_order(both)
    holder = order.holder
    client = client_for(both)
    links_url = reverse("api-svro-person-links", args=[holder.pk])
    assert client.get(links_url).json() == []
    made = client.post(links_url, {"person": person.pk}, content_type=JSON)
    assert made.status_code == 201
    assert made.json()["person_name"] == person.display_name
    twice = client.post(links_url, {"person": person.pk}, content_type=JSON)
    assert twice.status_code == 400
    link = PersonLink.objects.get()
    assert [row["id"] for row in client.get(links_url).json()] == [link.pk]
    assert AuditEvent.objects.filter(
        action="view", detail__page="api-person-links", target_id=str(holder.pk)
    ).exists()

    held = client.get(reverse("api-svro-person-orders", args=[person.pk])).json()
    assert held[0]["holder"] == holder.pk
    assert [o["id"] for o in held[0]["orders"]] == [order.pk]
    assert AuditEvent.objects.filter(
        action="view", detail__page="api-person-orders", target_id=str(person.pk)
    ).exists()

    # An SVRO officer of another force: the holder, the link and the person's
    # orders do not exist for them.
    other = client_for(
        make_user(Role.SVRO_OFFICER, agency=force("Durham Constabulary"))
    )
    link_url = reverse("api-svro-person-link", args=[link.pk])
    assert other.get(links_url).status_code == 404
    assert (
        other.post(links_url, {"person": person.pk}, content_type=JSON).status_code
        == 404
    )
    assert other.delete(link_url).status_code == 404
    assert (
        other.get(reverse("api-svro-person-orders", args=[person.pk])).status_code
        == 404
    )
    # An officer of the same force who is not on the person's team: the person is
    # not theirs to link or see.
    colleague = client_for(make_user(Role.SVRO_OFFICER, agency=holder.managing_force))
    assert colleague.get(links_url).json() == []
    refused = colleague.post(links_url, {"person": person.pk}, content_type=JSON)
    assert refused.status_code == 400
    assert colleague.delete(link_url).status_code == 404

    assert client.delete(link_url).status_code == 204
    assert not PersonLink.objects.exists()
    assert AuditEvent.objects.filter(
        action="delete", target_type="svro.holder", target_id=str(holder.pk)
    ).exists()


def test_the_schema_describes_the_new_endpoints():
    import re

    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths = {
        re.sub(r"\{[^}]+\}", "{}", path): ops for path, ops in schema["paths"].items()
    }
    expected = {
        "/api/svro/order-types/": {"get"},
        "/api/svro/order-types/{}/": {"get", "put"},
        "/api/svro/population/": {"get", "post"},
        "/api/svro/people/{}/person-records/": {"get", "post"},
        "/api/svro/person-links/{}/": {"delete"},
        "/api/svro/person-records/{}/orders/": {"get"},
    }
    for path, methods in expected.items():
        assert path in paths, path
        assert methods <= set(paths[path]), (path, set(paths[path]))
