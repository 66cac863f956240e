"""Security keys and passkeys in a real browser (issue 14, point 4): Chromium's
virtual authenticator (DevTools WebAuthn domain) plays the key. A practitioner adds
a key, signs out, signs in with the password and the key, and removes it; axe-core
checks every page at 1280 and 390 px wide."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import expect

from svduty.audit.models import AuditAction, AuditEvent
from svduty.core.authorisation import Role
from tests.factories.accounts import TEST_PASSWORD
from tests.functional.conftest import fresh_code

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = (1280, 390)


def virtual_key(page) -> tuple[object, str]:
    """A USB security key that answers at once, as a person touching it would."""
    session = page.context.new_cdp_session(page)
    session.send("WebAuthn.enable")
    added = session.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return session, added["authenticatorId"]


def confirm_password(page, assert_accessible) -> None:
    """allauth asks for the password again before keys change."""
    expect(page.get_by_role("heading", name="Confirm it is you")).to_be_visible()
    assert_accessible(page, context="(confirm it is you)")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Confirm").click()


def at_both_widths(page, check, context: str) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        check(page, context=f"({context}, {width} px)")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_add_sign_in_with_and_remove_a_security_key(
    page, make_user, sign_in, assert_accessible
):
    user = make_user(Role.PRACTITIONER)
    session, authenticator_id = virtual_key(page)
    sign_in(page, user)

    page.goto("/accounts/me/")
    page.get_by_role(
        "link", name="Authenticator app, security keys and recovery codes"
    ).click()
    at_both_widths(page, assert_accessible, "MFA overview")
    page.goto("/accounts/2fa/webauthn/")
    expect(
        page.get_by_role("heading", name="Security keys and passkeys")
    ).to_be_visible()
    at_both_widths(page, assert_accessible, "no keys yet")
    page.get_by_role("button", name="Add a security key or passkey").click()
    confirm_password(page, assert_accessible)
    expect(
        page.get_by_role("heading", name="Add a security key or passkey")
    ).to_be_visible()
    at_both_widths(page, assert_accessible, "add a key")
    page.get_by_label("Name for this key").fill("Blue key")
    page.get_by_role("button", name="Add the key").click()
    page.wait_for_url(lambda url: "/webauthn/add/" not in url)

    key = Authenticator.objects.get(user=user, type=Authenticator.Type.WEBAUTHN)
    assert str(key) == "Blue key"
    credentials = session.send(
        "WebAuthn.getCredentials", {"authenticatorId": authenticator_id}
    )["credentials"]
    assert len(credentials) == 1
    assert AuditEvent.objects.filter(
        action=AuditAction.MFA_ACTIVATED, actor_id=user.pk, detail__type="webauthn"
    ).exists()
    page.goto("/accounts/2fa/webauthn/")
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody tr")).to_contain_text("Blue key")
    at_both_widths(page, assert_accessible, "one key")

    # Sign out, then in with the password and the key.
    page.get_by_role("button", name="Sign out").click()
    page.goto("/accounts/login/")
    page.get_by_label("Sign-in name").fill(user.username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Use your security key")).to_be_visible()
    expect(
        page.get_by_label("Or enter the code from your authenticator app")
    ).to_be_visible()
    at_both_widths(page, assert_accessible, "second factor with a key")
    page.get_by_role("button", name="Use your security key").click()
    expect(page.locator(".app-account__name")).to_contain_text(user.full_name)
    signed_in = AuditEvent.objects.filter(
        action=AuditAction.SIGN_IN, actor_id=user.pk
    ).latest("id")
    assert signed_in.detail == {"second_factor": "webauthn"}
    key.refresh_from_db()
    assert key.last_used_at is not None

    # Remove it.
    page.goto("/accounts/2fa/webauthn/")
    page.get_by_role("link", name="Remove Blue key").click()
    confirm_password(page, assert_accessible)
    expect(page.get_by_role("heading", name="Remove Blue key?")).to_be_visible()
    at_both_widths(page, assert_accessible, "remove a key")
    page.get_by_role("button", name="Remove the key").click()
    expect(page.get_by_text("You have not added a security key")).to_be_visible()
    assert not Authenticator.objects.filter(
        user=user, type=Authenticator.Type.WEBAUTHN
    ).exists()
    assert AuditEvent.objects.filter(
        action=AuditAction.MFA_DEACTIVATED, actor_id=user.pk, detail__type="webauthn"
    ).exists()


def test_a_cancelled_key_shows_an_error_and_the_code_still_works(
    page, make_user, sign_in, assert_accessible
):
    """The key is not there (the person cancelled, or it is another key): the page
    says so, and the authenticator app is the way in (the same way as a recovery
    code for someone who lost the key)."""
    user = make_user(Role.PRACTITIONER)
    session, authenticator_id = virtual_key(page)
    sign_in(page, user)
    page.goto("/accounts/2fa/webauthn/add/")
    confirm_password(page, assert_accessible)
    page.get_by_role("button", name="Add the key").click()
    page.wait_for_url(lambda url: "/webauthn/add/" not in url)
    page.get_by_role("button", name="Sign out").click()

    # The key's credential is gone (another key, or a reset one): the browser
    # finds nothing to sign with and refuses.
    session.send("WebAuthn.clearCredentials", {"authenticatorId": authenticator_id})
    page.goto("/accounts/login/")
    page.get_by_label("Sign-in name").fill(user.username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Use your security key").click()
    summary = page.locator("#webauthn-error .govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Your security key was not used")
    at_both_widths(page, assert_accessible, "key refused")
    page.get_by_label("Or enter the code from your authenticator app").fill(
        fresh_code(user)
    )
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".app-account__name")).to_contain_text(user.full_name)
