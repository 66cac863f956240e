"""Helpers shared by the partnership and strategy views."""

from __future__ import annotations

from django.http import HttpRequest

from svduty.core.policies import get_visible_or_404

from .models import Partnership


def scoped_partnership(request: HttpRequest, slug: str) -> Partnership:
    """The partnership, if it is one of the user's (otherwise 404)."""
    return get_visible_or_404(Partnership, request.user, slug=slug)
