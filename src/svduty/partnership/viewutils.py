"""Helpers shared by the partnership and strategy views."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest

from svduty.core.policies import get_visible_or_404

from .models import Partnership


def scoped_partnership(request: HttpRequest, slug: str) -> Partnership:
    """The partnership, if it is one of the user's (otherwise 404)."""
    return get_visible_or_404(Partnership, request.user, slug=slug)


def apply_validation_error(form, exc: ValidationError) -> None:
    """Show an action's refusal on the form: on the field it names, or at the top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)
