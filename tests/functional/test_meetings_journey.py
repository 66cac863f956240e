"""A MACE panel in a real browser: the chair arranges the panel, invites the police,
builds the agenda from its triggers, adds a place and a free item, writes a briefing,
records attendance, a decision and an action, and the action appears in the child's
plan (the same row); a minute split by child; the meeting recorded as held; the
attendance and actions by agency with their downloads. The police officer then sees
only the child they may see, in the agenda, the papers and the minutes. axe-core
checks every page visited at 1280 and 390 pixels wide."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from svduty.cases import actions as case_actions
from svduty.cases.models import ScreeningTool
from svduty.cases.seed import load_defaults
from svduty.core.authorisation import Role
from tests.factories.accounts import AgencyFactory
from tests.factories.cases import partnership_with, person_on_team
from tests.factories.places import make_place
from tests.functional.conftest import PAGE_TIMEOUT_MS

pytestmark = pytest.mark.django_db(transaction=True)


def fill_date(page, prefix, day):
    page.locator(f"#id_{prefix}_day").fill(str(day.day))
    page.locator(f"#id_{prefix}_month").fill(str(day.month))
    page.locator(f"#id_{prefix}_year").fill(str(day.year))


def _high_risk(by, person):
    tool = ScreeningTool.objects.get(version=1)
    answers = {
        i.pk: {"answer": "no"} for g in tool.groups.all() for i in g.indicators.all()
    }
    case_actions.record_screening(
        by=by,
        person=person,
        tool=tool,
        answers=answers,
        agreed_level="high",
        override_reason="Seen with adults linked to county lines",
    )


def test_mace_agenda_from_triggers_to_the_childs_plan(
    page, browser, live_server, make_user, sign_in, assert_accessible, request
):
    load_defaults()
    council = AgencyFactory(name="Panel Council")
    police = AgencyFactory(name="Panel Police")
    panel = partnership_with(council, police, name="Panel Partnership")
    chair = make_user(Role.TEAM_MANAGER, agency=council, full_name="Cha Ir")
    social_worker = make_user(Role.PRACTITIONER, agency=council, full_name="Sol Worker")
    officer = make_user(Role.PRACTITIONER, agency=police, full_name="Pat Constable")
    jordan = person_on_team(
        social_worker, partnership=panel, first_name="Jordan", last_name="Testcase"
    )
    sam = person_on_team(
        social_worker, partnership=panel, first_name="Sam", last_name="Otherchild"
    )
    _high_risk(social_worker, jordan)
    _high_risk(social_worker, sam)
    case_actions.add_team_member(
        by=social_worker, person=jordan, user=officer, role="key_worker"
    )

    make_place(chair, panel, name="Station Approach")

    def check(target, context):
        """axe-core at desktop and at phone width (no sideways scrolling)."""
        target.set_viewport_size({"width": 1280, "height": 800})
        assert_accessible(target, context=f"({context}, 1280 px)")
        target.set_viewport_size({"width": 390, "height": 844})
        assert_accessible(target, context=f"({context}, 390 px)")
        target.set_viewport_size({"width": 1280, "height": 800})

    # 1. The chair arranges the panel.
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, chair)
    page.goto("/meetings/")
    check(page, "meetings")
    page.get_by_role("link", name="Arrange a meeting").click()
    check(page, "arrange")
    page.get_by_label("Multi-agency child exploitation (MACE) panel").check()
    page.get_by_label("Name of the meeting").fill("Panel MACE, December")
    page.get_by_label("Partnership").select_option(label="Panel Partnership")
    fill_date(page, "held_on", timezone.localdate())
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Panel MACE, December")
    check(page, "meeting")
    meeting_url = page.url

    # 2. Invite the police officer by name.
    page.get_by_role("link", name="Invite").click()
    check(page, "invite")
    page.get_by_label("Agency").select_option(label="Panel Police")
    page.get_by_label("Named person (optional)").select_option(
        label="Pat Constable (Panel Police)"
    )
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Invitation added")).to_be_visible()

    # 3. The agenda from its triggers: both high-risk children are offered.
    page.get_by_role("link", name="Build the agenda from triggers").click()
    check(page, "triggers")
    page.get_by_label("Jordan Testcase – New high-risk children", exact=False).check()
    page.get_by_label("Sam Otherchild – New high-risk children", exact=False).check()
    page.get_by_role("button", name="Add to the agenda").click()
    expect(page.get_by_role("link", name="Jordan Testcase", exact=True)).to_be_visible()
    expect(page.get_by_text("Risk level agreed as high on")).to_have_count(2)
    check(page, "agenda")

    # A place and a free item go on the agenda too.
    page.get_by_role("link", name="Add an agenda item").click()
    check(page, "add an agenda item")
    page.get_by_label("Or a place (optional)").select_option(label="Station Approach")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Agenda item added")).to_be_visible()
    expect(
        page.get_by_role("link", name="Station Approach", exact=True)
    ).to_be_visible()
    page.get_by_role("link", name="Add an agenda item").click()
    page.get_by_label("Or another item").fill("Partnership intelligence update")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("4. Partnership intelligence update")).to_be_visible()

    # The briefing about Sam, shared only with those who may see Sam.
    page.get_by_role("link", name="Write the briefing for Sam Otherchild").click()
    check(page, "briefing")
    page.get_by_label("Briefing paper").fill("Sam's briefing: seen at the station.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Briefing paper saved")).to_be_visible()

    # 4. Attendance.
    page.get_by_role("link", name="Record attendance").click()
    check(page, "attendance")
    page.get_by_role("radio", name="Sent a report instead").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Attendance recorded")).to_be_visible()
    expect(page.get_by_role("cell", name="Sent a report instead")).to_be_visible()

    # 5. A decision for Jordan with an action owned by the police officer.
    page.get_by_role(
        "link", name="Record a decision for Jordan Testcase", exact=False
    ).click()
    check(page, "decision")
    page.get_by_label("What was decided?").fill("Disrupt contact with the adults.")
    page.get_by_label("High").check()
    page.get_by_label("Action (optional)").fill(
        "Serve a child abduction warning notice"
    )
    page.get_by_label("Named lead").select_option(label="Pat Constable (Panel Police)")
    fill_date(page, "due_on", timezone.localdate() + dt.timedelta(days=7))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Decision recorded")).to_be_visible()
    check(page, "decision recorded")

    # A minute split by child: each child's part goes to that child's record only.
    page.get_by_role("link", name="Record a minute").click()
    check(page, "minute")
    page.get_by_label("Heading").fill("Children at risk of exploitation")
    page.get_by_label("About Jordan Testcase (optional)").fill(
        "Jordan: school reports better attendance."
    )
    page.get_by_label("About Sam Otherchild (optional)").fill(
        "Sam: went missing twice this month."
    )
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Minute recorded")).to_be_visible()
    expect(page.get_by_text("Sam: went missing twice this month.")).to_be_visible()

    # The meeting is recorded as held.
    page.get_by_role("link", name="Record the meeting as held").click()
    check(page, "record as held")
    page.get_by_label("Minutes about no child (optional)").fill(
        "Themes: the station at night."
    )
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Meeting recorded as held")).to_be_visible()
    check(page, "held meeting")

    # 6. The action is in Jordan's plan: the same row, reached from the meeting.
    page.get_by_role("link", name="Serve a child abduction warning notice").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Safety plan")
    expect(
        page.get_by_role(
            "cell", name="Serve a child abduction warning notice", exact=True
        )
    ).to_be_visible()
    expect(page.locator("td", has_text="Pat Constable")).to_have_count(1)
    check(page, "child's plan")

    # Attendance and actions by agency, with the downloads for the board.
    page.goto("/meetings/performance/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Attendance and actions by agency"
    )
    expect(page.get_by_role("cell", name="Panel Police")).to_be_visible()
    check(page, "attendance and actions by agency")
    with page.expect_download() as download:
        page.get_by_role("link", name="Attendance as CSV").click()
    assert download.value.suggested_filename.startswith("meetings-attendance-")
    pdf = page.request.get("/meetings/performance/export.pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF")

    # 7. The police officer sees Jordan and the decision, and a count for Sam.
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", timezone_id="Europe/London"
    )
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    request.addfinalizer(context.close)
    police_page = context.new_page()
    sign_in(police_page, officer, check_a11y=False)
    police_page.goto(meeting_url)
    expect(
        police_page.get_by_role("link", name="Jordan Testcase", exact=True)
    ).to_be_visible()
    expect(police_page.get_by_text("1 more child on the agenda")).to_be_visible()
    expect(police_page.get_by_text("Sam Otherchild")).to_have_count(0)
    # Not Sam's briefing, nor Sam's part of the minutes: counted, never shown.
    expect(police_page.get_by_text("Sam's briefing")).to_have_count(0)
    expect(police_page.get_by_text("went missing twice")).to_have_count(0)
    expect(
        police_page.get_by_text("Jordan: school reports better attendance.")
    ).to_be_visible()
    expect(police_page.get_by_text("1 part of the minutes")).to_be_visible()
    check(police_page, "police view")
    police_page.goto(f"/meetings/children/{jordan.pk}/")
    expect(police_page.get_by_text("Disrupt contact with the adults.")).to_be_visible()
    check(police_page, "child's meetings")
    assert sam.pk
