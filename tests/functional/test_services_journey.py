"""Services in a real browser: a practitioner finds a service in the catalogue, refers
a child from the child's record, records the service's decision and the start, then
records a reachable moment at an emergency department whose offer the young person
accepts, becoming a referral to the hospital youth workers; the service's waiting
list shows it. axe-core checks every page at 1280 and 390 pixels wide."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from svduty.cases.seed import load_defaults
from svduty.core.authorisation import Role
from tests.factories.accounts import AgencyFactory
from tests.factories.cases import partnership_with, person_on_team
from tests.factories.services import make_service

pytestmark = pytest.mark.django_db(transaction=True)


def fill_date(page, prefix, day):
    page.locator(f"#id_{prefix}_day").fill(str(day.day))
    page.locator(f"#id_{prefix}_month").fill(str(day.month))
    page.locator(f"#id_{prefix}_year").fill(str(day.year))


def test_referral_and_reachable_moment(page, make_user, sign_in, assert_accessible):
    load_defaults()
    council = AgencyFactory(name="Services Journey Council")
    partnership = partnership_with(council, name="Services Journey Partnership")
    worker = make_user(Role.PRACTITIONER, agency=council, full_name="Sam Worker")
    manager = make_user(Role.TEAM_MANAGER, agency=council, full_name="Kit Manager")
    child = person_on_team(
        worker, partnership=partnership, first_name="Robin", last_name="Journeyperson"
    )
    make_service(manager, partnership, name="Mentoring for young people")
    make_service(
        manager,
        partnership,
        name="Hospital youth workers",
        service_type="hospital_navigator",
    )

    def check(context):
        assert_accessible(page, context=f"({context}, 1280 px)")
        page.set_viewport_size({"width": 390, "height": 844})
        assert_accessible(page, context=f"({context}, 390 px)")
        page.set_viewport_size({"width": 1280, "height": 800})

    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, worker)
    page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Services"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Services")
    check("catalogue")

    # 1. Refer the child from the child's record.
    page.goto(f"/children/{child.pk}/")
    panel = page.locator("#record-panel-services-person-panel")
    panel.get_by_role("link", name="Refer to a service").click()
    check("referral form")
    page.get_by_label("Service", exact=True).select_option(
        label="Mentoring for young people (Test provider)"
    )
    today = dt.date.today()
    fill_date(page, "referred_on", today - dt.timedelta(days=10))
    page.get_by_label("Why does the child need this service?").fill(
        "Needs a trusted adult outside school"
    )
    page.get_by_label("The child agreed", exact=True).check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Referral to Mentoring for young people"
    )
    check("referral page")

    # 2. The service accepts the child, who starts a week later.
    page.get_by_role("link", name="Record the service's decision").click()
    page.get_by_label("Yes", exact=True).check()
    fill_date(page, "decided_on", today - dt.timedelta(days=8))
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Record the start").click()
    check("start form")
    fill_date(page, "started_on", today - dt.timedelta(days=3))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("after 7 days")).to_be_visible()

    # 3. A reachable moment in the emergency department.
    page.get_by_role("link", name="Back to Robin Journeyperson's services").click()
    page.get_by_role("link", name="Record a reachable moment").click()
    check("reachable moment form")
    page.get_by_label("Emergency department", exact=True).check()
    page.get_by_label("Hospital or custody suite").fill(
        "James Cook University Hospital"
    )
    fill_date(page, "occurred_on", today - dt.timedelta(days=1))
    page.get_by_label("Stab or cut").check()
    page.get_by_label("Lawful basis for sharing").fill("Safeguarding of children")
    page.get_by_label("Youth worker or navigator").fill("Alex Youthworker")
    page.get_by_label("What was offered?").fill("Weekly meetings after discharge")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("James Cook University Hospital")).to_be_visible()
    check("child's services")
    page.get_by_role("link", name="Record the answer").click()
    page.get_by_label("Accepted the offer").check()
    fill_date(page, "responded_on", today)
    page.locator("#id_service").select_option(
        label="Hospital youth workers (Test provider)"
    )
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("link", name="referred to a service")).to_be_visible()

    # 4. The hospital youth workers' waiting list names the child.
    page.goto("/services/")
    page.get_by_role("link", name="Hospital youth workers").click()
    expect(
        page.get_by_role("link", name="Robin Journeyperson", exact=True)
    ).to_be_visible()
    check("waiting list")


def test_nrm_reconsideration_and_section_45(
    page, make_user, sign_in, assert_accessible
):
    """A negative reasonable grounds decision is reconsidered and changed; a linked
    prosecution records that the section 45 defence was raised."""
    from svduty.services import actions

    load_defaults()
    council = AgencyFactory(name="NRM Journey Council")
    partnership = partnership_with(council, name="NRM Journey Partnership")
    worker = make_user(Role.PRACTITIONER, agency=council, full_name="Nia Worker")
    child = person_on_team(
        worker, partnership=partnership, first_name="Remy", last_name="Journeyperson"
    )
    today = dt.date.today()
    nrm = actions.record_nrm_referral(
        by=worker,
        person=child,
        referred_on=today - dt.timedelta(days=20),
        first_responder=council,
        referring_officer="DC Test",
        exploitation_types=["criminal"],
        decision_route="devolved",
    )
    actions.record_rg_decision(
        by=worker,
        nrm=nrm,
        decision="negative",
        decided_on=today - dt.timedelta(days=15),
    )

    def check(context):
        assert_accessible(page, context=f"({context}, 1280 px)")
        page.set_viewport_size({"width": 390, "height": 844})
        assert_accessible(page, context=f"({context}, 390 px)")
        page.set_viewport_size({"width": 1280, "height": 800})

    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, worker)
    page.goto(f"/services/children/{child.pk}/")
    page.get_by_role(
        "link", name="Ask for the reasonable grounds decision to be reconsidered"
    ).click()
    check("reconsideration form")
    fill_date(page, "requested_on", today - dt.timedelta(days=10))
    page.get_by_label("Who asked").fill("Independent Child Trafficking Guardian")
    page.get_by_label("Why the decision should be reconsidered").fill(
        "The school has shared new evidence of exploitation"
    )
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Waiting for an answer")).to_be_visible()
    check("child's services with a request")
    page.get_by_role("link", name="Record the answer").click()
    check("reconsideration answer form")
    page.get_by_label("Decision changed to positive").check()
    fill_date(page, "decided_on", today - dt.timedelta(days=2))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Decision changed to positive,")).to_be_visible()

    page.get_by_role("link", name="Record a linked prosecution").click()
    check("section 45 form")
    page.get_by_label("Court or case reference of the prosecution").fill("T20260001")
    page.get_by_label("Raised", exact=True).check()
    fill_date(page, "recorded_on", today)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Raised in T20260001")).to_be_visible()
    check("child's services with section 45")
