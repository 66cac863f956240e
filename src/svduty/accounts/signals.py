"""Audit receivers for sign-in, sign-out, failed sign-in and MFA changes: adding
and removing an authenticator app or a security key, the second factor used at
sign-in, and a second factor refused."""

from __future__ import annotations

from allauth.mfa import signals as mfa_signals
from django.contrib.auth.signals import (
    user_logged_in,
    user_logged_out,
    user_login_failed,
)
from django.dispatch import receiver
from django.utils import timezone

from svduty.audit.log import record
from svduty.audit.models import AuditAction

from .lockout import username_from_request
from .models import UserSession


@receiver(user_logged_in, dispatch_uid="svduty_audit_sign_in")
def audit_sign_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = timezone.now().timestamp()
        request.session["signed_in_at"] = now
        request.session["last_activity"] = now
        if not request.session.session_key:
            request.session.save()
        UserSession.objects.update_or_create(
            session_key=request.session.session_key, defaults={"user": user}
        )
    factor = getattr(request, "_svduty_second_factor", None) if request else None
    record(
        AuditAction.SIGN_IN,
        actor=user,
        target=user,
        detail={"second_factor": factor} if factor else {},
    )


@receiver(mfa_signals.authenticator_used, dispatch_uid="svduty_mfa_used")
def note_second_factor(sender, request, user, authenticator, **kwargs):
    # The sign-in event (written when the MFA stage completes) says which factor.
    if request is not None:
        request._svduty_second_factor = authenticator.type


@receiver(mfa_signals.authentication_failed, dispatch_uid="svduty_audit_mfa_failed")
def audit_second_factor_failed(sender, request, user, authenticator, **kwargs):
    record(
        AuditAction.SIGN_IN_FAILED,
        actor=user,
        target=user,
        detail={
            "second_factor": authenticator.type if authenticator else "",
            "reauthentication": bool(kwargs.get("reauthentication")),
        },
    )


@receiver(user_logged_out, dispatch_uid="svduty_audit_sign_out")
def audit_sign_out(sender, request, user, **kwargs):
    if user is None:
        return
    reason = getattr(request, "_svduty_sign_out_reason", None) if request else None
    if reason == "timeout":
        return  # the timeout middleware writes its own event
    record(AuditAction.SIGN_OUT, actor=user, target=user)


@receiver(user_login_failed, dispatch_uid="svduty_audit_sign_in_failed")
def audit_sign_in_failed(sender, credentials, request=None, **kwargs):
    name = username_from_request(request, credentials) or ""
    locked = bool(getattr(request, "axes_locked_out", False)) if request else False
    record(
        AuditAction.SIGN_IN_FAILED,
        actor_label=name,
        target_type="accounts.user",
        target_label=name,
        detail={"while_locked_out": locked} if locked else {},
    )


@receiver(mfa_signals.authenticator_added, dispatch_uid="svduty_audit_mfa_added")
def audit_mfa_added(sender, request, user, authenticator, **kwargs):
    if authenticator.type in ("totp", "webauthn"):
        detail = {"type": authenticator.type}
        if authenticator.type == "webauthn":
            detail["passkey"] = bool(authenticator.wrap().is_passwordless)
        record(AuditAction.MFA_ACTIVATED, actor=user, target=user, detail=detail)


@receiver(mfa_signals.authenticator_removed, dispatch_uid="svduty_audit_mfa_removed")
def audit_mfa_removed(sender, request, user, authenticator, **kwargs):
    if request is not None and hasattr(request, "session"):
        from .middleware import MFA_READY_SESSION_KEY

        request.session.pop(MFA_READY_SESSION_KEY, None)
    record(
        AuditAction.MFA_DEACTIVATED,
        actor=user,
        target=user,
        detail={"type": authenticator.type},
    )
