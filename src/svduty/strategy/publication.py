"""What the public may see of a partnership's strategy.

Only versions that were published, only sections marked publishable, only kinds of
the definition marked publishable, and counts with small-number suppression
(convention 9): anything on these pages leaves the partnership.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count

from svduty.partnership.models import Partnership

from .models import ActionStatus, StrategyAction, StrategyVersion


def suppress(count: int) -> str:
    """0 stays "0"; 1 to the threshold becomes "fewer than N+1"; more is the number."""
    threshold = settings.SUPPRESSION_THRESHOLD
    if 0 < count <= threshold:
        return f"fewer than {threshold + 1}"
    return str(count)


def published_versions(partnership: Partnership):
    return (
        StrategyVersion.objects.published()
        .filter(partnership=partnership)
        .order_by("-number")
    )


def current_version(partnership: Partnership) -> StrategyVersion | None:
    """The version the public should read: the latest one published."""
    return published_versions(partnership).first()


def public_content(version: StrategyVersion) -> dict:
    sections = list(version.sections.filter(publishable=True))
    kinds = (
        list(version.definition.kinds.filter(publishable=True))
        if version.definition
        else []
    )
    counts = dict(
        StrategyAction.objects.filter(partnership=version.partnership)
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    action_summary = [
        {"label": label, "count": suppress(counts.get(value, 0))}
        for value, label in ActionStatus.choices
    ]
    return {
        "version": version,
        "partnership": version.partnership,
        "sections": sections,
        "kinds": kinds,
        "action_summary": action_summary,
        "action_total": suppress(sum(counts.values())),
        "earlier_versions": published_versions(version.partnership).exclude(
            pk=version.pk
        ),
        "suppression_threshold": settings.SUPPRESSION_THRESHOLD,
        # Counts of organisations, not people: no suppression needed.
        "consultation_count": version.consultations.filter(is_exception=False).count(),
        "exception_count": version.consultations.filter(is_exception=True).count(),
        # The organisations consulted (not people): the records behind publication.
        "consultation_records": version.consultations.select_related(
            "authority__area", "member__agency"
        ),
        "sign_off_count": version.sign_offs.live()
        .filter(content_digest=version.published_digest)
        .count(),
    }
