from svduty.core.authorisation import Role

from . import Route

ADMIN = frozenset({Role.SYSTEM_ADMIN})
API = frozenset(r for r in Role if r is not Role.AUDITOR)


def _other_user(ctx):
    return {"pk": ctx.users[Role.PRACTITIONER].pk}


def setup(ctx):
    """A token of each user's own (revoking is per user), one of someone else's, and
    recovery codes for each user (allauth's pages 404 without them)."""
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    from svduty.accounts import actions
    from svduty.accounts.models import PersonalToken
    from tests.factories.accounts import UserFactory

    ctx.tokens = {
        role: actions.create_token(by=user, name=f"Matrix {role}")[0]
        for role, user in ctx.users.items()
        if role in API
    }
    stranger = UserFactory(username="matrix-token-stranger", roles=[], agencies=[])
    ctx.stranger_token = PersonalToken.issue(user=stranger, name="Not yours")[0]
    for user in ctx.users.values():
        RecoveryCodes.activate(user)


ROUTES = [
    Route("accounts:me"),
    Route("accounts:user_list", allowed=ADMIN),
    Route("accounts:invite", allowed=ADMIN),
    Route("accounts:user_detail", allowed=ADMIN, kwargs=_other_user),
    Route("accounts:disable", allowed=ADMIN, kwargs=_other_user),
    Route("accounts:reset_mfa", allowed=ADMIN, kwargs=_other_user),
    Route(
        "accounts:enable",
        allowed=ADMIN,
        kwargs=_other_user,
        method="post",
        redirects_to="accounts:user_detail",
    ),
    Route(
        "accounts:accept_invitation",
        public=True,
        kwargs=lambda ctx: {"token": "not-a-real-token"},
    ),
    Route("accounts:mfa_required"),
    Route("accounts:tokens", allowed=API),
    Route(
        "accounts:revoke_token",
        allowed=API,
        kwargs=lambda ctx: {"pk": ctx.tokens.get(ctx.role, ctx.stranger_token).pk},
        method="post",
        redirects_to="accounts:tokens",
        out_of_scope=lambda ctx: {"pk": ctx.stranger_token.pk},
        note="a token that is not yours is a 404 even for allowed roles",
    ),
    # allauth: sign-in and account pages.
    Route("account_login", public=True),
    Route("account_logout", note="signed-in users see a sign-out confirmation"),
    Route(
        "account_signup", public=True, note="closed: the adapter refuses self sign-up"
    ),
    Route("account_reset_password", public=True),
    Route("account_reset_password_done", public=True),
    Route(
        "account_reset_password_from_key",
        public=True,
        flow_only=True,
        kwargs=lambda ctx: {"uidb36": "x", "key": "y"},
    ),
    Route("account_reset_password_from_key_done", public=True),
    Route("account_change_password"),
    Route(
        "account_set_password",
        redirects_to="account_change_password",
        note="users with a password are sent to change it",
    ),
    Route("account_inactive", public=True),
    Route("account_email"),
    Route("account_email_verification_sent", public=True),
    Route(
        "account_confirm_email",
        public=True,
        flow_only=True,
        kwargs=lambda ctx: {"key": "x"},
    ),
    Route("account_reauthenticate"),
    Route("account_confirm_login_code", public=True, flow_only=True),
    Route("mfa_index"),
    # Security keys and passkeys (allauth's WebAuthn views; issue 14, point 4).
    Route("mfa_list_webauthn"),
    Route(
        "mfa_add_webauthn",
        redirects_to="account_reauthenticate",
        note="asks for the password again first",
    ),
    Route(
        "mfa_edit_webauthn",
        kwargs=lambda ctx: {"pk": 999999},
        redirects_to="account_reauthenticate",
        note="asks for the password again first",
    ),
    Route(
        "mfa_remove_webauthn",
        kwargs=lambda ctx: {"pk": 999999},
        redirects_to="account_reauthenticate",
        note="asks for the password again first",
    ),
    Route(
        "mfa_reauthenticate_webauthn",
        flow_only=True,
        note="only for a user with a key, inside the reauthentication flow "
        "(tests/integration/accounts/test_security_keys.py)",
    ),
    Route("mfa_authenticate", public=True, flow_only=True),
    Route("mfa_reauthenticate"),
    Route(
        "mfa_activate_totp",
        redirects_to="account_reauthenticate",
        note="asks for the password again first",
    ),
    Route(
        "mfa_deactivate_totp",
        redirects_to="account_reauthenticate",
        note="asks for the password again first",
    ),
    Route(
        "mfa_view_recovery_codes",
        redirects_to="account_reauthenticate",
        note="asks for the password again first",
    ),
    Route(
        "mfa_generate_recovery_codes",
        redirects_to="account_reauthenticate",
        note="asks for the password again first",
    ),
    Route(
        "mfa_download_recovery_codes",
        redirects_to="account_reauthenticate",
        note="asks for the password again first",
    ),
]
