"""The strategy pages, public pages, PDFs, CSV export, compliance and the API."""

import datetime as dt
import re
import zlib

import pytest
from django.core import mail
from django.core.management import call_command
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from svduty.audit.models import AuditEvent
from svduty.core.authorisation import Role
from svduty.strategy.models import ActionStatus, StrategyAction
from svduty.strategy.reminders import send_review_reminders
from svduty.strategy.states import StrategyState
from tests.factories.strategy import ActionFactory, strategy_in_state


def pdf_text(body: bytes) -> bytes:
    """The PDF with its compressed streams inflated, to search it."""
    parts = [body]
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", body, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


@pytest.fixture
def published(lead, partnership):
    return strategy_in_state(lead, partnership, StrategyState.PUBLISHED)


def test_public_page_needs_no_sign_in_and_hides_unpublishable_content(
    client, published
):
    response = client.get(reverse("public_strategy:detail", args=["testborough"]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Our priorities" in text
    assert "Operational detail" not in text
    assert "Named patrol routes" not in text
    assert published.published_on.strftime("%-d %B %Y") in text
    # Issue 9: the public page says which definition version and which consultation
    # records stand behind the published strategy, and the digest that was signed.
    assert published.definition is not None
    assert f"Version {published.definition.number}, agreed on" in text
    assert published.published_digest in text
    assert "Who was consulted" in text
    records = published.consultations.all()
    assert records and all(c.authority_name in text for c in records)


def test_public_action_counts_are_shown_with_overdue_by_due_date(
    client, published, partnership, council
):
    """Counts of actions are not counts of people: they are shown as they are
    (issue 16: every status read "fewer than 5"). An action past its due date counts
    as overdue whatever its last update said."""
    today = timezone.localdate()
    for _ in range(3):
        ActionFactory(
            partnership=partnership,
            owner_agency=council,
            status=ActionStatus.AT_RISK,
            due_on=today + dt.timedelta(days=30),
        )
    ActionFactory(
        partnership=partnership,
        owner_agency=council,
        status=ActionStatus.ON_TRACK,
        due_on=today - dt.timedelta(days=1),
    )
    text = client.get(
        reverse("public_strategy:detail", args=["testborough"])
    ).content.decode()
    rows = dict(
        re.findall(
            r'<td class="govuk-table__cell">([A-Za-z ]+)</td>'
            r'<td class="govuk-table__cell govuk-table__cell--numeric">(\d+)</td>',
            text,
        )
    )
    assert rows["At risk"] == "3"
    assert rows["Overdue"] == "1"
    assert rows["On track"] == "0"
    assert "(4 in all)" in text
    assert "fewer than" not in text


def test_unpublished_strategy_has_no_public_page(client, lead, partnership):
    strategy_in_state(lead, partnership, StrategyState.AWAITING_SIGN_OFF)
    response = client.get(reverse("public_strategy:detail", args=["testborough"]))
    assert response.status_code == 404


def test_public_pdf_is_tagged_pdf_ua(client, published):
    response = client.get(reverse("public_strategy:pdf", args=["testborough"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    body = response.content
    assert body.startswith(b"%PDF")
    text = pdf_text(body)
    assert b"/StructTreeRoot" in text  # tagged
    assert b"pdfuaid" in text  # PDF/UA identification in the XMP metadata
    assert b"Operational detail" not in text


def test_compliance_report_pdf_is_audited_once(client_for, lead, published):
    client = client_for(lead)
    before = AuditEvent.objects.count()
    response = client.get(
        reverse("strategy:compliance_report_pdf", args=["testborough"])
    )
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert AuditEvent.objects.count() == before + 1
    assert AuditEvent.objects.first().action == "print"


def test_compliance_dashboard_shows_the_task_list(client_for, lead, published):
    response = client_for(lead).get(
        reverse("strategy:compliance", args=["testborough"])
    )
    text = response.content.decode()
    assert "govuk-task-list" in text
    for step in (
        "Partnership formed",
        "Local definition agreed",
        "Strategic needs assessment (SNA) completed",
        "Consultation complete",
        "Signed off by every specified authority",
        "Strategy published",
        "Reviewed within the last 12 months",
        "Actions on track",
    ):
        assert step in text


def test_csv_export_is_safe_filtered_and_audited(
    client_for, lead, partnership, council
):
    ActionFactory(partnership=partnership, owner_agency=council, title="=HYPERLINK(1)")
    ActionFactory(
        partnership=partnership,
        owner_agency=council,
        title="Late one",
        due_on=dt.date(2020, 1, 1),
    )
    client = client_for(lead)
    before = AuditEvent.objects.count()
    response = client.get(
        reverse("strategy:action_export", args=["testborough"]) + "?overdue=on"
    )
    body = b"".join(response.streaming_content).decode()
    assert "Late one" in body and "HYPERLINK" not in body
    response = client.get(reverse("strategy:action_export", args=["testborough"]))
    body = b"".join(response.streaming_content).decode()
    assert "'=HYPERLINK(1)" in body
    assert AuditEvent.objects.count() == before + 2


def test_action_list_filters(client_for, lead, partnership, council):
    ActionFactory(partnership=partnership, owner_agency=council, title="Alpha")
    ActionFactory(
        partnership=partnership,
        owner_agency=council,
        title="Bravo",
        status=ActionStatus.AT_RISK,
    )
    url = reverse("strategy:action_list", args=["testborough"])
    text = client_for(lead).get(url + "?status=at_risk").content.decode()
    assert "Bravo" in text and "Alpha" not in text


def test_forms_show_gov_uk_errors(client_for, lead, partnership):
    response = client_for(lead).post(
        reverse("strategy:overview", args=["testborough"]),
        {"title": "", "period_start_day": "31", "period_start_month": "2"},
    )
    text = response.content.decode()
    assert "<title>Error: " in text
    assert "govuk-error-summary" in text
    assert "Enter a title for the strategy" in text


def test_journey_through_the_pages(client_for, lead, partnership):
    client = client_for(lead)
    slug = "testborough"
    response = client.post(
        reverse("strategy:overview", args=[slug]),
        {
            "title": "Strategy 2025",
            "period_start_day": "1",
            "period_start_month": "1",
            "period_start_year": "2025",
            "period_end_day": "1",
            "period_end_month": "1",
            "period_end_year": "2028",
        },
    )
    assert response.status_code == 302
    client.post(
        reverse("strategy:section_add", args=[slug, 1]),
        {
            "kind": "priorities",
            "heading": "Priorities",
            "body": "Knives",
            "publishable": "on",
        },
    )
    version = partnership.strategy_versions.get()
    client.post(
        reverse("strategy:transition", args=[slug, 1, "start_consultation"]),
        {"version": version.version},
    )
    version.refresh_from_db()
    assert version.state == StrategyState.CONSULTATION
    response = client.post(
        reverse("strategy:transition", args=[slug, 1, "close_consultation"]),
        {"version": version.version},
    )
    assert "Missing:" in response.content.decode()


def test_someone_from_another_partnership_gets_404(client_for, outsider, published):
    client = client_for(outsider)
    for url in (
        reverse("partnership:detail", args=["testborough"]),
        reverse("strategy:version", args=["testborough", 1]),
        reverse("strategy:compliance", args=["testborough"]),
    ):
        assert client.get(url).status_code == 404


def test_list_page_query_count_does_not_grow(
    client_for, lead, partnership, council, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(lead)
    url = reverse("strategy:action_list", args=["testborough"])
    ActionFactory(partnership=partnership, owner_agency=council)
    # The first page after signing in also saves the session (MFA readiness, last
    # activity); measure from the second, as every later page is.
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(20):
        ActionFactory(partnership=partnership, owner_agency=council)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(one)


# --- API


def test_api_reads_strategies_and_writes_actions(
    client_for, lead, analyst, published, council
):
    client = client_for(lead)
    data = client.get("/api/strategies/").json()
    assert data["results"][0]["state"] == "published"
    response = client.post(
        "/api/strategy-actions/",
        {
            "partnership": "testborough",
            "title": "From the API",
            "owner_agency": council.name,
            "lead_name": "API Lead",
            "due_on": "2030-01-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    action = StrategyAction.objects.get(title="From the API")
    response = client.patch(
        f"/api/strategy-actions/{action.pk}/",
        {"status": "on_track", "version": action.version},
        content_type="application/json",
    )
    assert response.status_code == 200
    response = client.patch(
        f"/api/strategy-actions/{action.pk}/",
        {"status": "at_risk", "version": action.version},
        content_type="application/json",
    )
    assert response.status_code == 409
    # An analyst may read but not write.
    response = client_for(analyst).post(
        "/api/strategy-actions/",
        {"partnership": "testborough", "title": "x"},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_api_hides_other_partnerships(client_for, outsider, published):
    assert client_for(outsider).get("/api/partnerships/").json()["count"] == 0
    assert client_for(outsider).get("/api/strategies/").json()["count"] == 0


# --- Reminders


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def test_daily_reminder_once_a_day_to_the_partnership_lead(
    lead, partnership, published
):
    partnership.lead_user = lead
    partnership.save()
    due = published.review_due_on
    assert send_review_reminders(due) == 0
    assert send_review_reminders(due + dt.timedelta(days=1)) == 1
    assert send_review_reminders(due + dt.timedelta(days=1)) == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [lead.email]
    assert "review is overdue" in mail.outbox[0].body
    call_command("send_review_reminders", "--date", str(due + dt.timedelta(days=2)))
    assert len(mail.outbox) == 2


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def test_reminder_falls_back_to_partnership_leads_of_member_agencies(
    make_user, council, partnership, published
):
    other_lead = make_user(
        Role.PARTNERSHIP_LEAD, agency=council, email="pl@example.org"
    )
    assert send_review_reminders(published.review_due_on + dt.timedelta(days=1)) == 1
    assert other_lead.email in mail.outbox[0].to


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def test_the_task_sends_reminders(lead, partnership, published):
    from svduty.strategy.tasks import send_review_reminders_task

    result = send_review_reminders_task.enqueue()
    assert result.return_value == 0


def test_compliance_uses_a_signed_off_sna_when_analysis_has_one(lead, published):
    from svduty.strategy.compliance import _sna_model, compliance_steps

    steps = {s.name: s for s in compliance_steps(published.partnership)}
    sna = steps["Strategic needs assessment (SNA) completed"]
    if _sna_model() is None:
        assert sna.status == "Not started" and "cannot be checked" in sna.hint
    else:
        assert sna.status == "Not started"


def test_a_signed_off_sna_is_linked_to_those_who_may_read_it(
    make_user, council, analyst, lead, partnership
):
    """The checklist's SNA step links to the signed-off version for those who read
    analysis, and to the published strategy's SNA summary for everyone else who
    sees the checklist (a practitioner was shown the versions list and refused)."""
    from svduty.analysis.models import SnaStatus
    from svduty.strategy.compliance import compliance_steps, for_viewer
    from tests.factories.analysis import grid_tables, make_sna_version, make_snapshot

    published = strategy_in_state(
        lead, partnership, StrategyState.PUBLISHED, sna_summary=True
    )
    signed = make_sna_version(
        partnership=partnership,
        snapshot=make_snapshot(partnership, grid_tables()),
        by=analyst,
        status=SnaStatus.SIGNED_OFF,
    )
    practitioner = make_user(Role.PRACTITIONER, agency=council)
    name = "Strategic needs assessment (SNA) completed"

    def sna_url(user):
        steps = for_viewer(compliance_steps(partnership), user)
        return next(s.evidence_url for s in steps if s.name == name)

    assert sna_url(analyst) == reverse(
        "analysis:version_detail", args=[partnership.slug, signed.pk]
    )
    summary = sna_url(practitioner)
    assert summary.startswith(
        reverse("strategy:version", args=[partnership.slug, published.number])
        + "#section-"
    )


def test_a_compliance_link_is_shown_only_to_whoever_may_open_it(
    make_user, client_for, council, analyst, partnership
):
    from svduty.strategy.compliance import Step, for_viewer

    practitioner = make_user(Role.PRACTITIONER, agency=council)
    versions = reverse("analysis:version_list", args=[partnership.slug])
    steps = [Step("SNA", "In progress", "Hint", versions, "SNA versions")]
    assert for_viewer(steps, analyst)[0].evidence_url == versions
    assert for_viewer(steps, practitioner)[0].evidence_url == ""
    page = client_for(practitioner).get(
        reverse("strategy:compliance", args=[partnership.slug])
    )
    assert page.status_code == 200
    assert "/analysis/" not in page.content.decode()
