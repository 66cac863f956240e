"""What the public may see of a partnership's strategy.

Only versions that were published, only sections marked publishable, only kinds of
the definition marked publishable: anything on these pages leaves the partnership.
The counts here are of actions and organisations, not of people, so small-number
suppression (convention 9) does not apply to them.
"""

from __future__ import annotations

from svduty.partnership.models import Partnership

from .models import ActionStatus, StrategyAction, StrategyVersion


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
    # Counts of actions in the plan, not of people: nothing to suppress. Overdue
    # means past its due date and not complete, whatever the last update said.
    counts = StrategyAction.objects.filter(
        partnership=version.partnership
    ).shown_status_counts()
    action_summary = [
        {"label": label, "count": counts.get(value, 0)}
        for value, label in ActionStatus.choices
    ]
    return {
        "version": version,
        "partnership": version.partnership,
        "sections": sections,
        "kinds": kinds,
        "action_summary": action_summary,
        "action_total": sum(counts.values()),
        "earlier_versions": published_versions(version.partnership).exclude(
            pk=version.pk
        ),
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
