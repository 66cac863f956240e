"""An analyst uploads a file, sees its progress and the result, and a file with
problems is explained row by row. axe-core checks every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from svduty.core.authorisation import Role
from svduty.sharing.imports import queue_import, run_batch
from svduty.sharing.models import BatchStatus
from tests.factories.accounts import AgencyFactory
from tests.factories.partnership import MemberFactory, PartnershipFactory
from tests.factories.sharing import street_row, write_street_csv
from tests.functional.conftest import PAGE_TIMEOUT_MS
from tests.real_data import SAMPLES, street

# The vendored sample of February 2022 (every 15th row: 478 rows).
STREET = SAMPLES / street("2022-02")


@pytest.fixture
def analyst(transactional_db, make_user):
    agency = AgencyFactory(name="Cleveland Unit for the Reduction of Violence")
    partnership = PartnershipFactory(slug="cleveland", name="Cleveland VRP")
    MemberFactory(partnership=partnership, agency=agency)
    user = make_user(Role.ANALYST, agency=agency, full_name="Sam Analyst")
    user.partnership = partnership
    return user


def test_upload_see_progress_and_result(
    page, sign_in, assert_accessible, analyst, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    sign_in(page, analyst)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Data").click()
    expect(page.get_by_role("heading", name="Data imports")).to_be_visible()
    assert_accessible(page, context="(imports list, empty)")

    page.get_by_role("button", name="Upload a file").click()
    expect(page.get_by_role("heading", name="Upload a file")).to_be_visible()
    assert_accessible(page, context="(upload form)")
    page.get_by_label("Street-level crime (data.police.uk)").check()
    page.get_by_label("Upload a file").set_input_files(str(STREET))
    page.get_by_role("button", name="Upload and check").click()

    expect(page.get_by_role("heading", name="File imported")).to_be_visible()
    expect(page.get_by_text("478 rows imported").first).to_be_visible()
    expect(page.get_by_text("Cleveland Police, February 2022")).to_be_visible()
    assert_accessible(page, context="(import result)")
    result_url = page.url

    page.get_by_role("link", name="Back to data imports").click()
    expect(page.get_by_role("link", name=STREET.name)).to_be_visible()
    assert_accessible(page, context="(imports list)")

    # The same pages on a phone (issue 16: each journey at 1280 and 390 px).
    page.set_viewport_size({"width": 390, "height": 844})
    assert_accessible(page, context="(imports list, 390 px)")
    page.goto(result_url)
    expect(page.get_by_role("heading", name="File imported")).to_be_visible()
    assert_accessible(page, context="(import result, 390 px)")
    page.get_by_role("link", name="Back to data imports").click()
    page.get_by_role("button", name="Upload a file").click()
    assert_accessible(page, context="(upload form, 390 px)")


def test_progress_updates_without_reloading_then_shows_problems(
    page, sign_in, assert_accessible, analyst, tmp_path
):
    path = write_street_csv(
        tmp_path / "march.csv",
        [street_row(month="2022-03"), street_row(month="2022-3x", lat="54.5")],
    )
    batch = queue_import(
        by=analyst,
        partnership=analyst.partnership,
        kind="police_street",
        path=path,
        file_name="march.csv",
    )
    sign_in(page, analyst)
    page.goto(f"/data/imports/{batch.pk}/")
    expect(page.get_by_role("status")).to_contain_text("Waiting to start")
    expect(page.get_by_role("button", name="Check progress")).to_be_visible()
    assert_accessible(page, context="(import waiting)")

    run_batch(batch, path)
    assert batch.status == BatchStatus.FAILED
    # htmx polls every second and shows the whole result once it is done.
    expect(page.get_by_role("heading", name="Problems to fix")).to_be_visible(
        timeout=PAGE_TIMEOUT_MS
    )
    expect(page.get_by_text("The file was not imported")).to_be_visible()
    row = page.get_by_role("row", name=re.compile(r"^3 Month"))
    expect(row).to_contain_text("Correct the ‘Month’ value in row 3")
    assert_accessible(page, context="(import problems)")
