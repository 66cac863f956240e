"""A strategy from draft to published in a real browser: content, consultation of the
educational, prison and youth custody authorities on the register (one imported from
a CSV file, one not consulted with a reason a second lead approves),
sign-off by every specified authority, publication, then the public page without
signing in. axe-core checks every page visited, at 1280 px and again at 390 px."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from svduty.core.authorisation import Role
from svduty.strategy import actions
from tests.factories.accounts import AgencyFactory
from tests.factories.partnership import agreed_definition, formed_partnership
from tests.functional.conftest import PAGE_TIMEOUT_MS

pytestmark = pytest.mark.django_db(transaction=True)


def fill_date(page, prefix, day):
    page.locator(f"#id_{prefix}_day").fill(str(day.day))
    page.locator(f"#id_{prefix}_month").fill(str(day.month))
    page.locator(f"#id_{prefix}_year").fill(str(day.year))


def test_draft_to_published_to_public_page(
    page, browser, live_server, make_user, sign_in, assert_accessible
):
    # Every page the lead checks at 1280 px is checked again at 390 px at the end.
    axe = assert_accessible
    visited: list[str] = []

    def assert_accessible(target, *, context=""):
        axe(target, context=context)
        if target is page:
            visited.append(target.url)

    council = AgencyFactory(name="Journeytown Council")
    partnership = formed_partnership(
        lead_agency=council, slug="journeytown", name="Safer Journeytown Partnership"
    )
    agreed_definition(partnership)
    lead = make_user(Role.PARTNERSHIP_LEAD, agency=council)
    today = timezone.localdate()

    second_lead = make_user(
        Role.PARTNERSHIP_LEAD, agency=council, full_name="Second Lead"
    )
    area = partnership.areas.get()

    sign_in(page, lead)
    page.goto("/partnerships/journeytown/")
    assert_accessible(page, context="(partnership)")

    # The relevant authorities register: one more school from a CSV file.
    page.get_by_role("link", name="Relevant authorities").click()
    assert_accessible(page, context="(register)")
    page.get_by_role("link", name="Import from a CSV file").click()
    assert_accessible(page, context="(register import)")
    page.set_input_files(
        "#id_file",
        files=[
            {
                "name": "schools.csv",
                "mimeType": "text/csv",
                "buffer": (
                    "name,type,identifier,area\n"
                    f"Journeytown High School,school,123456,{area.ons_code}\n"
                ).encode(),
            }
        ],
    )
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("1 authority added")).to_be_visible()
    expect(
        page.get_by_role("cell", name="Journeytown High School", exact=True)
    ).to_be_visible()
    assert_accessible(page, context="(register after import)")
    page.get_by_role("link", name="Overview").click()
    page.get_by_role("link", name="Strategy", exact=True).click()
    assert_accessible(page, context="(strategy overview, no strategy)")

    # Draft, with one public and one private section.
    page.get_by_label("Title").fill("Serious violence strategy 2025 to 2028")
    fill_date(page, "period_start", today.replace(month=1, day=1))
    fill_date(page, "period_end", today.replace(year=today.year + 3, month=1, day=1))
    page.get_by_role("button", name="Start draft strategy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Serious violence strategy 2025 to 2028"
    )
    assert_accessible(page, context="(draft)")
    for heading, body, public in (
        ("Our priorities", "Reduce knife crime among under-25s.", True),
        ("Patrol plans", "Not for publication: named patrol routes.", False),
    ):
        page.get_by_role("link", name="Add a section").click()
        assert_accessible(page, context="(add section)")
        page.locator("#id_kind").select_option("priorities" if public else "other")
        page.get_by_label("Heading").fill(heading)
        page.get_by_label("Text", exact=True).fill(body)
        page.get_by_label("Include this section on the public page").set_checked(public)
        page.get_by_role("button", name="Save section").click()
        expect(page.get_by_text("Section saved")).to_be_visible()

    # Consultation.
    page.get_by_role("link", name="Start consultation").click()
    assert_accessible(page, context="(confirm start consultation)")
    page.get_by_role("button", name="Start consultation").click()
    assert_accessible(page, context="(in consultation)")
    version = partnership.strategy_versions.get()
    consultees = {a.name: a for a in actions.required_consultees(version)}
    school = consultees["journeytown Academy"]
    prison = consultees["journeytown Prison"]
    high_school = consultees["Journeytown High School"]

    page.get_by_role("link", name=f"Record consultation with {school.name}").click()
    assert_accessible(page, context="(consultation form)")
    page.get_by_role("button", name="Save consultation record").click()
    expect(
        page.get_by_role("link", name="Select whether this authority was consulted")
    ).to_be_visible()
    assert page.title().startswith("Error:")
    assert_accessible(page, context="(consultation form with errors)")
    page.get_by_label("Yes, they were consulted").check()
    fill_date(page, "consulted_on", today)
    page.locator("#id_method").select_option("meeting")
    page.get_by_label("Who was consulted").fill("Head teacher")
    page.get_by_label("Their response").fill("Supports the priorities.")
    page.get_by_label("How the response was considered").fill(
        "Added a schools priority."
    )
    page.get_by_role("button", name="Save consultation record").click()
    expect(
        page.get_by_text(f"Consultation with {school.name} recorded")
    ).to_be_visible()

    page.get_by_role("link", name=f"Record consultation with {prison.name}").click()
    page.get_by_label("No, and there is a good reason").check()
    page.get_by_label("Why were they not consulted?").fill(
        "The prison closed before consultation began; no successor is named yet."
    )
    page.get_by_role("button", name="Save consultation record").click()
    page.get_by_role(
        "link", name=f"Record consultation with {high_school.name}"
    ).click()
    page.get_by_label("Yes, they were consulted").check()
    fill_date(page, "consulted_on", today)
    page.locator("#id_method").select_option("email")
    page.get_by_label("Who was consulted").fill("Safeguarding lead")
    page.get_by_label("Their response").fill("Asks for more on exclusions.")
    page.get_by_label("How the response was considered").fill("Added an action.")
    page.get_by_role("button", name="Save consultation record").click()
    # The reason for not consulting the prison waits for a second person.
    expect(page.get_by_text("Reason waiting for approval")).to_be_visible()
    expect(
        page.get_by_role("link", name="Close consultation and ask for sign-off")
    ).to_be_visible()
    second_context = browser.new_context(base_url=live_server.url, locale="en-GB")
    second_context.set_default_timeout(PAGE_TIMEOUT_MS)
    second_page = second_context.new_page()
    sign_in(second_page, second_lead)
    second_page.goto(f"/strategy/journeytown/v{version.number}/")
    second_page.get_by_role(
        "button", name=f"Approve reason for not consulting {prison.name}"
    ).click()
    expect(
        second_page.get_by_text(f"Reason for not consulting {prison.name} approved")
    ).to_be_visible()
    assert_accessible(second_page, context="(reason approved)")
    second_context.close()
    page.reload()
    assert_accessible(page, context="(all consulted)")

    page.get_by_role("link", name="Close consultation and ask for sign-off").click()
    assert_accessible(page, context="(confirm close consultation)")
    page.get_by_role("button", name="Close consultation").click()

    # Sign-off: the lead signs for their own council; the police sign for
    # themselves, signed in as a user of the force; the other four from one page
    # with their signed minutes uploaded.
    expect(page.get_by_role("heading", name="Before you can publish")).to_be_visible()
    expect(page.get_by_role("link", name="Publish the strategy")).to_have_count(0)
    page.get_by_role("link", name=f"Sign off for {council.name}").click()
    assert_accessible(page, context="(sign-off by own agency)")
    page.get_by_label("Their role").fill("Chief executive")
    fill_date(page, "signed_on", today)
    page.get_by_role("button", name="Sign off").click()
    expect(page.get_by_text(f"Sign-off by {council.name} recorded")).to_be_visible()

    signatories = actions.required_signatories(version)
    police = next(m for m in signatories if m.agency.agency_type == "police")
    chief = make_user(
        Role.PARTNERSHIP_LEAD, agency=police.agency, full_name="Chief Constable"
    )
    police_context = browser.new_context(base_url=live_server.url, locale="en-GB")
    police_context.set_default_timeout(PAGE_TIMEOUT_MS)
    police_page = police_context.new_page()
    sign_in(police_page, chief)
    police_page.goto(f"/strategy/journeytown/v{version.number}/")
    police_page.get_by_role("link", name=f"Sign off for {police.agency.name}").click()
    police_page.get_by_label("Their role").fill("Chief Constable")
    fill_date(police_page, "signed_on", today)
    police_page.get_by_role("button", name="Sign off").click()
    expect(
        police_page.get_by_text(f"Sign-off by {police.agency.name} recorded")
    ).to_be_visible()
    police_context.close()

    page.reload()
    page.get_by_role("link", name="Record sign-offs from a signed document").click()
    assert_accessible(page, context="(sign-offs from a signed document)")
    fill_date(page, "signed_on", today)
    page.set_input_files(
        "#id_document",
        files=[
            {
                "name": "board-minutes.pdf",
                "mimeType": "application/pdf",
                "buffer": b"%PDF-1.4\n% signed minutes\n%%EOF\n",
            }
        ],
    )
    others = [m for m in signatories if m.pk not in (police.pk,)]
    others = [m for m in others if m.agency_id != council.pk]
    for member in others:
        page.locator(f"#id_m{member.pk}_signed_by_name").fill(f"Head of {member.pk}")
        page.locator(f"#id_m{member.pk}_signed_by_role").fill("Director")
    page.get_by_role("button", name="Record sign-offs").click()
    expect(page.get_by_text(f"{len(others)} sign-offs recorded")).to_be_visible()

    page.get_by_role("link", name="Publish the strategy").click()
    assert_accessible(page, context="(confirm publish)")
    page.get_by_role("button", name="Publish the strategy").click()
    expect(
        page.get_by_text("The strategy is published on its public page")
    ).to_be_visible()
    assert_accessible(page, context="(published)")

    page.goto("/strategy/journeytown/compliance/")
    expect(page.locator(".govuk-task-list")).to_be_visible()
    assert_accessible(page, context="(compliance dashboard)")

    # The public page, without signing in.
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    public = context.new_page()
    public.goto("/published/")
    assert_accessible(public, context="(public index)")
    public.get_by_role("link", name="Safer Journeytown Partnership").click()
    expect(public.get_by_role("heading", name="Our priorities")).to_be_visible()
    expect(public.get_by_text("named patrol routes")).to_have_count(0)
    expect(public.get_by_text("Sign out")).to_have_count(0)
    version.refresh_from_db()
    expect(public.get_by_text(version.published_digest)).to_be_visible()
    assert_accessible(public, context="(public strategy)")
    public.set_viewport_size({"width": 390, "height": 900})
    assert_accessible(public, context="(public strategy at 390 px)")
    context.close()

    page.set_viewport_size({"width": 390, "height": 900})
    for url in dict.fromkeys(visited):
        page.goto(url)
        axe(page, context=f"(at 390 px: {url})")
