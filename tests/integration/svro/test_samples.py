"""A scrutiny panel's reproducible sample of searches and its review (issue 10
point 6)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from svduty.audit.models import AuditEvent
from svduty.core.authorisation import Role
from svduty.svro import actions
from svduty.svro.models import SampleItem
from svduty.svro.samples import draw
from svduty.svro.scrutiny import dashboard

from .test_scrutiny import PERIOD, rows, world  # noqa: F401 - the shared fixture

pytestmark = pytest.mark.django_db


def test_draw_is_reproducible_and_order_free():
    ids = list(range(100, 160))
    first = draw(ids, 10, 1234)
    assert first == draw(list(reversed(ids)), 10, 1234)
    assert len(set(first)) == 10 and set(first) <= set(ids)
    assert draw(ids, 10, 1235) != first
    assert sorted(draw(ids[:3], 10, 1)) == ids[:3]  # fewer than asked: all of them


def sample_for(officer, **fields):
    values = {
        "force": officer.memberships.get(is_primary=True).agency,
        "period_start": dt.date(2026, 3, 1),
        "period_end": dt.date(2026, 3, 31),
        "size": 5,
        "panel": "Cleveland scrutiny panel",
    } | fields
    return actions.draw_sample(by=officer, **values)


def test_sample_drawn_again_from_its_seed(world):  # noqa: F811
    officer = world
    sample = sample_for(officer, seed=42)
    again = sample_for(officer, seed=42)
    assert [i.search_id for i in sample.items.all()] == [
        i.search_id for i in again.items.all()
    ]
    assert sample.items.count() == 5
    with pytest.raises(ValidationError):
        sample_for(
            officer, period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 1, 2)
        )
    with pytest.raises(ValidationError):
        sample_for(officer, size=0)


def test_review_recorded_and_counted(world, client_for, make_user):  # noqa: F811
    officer = world
    sample = sample_for(officer, seed=7)
    client = client_for(officer)
    page = client.get(reverse("svro:sample", args=[sample.pk]))
    assert page.status_code == 200 and "The same searches" in page.text
    assert "W1-0" not in page.text  # the people searched are not named
    item = sample.items.first()
    response = client.post(
        reverse("svro:sample_review", args=[item.pk]),
        {
            "video_watched": "yes",
            "grounds": "met",
            "conduct": "partly",
            "feedback": "Good",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.grounds == "met" and item.reviewed_by == officer
    assert AuditEvent.objects.filter(action="change", target_id=str(item.pk)).exists()
    # an incomplete review is refused by the database too
    with pytest.raises(IntegrityError), transaction.atomic():
        SampleItem.objects.filter(pk=item.pk).update(grounds="")
    # the dashboard counts reviews (small numbers suppressed)
    end = dt.date.today()
    table = rows(dashboard(PERIOD.__class__(PERIOD.start, end)).table("reviews"))
    assert table["Met the standard"][0] == "fewer than 5"
    # an officer of another force gets 404
    stranger = make_user(Role.SVRO_OFFICER)
    other = client_for(stranger)
    assert other.get(reverse("svro:sample", args=[sample.pk])).status_code == 404
    assert other.get(reverse("svro:sample_review", args=[item.pk])).status_code == 404


def test_sample_form(world, client_for):  # noqa: F811
    officer = world
    client = client_for(officer)
    assert client.get(reverse("svro:samples")).status_code == 200
    response = client.post(
        reverse("svro:sample_new"),
        {
            "panel": "Panel",
            "force": officer.memberships.get(is_primary=True).agency_id,
            "period_start_day": "1",
            "period_start_month": "3",
            "period_start_year": "2026",
            "period_end_day": "31",
            "period_end_month": "3",
            "period_end_year": "2026",
            "size": "3",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert client.get(response["Location"]).status_code == 200
    bad = client.post(reverse("svro:sample_new"), {"panel": "", "size": "x"})
    assert bad.status_code == 200 and "govuk-error-summary" in bad.text
