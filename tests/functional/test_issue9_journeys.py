"""Issue 9's remaining journeys in a real browser, each page checked by axe-core at
1280 px and again at 390 px (no sideways scroll): an authority supplies the figures a
section 17 request asks for as a CSV file (first with a mistake, nothing imported),
the PCC reads them under the use limitation; a party withdraws from a data sharing
agreement; a practitioner records a case-level disclosure with its purpose and
gateway, then withdraws it."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from svduty.accounts.models import AgencyType
from svduty.core.authorisation import Role
from svduty.sharing import actions_s17
from svduty.sharing.models import LegalGateway
from tests.factories.accounts import AgencyFactory
from tests.factories.cases import partnership_with, person_on_team
from tests.factories.partnership import MemberFactory, formed_partnership
from tests.factories.sharing import AgreementFactory
from tests.functional.conftest import PAGE_TIMEOUT_MS

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = b"measure,period_start,period_end,area_code,value,notes\n"


def _csv(name, body):
    return [{"name": name, "mimeType": "text/csv", "buffer": HEADER + body}]


def _again_at_390(page, urls, assert_accessible):
    page.set_viewport_size({"width": 390, "height": 900})
    for url in dict.fromkeys(urls):
        page.goto(url)
        assert_accessible(page, context=f"(at 390 px: {url})")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_figures_under_section_17_and_a_withdrawal(
    page, browser, live_server, make_user, sign_in, assert_accessible
):
    partnership = formed_partnership(slug="figton", name="Safer Figton")
    pcc = AgencyFactory(name="Figton PCC", agency_type=AgencyType.LOCAL_POLICING_BODY)
    MemberFactory(
        partnership=partnership, agency=pcc, statutory_role="local_policing_body"
    )
    police = partnership.members.get(agency__agency_type=AgencyType.POLICE).agency
    pcc_user = make_user(Role.ANALYST, agency=pcc, full_name="Pat PCC")
    police_user = make_user(
        Role.PARTNERSHIP_LEAD, agency=police, full_name="Dee Police"
    )
    agreement = AgreementFactory(
        partnership=partnership,
        parties=[police, pcc],
        created_by=pcc_user,
        title="Figures for the Figton PCC",
        legal_gateway=LegalGateway.PCSC_S17,
        datasets=["s17_figures"],
        personal_information=False,
    )
    agreement.providers.set([police])
    request = actions_s17.request_information(
        by=pcc_user,
        partnership=partnership,
        authority=police,
        purpose="Monitoring the knife crime priority",
        function="monitor",
        data_requested="Knife crime offences by ward, 2024",
        due_on=timezone.localdate() + dt.timedelta(days=14),
    )
    visited = []

    sign_in(page, police_user)
    page.goto(f"/data/s17/{request.pk}/")
    page.get_by_role("link", name="supply the figures as a CSV file").click()
    assert_accessible(page, context="(s17 figures form)")
    visited.append(page.url)
    page.locator("#id_agreement").select_option(label=agreement.title)
    page.set_input_files(
        "#id_file",
        files=_csv("figures.csv", b"Knife offences,2024-01-01,2024-13-01,,x,\n"),
    )
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_text("Nothing was imported")).to_be_visible()
    expect(page.get_by_role("cell", name="period_end")).to_be_visible()
    expect(page.get_by_text("Waiting for an answer")).to_be_visible()
    assert_accessible(page, context="(s17 figures with problems)")
    visited.append(page.url)

    page.goto(f"/data/s17/{request.pk}/figures/")
    page.locator("#id_agreement").select_option(label=agreement.title)
    page.set_input_files(
        "#id_file",
        files=_csv(
            "figures.csv",
            b"Knife offences,2024-01-01,2024-12-31,E05000001,12,\n"
            b"Knife offences,2024-01-01,2024-12-31,E05000002,3,Fewer than 5\n",
        ),
    )
    page.get_by_role("button", name="Upload and check").click()
    expect(
        page.get_by_text("2 figures imported: the request is answered")
    ).to_be_visible()
    expect(page.get_by_text("Supplied as a file of figures")).to_be_visible()
    # The authority supplied them, but only the PCC sees the figures themselves.
    expect(page.get_by_role("cell", name="E05000001")).to_have_count(0)
    assert_accessible(page, context="(s17 answered by file, authority's view)")
    visited.append(page.url)
    _again_at_390(page, visited, assert_accessible)

    pcc_context = browser.new_context(base_url=live_server.url, locale="en-GB")
    pcc_context.set_default_timeout(PAGE_TIMEOUT_MS)
    pcc_page = pcc_context.new_page()
    sign_in(pcc_page, pcc_user)
    pcc_page.goto(f"/data/s17/{request.pk}/")
    expect(pcc_page.get_by_text("Only Figton PCC may use it")).to_be_visible()
    expect(pcc_page.get_by_role("cell", name="E05000001")).to_be_visible()
    expect(
        pcc_page.get_by_role("link", name="Download the figures (CSV)")
    ).to_be_visible()
    assert_accessible(pcc_page, context="(s17 figures, PCC's view)")
    _again_at_390(pcc_page, [pcc_page.url], assert_accessible)
    pcc_context.close()

    # The police withdraw from the agreement: it ends and the figures stop being used.
    page.goto(f"/data/agreements/{agreement.pk}/")
    page.get_by_role("link", name="Withdraw from this agreement").click()
    assert_accessible(page, context="(withdraw agreement)")
    withdraw_url = page.url
    page.get_by_role("button", name="Withdraw from the agreement").click()
    expect(
        page.get_by_role("link", name="Enter why the agreement is being withdrawn")
    ).to_be_visible()
    assert_accessible(page, context="(withdraw agreement with errors)")
    page.get_by_label(police.name).check()
    page.get_by_label("Why is it withdrawing?").fill(
        "The force's data protection officer ended the arrangement."
    )
    page.get_by_role("button", name="Withdraw from the agreement").click()
    expect(page.get_by_text("Agreement withdrawn")).to_be_visible()
    expect(page.get_by_text("withdrew from this agreement")).to_be_visible()
    assert_accessible(page, context="(agreement withdrawn)")
    _again_at_390(page, [withdraw_url, page.url], assert_accessible)


def test_a_disclosure_with_its_purpose_then_withdrawn(
    page, make_user, sign_in, assert_accessible
):
    yot = AgencyFactory(name="Discloseton YOT", agency_type=AgencyType.YOUTH_JUSTICE)
    police = AgencyFactory(name="Discloseton Police", agency_type=AgencyType.POLICE)
    partnership = partnership_with(yot, police, name="Discloseton Partnership")
    worker = make_user(Role.PRACTITIONER, agency=yot, full_name="Yo Worker")
    child = person_on_team(worker, partnership=partnership, first_name="Dee")
    today = timezone.localdate()
    visited = []

    sign_in(page, worker)
    page.goto(f"/children/{child.pk}/")
    page.get_by_role("link", name="Record information shared outside svduty").click()
    assert_accessible(page, context="(disclosure form)")
    visited.append(page.url)
    page.locator("#id_disclosed_on_day").fill(str(today.day))
    page.locator("#id_disclosed_on_month").fill(str(today.month))
    page.locator("#id_disclosed_on_year").fill(str(today.year))
    page.get_by_label("Who received it").fill("DS Smith, neighbourhood team")
    page.get_by_label("Their organisation", exact=True).fill("Discloseton Police")
    page.get_by_label(
        "Police, Crime, Sentencing and Courts Act 2022, section 16"
    ).check()
    page.get_by_label("To safeguard the child or others").check()
    page.get_by_label("Why it was shared").fill("Joint work on the estate")
    page.get_by_label("What was shared").fill("School attendance this term")
    page.get_by_role("button", name="Save").click()
    expect(
        page.get_by_role("link", name="Under section 16 the purpose must be")
    ).to_be_visible()
    assert_accessible(page, context="(disclosure form with errors)")
    page.locator("#id_recipient_agency").select_option(label="Discloseton Police")
    page.get_by_label("To enable or assist the recipient").check()
    page.get_by_label("Their email address (optional)").fill("ds.smith@police.example")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Disclosure recorded")).to_be_visible()
    expect(
        page.get_by_text("Purpose: To enable or assist the recipient")
    ).to_be_visible()
    assert_accessible(page, context="(person with a disclosure)")
    visited.append(page.url)
    page.get_by_role("link", name="Withdraw the disclosure to").click()
    assert_accessible(page, context="(withdraw disclosure)")
    visited.append(page.url)
    page.get_by_label("Why is it withdrawn?").fill("Shared with the wrong officer.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("ds.smith@police.example has been told")).to_be_visible()
    expect(page.get_by_text("Shared with the wrong officer.")).to_be_visible()
    assert_accessible(page, context="(disclosure withdrawn)")
    _again_at_390(page, visited, assert_accessible)
