"""The public transparency report (issue 10 points 6 and 7): the partnership lead
publishes the report for a period; the public pages show the figures frozen at
publication (suppressed, no names), never a recount, without signing in."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from svduty.audit.models import AuditEvent
from svduty.core.authorisation import Role
from svduty.svro import actions
from svduty.svro.models import PublishedReport, ScrutinySummary
from svduty.svro.views.scrutiny import filters_for
from tests.factories.svro import make_holder, svro_type

from .test_report import is_tagged_pdf
from .test_scrutiny import world  # noqa: F401 - the shared fixture

pytestmark = pytest.mark.django_db


def funnel_all_considered(html: str) -> str:
    """The 'Considered' cell of the funnel's All row (the first table of item a)."""
    section = html.split('id="item-a"', 1)[1]
    row = re.search(
        r'<th scope="row" class="govuk-table__header">All</th>\s*(.*?)</tr>',
        section,
        re.S,
    )
    assert row is not None
    return re.findall(r"<td[^>]*>\s*([^<]*?)\s*</td>", row.group(1))[0]


def test_publish_freezes_figures_and_public_sees_them(world, make_user, client_for):  # noqa: F811
    officer = world
    lead = make_user(Role.PARTNERSHIP_LEAD)
    lead_client = client_for(lead)
    confirm = lead_client.get(reverse("svro:report_publish") + "?months=24")
    assert confirm.status_code == 200
    response = lead_client.post(reverse("svro:report_publish"), {"months": "24"})
    report = PublishedReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("public_svro:detail", args=[report.pk])
    event = AuditEvent.objects.get(action="publish", target_type="svro.publishedreport")
    assert event.actor_id == lead.pk and event.target_id == str(report.pk)

    public = Client()
    index = public.get(reverse("public_svro:index"))
    assert index.status_code == 200
    assert reverse("public_svro:detail", args=[report.pk]) in index.text
    page = public.get(reverse("public_svro:detail", args=[report.pk]))
    assert page.status_code == 200
    for item in "abcdefg":
        assert f'id="item-{item}"' in page.text
    assert funnel_all_considered(page.text) == "14"
    # suppression as in the signed-in report; no names; no map of search points
    assert "fewer than 5" in page.text and "[c]" in page.text
    assert "W1-0" not in page.text and "A-1" not in page.text
    assert "svro-report-map" not in page.text and "54.5762" not in page.text

    # More people considered later: the signed-in report recounts, the published
    # one does not.
    for index_ in range(3):
        actions.record_application(
            by=officer,
            holder=make_holder(officer, name=f"Late-{index_}", ethnicity="A4"),
            order_type=svro_type(),
            considered_on=dt.date(2026, 2, 6),
        )
    ScrutinySummary.objects.all().delete()
    signed_in = lead_client.get(reverse("svro:report") + "?months=24")
    assert funnel_all_considered(signed_in.text) == "17"
    ScrutinySummary.objects.all().delete()
    again = public.get(reverse("public_svro:detail", args=[report.pk]))
    assert funnel_all_considered(again.text) == "14"
    assert not ScrutinySummary.objects.exists()  # the public page counted nothing

    pdf = public.get(reverse("public_svro:pdf", args=[report.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert is_tagged_pdf(pdf.content)


def test_unpublished_is_not_public(world, make_user):  # noqa: F811
    public = Client()
    assert public.get(reverse("public_svro:detail", args=[999999])).status_code == 404
    assert public.get(reverse("public_svro:pdf", args=[999999])).status_code == 404
    assert "No transparency reports" in public.get(reverse("public_svro:index")).text
    # the signed-in report and publishing need signing in
    for name in ("svro:report", "svro:report_publish"):
        response = public.get(reverse(name))
        assert response.status_code == 302 and "/accounts/" in response["Location"]
    assert not PublishedReport.objects.exists()


def test_only_the_permission_publishes_and_db_refuses_changes(world, make_user):  # noqa: F811
    officer = world
    filters = filters_for("24", "ethnicity", None)
    with pytest.raises(PermissionDenied):
        actions.publish_report(by=officer, filters=filters)
    report = actions.publish_report(
        by=make_user(Role.PARTNERSHIP_LEAD), filters=filters
    )
    report.sections = []
    with pytest.raises(IntegrityError), transaction.atomic():
        report.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        PublishedReport.objects.filter(pk=report.pk).delete()
    assert PublishedReport.objects.get().sections[0]["item"] == "a"
