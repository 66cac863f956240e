"""Security keys and passkeys as a second factor (issue 14, point 4): either an
authenticator app or a key meets the MFA requirement; the sign-in page offers the
key to those who have one; adding, using, failing and removing are audited; an
administrator can reset someone's second factors when they have lost them all; a
key of someone else's is a 404. The browser ceremony itself, with a virtual
authenticator, is tests/functional/test_security_keys.py."""

from __future__ import annotations

import pytest
from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.conf import settings
from django.urls import NoReverseMatch, reverse

from svduty.audit.models import AuditAction, AuditEvent
from svduty.core.authorisation import Role
from tests.factories.accounts import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def give_key(user, name: str = "Blue key") -> Authenticator:
    # The credential is not parsed by the pages these tests visit.
    return Authenticator.objects.create(
        user=user,
        type=Authenticator.Type.WEBAUTHN,
        data={"name": name, "credential": {}},
    )


def test_keys_are_a_second_factor_and_never_the_first():
    assert "webauthn" in settings.MFA_SUPPORTED_TYPES
    assert "totp" in settings.MFA_SUPPORTED_TYPES
    with pytest.raises(NoReverseMatch):
        reverse("mfa_login_webauthn")  # no sign-in with a passkey instead of a password


def test_a_key_alone_meets_the_mfa_requirement_recovery_codes_do_not(make_user, client):
    with_key = make_user(Role.PRACTITIONER, mfa=False)
    give_key(with_key)
    client.force_login(with_key)
    assert client.get("/").status_code == 200

    codes_only = make_user(Role.PRACTITIONER, mfa=False)
    RecoveryCodes.activate(codes_only)
    client.force_login(codes_only)
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == reverse("accounts:mfa_required")


def _to_second_factor(client, user):
    response = client.post(
        reverse("account_login"), {"login": user.username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302 and "/2fa/authenticate" in response.url
    return client.get(response.url)


def test_the_sign_in_page_offers_a_key_only_to_those_with_one(
    make_user, client, monkeypatch
):
    from allauth.mfa.base import views

    monkeypatch.setattr(
        views.webauthn_auth,
        "begin_authentication",
        lambda user: {"publicKey": {"challenge": "x", "allowCredentials": []}},
    )
    app_only = make_user(Role.PRACTITIONER)
    page = _to_second_factor(client, app_only).content.decode()
    assert "Enter the code from your authenticator app" in page
    assert "Use your security key" not in page

    both = make_user(Role.PRACTITIONER)
    give_key(both)
    client.logout()
    page = _to_second_factor(client, both).content.decode()
    assert "Use your security key" in page
    assert "Or enter the code from your authenticator app" in page

    key_only = make_user(Role.PRACTITIONER, mfa=False)
    give_key(key_only)
    RecoveryCodes.activate(key_only)
    client.logout()
    page = _to_second_factor(client, key_only).content.decode()
    assert "Use your security key" in page
    assert "Or enter a recovery code" in page


def test_adding_using_failing_and_removing_a_key_are_audited(make_user, rf):
    user = make_user(Role.PRACTITIONER)
    key = give_key(user)
    request = rf.get("/")
    request.session = {}
    mfa_signals.authenticator_added.send(
        sender=Authenticator, request=request, user=user, authenticator=key
    )
    added = AuditEvent.objects.get(action=AuditAction.MFA_ACTIVATED, actor_id=user.pk)
    assert added.detail["type"] == "webauthn"
    mfa_signals.authentication_failed.send(
        sender=Authenticator,
        request=request,
        user=user,
        authenticator=key,
        reauthentication=False,
    )
    failed = AuditEvent.objects.get(action=AuditAction.SIGN_IN_FAILED, actor_id=user.pk)
    assert failed.detail == {"second_factor": "webauthn", "reauthentication": False}
    mfa_signals.authenticator_removed.send(
        sender=Authenticator, request=request, user=user, authenticator=key
    )
    removed = AuditEvent.objects.get(
        action=AuditAction.MFA_DEACTIVATED, actor_id=user.pk
    )
    assert removed.detail["type"] == "webauthn"


def test_the_sign_in_event_names_the_second_factor(make_user, client):
    import pyotp

    user = make_user(Role.PRACTITIONER)
    response = client.post(
        reverse("account_login"), {"login": user.username, "password": TEST_PASSWORD}
    )
    client.post(response.url, {"code": pyotp.TOTP(user.totp_secret).now()})
    event = AuditEvent.objects.get(action=AuditAction.SIGN_IN, actor_id=user.pk)
    assert event.detail == {"second_factor": "totp"}


def test_an_administrator_resets_a_lost_second_factor(make_user, client_for, client):
    admin = make_user(Role.SYSTEM_ADMIN)
    person = make_user(Role.PRACTITIONER)
    give_key(person)
    RecoveryCodes.activate(person)
    client.force_login(person)
    url = reverse("accounts:reset_mfa", args=[person.pk])

    as_admin = client_for(admin)
    page = as_admin.get(url)
    assert page.status_code == 200 and b"check who is asking" in page.content
    refused = as_admin.post(url, {"reason": "  "})
    assert refused.status_code == 200 and b"Enter how you checked" in refused.content
    assert Authenticator.objects.filter(user=person).count() == 3

    done = as_admin.post(url, {"reason": "Called back on the directory number"})
    assert done.status_code == 302
    assert not Authenticator.objects.filter(user=person).exists()
    event = AuditEvent.objects.get(
        action=AuditAction.MFA_DEACTIVATED, target_id=str(person.pk)
    )
    assert event.actor_id == admin.pk
    assert event.detail["removed"] == {"totp": 1, "webauthn": 1, "recovery_codes": 1}
    assert event.detail["reason"] == "Called back on the directory number"
    # Their sessions ended: their own page asks them to sign in.
    signed_out = client.get(reverse("accounts:me"))
    assert signed_out.status_code == 302
    assert signed_out.url.startswith(reverse("account_login"))

    own = as_admin.post(
        reverse("accounts:reset_mfa", args=[admin.pk]), {"reason": "Lost it"}
    )
    assert own.status_code == 200 and b"ask another administrator" in own.content
    assert Authenticator.objects.filter(user=admin).exists()
    # Only administrators (the person, having no second factor now, is sent to set
    # one up before anything else; another practitioner is refused).
    assert client_for(make_user(Role.PRACTITIONER)).get(url).status_code == 403


def test_someone_elses_key_is_not_found(make_user, client):
    owner = make_user(Role.PRACTITIONER)
    mine = give_key(owner, "Mine")
    other = give_key(make_user(Role.PRACTITIONER), "Theirs")
    client.post(
        reverse("account_login"), {"login": owner.username, "password": TEST_PASSWORD}
    )
    import pyotp

    client.post(
        reverse("mfa_authenticate"), {"code": pyotp.TOTP(owner.totp_secret).now()}
    )
    # Changing a key asks for the password again (allauth counts only an explicit
    # re-authentication, not the sign-in itself), then the person's own key opens.
    prompt = client.get(reverse("mfa_edit_webauthn", args=[mine.pk]))
    assert prompt.status_code == 302
    assert prompt.url.startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
    assert client.get(reverse("mfa_edit_webauthn", args=[mine.pk])).status_code == 200
    assert client.get(reverse("mfa_edit_webauthn", args=[other.pk])).status_code == 404
    assert (
        client.get(reverse("mfa_remove_webauthn", args=[other.pk])).status_code == 404
    )
    listed = client.get(reverse("mfa_list_webauthn")).content.decode()
    assert "Mine" in listed and "Theirs" not in listed
