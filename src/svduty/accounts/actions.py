"""Changes to accounts (architecture D6): each writes its audit event in the same
transaction and checks the rule it enforces, whoever calls it (view, API or command)."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.core.authorisation import Permission, Role
from svduty.core.policies import has_permission

from .models import Agency, Invitation, Membership, PersonalToken, User


def _require_admin(by: User) -> None:
    if not has_permission(by, Permission.MANAGE_USERS):
        raise PermissionDenied("Only a system administrator can manage accounts.")


@transaction.atomic
def invite_user(
    *,
    by: User,
    username: str,
    full_name: str,
    email: str,
    agencies: Iterable[Agency],
    roles: Iterable[Role],
    job_title: str = "",
) -> tuple[User, str]:
    """Create an inactive account and e-mail a one-time link to choose a password.
    Returns the user and the link (shown to the administrator too, in case e-mail
    fails)."""
    _require_admin(by)
    username = username.strip().lower()
    if User.objects.filter(username=username).exists():
        raise ValidationError(
            {"username": "A user with this sign-in name already exists"}
        )
    agencies = list(agencies)
    if not agencies:
        raise ValidationError({"agencies": "Select at least one agency"})
    user = User(
        username=username,
        full_name=full_name,
        email=email,
        job_title=job_title,
        roles=sorted({Role(r).value for r in roles}),
        is_active=False,
    )
    user.set_unusable_password()
    user.save()
    for index, agency in enumerate(agencies):
        Membership.objects.create(user=user, agency=agency, is_primary=index == 0)
    _invitation, raw = Invitation.create_for(user=user, invited_by=by)
    link = settings.SITE_URL.rstrip("/") + reverse(
        "accounts:accept_invitation", args=[raw]
    )
    record(
        AuditAction.ACCOUNT_INVITED,
        actor=by,
        target=user,
        detail={"roles": user.roles, "agencies": [a.name for a in agencies]},
    )
    transaction.on_commit(
        lambda: send_mail(
            subject="You have been invited to svduty",
            message=(
                f"Hello {full_name},\n\n{by.get_full_name()} has invited you to "
                f"svduty.\n"
                f"Choose your password here (the link works once, for "
                f"{settings.INVITATION_VALID_FOR.days} days):\n\n{link}\n\n"
                "You will then be asked to set up an authenticator app.\n"
            ),
            from_email=None,
            recipient_list=[email],
        )
    )
    return user, link


@transaction.atomic
def accept_invitation(*, invitation: Invitation, password: str) -> User:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.used_at is not None or invitation.expires_at <= timezone.now():
        raise ValidationError(
            "This invitation link has already been used or has expired"
        )
    user = invitation.user
    user.set_password(password)
    user.is_active = True
    user.disabled_at = None
    user.save(update_fields=["password", "is_active", "disabled_at"])
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    record(AuditAction.ACCOUNT_ACTIVATED, actor=user, target=user)
    return user


@transaction.atomic
def change_roles(*, by: User, user: User, roles: Iterable[Role]) -> User:
    _require_admin(by)
    new_roles = sorted({Role(r).value for r in roles})
    old_roles = sorted(user.roles)
    if new_roles == old_roles:
        return user
    if user.pk == by.pk and Role.SYSTEM_ADMIN.value not in new_roles:
        raise ValidationError(
            {"roles": "You cannot remove your own administrator role"}
        )
    user.roles = new_roles
    user.save(update_fields=["roles"])
    record(
        AuditAction.ROLES_CHANGED,
        actor=by,
        target=user,
        detail={"from": old_roles, "to": new_roles},
    )
    return user


@transaction.atomic
def change_agencies(*, by: User, user: User, agencies: Iterable[Agency]) -> User:
    _require_admin(by)
    agencies = list(agencies)
    if not agencies:
        raise ValidationError({"agencies": "Select at least one agency"})
    before = sorted(user.agencies.values_list("name", flat=True))
    after = sorted(a.name for a in agencies)
    if before == after:
        return user
    Membership.objects.filter(user=user).exclude(agency__in=agencies).delete()
    existing = set(
        Membership.objects.filter(user=user).values_list("agency_id", flat=True)
    )
    has_primary = Membership.objects.filter(user=user, is_primary=True).exists()
    for agency in agencies:
        if agency.pk not in existing:
            Membership.objects.create(
                user=user, agency=agency, is_primary=not has_primary
            )
            has_primary = True
    record(
        AuditAction.ACCOUNT_CHANGED,
        actor=by,
        target=user,
        detail={"agencies": {"from": before, "to": after}},
    )
    return user


def end_all_sessions(user: User) -> int:
    keys = list(user.sessions.values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    user.sessions.all().delete()
    return len(keys)


@transaction.atomic
def disable_user(*, by: User, user: User, reason: str) -> User:
    """Disable an account: it can no longer sign in, and every session and API token
    it holds ends now, not at their natural expiry."""
    _require_admin(by)
    if user.pk == by.pk:
        raise ValidationError("You cannot disable your own account")
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the account is being disabled"})
    now = timezone.now()
    user.is_active = False
    user.disabled_at = now
    user.disabled_reason = reason.strip()
    user.save(update_fields=["is_active", "disabled_at", "disabled_reason"])
    sessions_ended = end_all_sessions(user)
    tokens_revoked = PersonalToken.objects.filter(
        user=user, revoked_at__isnull=True
    ).update(revoked_at=now)
    record(
        AuditAction.ACCOUNT_DISABLED,
        actor=by,
        target=user,
        detail={
            "reason": user.disabled_reason,
            "sessions_ended": sessions_ended,
            "tokens_revoked": tokens_revoked,
        },
    )
    return user


@transaction.atomic
def reset_second_factors(*, by: User, user: User, reason: str) -> dict[str, int]:
    """Recovery for someone who has lost their authenticator app, security keys and
    recovery codes: an administrator, having checked who is asking (not by e-mail
    alone), removes them all and ends the person's sessions. At their next sign-in
    the MFA requirement sends them to set up a second factor again."""
    from allauth.mfa.models import Authenticator

    _require_admin(by)
    if user.pk == by.pk:
        raise ValidationError(
            "You cannot reset your own second factors: ask another administrator"
        )
    if not reason.strip():
        raise ValidationError({"reason": "Enter how you checked who is asking"})
    removed: dict[str, int] = {}
    for authenticator in Authenticator.objects.filter(user=user):
        removed[authenticator.type] = removed.get(authenticator.type, 0) + 1
        authenticator.delete()
    sessions_ended = end_all_sessions(user)
    record(
        AuditAction.MFA_DEACTIVATED,
        actor=by,
        target=user,
        detail={
            "by_administrator": True,
            "reason": reason.strip(),
            "removed": removed,
            "sessions_ended": sessions_ended,
        },
    )
    return removed


@transaction.atomic
def enable_user(*, by: User, user: User) -> User:
    _require_admin(by)
    if user.is_active:
        return user
    if not user.has_usable_password():
        raise ValidationError("This person has not accepted their invitation yet")
    user.is_active = True
    user.disabled_at = None
    user.disabled_reason = ""
    user.save(update_fields=["is_active", "disabled_at", "disabled_reason"])
    record(AuditAction.ACCOUNT_ENABLED, actor=by, target=user)
    return user


@transaction.atomic
def create_token(*, by: User, name: str) -> tuple[PersonalToken, str]:
    if not has_permission(by, Permission.USE_API):
        raise PermissionDenied("Your roles do not include using the API.")
    if not name.strip():
        raise ValidationError({"name": "Enter a name for the token"})
    token, raw = PersonalToken.issue(user=by, name=name.strip())
    record(
        AuditAction.TOKEN_CREATED,
        actor=by,
        target=token,
        detail={"expires_at": token.expires_at.isoformat()},
    )
    return token, raw


@transaction.atomic
def revoke_token(*, by: User, token: PersonalToken) -> PersonalToken:
    if token.user_id != by.pk and not has_permission(by, Permission.MANAGE_USERS):
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(AuditAction.TOKEN_REVOKED, actor=by, target=token)
    return token
