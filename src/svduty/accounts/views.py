"""Administration of accounts, invitations, the MFA requirement page and API tokens."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.core.authorisation import Permission, Role
from svduty.core.formviews import button_action, form_action
from svduty.core.policies import get_visible_or_404, has_permission, requires

from . import actions
from .forms import (
    ChangeAccessForm,
    ChoosePasswordForm,
    DisableUserForm,
    InviteUserForm,
    ResetSecondFactorsForm,
    TokenForm,
)
from .models import Invitation, PersonalToken, User


@requires(Permission.MANAGE_USERS)
def user_list(request):
    query = request.GET.get("q", "").strip()
    users = User.objects.visible_to(request.user).prefetch_related("agencies")
    if query:
        users = users.filter(
            Q(full_name__icontains=query)
            | Q(username__icontains=query)
            | Q(email__icontains=query)
        )
    status = request.GET.get("status", "")
    if status == "active":
        users = users.filter(is_active=True)
    elif status == "disabled":
        users = users.filter(is_active=False)
    page = Paginator(users.order_by("full_name", "username"), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "accounts/user_list.html",
        {
            "page": page,
            "query": query,
            "status": status,
            "role_labels": {r.value: r.label for r in Role},
        },
    )


@requires(Permission.MANAGE_USERS)
def invite_user(request):
    form = InviteUserForm(request.POST or None)
    if done := form_action(
        request,
        form,
        lambda data: actions.invite_user(
            by=request.user,
            username=data["username"],
            full_name=data["full_name"],
            email=data["email"],
            job_title=data["job_title"],
            agencies=data["agencies"],
            roles=[Role(r) for r in data["roles"]],
        ),
    ):
        user, _link = done.result
        messages.success(
            request,
            f"Invitation sent to {user.email}. The link works once, for 7 days.",
        )
        return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/invite.html", {"form": form, "roles": list(Role)})


@requires(Permission.MANAGE_USERS)
def user_detail(request, pk: int):
    subject = get_visible_or_404(
        User.objects.prefetch_related("agencies"), request.user, pk=pk
    )
    if request.method == "GET":
        record(
            AuditAction.VIEW,
            actor=request.user,
            target=subject,
            detail={"page": "user account"},
        )
    initial = {"agencies": list(subject.agencies.all()), "roles": list(subject.roles)}
    form = ChangeAccessForm(request.POST or None, initial=initial)

    def change_access(data: dict[str, Any]) -> None:
        # Agencies and roles change together or not at all.
        with transaction.atomic():
            actions.change_agencies(
                by=request.user, user=subject, agencies=data["agencies"]
            )
            actions.change_roles(
                by=request.user, user=subject, roles=[Role(r) for r in data["roles"]]
            )

    if form_action(request, form, change_access):
        messages.success(request, f"Access for {subject} updated")
        return redirect("accounts:user_detail", pk=subject.pk)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "subject": subject,
            "form": form,
            "role_labels": {r.value: r.label for r in Role},
            "pending_invitation": not subject.has_usable_password(),
        },
    )


@requires(Permission.MANAGE_USERS)
def disable_user(request, pk: int):
    subject = get_visible_or_404(User.objects.all(), request.user, pk=pk)
    form = DisableUserForm(request.POST or None)
    if form_action(
        request,
        form,
        lambda data: actions.disable_user(
            by=request.user, user=subject, reason=data["reason"]
        ),
    ):
        messages.success(
            request,
            f"{subject}’s account is disabled. Their sessions and API tokens "
            "have ended.",
        )
        return redirect("accounts:user_detail", pk=subject.pk)
    return render(request, "accounts/disable.html", {"subject": subject, "form": form})


@requires(Permission.MANAGE_USERS)
def reset_second_factors(request, pk: int):
    subject = get_visible_or_404(User.objects.all(), request.user, pk=pk)
    form = ResetSecondFactorsForm(request.POST or None)
    if form_action(
        request,
        form,
        lambda data: actions.reset_second_factors(
            by=request.user, user=subject, reason=data["reason"]
        ),
    ):
        messages.success(
            request,
            f"{subject}’s authenticator app, security keys and recovery codes are "
            "removed and they are signed out. They will set up a new one when they "
            "next sign in.",
        )
        return redirect("accounts:user_detail", pk=subject.pk)
    return render(
        request, "accounts/reset_mfa.html", {"subject": subject, "form": form}
    )


@require_POST
@requires(Permission.MANAGE_USERS)
def enable_user(request, pk: int):
    subject = get_visible_or_404(User.objects.all(), request.user, pk=pk)
    button_action(
        request,
        lambda: actions.enable_user(by=request.user, user=subject),
        success=f"{subject}’s account is enabled",
    )
    return redirect("accounts:user_detail", pk=subject.pk)


def accept_invitation(request, token: str):
    """Public: the one-time link from the invitation e-mail."""
    invitation = Invitation.find_usable(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    form = ChoosePasswordForm(request.POST or None, user=invitation.user)
    if request.method == "POST" and form.is_valid():
        # Used or expired since the page was opened: the link is no good any more.
        if not button_action(
            request,
            lambda: actions.accept_invitation(
                invitation=invitation, password=form.cleaned_data["password1"]
            ),
            success="Your password is set. Sign in to continue.",
            refused=lambda error: None,
        ):
            return render(request, "accounts/invitation_invalid.html", status=404)
        return redirect("account_login")
    return render(
        request,
        "accounts/accept_invitation.html",
        {"form": form, "invited": invitation.user},
    )


@login_required
def mfa_required(request):
    return render(request, "accounts/mfa_required.html")


@requires(Permission.USE_API)
def token_list(request):
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _token, new_token = actions.create_token(
            by=request.user, name=form.cleaned_data["name"]
        )
        form = TokenForm()
    tokens = PersonalToken.objects.filter(user=request.user)
    return render(
        request,
        "accounts/tokens.html",
        {"form": form, "tokens": tokens, "new_token": new_token},
    )


@require_POST
@requires(Permission.USE_API)
def revoke_token(request, pk: int):
    token = PersonalToken.objects.filter(user=request.user, pk=pk).first()
    if token is None:
        from django.http import Http404

        raise Http404
    actions.revoke_token(by=request.user, token=token)
    messages.success(request, f"Token “{token.name}” revoked")
    return redirect("accounts:tokens")


@login_required
def my_account(request):
    record(
        AuditAction.VIEW,
        actor=request.user,
        target=request.user,
        detail={"page": "my account"},
    )
    return render(
        request,
        "accounts/my_account.html",
        {
            "role_labels": {r.value: r.label for r in Role},
            # The API tokens link only for those who may use the API (a 403 else).
            "may_use_api": has_permission(request.user, Permission.USE_API),
        },
    )
