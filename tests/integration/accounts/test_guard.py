"""The accounts app's audited models are written only through its actions
(core.guard): a view, the API's token check or another app writing them directly is
refused; the actions still write. The operator commands (create_admin, link_setup)
and token authentication write inside `writes_allowed`, saying why."""

import pytest

from svduty.accounts import actions
from svduty.accounts.models import Agency, Invitation, Membership, PersonalToken
from svduty.core.authorisation import Role
from tests.factories.accounts import AgencyFactory
from tests.guarding import assert_every_write_refused, guarded_models

GUARDED = {Agency, Membership, Invitation, PersonalToken}


def test_the_audited_models_are_guarded():
    # Not guarded: User is also written by Django's and allauth's own sign-in (last
    # sign-in time, password rehashing), outside svduty's code; UserSession (which
    # sessions are whose) and UsedTotpCode (codes already used) are sign-in
    # bookkeeping, not audited changes.
    assert guarded_models("accounts") == GUARDED


@pytest.mark.parametrize("model", sorted(GUARDED, key=lambda m: m.__name__))
@pytest.mark.parametrize(
    "writer",
    ["svduty.accounts.views", "svduty.accounts.api_auth", "svduty.cases.actions"],
)
def test_a_direct_write_is_refused(model, writer):
    assert_every_write_refused(model, writer)


def test_the_actions_still_write(make_user):
    admin = make_user(Role.SYSTEM_ADMIN)
    agency = AgencyFactory(name="Guarded Borough Council")
    user, _link = actions.invite_user(
        by=admin,
        username="Guarded.User",
        full_name="Guarded User",
        email="guarded@example.org",
        agencies=[agency],
        roles=[Role.ANALYST],
    )
    assert Membership.objects.get(user=user).agency == agency
    assert Invitation.objects.filter(user=user, used_at=None).exists()
    analyst = make_user(Role.ANALYST)
    token, _raw = actions.create_token(by=analyst, name="Guarded token")
    assert PersonalToken.objects.get(pk=token.pk).name == "Guarded token"


@pytest.mark.django_db
def test_create_admin_writes_through_its_escape_hatch():
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command(
        "create_admin",
        "First.Admin",
        "--full-name=First Admin",
        "--email=first.admin@example.org",
        "--agency=Guarded Police",
        "--agency-type=police",
        stdout=out,
    )
    assert "Administrator first.admin created" in out.getvalue()
    membership = Membership.objects.get(user__username="first.admin")
    assert membership.agency.name == "Guarded Police" and membership.is_primary
    assert Invitation.objects.filter(user__username="first.admin").exists()
