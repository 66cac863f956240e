"""Sign-in journeys in a real browser: TOTP sign-in, sign-out, lock-out on the 11th
attempt, idle time-out (time travel) and the timeout warning — axe-core on every
page."""

from datetime import timedelta

import pyotp
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from svduty.audit.models import AuditAction, AuditEvent
from svduty.core.authorisation import Role
from tests.functional.conftest import PAGE_TIMEOUT_MS

pytestmark = pytest.mark.django_db(transaction=True)


def test_sign_in_with_totp_and_sign_out(page, make_user, sign_in, assert_accessible):
    user = make_user(Role.PRACTITIONER)
    sign_in(page, user)
    expect(page.locator(".app-account__name")).to_contain_text(user.full_name)
    assert_accessible(page, context="(home, signed in)")
    page.goto("/accounts/me/")
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in to svduty")).to_be_visible()
    assert (
        AuditEvent.objects.filter(action=AuditAction.SIGN_IN, actor_id=user.pk).count()
        == 1
    )
    assert (
        AuditEvent.objects.filter(action=AuditAction.SIGN_OUT, actor_id=user.pk).count()
        == 1
    )


def test_wrong_authenticator_code_is_refused_with_an_error(
    page, make_user, assert_accessible
):
    user = make_user(Role.ANALYST)
    page.goto("/accounts/login/")
    page.get_by_label("Sign-in name").fill(user.username)
    page.get_by_label("Password").fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Enter the code from your authenticator app").fill("000000")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert page.title().startswith("Error:")
    assert_accessible(page, context="(MFA error)")


def test_wrong_password_shows_an_accessible_error(page, make_user, assert_accessible):
    user = make_user(Role.ANALYST)
    page.goto("/accounts/login/")
    page.get_by_label("Sign-in name").fill(user.username)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(
        page.get_by_role("link", name="Enter a correct sign-in name and password")
    ).to_be_visible()
    assert_accessible(page, context="(sign-in error)")


def test_eleventh_attempt_within_five_minutes_is_locked_out(
    page, make_user, assert_accessible
):
    user = make_user(Role.ANALYST)
    for _ in range(10):
        page.goto("/accounts/login/")
        page.get_by_label("Sign-in name").fill(user.username)
        page.get_by_label("Password").fill("guess the password")
        page.get_by_role("button", name="Sign in").click()
    page.goto("/accounts/login/")
    page.get_by_label("Sign-in name").fill(user.username)
    page.get_by_label("Password").fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Your account is locked")).to_be_visible()
    assert_accessible(page, context="(locked out)")
    assert AuditEvent.objects.filter(action=AuditAction.LOCKED_OUT).count() == 1
    assert not AuditEvent.objects.filter(
        action=AuditAction.SIGN_IN, actor_id=user.pk
    ).exists()


def test_idle_for_thirty_minutes_signs_the_user_out(
    page, make_user, sign_in, assert_accessible, time_machine
):
    time_machine.move_to(timezone.now(), tick=True)
    user = make_user(Role.PRACTITIONER)
    sign_in(page, user)
    page.goto("/accounts/me/")
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()
    time_machine.move_to(timezone.now() + timedelta(minutes=30, seconds=5), tick=True)
    page.goto("/accounts/me/")
    expect(page.get_by_role("heading", name="You have been signed out")).to_be_visible()
    assert_accessible(page, context="(timed out)")
    page.goto("/accounts/me/")
    assert "/accounts/login/" in page.url
    assert (
        AuditEvent.objects.filter(
            action=AuditAction.SESSION_TIMED_OUT, actor_id=user.pk
        ).count()
        == 1
    )


def test_timeout_warning_lets_the_user_stay_signed_in(
    page, make_user, sign_in, assert_accessible, settings
):
    # Shorten the idle limit so the 2-minute warning opens after a few seconds.
    settings.SESSION_IDLE_TIMEOUT = timedelta(seconds=124)
    user = make_user(Role.PRACTITIONER)
    sign_in(page, user)
    page.goto("/accounts/me/")
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    expect(dialog.get_by_role("heading")).to_contain_text("signed out")
    assert_accessible(page, context="(timeout warning open)")
    with page.expect_response(lambda r: "/session/keep-alive/" in r.url) as response:
        dialog.get_by_role("button", name="Stay signed in").click()
    assert response.value.status == 204
    expect(dialog).to_be_hidden()


def test_new_user_accepts_invitation_and_sets_up_totp(
    page, make_user, client_for, assert_accessible
):
    from svduty.accounts import actions

    admin = make_user(Role.SYSTEM_ADMIN)
    _invitee, link = actions.invite_user(
        by=admin,
        username="fresh.face",
        full_name="Fresh Face",
        email="fresh@example.org",
        agencies=[admin.agencies.first()],
        roles=[Role.ANALYST],
    )
    page.goto(
        link.split("8000", 1)[-1]
        if "8000" in link
        else link[link.index("/accounts/") :]
    )
    assert_accessible(page, context="(accept invitation)")
    page.get_by_label("Create a password").fill("a sensible long passphrase")
    page.get_by_label("Confirm password").fill("a sensible long passphrase")
    page.get_by_role("button", name="Save password").click()
    page.get_by_label("Sign-in name").fill("fresh.face")
    page.get_by_label("Password").fill("a sensible long passphrase")
    page.get_by_role("button", name="Sign in").click()
    expect(
        page.get_by_role(
            "heading", name="You need to set up a second way to confirm it is you"
        )
    ).to_be_visible()
    assert_accessible(page, context="(MFA required)")
    page.get_by_role("button", name="Set up an authenticator app").click()
    # allauth asks for the password again before changing how someone signs in.
    expect(page.get_by_role("heading", name="Confirm it is you")).to_be_visible()
    assert_accessible(page, context="(reauthenticate)")
    page.get_by_label("Password").fill("a sensible long passphrase")
    page.get_by_role("button", name="Confirm").click()
    expect(
        page.get_by_role("heading", name="Set up your authenticator app")
    ).to_be_visible()
    assert_accessible(page, context="(activate TOTP)")
    secret = page.locator("#totp-secret").inner_text().strip()
    page.get_by_label("Code from your authenticator app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Turn on").click()
    assert "/accounts/2fa/totp/activate/" not in page.url
    assert AuditEvent.objects.filter(action=AuditAction.MFA_ACTIVATED).count() == 1


def test_administrator_invites_a_user(page, make_user, sign_in, assert_accessible):
    admin = make_user(Role.SYSTEM_ADMIN)
    sign_in(page, admin)
    page.get_by_role("link", name="Users").first.click()
    assert_accessible(page, context="(users)")
    page.get_by_role("button", name="Invite a user").click()
    assert_accessible(page, context="(invite)")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page, context="(invite errors)")
    page.get_by_label("Full name").fill("Robin Example")
    page.get_by_label("Sign-in name").fill("r.example")
    page.get_by_label("Email address").fill("robin@example.org")
    page.get_by_label(admin.agencies.first().name).check()
    page.get_by_label("Analyst").check()
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("heading", name="Robin Example")).to_be_visible()
    assert_accessible(page, context="(user detail)")


def test_auditor_searches_the_trail(page, make_user, sign_in, assert_accessible):
    auditor = make_user(Role.AUDITOR)
    sign_in(page, auditor)
    page.goto("/audit/")
    assert_accessible(page, context="(audit trail)")
    page.get_by_label("Action").select_option("sign_in")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("cell", name=auditor.username).first).to_be_visible()
    assert_accessible(page, context="(audit filtered)")


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/accessibility/",
        "/privacy/",
        "/cookies/",
        "/accounts/login/",
        "/no-such-page/",
    ],
)
def test_public_pages_are_accessible(page, path, assert_accessible):
    page.goto(path)
    assert_accessible(page, context=f"({path})")
