"""An analyst explores the Cleveland needs assessment in a real browser: the map and
its table, the filters, the tables and downloads, the report and its PDF, and writes
and signs off a version — axe-core on every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from svduty.audit.models import AuditAction, AuditEvent
from svduty.core.authorisation import Role
from tests.factories.accounts import AgencyFactory
from tests.factories.analysis import make_snapshot, real_cleveland_tables
from tests.factories.partnership import MemberFactory, PartnershipFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def cleveland(settings, tmp_path):
    settings.SNAPSHOT_DIR = tmp_path / "snapshots"
    agency = AgencyFactory(name="Cleveland VRU analysts")
    partnership = PartnershipFactory(slug="cleveland", name="Cleveland VRU")
    MemberFactory(partnership=partnership, agency=agency)
    snapshot = make_snapshot(partnership, real_cleveland_tables())
    return partnership, agency, snapshot


def test_explore_the_sna_map_filters_tables_and_download_the_pdf(
    page, cleveland, make_user, sign_in, assert_accessible
):
    partnership, agency, snapshot = cleveland
    analyst = make_user(Role.ANALYST, agency=agency)
    sign_in(page, analyst)

    page.goto("/analysis/")
    expect(
        page.get_by_role("heading", name="Strategic needs assessment")
    ).to_be_visible()
    assert_accessible(page, context="(SNA home)")
    page.get_by_role("link", name="Cleveland VRU", exact=True).click()

    expect(
        page.get_by_role("heading", name="Strategic needs assessment")
    ).to_be_visible()
    # The map draws (Leaflet) and its table is beside it.
    expect(page.locator("#sna-map .leaflet-interactive").first).to_be_attached()
    map_table = page.locator(".app-map table")
    expect(map_table).to_contain_text("Hartlepool 001A")
    # The monthly chart is drawn by vega-embed above its table.
    expect(page.locator("#chart-trend svg, #chart-trend canvas").first).to_be_attached()
    expect(page.get_by_role("table", name="Serious violence by month")).to_contain_text(
        "2022-11"
    )
    expect(page.locator("body")).to_contain_text(snapshot.label)
    assert_accessible(page, context="(dashboard)")

    # Filter to Middlesbrough, robbery, spring 2022.
    page.get_by_label("From", exact=True).select_option("2022-03")
    page.get_by_label("To", exact=True).select_option("2022-05")
    page.get_by_label("Kind of serious violence").select_option("Robbery")
    page.get_by_label("Local authority").select_option(label="Middlesbrough")
    page.get_by_role("button", name="Apply filters").click()
    expect(
        page.get_by_role(
            "heading", name=re.compile("2022-03 to 2022-05: Robbery, Middlesbrough")
        )
    ).to_be_visible()
    areas = page.get_by_role("table", name="Serious violence by neighbourhood (LSOA)")
    expect(areas).to_contain_text("Middlesbrough")
    expect(areas).not_to_contain_text("Hartlepool 001A")
    assert_accessible(page, context="(dashboard, filtered)")

    # A bad period is an error message, not a crash.
    page.get_by_label("From", exact=True).select_option("2022-06")
    page.get_by_label("To", exact=True).select_option("2022-01")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert page.title().startswith("Error:")
    assert_accessible(page, context="(dashboard, error)")
    page.get_by_role("link", name="Clear filters").click()

    # A table download (suppressed CSV).
    with page.expect_download() as download_info:
        page.locator("#figure-kinds").get_by_role(
            "link", name=re.compile("^CSV")
        ).click()
    csv_text = download_info.value.path().read_text(encoding="utf-8-sig")
    assert csv_text.startswith("Kind,Records,Share of serious violence")

    # The report, then its PDF.
    page.get_by_role("button", name="View the report").click()
    expect(
        page.get_by_role(
            "heading", name=re.compile("Strategic needs assessment report")
        )
    ).to_be_visible()
    expect(page.locator("body")).to_contain_text("How the figures were worked out")
    assert_accessible(page, context="(report)")
    # The PDF is built while the browser waits: give a busy CI machine time.
    with page.expect_download(timeout=120_000) as download_info:
        page.get_by_role("button", name="Download as PDF").click(timeout=120_000)
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    assert download.path().read_bytes().startswith(b"%PDF")
    assert (
        AuditEvent.objects.filter(
            action=AuditAction.EXPORT, actor_id=analyst.pk
        ).count()
        == 2
    )

    # Write and sign off a version of the assessment.
    page.goto(f"/analysis/{partnership.slug}/versions/")
    assert_accessible(page, context="(versions)")
    page.get_by_role("button", name="Start a new version").click()
    assert_accessible(page, context="(new version)")
    page.get_by_role("button", name="Save as draft").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page, context="(new version, error)")
    page.get_by_label("Title").fill("Cleveland SNA 2022")
    page.get_by_label("Key findings").fill("Violence is concentrated in town centres.")
    page.get_by_role("button", name="Save as draft").click()
    expect(page.get_by_role("heading", name="Cleveland SNA 2022")).to_be_visible()
    assert_accessible(page, context="(version)")
    page.get_by_role("button", name="Sign off").click()
    assert_accessible(page, context="(sign off)")
    page.get_by_role("button", name="Sign off").click()
    expect(page.locator(".govuk-tag--green")).to_have_text("Signed off")
    expect(page.get_by_role("button", name="Change")).to_have_count(0)
    assert_accessible(page, context="(signed off)")
