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
    # One section per page, chosen from the sub-navigation.
    page.get_by_role("link", name="Where: map and neighbourhoods").click()
    # The map draws (Leaflet) and its table is beside it.
    expect(page.locator("#sna-map .leaflet-interactive").first).to_be_attached()
    map_table = page.locator(".app-map table")
    expect(map_table).to_contain_text("Hartlepool 001A")
    assert_accessible(page, context="(dashboard, where)")
    page.get_by_role("link", name="Trend", exact=True).click()
    # The monthly chart is drawn by vega-embed above its table.
    expect(page.locator("#chart-trend svg, #chart-trend canvas").first).to_be_attached()
    expect(page.get_by_role("table", name="Serious violence by month")).to_contain_text(
        "2022-11"
    )
    expect(page.locator("body")).to_contain_text(snapshot.label)
    assert_accessible(page, context="(dashboard)")

    # Filter to Middlesbrough, robbery, spring 2022 (the section stays the same).
    page.get_by_role("link", name="Where: map and neighbourhoods").click()
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
    page.get_by_role("link", name="Kinds and volume").click()

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


def test_on_a_phone_the_filters_start_closed_and_open_and_close(
    page, cleveland, make_user, sign_in, assert_accessible
):
    """Issue 16, point 3: at 390 px the filter opened over the whole screen with no
    way to close it (and, closed, an invisible full-screen box swallowed every tap).
    MoJ's filter pattern: closed at first, "Show filter" opens it over the page,
    "Close" closes it, and the page underneath can be used again."""
    partnership, agency, _ = cleveland
    analyst = make_user(Role.ANALYST, agency=agency)
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, analyst)
    page.goto(f"/analysis/{partnership.slug}/?section=where")
    kind = page.get_by_label("Kind of serious violence")
    show = page.get_by_role("button", name="Show filter")
    expect(show).to_be_visible()
    expect(show).to_have_attribute("aria-expanded", "false")
    expect(kind).to_be_hidden()
    assert_accessible(page, context="(dashboard, filter closed, 390 px)")
    # Closed, nothing lies over the page: its own links can be followed.
    page.get_by_role("link", name="Trend", exact=True).click()
    expect(page).to_have_url(re.compile(r"section=trend"))

    page.get_by_role("button", name="Show filter").click()
    expect(kind).to_be_visible()
    close = page.get_by_role("button", name="Close")
    expect(close).to_be_visible()
    assert_accessible(page, context="(dashboard, filter open, 390 px)")
    kind.select_option("Robbery")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("heading", name=re.compile("Robbery"))).to_be_visible()
    expect(page).to_have_url(re.compile(r"section=trend"))
    # After applying, the filter is closed again; open it and close it.
    expect(kind).to_be_hidden()
    page.get_by_role("button", name="Show filter").click()
    expect(kind).to_be_visible()
    page.get_by_role("button", name="Close").click()
    expect(kind).to_be_hidden()
    expect(page.get_by_role("button", name="Show filter")).to_be_focused()
    page.get_by_role("link", name="Kinds and volume").click()
    expect(page).to_have_url(re.compile(r"section=kinds"))
    assert_accessible(page, context="(dashboard, after closing the filter, 390 px)")

    # On a wide screen the filter is simply there, with no toggle.
    page.set_viewport_size({"width": 1280, "height": 800})
    expect(kind).to_be_visible()
    expect(page.get_by_role("button", name="Close")).to_have_count(0)


@pytest.mark.parametrize("width", [1280, 390])
def test_hot_spots_have_a_map_a_list_and_a_definition_in_plain_words(
    page, cleveland, make_user, sign_in, assert_accessible, width
):
    """Issue 16, point 3: hot spots had a table but no map, and their definition was
    a formula (`z_i = …`, `esda G_Local`). Now: a map with the list of hot and cold
    spots beside it, a definition in plain words, and the formula one click away
    behind a details element."""
    partnership, agency, _ = cleveland
    analyst = make_user(Role.ANALYST, agency=agency)
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, analyst)
    page.goto(f"/analysis/{partnership.slug}/")
    page.get_by_role("link", name="Hot and cold spots").click()
    expect(page).to_have_url(re.compile(r"section=hotspots"))
    expect(page.locator("#sna-map .leaflet-interactive").first).to_be_attached()
    expect(page.locator(".app-map table")).to_contain_text("Hot spot")
    figure = page.locator(".app-sna-figure").first
    expect(figure).to_contain_text("A hot spot is a neighbourhood that")
    formula = figure.locator("details.app-chart__formula")
    expect(formula.locator(".govuk-details__text")).to_be_hidden()
    expect(page.get_by_text("G_Local")).to_be_hidden()
    assert_accessible(page, context=f"(hot spots, {width} px)")
    formula.locator("summary").click()
    expect(formula.locator(".govuk-details__text")).to_contain_text("G_Local")
    assert_accessible(page, context=f"(hot spots, formula open, {width} px)")
