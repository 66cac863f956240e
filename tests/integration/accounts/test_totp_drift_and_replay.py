"""One-time codes: one 30-second step of drift is accepted either side, and a code
that has been accepted once is refused for as long as it could still be valid, in
every worker (the record is in the database, not a process's cache)."""

from __future__ import annotations

import pyotp
import pytest
from django.test import Client
from django.utils import timezone

from svduty.accounts.totp import code_lifetime, mark_code_used
from svduty.core.authorisation import Role
from tests.factories.accounts import TEST_PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
AUTHENTICATE = "/accounts/2fa/authenticate/"


def _code_at_step(user, offset: int) -> str:
    totp = pyotp.TOTP(user.totp_secret)
    return totp.generate_otp(totp.timecode(timezone.now()) + offset)


def _sign_in_with(user, code: str) -> Client:
    client = Client()
    response = client.post(LOGIN, {"login": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 302 and AUTHENTICATE in response["Location"]
    client.post(AUTHENTICATE, {"code": code})
    return client


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("offset", [-1, 0, 1])
def test_a_code_one_step_either_side_is_accepted(make_user, time_machine, offset):
    time_machine.move_to(timezone.now(), tick=False)
    user = make_user(Role.ANALYST)
    assert _signed_in(_sign_in_with(user, _code_at_step(user, offset)))


@pytest.mark.parametrize("offset", [-2, 2])
def test_a_code_two_steps_away_is_refused(make_user, time_machine, offset):
    time_machine.move_to(timezone.now(), tick=False)
    user = make_user(Role.ANALYST)
    assert not _signed_in(_sign_in_with(user, _code_at_step(user, offset)))


def test_a_used_code_is_refused_while_it_could_still_be_valid(make_user, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    user = make_user(Role.ANALYST)
    code = _code_at_step(user, 1)
    assert _signed_in(_sign_in_with(user, code))
    # 45 seconds later the code is still inside the drift window, where allauth's
    # one-step cache would have forgotten it.
    time_machine.shift(45)
    assert not _signed_in(_sign_in_with(user, code))


def test_the_record_of_a_code_is_per_user_and_expires():
    from svduty.accounts.models import UsedTotpCode
    from tests.factories.accounts import UserFactory

    first, second = UserFactory(), UserFactory()
    assert mark_code_used(first.pk, "123 456")
    assert not mark_code_used(first.pk, "123456")
    assert mark_code_used(second.pk, "123456")
    UsedTotpCode.objects.update(used_at=timezone.now() - code_lifetime())
    UsedTotpCode.objects.filter(user=second).update(
        used_at=timezone.now() - code_lifetime() * 2
    )
    # Older than the window: the same code may come round again for that user.
    assert mark_code_used(second.pk, "123456")
    assert code_lifetime().total_seconds() == 90
