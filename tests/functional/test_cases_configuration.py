"""A team manager changes the settings for children's records in a real browser: adds
a language rule, then prepares and publishes a new version of the screening tool with
a different threshold. axe-core checks every page visited."""

import pytest
from playwright.sync_api import expect

from svduty.cases.models import LanguageRule, ScreeningTool
from svduty.cases.seed import load_defaults
from svduty.core.authorisation import Role

pytestmark = pytest.mark.django_db(transaction=True)


def test_manager_adds_a_language_rule_and_publishes_a_screening_version(
    page, make_user, sign_in, assert_accessible
):
    # An earlier transactional test may have flushed the data the migration seeds.
    load_defaults()
    manager = make_user(Role.TEAM_MANAGER, full_name="Mo Settings")
    sign_in(page, manager)

    page.goto("/children/")
    page.get_by_role("link", name="Settings", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Settings for children's records"
    )
    assert_accessible(page, context="(settings)")

    # 1. A language rule.
    page.get_by_role("link", name="Language rules").first.click()
    assert_accessible(page, context="(language rules)")
    page.get_by_role("link", name="Add a language rule").click()
    assert_accessible(page, context="(add a language rule)")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the phrase to look for"
    )
    assert page.title().startswith("Error: ")
    assert_accessible(page, context="(add a language rule, with errors)")
    page.get_by_label("Phrase to look for").fill("out of control")
    page.get_by_label("Suggested alternative").fill(
        "describe what is happening to the child and who may be harming them"
    )
    page.get_by_label("Why the phrase is a problem").fill("It blames the child.")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Language rule “out of control” added"
    )
    assert_accessible(page, context="(language rules, after adding)")
    assert LanguageRule.objects.filter(phrase="out of control").exists()

    # 2. A new version of the screening tool with a higher threshold for high risk.
    page.get_by_role("link", name="Screening tool").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("version 1")
    assert_accessible(page, context="(screening tool, active)")
    page.get_by_role("button", name="Create a new version").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("version 2 (draft)")
    assert_accessible(page, context="(screening tool, draft)")
    page.get_by_role("link", name="Change the scoring rules").click()
    assert_accessible(page, context="(scoring rules)")
    page.get_by_label("Score for high risk").fill("2")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The score for high risk must be higher than the score for medium risk"
    )
    assert_accessible(page, context="(scoring rules, with errors)")
    page.get_by_label("Score for high risk").fill("10")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-summary-list")).to_contain_text("10 or more")
    assert_accessible(page, context="(draft after changing the rules)")
    page.get_by_role("link", name="Publish version 2").click()
    assert_accessible(page, context="(publish)")
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Version 2 published"
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text("version 2")
    assert_accessible(page, context="(screening tool, after publishing)")

    active = ScreeningTool.objects.get(is_active=True)
    assert (active.version, active.high_from) == (2, 10)
    assert ScreeningTool.objects.get(version=1).high_from == 8
