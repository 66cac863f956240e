"""Which second factors a user has, so the sign-in page offers only those: a code
box for an authenticator app (or a recovery code), a button for a security key."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag
def second_factor_types(user: Any) -> set[str]:
    from allauth.mfa.models import Authenticator

    if user is None or not getattr(user, "pk", None):
        return set()
    return set(Authenticator.objects.filter(user=user).values_list("type", flat=True))
