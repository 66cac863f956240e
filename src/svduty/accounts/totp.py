"""Replay protection for one-time codes across processes (security requirement: a
code is accepted once).

allauth checks a code against the current time step and `MFA_TOTP_TOLERANCE` steps
either side, then calls `TOTP._mark_code_used`, which by default remembers the code
in Django's cache for one step. Here that method records the code in the database
instead: the `totp_code_once` unique constraint lets exactly one request win, in any
worker, for as long as the code could still be valid. Rows older than that window are
removed first, because a six-digit code may legitimately come round again later.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from allauth.mfa import app_settings as mfa_settings
from django.db import IntegrityError, transaction
from django.utils import timezone


def code_lifetime() -> timedelta:
    """How long an accepted code could still be accepted again: the whole window."""
    steps = 2 * mfa_settings.TOTP_TOLERANCE + 1
    return timedelta(seconds=steps * mfa_settings.TOTP_PERIOD)


def mark_code_used(user_id: int, code: str) -> bool:
    """True the first time `code` is used by this user within its lifetime."""
    from .models import UsedTotpCode

    now = timezone.now()
    code = "".join(code.split())
    UsedTotpCode.objects.filter(used_at__lt=now - code_lifetime()).delete()
    try:
        with transaction.atomic():
            UsedTotpCode.objects.create(user_id=user_id, code=code, used_at=now)
    except IntegrityError:
        return False
    return True


def install() -> None:
    """Route allauth's "has this code been used?" to the database (AppConfig.ready)."""
    from allauth.mfa.totp.internal.auth import TOTP

    def _mark_code_used(self: Any, code: str) -> bool:
        return mark_code_used(self.instance.user_id, code)

    TOTP._mark_code_used = _mark_code_used
