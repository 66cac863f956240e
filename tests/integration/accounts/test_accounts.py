"""Account administration: each audited action writes exactly one event."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from svduty.accounts import actions
from svduty.accounts.models import Invitation, PersonalToken, User
from svduty.audit.models import AuditAction, AuditEvent
from svduty.core.authorisation import Role

pytestmark = pytest.mark.django_db(transaction=True)


def events(action):
    return AuditEvent.objects.filter(action=action)


def test_invite_then_accept_activates_the_account_with_one_event_each(make_user):
    admin = make_user(Role.SYSTEM_ADMIN)
    agency = admin.agencies.first()
    user, link = actions.invite_user(
        by=admin,
        username="New.Person",
        full_name="New Person",
        email="new@example.org",
        agencies=[agency],
        roles=[Role.PRACTITIONER],
    )
    assert user.username == "new.person"
    assert not user.is_active and not user.has_usable_password()
    assert events(AuditAction.ACCOUNT_INVITED).count() == 1
    assert len(mail.outbox) == 1 and link in mail.outbox[0].body
    raw = link.rstrip("/").rsplit("/", 1)[-1]
    invitation = Invitation.find_usable(raw)
    actions.accept_invitation(
        invitation=invitation, password="a-long-enough-passphrase"
    )
    user.refresh_from_db()
    assert user.is_active and user.check_password("a-long-enough-passphrase")
    assert events(AuditAction.ACCOUNT_ACTIVATED).count() == 1
    assert Invitation.find_usable(raw) is None, "an invitation link works once"


def test_invitation_link_expires_after_seven_days(make_user, time_machine):
    admin = make_user(Role.SYSTEM_ADMIN)
    _user, link = actions.invite_user(
        by=admin,
        username="late",
        full_name="Late Person",
        email="late@example.org",
        agencies=[admin.agencies.first()],
        roles=[Role.ANALYST],
    )
    raw = link.rstrip("/").rsplit("/", 1)[-1]
    time_machine.move_to(timezone.now() + timedelta(days=7, minutes=1))
    assert Invitation.find_usable(raw) is None


def test_only_administrators_can_invite(make_user):
    lead = make_user(Role.PARTNERSHIP_LEAD)
    with pytest.raises(PermissionDenied):
        actions.invite_user(
            by=lead,
            username="x",
            full_name="X",
            email="x@example.org",
            agencies=[lead.agencies.first()],
            roles=[Role.ANALYST],
        )
    assert not AuditEvent.objects.filter(action=AuditAction.ACCOUNT_INVITED).exists()


def test_changing_roles_is_audited_once_and_no_change_writes_nothing(make_user):
    admin = make_user(Role.SYSTEM_ADMIN)
    user = make_user(Role.ANALYST)
    actions.change_roles(
        by=admin, user=user, roles=[Role.ANALYST, Role.PARTNERSHIP_LEAD]
    )
    actions.change_roles(
        by=admin, user=user, roles=[Role.ANALYST, Role.PARTNERSHIP_LEAD]
    )
    assert events(AuditAction.ROLES_CHANGED).count() == 1
    event = events(AuditAction.ROLES_CHANGED).get()
    assert event.detail == {"from": ["analyst"], "to": ["analyst", "partnership_lead"]}


def test_administrator_cannot_remove_own_admin_role(make_user):
    admin = make_user(Role.SYSTEM_ADMIN)
    with pytest.raises(ValidationError):
        actions.change_roles(by=admin, user=admin, roles=[Role.ANALYST])


def test_disabling_ends_every_session_and_token(make_user, client_for):
    admin = make_user(Role.SYSTEM_ADMIN)
    user = make_user(Role.ANALYST)
    browser_one, browser_two = client_for(user), client_for(user)
    _token, raw = actions.create_token(by=user, name="script")
    assert browser_one.get(reverse("accounts:me")).status_code == 200
    assert Session.objects.count() >= 2

    actions.disable_user(by=admin, user=user, reason="Left the agency")

    for browser in (browser_one, browser_two):
        response = browser.get(reverse("accounts:me"))
        assert (
            response.status_code == 302 and "/accounts/login/" in response["Location"]
        )
    assert PersonalToken.objects.usable().filter(user=user).count() == 0
    api = client_for(admin).__class__()
    assert api.get("/api/me/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    assert events(AuditAction.ACCOUNT_DISABLED).count() == 1
    user.refresh_from_db()
    assert user.disabled_at is not None and not user.is_active


def test_disabled_user_cannot_sign_in(make_user, client):
    admin = make_user(Role.SYSTEM_ADMIN)
    user = make_user(Role.ANALYST)
    actions.disable_user(by=admin, user=user, reason="Left")
    response = client.post(
        reverse("account_login"),
        {"login": user.username, "password": "correct-horse-battery-staple"},
    )
    assert response.status_code != 302 or "2fa" not in response.get("Location", "")
    assert "_auth_user_id" not in client.session


def test_database_refuses_a_disabled_user_marked_active(make_user):
    from django.db import IntegrityError, transaction

    user = make_user(Role.ANALYST)
    user.disabled_at = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=user.pk).update(
            disabled_at=timezone.now(), is_active=True
        )


def test_admin_pages_invite_and_disable_through_the_web(make_user, client_for):
    admin = make_user(Role.SYSTEM_ADMIN)
    agency = admin.agencies.first()
    client = client_for(admin)
    response = client.post(
        reverse("accounts:invite"),
        {
            "full_name": "Web Invitee",
            "username": "web.invitee",
            "email": "web@example.org",
            "agencies": [agency.pk],
            "roles": ["practitioner"],
        },
    )
    assert response.status_code == 302
    invitee = User.objects.get(username="web.invitee")
    response = client.post(
        reverse("accounts:invite"),
        {"full_name": "", "username": "Bad Name!", "email": "nope"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert (
        "There is a problem" in body
        and "Enter their full name" in body
        and "Select at least one agency" in body
    )
    response = client.post(
        reverse("accounts:disable", args=[invitee.pk]), {"reason": ""}
    )
    assert "Enter why the account is being disabled" in response.content.decode()


def test_viewing_someone_elses_account_is_audited_once(make_user, client_for):
    admin = make_user(Role.SYSTEM_ADMIN)
    user = make_user(Role.ANALYST)
    client_for(admin).get(reverse("accounts:user_detail", args=[user.pk]))
    views = AuditEvent.objects.filter(
        action=AuditAction.VIEW, target_type="accounts.user", target_id=str(user.pk)
    )
    assert views.count() == 1 and views.get().actor_id == admin.pk
