"""Record linkage in a real browser: an analyst uploads a partner person extract;
a team manager starts the linkage run with the page's button, reviews a queued
pair with its explanation, decides it is the same child, sees the partner record
on the child's record, then undoes the merge and sees it gone. axe-core checks
every page at 1280 and 390 pixels wide (and that none is wider than the window)."""

import pytest
from playwright.sync_api import expect

from svduty.cases.models import TeamRole
from svduty.core.authorisation import Role
from svduty.linkage import synthetic
from svduty.linkage.models import CandidatePair, LinkageSettings, PairStatus
from tests.factories.accounts import AgencyFactory
from tests.factories.cases import partnership_with, person_on_team
from tests.factories.sharing import AgreementFactory
from tests.functional.conftest import PAGE_TIMEOUT_MS

pytestmark = pytest.mark.django_db(transaction=True)


def test_import_review_merge_and_unmerge(
    page, make_user, sign_in, assert_accessible, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    council = AgencyFactory(name="Linkage Journey Council")
    partnership = partnership_with(council, name="Linkage Journey Partnership")
    analyst = make_user(Role.ANALYST, agency=council, full_name="Ana Lyst")
    manager = make_user(Role.TEAM_MANAGER, agency=council, full_name="Max Manager")
    worker = make_user(Role.PRACTITIONER, agency=council, full_name="Cas Worker")
    child = person_on_team(
        worker,
        partnership=partnership,
        role=TeamRole.LEAD,
        first_name="Robin",
        last_name="Testperson",
    )
    agreement = AgreementFactory(
        partnership=partnership,
        parties=[council],
        created_by=analyst,
        title="Person data for linkage",
        legal_gateway="cda_s115",
        datasets=["person_extract"],
    )
    LinkageSettings.objects.create(
        partnership=partnership, accept_above=0.999999, review_above=0.05
    )
    extract = synthetic.write_csv(
        tmp_path / "ed-people.csv",
        [
            {
                "agency_code": "ED",
                "local_id": "ED-77",
                "forenames": "Robyn",
                "surname": "Testperson",
                "date_of_birth": "2010-05-17",
                "sex": "F",
                "postcode": "TS5 7QQ",
                "reason": "Emergency department attendance",
            },
        ],
    )

    def check(context):
        assert_accessible(page, context=f"({context}, 1280 px)")
        page.set_viewport_size({"width": 390, "height": 844})
        assert_accessible(page, context=f"({context}, 390 px)")
        page.set_viewport_size({"width": 1280, "height": 800})

    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, analyst)
    page.goto("/data/upload/")
    page.get_by_label("Partner person extract").check()
    page.get_by_label("Data sharing agreement").select_option(value=str(agreement.pk))
    page.get_by_label("Upload a file").set_input_files(str(extract))
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_role("heading", name="File imported")).to_be_visible(
        timeout=60_000
    )
    check("person extract imported")

    page.context.clear_cookies()
    sign_in(page, manager)
    page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Record linkage"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record linkage")
    check("review queue before the run")
    # The run button: the task runs at once under the test settings' immediate
    # backend (the worker that `svduty serve` starts, in service).
    page.get_by_role(
        "button", name="Run linkage for Linkage Journey Partnership"
    ).click()
    expect(page.get_by_text("Linkage has run:")).to_be_visible(timeout=120_000)
    check("review queue after the run")
    pair = CandidatePair.objects.get(status=PairStatus.QUEUED)
    page.get_by_role("link", name=f"Pair {pair.pk}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Are these the same person?"
    )
    expect(page.get_by_text("Robyn Testperson")).to_be_visible()
    expect(
        page.get_by_role("table", name="Table: How the match weight adds up")
    ).to_be_visible()
    expect(page.get_by_text("Same date of birth: strong evidence for")).to_be_visible()
    check("pair with its explanation")
    page.get_by_role("button", name="Save decision").click()
    expect(
        page.get_by_text("Select whether these are the same person").first
    ).to_be_visible()
    check("decision error")
    page.get_by_label("The same person", exact=True).check()
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_text("Your decision has been saved.")).to_be_visible()

    page.goto(f"/children/{child.pk}/")
    panel = page.locator("#record-panel-linkage-record-panel")
    expect(panel.get_by_text("ED-77")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    check("child's record with partner records")

    page.goto(f"/linkage/pairs/{pair.pk}/")
    page.get_by_role("link", name="Undo the merge of these records").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Undo merge")
    check("undo merge")
    page.get_by_label("Why was the merge wrong?").fill("A different Robin")
    page.get_by_role("button", name="Undo the merge").click()
    expect(page.get_by_text("The merge has been undone.")).to_be_visible()
    page.goto(f"/children/{child.pk}/")
    panel = page.locator("#record-panel-linkage-record-panel")
    expect(panel.get_by_text("No partner agency's records are linked")).to_be_visible(
        timeout=PAGE_TIMEOUT_MS
    )

    page.goto("/linkage/monitoring/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Thresholds and monitoring"
    )
    check("thresholds and monitoring")
