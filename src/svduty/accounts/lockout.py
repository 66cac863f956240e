"""Brute-force protection: 10 failed sign-ins within 5 minutes lock the account for 30.

django-axes counts failures "since start" until a success or the cool-off; the rule here
(Cyber Essentials: at most 10 guesses in 5 minutes) needs a sliding window. So this
handler counts the failure log instead: failures for the sign-in name in the last
AXES_FAILURE_WINDOW since the last successful sign-in. A lock-out lasts
AXES_COOLOFF_TIME from the failure that caused it.
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessFailureLog, AccessLog
from django.conf import settings
from django.utils import timezone

from svduty.audit.log import record
from svduty.audit.models import AuditAction


def username_from_request(request, credentials=None) -> str | None:
    """allauth posts the sign-in name as `login` but authenticates with `username`."""
    if credentials:
        name = credentials.get("username") or credentials.get("login")
        if name:
            return str(name).strip().lower()
    if request is not None and hasattr(request, "POST"):
        name = request.POST.get("login") or request.POST.get("username")
        if name:
            return str(name).strip().lower()
    return None


class WindowedAxesHandler(AxesDatabaseHandler):
    def _last_success(self, username: str):
        return (
            AccessLog.objects.filter(username=username)
            .order_by("-attempt_time")
            .values_list("attempt_time", flat=True)
            .first()
        )

    def lockout_started_at(self, username: str):
        now = timezone.now()
        since = now - settings.AXES_COOLOFF_TIME
        last_success = self._last_success(username)
        if last_success and last_success > since:
            since = last_success
        return (
            AccessFailureLog.objects.filter(
                username=username, locked_out=True, attempt_time__gt=since
            )
            .order_by("-attempt_time")
            .values_list("attempt_time", flat=True)
            .first()
        )

    def recent_failures(self, username: str) -> int:
        since = timezone.now() - settings.AXES_FAILURE_WINDOW
        last_success = self._last_success(username)
        if last_success and last_success > since:
            since = last_success
        return AccessFailureLog.objects.filter(
            username=username, attempt_time__gt=since
        ).count()

    def get_failures(self, request, credentials=None) -> int:
        username = get_client_username(request, credentials)
        if not username:
            return 0
        if self.lockout_started_at(username):
            return settings.AXES_FAILURE_LIMIT
        # This call runs before the current failure is logged (see user_login_failed),
        # so the count here includes it once axes has written it.
        return self.recent_failures(username) + getattr(
            request, "_svduty_pending_failure", 0
        )

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        if request is None:
            return super().user_login_failed(
                sender, credentials, request=request, **kwargs
            )
        already_locked = bool(getattr(request, "axes_locked_out", False))
        # axes computes the failure count before writing this failure to the log.
        request._svduty_pending_failure = 0 if already_locked else 1
        try:
            super().user_login_failed(sender, credentials, request=request, **kwargs)
        finally:
            request._svduty_pending_failure = 0
        if request.axes_locked_out and not already_locked:
            record(
                AuditAction.LOCKED_OUT,
                actor_label=get_client_username(request, credentials) or "",
                target_type="accounts.user",
                target_label=get_client_username(request, credentials) or "",
                detail={
                    "failures": settings.AXES_FAILURE_LIMIT,
                    "window_minutes": int(
                        settings.AXES_FAILURE_WINDOW.total_seconds() // 60
                    ),
                    "locked_for_minutes": int(
                        settings.AXES_COOLOFF_TIME.total_seconds() // 60
                    ),
                },
            )


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")
