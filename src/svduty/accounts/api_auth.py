"""API authentication (architecture D10): personal tokens, or the browser session of a
user who has passed MFA. Both apply the same policies as the web pages."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from svduty.core.guard import writes_allowed

from .models import PersonalToken

#: When a token was last used is bookkeeping for its owner's token list, not a change
#: anyone made: written here, not audited.
LAST_USED = "token authentication notes when a token was last used"


class PersonalTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        parts = header.split()
        if len(parts) != 2 or parts[0] not in (self.keyword, "Token"):
            return None
        token = PersonalToken.authenticate(parts[1])
        if token is None:
            raise exceptions.AuthenticationFailed(
                "The API token is not valid, has expired or was revoked."
            )
        now = timezone.now()
        if (
            token.last_used_at is None
            or (now - token.last_used_at).total_seconds() > 60
        ):
            with writes_allowed(LAST_USED):
                PersonalToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


class MFASessionAuthentication(authentication.SessionAuthentication):
    """A browser session counts only once the MFA requirement is met."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        user, auth = result
        if user.requires_mfa and not settings.MFA_DISABLED:
            from .middleware import _has_second_factor

            if not _has_second_factor(user):
                raise exceptions.PermissionDenied(
                    "Set up multi-factor authentication first."
                )
        return user, auth


class PersonalTokenScheme(OpenApiAuthenticationExtension):
    target_class = "svduty.accounts.api_auth.PersonalTokenAuthentication"
    name = "personalToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token from 'Your account → API tokens': "
            "`Authorization: Bearer svd_…`. Tokens expire after 90 days.",
        }


class MFASessionScheme(OpenApiAuthenticationExtension):
    target_class = "svduty.accounts.api_auth.MFASessionAuthentication"
    name = "browserSession"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}
