"""Order types are rows an SVRO officer changes on a page (audited), and the resident
population behind search rates is set there too (issue 10 points 2 and 6)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from svduty.audit.models import AuditEvent
from svduty.core.authorisation import Role
from svduty.svro import actions
from svduty.svro.models import OrderType, ResidentPopulation
from tests.factories.svro import force, svro_type

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(make_user):
    return make_user(Role.SVRO_OFFICER, agency=force())


def test_officer_changes_an_order_type(officer, client_for):
    order_type = svro_type()
    client = client_for(officer)
    page = client.get(reverse("svro:order_types"))
    assert page.status_code == 200 and order_type.name in page.text
    response = client.post(
        reverse("svro:order_type_edit", args=[order_type.pk]),
        {
            "lifecycle": "national",
            "issuing_from_day": "19",
            "issuing_from_month": "4",
            "issuing_from_year": "2025",
            "min_months": "6",
            "max_months": "24",
            "minimum_age": "18",
            "notification_days": "5",
            "active": "on",
        },
    )
    assert response.status_code == 302
    order_type.refresh_from_db()
    assert order_type.notification_days == 5
    event = AuditEvent.objects.get(action="change", target_type="svro.ordertype")
    assert event.detail["changed"]["notification_days"]["to"] == 5


def test_order_type_rules(officer):
    order_type = OrderType.objects.get(code="svro")
    base = {
        "by": officer,
        "order_type": order_type,
        "lifecycle": "pilot",
        "issuing_from": None,
        "issuing_until": None,
        "issuing_areas": [],
        "min_months": 6,
        "max_months": 24,
        "minimum_age": 18,
        "first_appointed_day": None,
        "notification_days": 3,
        "active": True,
    }
    with pytest.raises(ValidationError):
        actions.change_order_type(**base)  # a pilot needs its areas
    with pytest.raises(ValidationError):
        actions.change_order_type(
            **base | {"issuing_areas": ["cleveland"], "min_months": 25}
        )


def test_population_set_and_replaced(officer, client_for, make_user):
    client = client_for(officer)
    data = {
        "force_area": "cleveland",
        "ethnic_group": "white",
        "population": "500000",
        "source": "Census 2021",
    }
    assert client.post(reverse("svro:population_edit"), data).status_code == 302
    data["population"] = "510000"
    assert client.post(reverse("svro:population_edit"), data).status_code == 302
    row = ResidentPopulation.objects.get(force_area="cleveland", ethnic_group="white")
    assert row.population == 510000
    bad = client.post(reverse("svro:population_edit"), data | {"population": "-1"})
    assert bad.status_code == 200 and "govuk-error-summary" in bad.text
    # analysts see the figures but cannot change them
    analyst = client_for(make_user(Role.ANALYST))
    assert analyst.get(reverse("svro:order_types")).status_code == 200
    assert analyst.get(reverse("svro:population_edit")).status_code == 403
