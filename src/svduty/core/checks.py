"""System checks for the conventions that would otherwise fail silently at run time."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, Tags, register
from django.urls import NoReverseMatch, reverse


@register(Tags.urls)
def navigation_targets_exist(
    app_configs: Any = None, **kwargs: Any
) -> list[CheckMessage]:
    """Every entry of the service navigation names a page that exists."""
    from .context_processors import NAVIGATION

    errors: list[CheckMessage] = []
    for label, url_name, _permission in NAVIGATION:
        try:
            reverse(url_name)
        except NoReverseMatch:
            errors.append(
                Error(
                    f"The navigation entry {label!r} points at {url_name!r}, "
                    "which is not a URL name.",
                    hint="Add the page, or remove the entry from "
                    "svduty.core.context_processors.NAVIGATION.",
                    id="svduty.E001",
                )
            )
    return errors
