"""The public transparency report (issue 10 points 6 and 7): the partnership lead
publishes the report for a period; the public pages show the figures frozen at
publication (suppressed, no names), never a recount, without signing in."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from svduty.audit.models import AuditEvent
from svduty.svro import actions
from svduty.svro.models import PublishedReport, ReportWithdrawal, ScrutinySummary
from svduty.svro.views.public import _number_or_text
from svduty.svro.views.scrutiny import filters_for
from tests.factories.svro import force, make_holder, report_lead, svro_type

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
    lead = report_lead(make_user)
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
    report = actions.publish_report(by=report_lead(make_user), filters=filters)
    report.sections = []
    with pytest.raises(IntegrityError), transaction.atomic():
        report.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        PublishedReport.objects.filter(pk=report.pk).delete()
    assert PublishedReport.objects.get().sections[0]["item"] == "a"


def _csv_rows(response) -> list[list[str]]:
    import csv
    import io

    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def _as_csv(row) -> list[str]:
    return ["" if v is None else str(v) for v in row]


def test_counts_are_numbers_in_the_spreadsheet():
    assert _number_or_text("14") == 14 and _number_or_text("1,234") == 1234
    for shown in ("fewer than 5", "[c]", "1.4 (0.9 to 2.1)", "12,34", "", None):
        assert _number_or_text(shown) == shown


def test_downloads_give_exactly_the_published_figures(world, make_user):  # noqa: F811
    officer = world
    report = actions.publish_report(
        by=report_lead(make_user),
        filters=filters_for("24", "ethnicity", None),
    )
    public = Client()
    page = public.get(reverse("public_svro:detail", args=[report.pk]))
    for name in ("public_svro:csv", "public_svro:xlsx"):
        assert reverse(name, args=[report.pk]) in page.text

    # Recounting would change the funnel: the downloads must not recount.
    actions.record_application(
        by=officer,
        holder=make_holder(officer, name="Late-0", ethnicity="A4"),
        order_type=svro_type(),
        considered_on=dt.date(2026, 2, 6),
    )
    ScrutinySummary.objects.all().delete()

    response = public.get(reverse("public_svro:csv", args=[report.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv_rows(response)
    text = "\n".join(",".join(r) for r in rows)
    position = 0
    for section in report.sections:
        for table in section["tables"]:
            expected = [
                [f"({section['item']}) {table['title']}"],
                _as_csv(table["head"]),
                *[_as_csv(r) for r in table["rows"]],
            ]
            found = rows.index(expected[0], position)
            assert rows[found : found + len(expected)] == expected
            position = found + len(expected)
    funnel = next(r for r in rows if r and r[0] == "All")
    assert funnel[1] == "14"
    assert "fewer than 5" in text and "[c]" in text
    assert "W1-0" not in text and "A-1" not in text and "Late-0" not in text
    assert not ScrutinySummary.objects.exists()

    from openpyxl import load_workbook

    response = public.get(reverse("public_svro:xlsx", args=[report.pk]))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    tables = [t for s in report.sections for t in s["tables"]]
    assert workbook.sheetnames[0] == "About"
    assert len(workbook.sheetnames) == 1 + len(tables)
    for sheet_name, table in zip(workbook.sheetnames[1:], tables, strict=True):
        values = [list(r) for r in workbook[sheet_name].iter_rows(values_only=True)]
        assert values[0] == table["head"]
        assert values[1 : 1 + len(table["rows"])] == [
            [_number_or_text(v) for v in row] for row in table["rows"]
        ]
    first = workbook[workbook.sheetnames[1]]
    assert next(r for r in first.iter_rows(values_only=True) if r[0] == "All")[1] == 14


def test_withdrawing_a_report(world, make_user, client_for):  # noqa: F811
    lead = report_lead(make_user)
    report = actions.publish_report(
        by=lead, filters=filters_for("24", "ethnicity", None)
    )
    sections = report.sections
    lead_client = client_for(lead)
    public_page = lead_client.get(reverse("public_svro:detail", args=[report.pk]))
    url = reverse("svro:report_withdraw", args=[report.pk])
    assert url in public_page.text
    assert url not in Client().get(public_page.request["PATH_INFO"]).text

    refused = lead_client.post(url, {"reason": "   "})
    assert refused.status_code == 200 and "Enter why the report is withdrawn" in (
        refused.text
    )
    assert not ReportWithdrawal.objects.exists()
    reason = "The March figures counted some searches twice."
    response = lead_client.post(url, {"reason": reason})
    assert response.status_code == 302
    assert response["Location"] == reverse("public_svro:detail", args=[report.pk])
    withdrawal = ReportWithdrawal.objects.get()
    assert withdrawal.withdrawn_by == lead and withdrawal.reason == reason
    event = AuditEvent.objects.get(action="change", target_type="svro.publishedreport")
    assert event.actor_id == lead.pk and event.target_id == str(report.pk)
    assert event.detail == {"change": "withdrawn", "reason": reason}

    public = Client()
    page = public.get(reverse("public_svro:detail", args=[report.pk]))
    assert page.status_code == 410
    assert "This report has been withdrawn" in page.text
    assert "counted some searches twice" in page.text
    assert f"withdrawn on {withdrawal.withdrawn_at:%-d %B %Y}" in page.text
    assert 'id="item-a"' not in page.text and "fewer than 5" not in page.text
    for name in ("public_svro:pdf", "public_svro:csv", "public_svro:xlsx"):
        gone = public.get(reverse(name, args=[report.pk]))
        assert gone.status_code == 410 and "has been withdrawn" in gone.text
    index = public.get(reverse("public_svro:index"))
    assert f"withdrawn {withdrawal.withdrawn_at:%-d %B %Y}" in index.text
    # the publication itself is kept as it was published
    assert PublishedReport.objects.get(pk=report.pk).sections == sections

    with pytest.raises(ValidationError, match="already been withdrawn"):
        actions.withdraw_report(by=lead, report=report, reason="Again")
    assert lead_client.post(url, {"reason": "Again"}).status_code == 200
    assert ReportWithdrawal.objects.count() == 1


def test_withdrawal_rules_in_the_action_and_the_database(world, make_user):  # noqa: F811
    officer = world
    lead = report_lead(make_user)
    report = actions.publish_report(
        by=lead, filters=filters_for("24", "ethnicity", None)
    )
    with pytest.raises(PermissionDenied):
        actions.withdraw_report(by=officer, report=report, reason="Wrong")
    with pytest.raises(ValidationError):
        actions.withdraw_report(by=lead, report=report, reason=" \n")
    assert not ReportWithdrawal.objects.exists()

    # The database: a reason, not before publication, once, then it stands.
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportWithdrawal.objects.create(report=report, reason="  ", withdrawn_by=lead)
    before = report.published_at - dt.timedelta(seconds=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportWithdrawal.objects.create(
            report=report, reason="Early", withdrawn_by=lead, withdrawn_at=before
        )
    withdrawal = ReportWithdrawal.objects.create(
        report=report,
        reason="Wrong period",
        withdrawn_by=lead,
        withdrawn_at=report.published_at,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportWithdrawal.objects.create(
            report=report, reason="Twice", withdrawn_by=lead
        )
    withdrawal.reason = "Changed"
    with pytest.raises(IntegrityError), transaction.atomic():
        withdrawal.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportWithdrawal.objects.filter(pk=withdrawal.pk).delete()
    assert ReportWithdrawal.objects.get().reason == "Wrong period"


def test_publishing_is_limited_to_the_partnerships_force_areas(
    world,  # noqa: F811
    make_user,
    client_for,
):
    """A lead publishes and withdraws the report of a force their partnership
    covers, and the all-forces report only when it covers every force with
    records; another partnership's lead is refused in the action, and the pages
    answer 404, recorded as a refusal."""
    cleveland, durham = force(), force("Durham Constabulary")
    ours = report_lead(make_user, cleveland)
    theirs = report_lead(make_user, durham)
    for_cleveland = filters_for("24", "ethnicity", cleveland.pk)
    report = actions.publish_report(by=ours, filters=for_cleveland)
    everywhere = actions.publish_report(
        by=ours, filters=filters_for("24", "ethnicity", None)
    )
    assert (
        actions.publish_report(
            by=theirs, filters=filters_for("24", "ethnicity", durham.pk)
        ).force
        == durham
    )
    for filters in (for_cleveland, filters_for("24", "ethnicity", None)):
        with pytest.raises(PermissionDenied, match="your partnership covers"):
            actions.publish_report(by=theirs, filters=filters)
    for published in (report, everywhere):
        with pytest.raises(PermissionDenied, match="your partnership covers"):
            actions.withdraw_report(by=theirs, report=published, reason="Not ours")
    assert PublishedReport.objects.count() == 3

    client = client_for(theirs)
    publish = reverse("svro:report_publish")
    withdraw = reverse("svro:report_withdraw", args=[report.pk])
    assert (
        client.get(publish, {"months": "24", "force": cleveland.pk}).status_code == 404
    )
    assert client.post(publish, {"months": "24"}).status_code == 404
    assert client.post(withdraw, {"reason": "Not ours"}).status_code == 404
    assert (
        PublishedReport.objects.count() == 3 and not ReportWithdrawal.objects.exists()
    )
    refused = AuditEvent.objects.filter(action="refused", actor_id=theirs.pk)
    assert refused.count() == 3
    assert {e.detail["status"] for e in refused} == {404}
    page = client.get(reverse("public_svro:detail", args=[report.pk]))
    assert withdraw not in page.text  # no withdraw link for another partnership
    assert (
        withdraw
        in client_for(ours).get(reverse("public_svro:detail", args=[report.pk])).text
    )
    assert client_for(ours).post(withdraw, {"reason": "Wrong"}).status_code == 302
