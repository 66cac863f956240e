"""The transparency report (HTML and tagged PDF), the XLSX workbook, the offences
table (s.166(3)(b)) and the materialised summary the pages read (issue 10 point 6)."""

from __future__ import annotations

import datetime as dt
import io
import re
import zlib

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from svduty.audit.models import AuditEvent
from svduty.core.authorisation import Role
from svduty.svro import actions
from svduty.svro.models import ScrutinySummary
from svduty.svro.scrutiny import Filters, dashboard, summary, summary_key
from tests.factories.svro import (
    force,
    granted_application,
    make_holder,
    make_order,
)

from .test_scrutiny import PERIOD, rows, world  # noqa: F401 - the shared fixture

pytestmark = pytest.mark.django_db


def is_tagged_pdf(data: bytes) -> bool:
    """PDF/UA needs a structure tree; WeasyPrint may compress it in object streams."""
    if b"/StructTreeRoot" in data:
        return True
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            if b"/StructTreeRoot" in zlib.decompress(match.group(1)):
                return True
        except zlib.error:
            continue
    return False


def test_offences_named_only_when_not_small(world):  # noqa: F811
    officer = world
    table = rows(dashboard(PERIOD).table("offences"))
    assert table["Wounding with intent (knife)"] == ["12"]
    # One order for a rarely recorded offence: counted, never named
    holder = make_holder(officer, name="Rare")
    application = granted_application(
        officer, holder, offence="Robbery with a machete at a named shop"
    )
    make_order(officer, holder, application=application)
    table = rows(dashboard(PERIOD).table("offences"))
    assert "Robbery with a machete at a named shop" not in table
    assert table["Other offences (each fewer than 5)"] == ["fewer than 5"]
    # the total would give the small cell away: it is withheld too
    assert table["Wounding with intent (knife)"] == ["[c]"]


def test_summary_is_kept_and_refreshed_when_old(world, django_assert_max_num_queries):  # noqa: F811
    first = summary(PERIOD)
    assert ScrutinySummary.objects.filter(key=summary_key(PERIOD)).count() == 1
    with django_assert_max_num_queries(2):
        again = summary(PERIOD)
    assert [t.rows for t in again.tables] == [t.rows for t in first.tables]
    # a search recorded later shows once the summary is older than the set age
    officer = world
    order = make_order(officer, make_holder(officer, name="Late"))
    actions.record_search(
        by=officer,
        order=order,
        reference="LATE1",
        force_area="cleveland",
        officer_identifier="PC 2",
        searched_at=dt.datetime(2026, 4, 1, 12, 0, tzinfo=dt.UTC),
        location="Stockton",
        identity_method="pnc",
        self_ethnicity="W1",
        officer_ethnicity="white",
        sex="male",
        outcome="nfa",
    )
    assert rows(summary(PERIOD).table("outcomes"))["All"][0] == "30"
    ScrutinySummary.objects.update(computed_at=timezone.now() - dt.timedelta(hours=2))
    summary(PERIOD)  # stale: shown, and a refresh task runs (at once in tests)
    assert rows(summary(PERIOD).table("outcomes"))["All"][0] == "31"


def test_report_pdf_and_xlsx(world, make_user, client_for):  # noqa: F811
    lead = make_user(Role.PARTNERSHIP_LEAD)
    client = client_for(lead)
    page = client.get(reverse("svro:report") + "?months=24")
    assert page.status_code == 200
    for item in "abcdefg":
        assert f'id="item-{item}"' in page.text
    assert "W1-0" not in page.text and "B2-1" not in page.text  # no names
    assert "fewer than 5" in page.text
    pdf = client.get(reverse("svro:report_pdf") + "?months=24")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert is_tagged_pdf(pdf.content)
    xlsx = client.get(reverse("svro:scrutiny_xlsx") + "?months=24&by=sex")
    assert xlsx.status_code == 200
    book = load_workbook(io.BytesIO(xlsx.content))
    assert "About" in book.sheetnames
    values = [
        c
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for c in row
        if c
    ]
    assert "fewer than 5" in values and "W1-0" not in values
    assert AuditEvent.objects.filter(action="export", actor_id=lead.pk).count() == 2


def test_summary_per_force(world, make_user):  # noqa: F811
    other = force("Other Police")
    assert summary_key(PERIOD) != summary_key(
        Filters(PERIOD.start, PERIOD.end, force_id=other.pk)
    )
    assert (
        rows(
            summary(Filters(PERIOD.start, PERIOD.end, force_id=other.pk)).table(
                "funnel"
            )
        )
        == {}
    )
