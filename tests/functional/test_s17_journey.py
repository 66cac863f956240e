"""A section 17 request in a real browser: a PCC analyst asks Cleveland Police, a
police analyst answers with a document, the PCC reads it under its use limitation.
axe-core checks every page visited."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from svduty.accounts.models import AgencyType
from svduty.core.authorisation import Role
from tests.factories.accounts import AgencyFactory
from tests.factories.partnership import MemberFactory, formed_partnership
from tests.functional.conftest import PAGE_TIMEOUT_MS

pytestmark = pytest.mark.django_db(transaction=True)


def test_pcc_asks_and_the_authority_answers(
    page, browser, live_server, make_user, sign_in, assert_accessible
):
    # The PCC's pages checked at 1280 px are checked again at 390 px at the end.
    axe = assert_accessible
    visited: list[str] = []

    def assert_accessible(target, *, context=""):
        axe(target, context=context)
        if target is page:
            visited.append(target.url)

    partnership = formed_partnership(slug="askton", name="Safer Askton")
    pcc = AgencyFactory(name="Askton PCC", agency_type=AgencyType.LOCAL_POLICING_BODY)
    MemberFactory(
        partnership=partnership, agency=pcc, statutory_role="local_policing_body"
    )
    police = partnership.members.get(agency__agency_type=AgencyType.POLICE).agency
    pcc_user = make_user(Role.ANALYST, agency=pcc, full_name="Pat PCC")
    police_user = make_user(Role.ANALYST, agency=police, full_name="Dee Police")
    due = timezone.localdate() + dt.timedelta(days=14)

    sign_in(page, pcc_user)
    page.goto("/data/s17/")
    assert_accessible(page, context="(s17 list, empty)")
    page.get_by_role("link", name="Ask an authority in Safer Askton").click()
    assert_accessible(page, context="(s17 form)")
    page.get_by_role("button", name="Send request").click()
    expect(
        page.get_by_role("link", name="Select the authority you are asking")
    ).to_be_visible()
    assert page.title().startswith("Error:")
    assert_accessible(page, context="(s17 form with errors)")
    page.locator("#id_authority").select_option(label=police.name)
    page.get_by_label("To monitor the specified authorities (s.14)").check()
    page.get_by_label("Why you need it").fill("Monitoring knife crime priorities.")
    page.get_by_label("What information you are asking for").fill(
        "Knife crime counts by ward, last 12 months."
    )
    page.locator("#id_due_on_day").fill(str(due.day))
    page.locator("#id_due_on_month").fill(str(due.month))
    page.locator("#id_due_on_year").fill(str(due.year))
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_text(f"Request sent to {police.name}")).to_be_visible()
    assert_accessible(page, context="(s17 request sent)")
    url = page.url

    police_context = browser.new_context(base_url=live_server.url, locale="en-GB")
    police_context.set_default_timeout(PAGE_TIMEOUT_MS)
    police_page = police_context.new_page()
    sign_in(police_page, police_user)
    police_page.goto("/data/s17/")
    expect(police_page.get_by_text("Waiting for an answer")).to_be_visible()
    police_page.get_by_role("link", name="Knife crime counts by ward").click()
    assert_accessible(police_page, context="(s17 to answer)")
    police_page.get_by_label("Yes, supply it").check()
    police_page.get_by_label("The information (if you supply it)").fill(
        "Counts attached."
    )
    police_page.set_input_files(
        "#id_document",
        files=[
            {
                "name": "counts.csv",
                "mimeType": "text/csv",
                "buffer": b"ward,count\nCentral,12\n",
            }
        ],
    )
    police_page.get_by_role("button", name="Send answer").click()
    expect(police_page.get_by_text("Your answer has been sent")).to_be_visible()
    expect(police_page.get_by_text("only Askton PCC can open it")).to_be_visible()
    assert_accessible(police_page, context="(s17 answered, authority's view)")
    police_context.close()

    page.goto(url)
    expect(page.get_by_text("Only Askton PCC may use it")).to_be_visible()
    expect(page.get_by_role("link", name="Download counts.csv")).to_be_visible()
    assert_accessible(page, context="(s17 answered, PCC's view)")

    # The side-by-side monitoring table (s.14): at 390 px each partnership's row is a
    # block of labelled lines, so neither the page nor the table scrolls sideways.
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/strategy/monitoring/")
        expect(page.get_by_role("link", name="Safer Askton")).to_be_visible()
        assert_accessible(page, context=f"(monitoring at {width} px)")
        table_fits = page.evaluate(
            """() => {
                const table = document.querySelector("table.app-table--stacked");
                const box = table.parentElement;
                return table.scrollWidth <= box.clientWidth + 1
                    && table.getBoundingClientRect().right <= window.innerWidth + 1;
            }"""
        )
        assert table_fits, f"the monitoring table is wider than the page at {width} px"

    page.set_viewport_size({"width": 390, "height": 900})
    for url in dict.fromkeys(visited):
        page.goto(url)
        axe(page, context=f"(at 390 px: {url})")
