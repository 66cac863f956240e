from svduty.core.authorisation import Role

from . import Route

ADMIN = frozenset({Role.SYSTEM_ADMIN})
API = frozenset(r for r in Role if r is not Role.AUDITOR)


def _other_user(ctx):
    return {"pk": ctx.users[Role.PRACTITIONER].pk}


ROUTES = [
    Route("accounts:me"),
    Route("accounts:user_list", allowed=ADMIN),
    Route("accounts:invite", allowed=ADMIN),
    Route("accounts:user_detail", allowed=ADMIN, kwargs=_other_user),
    Route("accounts:disable", allowed=ADMIN, kwargs=_other_user),
    Route("accounts:enable", allowed=ADMIN, kwargs=_other_user, method="post"),
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
        kwargs=lambda ctx: {"pk": 999999},
        method="post",
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
    Route("account_set_password"),
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
    Route("mfa_authenticate", public=True, flow_only=True),
    Route("mfa_reauthenticate"),
    Route("mfa_activate_totp"),
    Route("mfa_deactivate_totp"),
    Route("mfa_view_recovery_codes"),
    Route("mfa_generate_recovery_codes"),
    Route("mfa_download_recovery_codes"),
]
