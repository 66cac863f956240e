"""A child's journey through svduty in a real browser: a school safeguarding lead
refers a child; the decision maker triages; a social worker runs an assessment with
contributions from police and health; the manager signs it off; a plan with actions
follows. axe-core checks every page visited."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from svduty.cases.seed import load_defaults
from svduty.core.authorisation import Role
from tests.factories.accounts import AgencyFactory
from tests.factories.cases import partnership_with
from tests.functional.conftest import PAGE_TIMEOUT_MS

pytestmark = pytest.mark.django_db(transaction=True)


def fill_date(page, prefix, day):
    page.locator(f"#id_{prefix}_day").fill(str(day.day))
    page.locator(f"#id_{prefix}_month").fill(str(day.month))
    page.locator(f"#id_{prefix}_year").fill(str(day.year))


def test_referral_triage_assessment_and_plan(
    page, browser, live_server, make_user, sign_in, assert_accessible, request
):
    # An earlier transactional test may have flushed the data the migration seeds.
    load_defaults()
    school = AgencyFactory(name="Journey Academy")
    council = AgencyFactory(name="Journey Council")
    police = AgencyFactory(name="Journey Police")
    health = AgencyFactory(name="Journey Hospital")
    partnership_with(school, council, police, health, name="Journey Partnership")
    teacher = make_user(Role.PRACTITIONER, agency=school, full_name="Dee Safeguarding")
    manager = make_user(Role.TEAM_MANAGER, agency=council, full_name="Mo Decider")
    social_worker = make_user(Role.PRACTITIONER, agency=council, full_name="Sol Worker")
    officer = make_user(Role.PRACTITIONER, agency=police, full_name="Pat Constable")
    nurse = make_user(Role.PRACTITIONER, agency=health, full_name="Nia Nurse")

    # Each person works in their own browser session (a one-time code cannot be
    # used twice, so nobody signs in twice within the journey).
    pages = {}

    def as_user(user):
        if user.pk not in pages:
            context = browser.new_context(
                base_url=live_server.url, locale="en-GB", timezone_id="Europe/London"
            )
            context.set_default_timeout(PAGE_TIMEOUT_MS)
            request.addfinalizer(context.close)
            pages[user.pk] = context.new_page()
            sign_in(pages[user.pk], user, check_a11y=False)
        return pages[user.pk]

    # 1. The school's safeguarding lead refers a child who is not yet known.
    sign_in(page, teacher)
    pages[teacher.pk] = page
    page.goto("/children/")
    assert_accessible(page, context="(case list)")
    page.get_by_role("link", name="Refer a new child").click()
    assert_accessible(page, context="(add a person)")
    page.get_by_label("First name").fill("Jordan")
    page.get_by_label("Last name").fill("Testcase")
    fill_date(page, "date_of_birth", dt.date(2011, 6, 14))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Make a referral")
    assert_accessible(page, context="(referral form)")
    page.get_by_label("Carrying a weapon, or a weapon found").check()
    page.get_by_label("Standard: decide within 1 working day").check()
    page.get_by_label("What do you know about the child's situation?").fill(
        "A knife was found in Jordan's bag. He is choosing to stay out late."
    )
    page.locator("input[name=child_aware][value=yes]").check()
    page.get_by_role("button", name="Send referral").click()
    # The language checker flags "choosing to" and suggests an alternative.
    expect(page.get_by_text("Check your wording before you save")).to_be_visible()
    assert_accessible(page, context="(language check)")
    page.get_by_label("What do you know about the child's situation?").fill(
        "A knife was found in Jordan's bag. He is out late with older young people."
    )
    page.get_by_role("button", name="Send referral anyway").click()
    expect(page.get_by_text("Waiting for a decision")).to_be_visible()
    assert_accessible(page, context="(referral sent)")
    referral_url = page.url

    # 2. The decision maker triages within the working day.
    page = as_user(manager)
    page.goto("/children/referrals/")
    assert_accessible(page, context="(referral queue)")
    page.get_by_role("link", name="Jordan Testcase").click()
    page.get_by_role("link", name="Decide what happens next").click()
    assert_accessible(page, context="(triage)")
    page.get_by_label("Assessment", exact=True).check()
    page.get_by_label("Lead professional").select_option(
        label=f"Sol Worker ({council.name})"
    )
    page.get_by_label("Reasons for the decision").fill("Weapon in school: assess.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("Decision: Assessment")).to_be_visible()
    assert_accessible(page, context="(decided)")

    # The referrer sees what happened.
    page = as_user(teacher)
    page.goto(referral_url)
    expect(page.get_by_text("Decision: Assessment")).to_be_visible()

    # 3. The social worker starts the assessment and asks police and health.
    page = as_user(social_worker)
    page.goto(referral_url)
    page.get_by_role("link", name="Start the assessment").click()
    assert_accessible(page, context="(start assessment)")
    page.get_by_label("Child and family assessment (45 working days)").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Child and family assessment"
    )
    assert_accessible(page, context="(assessment)")
    assessment_url = page.url
    for agency in (police, health):
        page.get_by_role("link", name="Ask another agency to contribute").click()
        assert_accessible(page, context="(ask for contribution)")
        page.get_by_label("Which agency?").select_option(label=agency.name)
        page.get_by_label("What would you like them to tell you?").fill(
            "What contact have you had with Jordan this year?"
        )
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_text("Contribution requested")).to_be_visible()

    for user, text in (
        (officer, "Stopped and searched twice in the town centre."),
        (nurse, "Attended the emergency department with a hand injury in May."),
    ):
        page = as_user(user)
        page.goto("/children/work/")
        assert_accessible(page, context="(work list)")
        page.get_by_role("link", name="Jordan Testcase").click()
        assert_accessible(page, context="(contribution)")
        page.get_by_label("Yes").check()
        page.get_by_label("Your contribution").fill(text)
        page.get_by_role("button", name="Send").click()
        expect(page.get_by_text("Your contribution has been sent")).to_be_visible()

    page = as_user(social_worker)
    page.goto(assessment_url)
    expect(page.get_by_text("Stopped and searched twice")).to_be_visible()
    page.get_by_label("The child's views, in their own words").fill(
        "I carry it because I'm scared on the way home."
    )
    page.get_by_label("Analysis and recommendation").fill(
        "Jordan is frightened on his route home. A safety plan is needed."
    )
    page.get_by_role("button", name="Save and send for sign-off").click()
    expect(page.get_by_text("Assessment sent for sign-off")).to_be_visible()

    # The manager sees nothing missing and signs off.
    page = as_user(manager)
    page.goto(assessment_url)
    page.get_by_role("link", name="Sign off or return").click()
    assert_accessible(page, context="(sign-off)")
    expect(page.get_by_text("every agency asked has replied")).to_be_visible()
    page.get_by_label("Sign off the assessment").check()
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Signed off by Mo Decider")).to_be_visible()

    # 4. A plan with actions follows.
    page = as_user(social_worker)
    page.goto(assessment_url)
    page.get_by_role("link", name="Plan", exact=True).click()
    page.get_by_role("link", name="Make a plan").click()
    assert_accessible(page, context="(make a plan)")
    page.get_by_label("Goals").fill(
        "Jordan feels safe on his way home\nJordan stays in school"
    )
    fill_date(page, "review_on", timezone.localdate() + dt.timedelta(days=42))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Plan created. Now add the actions.")).to_be_visible()
    assert_accessible(page, context="(plan)")
    page.get_by_role("link", name="Add an action").click()
    assert_accessible(page, context="(add action)")
    page.get_by_label("What will be done?").fill("Safe route home agreed with Jordan")
    page.get_by_label("Named lead").select_option(label=f"Sol Worker ({council.name})")
    fill_date(page, "due_on", timezone.localdate() + dt.timedelta(days=7))
    page.get_by_role("button", name="Save").click()
    expect(
        page.get_by_role("cell", name="Safe route home agreed with Jordan", exact=True)
    ).to_be_visible()
    page.get_by_role("link", name="see every change").click()
    assert_accessible(page, context="(plan versions)")
    expect(page.get_by_text("Version 2")).to_be_visible()
    page.get_by_role("link", name="Chronology", exact=True).click()
    assert_accessible(page, context="(chronology)")
    expect(
        page.get_by_text("Contribution received from Journey Police")
    ).to_be_visible()
    page.get_by_role("link", name="Overview", exact=True).click()
    assert_accessible(page, context="(child's page)")
