"""Contextual safeguarding in a real browser: a practitioner records a place of
concern, links a child, records an incident and an assessment, records an
intervention and sees the before/after comparison of police.uk incidents around it
(and downloads it as a PDF); then records a peer group with the child in it, assesses
it, makes its shared plan and sees the group on the child's record; a link ends and
the place is closed. axe-core checks every page at 1280 and 390 pixels wide."""

import datetime as dt
import math

import pyarrow as pa
import pytest
from playwright.sync_api import expect

from svduty.cases.seed import load_defaults
from svduty.core.authorisation import Role
from svduty.places.evaluation import EARTH_RADIUS_M
from tests.factories.accounts import AgencyFactory
from tests.factories.analysis import make_snapshot
from tests.factories.cases import partnership_with, person_on_team

pytestmark = pytest.mark.django_db(transaction=True)

POINT = (54.5762, -1.2348)


@pytest.fixture(autouse=True)
def snapshot_dir(settings, tmp_path):
    settings.SNAPSHOT_DIR = tmp_path / "snapshots"


def street_records() -> pa.Table:
    """8 robberies a month near the point before April 2022, 3 a month after."""
    rows = []
    for month in range(1, 10):
        rows += [dt.date(2022, month, 1)] * (8 if month < 4 else 3)
    lat = POINT[0] + math.degrees(60 / EARTH_RADIUS_M)
    return pa.table(
        {
            "record_key": [f"k{i}" for i in range(len(rows))],
            "month": pa.array(rows, pa.date32()),
            "crime_type": ["Robbery"] * len(rows),
            "latitude": [lat] * len(rows),
            "longitude": [POINT[1]] * len(rows),
        }
    )


def fill_date(page, prefix, day):
    page.locator(f"#id_{prefix}_day").fill(str(day.day))
    page.locator(f"#id_{prefix}_month").fill(str(day.month))
    page.locator(f"#id_{prefix}_year").fill(str(day.year))


def test_place_intervention_evaluation_and_peer_group(
    page, make_user, sign_in, assert_accessible
):
    load_defaults()
    council = AgencyFactory(name="Places Journey Council")
    partnership = partnership_with(council, name="Places Journey Partnership")
    worker = make_user(Role.PRACTITIONER, agency=council, full_name="Cas Worker")
    child = person_on_team(
        worker, partnership=partnership, first_name="Robin", last_name="Journeyperson"
    )
    make_snapshot(partnership, {"police_street": street_records()})

    def check(context):
        """axe-core at desktop and at phone width."""
        assert_accessible(page, context=f"({context}, 1280 px)")
        page.set_viewport_size({"width": 390, "height": 844})
        assert_accessible(page, context=f"({context}, 390 px)")
        page.set_viewport_size({"width": 1280, "height": 800})

    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, worker)
    page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Places"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Places of concern")
    check("empty map and list")

    # 1. Record the place.
    page.get_by_role("link", name="Record a place").click()
    check("place form")
    page.get_by_label("Name of the place").fill("Centre Square")
    page.get_by_label("Park or open space").check()
    page.get_by_label("Latitude (optional)").fill(str(POINT[0]))
    page.get_by_label("Longitude (optional)").fill(str(POINT[1]))
    page.get_by_label("Radius in metres").fill("200")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Centre Square")
    check("place page")

    # 2. Link the child.
    page.get_by_role("link", name="Link a child").click()
    check("link a child")
    page.get_by_label("Child", exact=True).select_option(label=str(child))
    page.get_by_label("Harmed or exploited here").check()
    fill_date(page, "linked_on", dt.date(2022, 3, 14))
    page.get_by_role("button", name="Save").click()
    expect(
        page.get_by_role("link", name="Robin Journeyperson", exact=True)
    ).to_be_visible()

    # An incident and a neighbourhood assessment.
    page.get_by_role("link", name="Record an incident or intelligence").click()
    check("incident form")
    page.get_by_label("Incident", exact=True).check()
    fill_date(page, "occurred_on", dt.date(2022, 3, 20))
    incident = "Fight between groups near the bus shelter."
    page.get_by_label("Summary", exact=True).fill(incident)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text(incident)).to_be_visible()
    page.get_by_role("link", name="Assess the place").click()
    check("assessment form")
    fill_date(page, "assessed_on", dt.date(2022, 3, 25))
    page.get_by_label("High", exact=True).check()
    page.get_by_label("What is happening").fill("Older youths recruit children here.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Older youths recruit children here.")).to_be_visible()
    check("place with incident and assessment")

    # 3. Record an intervention and see the before/after comparison.
    page.get_by_role("link", name="Record an intervention").click()
    check("intervention form")
    page.get_by_label("Lighting", exact=True).check()
    fill_date(page, "started_on", dt.date(2022, 4, 1))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Incidents fell")).to_be_visible()
    expect(page.get_by_text("24 before, 9 after")).to_be_visible()
    expect(page.get_by_text("regression to the mean")).to_be_visible()
    check("before and after")
    page.get_by_label("Incidents counted").select_option(label="Anti-social behaviour")
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_text("0 before, 0 after")).to_be_visible()
    page.get_by_label("Incidents counted").select_option(
        label="All crime and anti-social behaviour"
    )
    page.get_by_role("button", name="Compare").click()
    pdf_link = page.get_by_role("link", name="As a PDF")
    pdf = page.request.get(pdf_link.get_attribute("href"))
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    assert pdf.headers["content-type"] == "application/pdf"

    # The map with its list.
    page.goto("/places/")
    expect(page.locator("#places-map .leaflet-interactive")).to_have_count(1)
    check("map and list")

    # 4. A peer group with the child in it.
    page.get_by_role("link", name="Peer groups").click()
    check("peer groups")
    page.get_by_role("link", name="Record a peer group").click()
    check("peer group form")
    page.get_by_label("Name of the group").fill("Group 1 (town centre)")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Group 1 (town centre)")
    page.get_by_role("link", name="Add a child").click()
    check("add a member")
    page.get_by_label("Child", exact=True).select_option(label=str(child))
    page.get_by_label("Member", exact=True).check()
    fill_date(page, "started_on", dt.date(2022, 5, 2))
    page.get_by_role("button", name="Save").click()
    expect(
        page.get_by_role("link", name="Robin Journeyperson", exact=True)
    ).to_be_visible()
    check("peer group page")
    page.get_by_role("link", name="Assess the group").click()
    check("group assessment form")
    fill_date(page, "assessed_on", dt.date(2022, 5, 9))
    page.get_by_label("Medium", exact=True).check()
    page.get_by_label("What is happening").fill("The group meets after school.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The group meets after school.")).to_be_visible()
    page.get_by_role("link", name="Make a shared plan").click()
    check("shared plan form")
    page.get_by_label("What the plan is for").fill("Keep the group safe after school.")
    page.get_by_label("Who will do what, by when").fill(
        "Youth service: detached work on Fridays from June."
    )
    fill_date(page, "agreed_on", dt.date(2022, 5, 10))
    fill_date(page, "review_on", dt.date(2022, 8, 10))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Keep the group safe after school.")).to_be_visible()
    check("peer group with plan")

    # 5. The child's record shows the place and the group.
    page.get_by_role("link", name="Robin Journeyperson", exact=True).click()
    panel = page.locator("#record-panel-places-person-panel")
    expect(panel.get_by_role("link", name="Group 1 (town centre)")).to_be_visible()
    expect(panel.get_by_role("link", name="Centre Square")).to_be_visible()
    check("child's record")

    # 6. The link ends and the place is closed: no longer of concern.
    page.goto("/places/")
    page.get_by_role("link", name="Centre Square").first.click()
    page.get_by_role("link", name="End link").click()
    check("end a link")
    fill_date(page, "ended_on", dt.date(2022, 10, 1))
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Close: no longer of concern").click()
    check("close the place")
    fill_date(page, "closed_on", dt.date(2022, 11, 1))
    page.get_by_label("Why is it no longer a concern?").fill("Lit and patrolled.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Closed", exact=False).first).to_be_visible()
    check("closed place")
