"""Services pages: the catalogue in constant queries, the waiting list naming only
children the user may see, the referral steps through their forms, the export."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from svduty.audit.models import AuditEvent
from svduty.services.models import ReferralStatus, ServiceReferral
from tests.factories.services import make_service, refer


def test_catalogue_queries_do_not_grow_with_services(world, client_for):
    client = client_for(world.lead)
    client.get(reverse("services:catalogue"))
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("services:catalogue")).status_code == 200
    for n in range(30):
        service = make_service(world.manager, world.partnership, name=f"Extra {n:02}")
        refer(world.lead, world.child_a, service)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("services:catalogue") + "?page=2")
    assert response.status_code == 200
    assert len(many) == len(few)
    assert "Page 2 of 2" in response.text


def test_waiting_list_names_only_children_the_user_may_see(world, client_for):
    refer(world.lead, world.child_a, world.service)
    refer(world.other, world.child_c, world.service)
    response = client_for(world.lead).get(
        reverse("services:detail", args=[world.service.pk])
    )
    assert "Alex" in response.text and "Casey" not in response.text
    assert "1 more child waiting" in response.text
    lead_view = client_for(world.partnership_lead).get(
        reverse("services:detail", args=[world.service.pk])
    )
    assert "Alex" not in lead_view.text and "2 more children" in lead_view.text
    outsider = client_for(world.outsider).get(
        reverse("services:detail", args=[world.service.pk])
    )
    assert outsider.status_code == 404


def test_long_waiting_list_is_paged_in_constant_queries(world, client_for):
    """The waiting list shows a page of WAITING_PAGE_SIZE children the user may
    read, longest waiting first, and asks the same number of queries whatever its
    length; the children the user may not read are still only counted."""
    from svduty.services.views.service_page import WAITING_PAGE_SIZE
    from tests.factories.cases import person_on_team

    url = reverse("services:detail", args=[world.service.pk])
    client = client_for(world.lead)
    refer(world.lead, world.child_a, world.service, referred_on=dt.date(2025, 1, 2))
    refer(world.other, world.child_c, world.service)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(WAITING_PAGE_SIZE + 3):
        child = person_on_team(
            world.lead, partnership=world.partnership, first_name=f"Waiting{n:03}"
        )
        refer(world.lead, child, world.service, referred_on=dt.date(2026, 1, 10))
    with CaptureQueriesContext(connection) as many:
        first = client.get(url)
    assert len(many) == len(few)
    assert first.text.count('href="/services/referrals/') == WAITING_PAGE_SIZE
    # Longest waiting first: Alex (referred 2025) heads page 1.
    assert first.text.index("Alex") < first.text.index("Waiting000")
    assert f"1 to {WAITING_PAGE_SIZE} of {WAITING_PAGE_SIZE + 4}" in first.text
    assert "1 more child waiting" in first.text and "Casey" not in first.text
    second = client.get(url + "?page=2")
    assert second.text.count('href="/services/referrals/') == 4
    assert "Alex" not in second.text
    # A page past the end or not a number shows the last or first page, never a 500.
    assert client.get(url + "?page=99").status_code == 200
    assert client.get(url + "?page=x%00").status_code in (200, 400)


def test_api_waiting_list_is_paged_like_the_page(world, client_for):
    """The API gives the waiting list 50 at a time, as the page does, longest
    waiting first, in the same number of queries whatever its length; the children
    the user may not read are counted on every page, never listed."""
    from svduty.services.views.service_page import WAITING_PAGE_SIZE
    from tests.factories.cases import person_on_team

    url = reverse("api-service-waiting-list", args=[world.service.pk])
    client = client_for(world.lead)
    refer(world.lead, world.child_a, world.service, referred_on=dt.date(2025, 1, 2))
    refer(world.other, world.child_c, world.service)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(WAITING_PAGE_SIZE + 3):
        child = person_on_team(
            world.lead, partnership=world.partnership, first_name=f"Waiting{n:03}"
        )
        refer(world.lead, child, world.service, referred_on=dt.date(2026, 1, 10))
    with CaptureQueriesContext(connection) as many:
        first = client.get(url).json()
    assert len(many) == len(few)
    assert WAITING_PAGE_SIZE == 50
    assert len(first["referrals"]) == WAITING_PAGE_SIZE
    assert first["referrals"][0]["person"] == world.child_a.pk  # longest waiting
    assert (first["waiting"], first["count"], first["not_shown"]) == (
        WAITING_PAGE_SIZE + 5,
        WAITING_PAGE_SIZE + 4,
        1,
    )
    assert (first["page"], first["pages"], first["previous"]) == (1, 2, None)
    assert first["next"].endswith(url + "?page=2")
    second = client.get(url, {"page": 2}).json()
    assert len(second["referrals"]) == 4 and second["next"] is None
    assert second["previous"] is not None and second["not_shown"] == 1
    listed = {r["person"] for r in first["referrals"] + second["referrals"]}
    assert world.child_c.pk not in listed and len(listed) == WAITING_PAGE_SIZE + 4
    # A page that does not exist is a clear 404, never a 500.
    for page in ("3", "0", "x"):
        assert client.get(url, {"page": page}).status_code == 404


def test_referral_through_the_forms(world, client_for):
    client = client_for(world.lead)
    response = client.post(
        reverse("services:refer", args=[world.child_a.pk]),
        {
            "service": world.service.pk,
            "referred_on_day": "5",
            "referred_on_month": "1",
            "referred_on_year": "2026",
            "reason": "Needs a mentor",
            "consent": "child",
        },
    )
    assert response.status_code == 302, response.content
    referral = ServiceReferral.objects.get(person=world.child_a)
    step = reverse("services:referral_step", args=[referral.pk, "start"])
    refused = client.post(
        step,
        {"started_on_day": "6", "started_on_month": "1", "started_on_year": "2026"},
    )
    assert refused.status_code == 200 and "Error:" in refused.text
    client.post(
        reverse("services:referral_step", args=[referral.pk, "decide"]),
        {
            "accepted": "yes",
            "decided_on_day": "6",
            "decided_on_month": "1",
            "decided_on_year": "2026",
        },
    )
    client.post(
        step,
        {"started_on_day": "9", "started_on_month": "1", "started_on_year": "2026"},
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.STARTED
    page = client.get(reverse("services:referral", args=[referral.pk]))
    assert "after 4 days" in page.text
    panel = client.get(
        reverse("services:person_panel", args=[world.child_a.pk]),
        HTTP_HX_REQUEST="true",
    )
    assert "Test mentoring" in panel.text
    assert (
        client_for(world.other)
        .get(reverse("services:referral", args=[referral.pk]))
        .status_code
        == 404
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "pdf"])
def test_catalogue_export_is_audited(world, client_for, fmt):
    response = client_for(world.partnership_lead).get(reverse(f"services:export_{fmt}"))
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if fmt == "csv" else response.content
    if fmt == "csv":
        assert b"Test mentoring" in body
    if fmt == "pdf":
        assert (
            body.startswith(b"%PDF") and response["Content-Type"] == "application/pdf"
        )
    assert AuditEvent.objects.filter(action="export", detail__format=fmt).exists()


def test_no_input_gives_a_500(world, client_for):
    client = client_for(world.lead)
    for query in (
        "?page=abc",
        "?age=-1",
        "?type=%00",
        "?page=99999",
        "?age=9999999999",
    ):
        assert client.get(reverse("services:catalogue") + query).status_code in (
            200,
            400,
        )
    assert (
        client.get(reverse("services:referral_step", args=[1, "nonsense"])).status_code
        == 404
    )
    assert (
        client.post(
            reverse("services:refer", args=[world.child_a.pk]), {"service": "x"}
        ).status_code
        == 200
    )


def test_api_waiting_list_and_referral(world, client_for):
    refer(world.other, world.child_c, world.service)
    client = client_for(world.lead)
    answer = client.get(
        reverse("api-service-waiting-list", args=[world.service.pk])
    ).json()
    assert answer["waiting"] == 1 and answer["not_shown"] == 1
    assert answer["referrals"] == []
    url = reverse("api-child-service-referrals", args=[world.child_a.pk])
    made = client.post(
        url,
        {
            "service": world.service.pk,
            "referred_on": "2026-01-05",
            "reason": "Needs a mentor",
            "consent": "child",
            "consent_recorded_on": "2026-01-05",
        },
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    assert client.get(url).json()[0]["status"] == "referred"
    assert client_for(world.other).get(url).status_code == 404
    listed = client.get(reverse("api-services")).json()
    assert listed[0]["waiting"] == 2
