"""Start-up check: the retention configuration names only rules that exist and
parses (a typo must not keep data for ever, silently)."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from .retention import unknown_configured_keys


def check_retention_configuration(**kwargs: Any) -> list[checks.CheckMessage]:
    try:
        unknown = unknown_configured_keys()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="svduty.E010")]
    return [
        checks.Error(
            f"SVDUTY_RETENTION_PERIODS names a retention rule that does not exist: "
            f"{key}",
            hint="See the retention schedule page or docs/privacy.md for the keys.",
            id="svduty.E011",
        )
        for key in unknown
    ]
