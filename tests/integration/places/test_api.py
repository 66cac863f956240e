"""The places API applies the pages' policies."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from svduty.places import actions
from tests.factories.places import make_group, make_place

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 2, 2)


def test_api_names_only_readable_children_and_hides_groups(world, client_for):
    place = make_place(world.lead, world.partnership)
    for by, child in ((world.lead, world.child_a), (world.other, world.child_c)):
        actions.link_child(
            by=by, place=place, person=child, role="harmed_here", linked_on=DAY
        )
    group = make_group(world.lead, world.partnership, world.child_a, world.child_b)

    mine = client_for(world.lead).get(reverse("api-place", args=[place.pk])).json()
    assert [c["person"] for c in mine["children"]] == [world.child_a.pk]
    assert mine["other_children_linked"] == 1

    theirs = client_for(world.other)
    assert [g["id"] for g in theirs.get(reverse("api-peer-groups")).json()] == []
    assert theirs.get(reverse("api-peer-group", args=[group.pk])).status_code == 404
    listed = client_for(world.analyst).get(reverse("api-places")).json()
    assert listed[0]["children_linked"] == 2 and "children" not in listed[0]
    outsider = client_for(world.outsider).get(reverse("api-place", args=[place.pk]))
    assert outsider.status_code == 404


def test_api_creates_through_the_actions(world, client_for):
    http = client_for(world.lead)
    response = http.post(
        reverse("api-places"),
        {
            "partnership": world.partnership.slug,
            "name": "Online group",
            "kind": "online",
            "latitude": 54.5,
            "longitude": -1.2,
            "radius_m": 300,
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "latitude" in response.json()["errors"]
    response = http.post(
        reverse("api-places"),
        {
            "partnership": world.partnership.slug,
            "name": "Station",
            "kind": "transport_hub",
            "latitude": 54.57,
            "longitude": -1.23,
            "radius_m": 300,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    place_id = response.json()["id"]
    response = http.post(
        reverse("api-place-interventions", args=[place_id]),
        {"kind": "lighting", "started_on": "2026-03-01"},
        content_type="application/json",
    )
    assert response.status_code == 201
    evaluation = http.get(
        reverse("api-place-evaluation", args=[place_id, response.json()["id"]])
    ).json()
    assert "no analytic snapshot" in evaluation["unavailable"]
    denied = client_for(world.analyst).post(
        reverse("api-places"),
        {"partnership": world.partnership.slug, "name": "X", "kind": "park"},
        content_type="application/json",
    )
    assert denied.status_code == 403
