"""`svduty demo` builds the demonstration installation and is safe to run twice."""

import io

import pytest
from django.apps import apps
from django.core.management import call_command

from svduty.accounts.demo import DEMO_PASSWORD, DEMO_USERS
from svduty.accounts.models import User
from svduty.partnership.models import Partnership

pytestmark = pytest.mark.django_db(transaction=True)


def _row_counts() -> dict[str, int]:
    counts = {}
    for model in apps.get_models():
        if model._meta.app_label in {
            "accounts",
            "partnership",
            "strategy",
            "sharing",
            "analysis",
            "cases",
            "svro",
        }:
            counts[model._meta.label] = model._default_manager.count()
    return counts


def test_demo_creates_every_role_and_the_cleveland_partnerships_and_is_idempotent():
    out = io.StringIO()
    call_command("demo", quick=True, stdout=out)
    for username, _name, role, _agency in DEMO_USERS:
        user = User.objects.get(username=username)
        assert user.check_password(DEMO_PASSWORD) and role.value in user.roles
    assert {
        "hartlepool",
        "middlesbrough",
        "redcar-and-cleveland",
        "stockton-on-tees",
    } <= set(Partnership.objects.values_list("slug", flat=True))
    assert "password for every demo user" in out.getvalue()
    first = _row_counts()
    call_command("demo", quick=True, stdout=io.StringIO())
    assert _row_counts() == first


def test_each_role_home_page_lists_what_needs_doing_from_the_demo_data(settings):
    """Issue 16, point 2: home pages are to-do lists, and the manager reaches the
    referral queue from the navigation."""
    import re

    from django.test import Client

    settings.MFA_DISABLED = True  # as in the demo: its users have no authenticator
    call_command("demo", quick=True, stdout=io.StringIO())
    expected = {
        "lead": ["Strategy", "review the strategy: the review was due on"],
        "analyst": ["Data", "Needs assessment"],
        "manager": ["Referrals", "Go to the referral queue"],
        "practitioner": ["Your children&#x27;s work", "past their due date"],
    }
    for username, wanted in expected.items():
        browser = Client()
        browser.force_login(User.objects.get(username=username))
        page = browser.get("/").content.decode()
        assert "What needs doing" in page, username
        for text in wanted:
            assert text in page, (username, text)
    manager = Client()
    manager.force_login(User.objects.get(username="manager"))
    page = manager.get("/").content.decode()
    nav = re.search(r'<ul class="govuk-service-navigation__list".*?</ul>', page, re.S)
    assert nav and 'href="/children/referrals/"' in nav.group(0)
