"""Lock-out (10 failures in 5 minutes → 30 minutes), session limits, MFA requirement."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from svduty.audit.models import AuditAction, AuditEvent
from svduty.core.authorisation import Role
from tests.factories.accounts import TEST_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

LOGIN = "/accounts/login/"


def fail(client, username, n=1):
    for _ in range(n):
        client.post(LOGIN, {"login": username, "password": "wrong password!"})


def signs_in(client, username, password=TEST_PASSWORD) -> bool:
    response = client.post(LOGIN, {"login": username, "password": password})
    return (
        response.status_code == 302
        and "/accounts/2fa/authenticate/" in response["Location"]
    )


def test_tenth_failure_locks_and_eleventh_attempt_is_refused_even_with_right_password(
    make_user, client
):
    user = make_user(Role.ANALYST)
    fail(client, user.username, 9)
    assert AuditEvent.objects.filter(action=AuditAction.LOCKED_OUT).count() == 0
    fail(client, user.username, 1)
    assert AuditEvent.objects.filter(action=AuditAction.LOCKED_OUT).count() == 1
    response = client.post(LOGIN, {"login": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 429
    assert "Your account is locked" in response.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED).count() == 11


def test_failures_spread_over_more_than_five_minutes_do_not_lock(
    make_user, client, time_machine
):
    user = make_user(Role.ANALYST)
    time_machine.move_to(timezone.now())
    fail(client, user.username, 9)
    time_machine.shift(timedelta(minutes=5, seconds=1))
    fail(client, user.username, 9)
    assert signs_in(client, user.username)


def test_lock_out_ends_after_thirty_minutes(make_user, client, time_machine):
    user = make_user(Role.ANALYST)
    time_machine.move_to(timezone.now())
    fail(client, user.username, 10)
    time_machine.shift(timedelta(minutes=29))
    assert not signs_in(client, user.username)
    time_machine.shift(timedelta(minutes=1, seconds=1))
    assert signs_in(client, user.username)


def test_lock_out_is_per_sign_in_name(make_user, client):
    victim, other = make_user(Role.ANALYST), make_user(Role.ANALYST)
    fail(client, victim.username, 10)
    assert signs_in(client, other.username)


def test_successful_sign_in_writes_one_event_and_failed_one_event(
    make_user, client, client_for
):
    user = make_user(Role.ANALYST)
    fail(client, user.username, 1)
    assert (
        AuditEvent.objects.filter(
            action=AuditAction.SIGN_IN_FAILED, actor_label=user.username
        ).count()
        == 1
    )
    client_for(user)
    assert (
        AuditEvent.objects.filter(action=AuditAction.SIGN_IN, actor_id=user.pk).count()
        == 1
    )


def test_sign_out_is_audited_once(make_user, client_for):
    user = make_user(Role.ANALYST)
    client = client_for(user)
    client.post(reverse("account_logout"))
    assert (
        AuditEvent.objects.filter(action=AuditAction.SIGN_OUT, actor_id=user.pk).count()
        == 1
    )


def test_idle_for_thirty_minutes_signs_out(make_user, client_for, time_machine):
    time_machine.move_to(timezone.now())
    user = make_user(Role.ANALYST)
    client = client_for(user)
    assert client.get(reverse("accounts:me")).status_code == 200
    time_machine.shift(timedelta(minutes=29, seconds=50))
    assert client.get(reverse("accounts:me")).status_code == 200, (
        "activity resets the idle timer"
    )
    time_machine.shift(timedelta(minutes=30, seconds=1))
    response = client.get(reverse("accounts:me"))
    assert response.status_code == 302 and response["Location"] == reverse(
        "core:timed_out"
    )
    assert (
        AuditEvent.objects.filter(
            action=AuditAction.SESSION_TIMED_OUT, actor_id=user.pk
        ).count()
        == 1
    )
    assert (
        AuditEvent.objects.filter(action=AuditAction.SIGN_OUT, actor_id=user.pk).count()
        == 0
    )
    response = client.get(reverse("accounts:me"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_sessions_end_after_twelve_hours_even_when_active(
    make_user, client_for, time_machine
):
    time_machine.move_to(timezone.now())
    user = make_user(Role.ANALYST)
    client = client_for(user)
    for _ in range(26):
        time_machine.shift(timedelta(minutes=29))
        response = client.get(reverse("accounts:me"))
        if response.status_code == 302:
            break
    assert response.status_code == 302 and response["Location"] == reverse(
        "core:timed_out"
    )
    event = AuditEvent.objects.get(action=AuditAction.SESSION_TIMED_OUT)
    assert event.detail["reason"] == "absolute"


def test_keep_alive_resets_the_idle_timer(make_user, client_for, time_machine):
    time_machine.move_to(timezone.now())
    user = make_user(Role.ANALYST)
    client = client_for(user)
    time_machine.shift(timedelta(minutes=28))
    assert client.post(reverse("core:keep_alive")).status_code == 204
    time_machine.shift(timedelta(minutes=28))
    assert client.get(reverse("accounts:me")).status_code == 200


def test_role_with_personal_data_must_set_up_mfa_first(make_user, client_for):
    user = make_user(Role.PRACTITIONER, mfa=False)
    response = client_for(user).get(reverse("accounts:me"))
    assert response.status_code == 302 and response["Location"] == reverse(
        "accounts:mfa_required"
    )


def test_sign_in_with_password_alone_does_not_sign_in_a_user_with_mfa(
    make_user, client
):
    user = make_user(Role.PRACTITIONER)
    assert signs_in(client, user.username)
    assert "_auth_user_id" not in client.session


def test_mfa_readiness_is_remembered_in_the_session_and_forgotten_on_removal(
    make_user, rf
):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.signals import authenticator_removed

    from svduty.accounts.middleware import MFA_READY_SESSION_KEY, _has_second_factor

    user = make_user(Role.PRACTITIONER)
    session: dict = {}
    assert _has_second_factor(user, session) and session[MFA_READY_SESSION_KEY] is True
    request = rf.get("/")
    request.session = session
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    authenticator.delete()
    authenticator_removed.send(
        sender=Authenticator, request=request, user=user, authenticator=authenticator
    )
    assert MFA_READY_SESSION_KEY not in session
    del user._svduty_has_second_factor
    assert not _has_second_factor(user, session)


def test_pages_within_a_few_seconds_do_not_rewrite_the_session(
    make_user, client_for, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)
    user = make_user(Role.ANALYST)
    client = client_for(user)
    client.get(reverse("accounts:me"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("accounts:me"))
    writes = [
        q["sql"] for q in queries if q["sql"].startswith('UPDATE "django_session"')
    ]
    assert writes == []
    time_machine.shift(timedelta(seconds=16))
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("accounts:me"))
    writes = [
        q["sql"] for q in queries if q["sql"].startswith('UPDATE "django_session"')
    ]
    assert len(writes) == 1
