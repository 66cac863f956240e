"""Session lifetime and the MFA requirement."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from svduty.audit.log import record
from svduty.audit.models import AuditAction


class SessionTimeoutMiddleware:
    """Sign users out after 30 idle minutes or 12 hours, whichever comes first.

    Idle time is measured from the last request the user made (the timeout warning's
    "Stay signed in" button makes one). We keep our own timestamps in the session rather
    than rely on the session cookie's age so that both limits are explicit and testable.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = timezone.now().timestamp()
            last = request.session.get("last_activity", now)
            started = request.session.get("signed_in_at", now)
            idle_for = now - last
            if (
                idle_for > settings.SESSION_IDLE_TIMEOUT.total_seconds()
                or now - started > settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds()
            ):
                reason = (
                    "idle"
                    if idle_for > settings.SESSION_IDLE_TIMEOUT.total_seconds()
                    else "absolute"
                )
                record(
                    AuditAction.SESSION_TIMED_OUT,
                    actor=user,
                    target=user,
                    detail={"reason": reason, "idle_seconds": int(idle_for)},
                )
                request._svduty_sign_out_reason = "timeout"
                logout(request)
                if request.path.startswith("/api/"):
                    from django.http import HttpResponse

                    return HttpResponse(status=401)
                return redirect(reverse("core:timed_out"))
            # Saving the session costs a database write; doing it at most every
            # ACTIVITY_WRITE_SECONDS keeps busy pages cheap and moves the idle limit by
            # at most that much, far inside the 2-minute warning.
            if (
                now - last >= ACTIVITY_WRITE_SECONDS
                or "last_activity" not in request.session
            ):
                request.session["last_activity"] = now
        return self.get_response(request)


ACTIVITY_WRITE_SECONDS = 15


_MFA_EXEMPT_PREFIXES = (
    "/accounts/2fa/",
    "/accounts/reauthenticate/",
    "/accounts/logout/",
    "/accounts/mfa-required/",
    "/static/",
    "/session/keep-alive/",
    "/signed-out/",
    "/accessibility/",
    "/privacy/",
    "/cookies/",
    "/healthz",
)


class RequireMFAMiddleware:
    """A user whose roles can see personal data must set up an authenticator app or
    a security key before doing anything else. Only the demo may switch this off."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            not settings.MFA_DISABLED
            and user is not None
            and user.is_authenticated
            and user.requires_mfa
            and not request.path.startswith(_MFA_EXEMPT_PREFIXES)
            and not request.path.startswith("/api/")
            and not _has_second_factor(user, request.session)
        ):
            return redirect(reverse("accounts:mfa_required"))
        return self.get_response(request)


MFA_READY_SESSION_KEY = "svduty_mfa_ready"


def _has_second_factor(user, session=None) -> bool:
    """Has this user a second factor: an authenticator app or a security key (or
    passkey)? Recovery codes alone are not one: they are made with the first. True
    is remembered in the session (the removal signal forgets it), so pages do not
    ask the database every time."""
    if session is not None and session.get(MFA_READY_SESSION_KEY):
        return True
    cached = getattr(user, "_svduty_has_second_factor", None)
    if cached is None:
        from allauth.mfa.models import Authenticator

        cached = Authenticator.objects.filter(
            user=user,
            type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN],
        ).exists()
        user._svduty_has_second_factor = cached
    if cached and session is not None:
        session[MFA_READY_SESSION_KEY] = True
    return cached
