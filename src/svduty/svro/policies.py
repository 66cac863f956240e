"""Who may publish or withdraw a transparency report (issue 10 point 6).

A partnership lead publishes for the partnership: the report of a police force whose
area the partnership covers, that is a force that is a member agency of a
partnership the lead belongs to (`Partnership.objects.visible_to`, through the
lead's agencies). The all-forces report counts every force's records, so it is
theirs only when their partnerships cover every force with SVRO records.
Anything else is out of their scope: the pages answer 404 (audited as a refusal)
and the actions refuse it."""

from __future__ import annotations

from django.db.models import QuerySet

from svduty.accounts.models import Agency
from svduty.core.authorisation import Permission
from svduty.core.policies import has_permission
from svduty.core.types import AnyUser
from svduty.partnership.models import Partnership

from .models import Holder


def report_forces(user: AnyUser) -> QuerySet[Agency]:
    """The forces whose report the user may publish or withdraw."""
    if not has_permission(user, Permission.PUBLISH_SVRO_REPORT):
        return Agency.objects.none()
    partnerships = Partnership.objects.visible_to(user).values("pk")
    return Agency.objects.filter(
        partnership_memberships__partnership__in=partnerships
    ).distinct()


def may_publish_for(user: AnyUser, force_id: int | None) -> bool:
    """Whether the user may publish or withdraw the report of `force_id` (None: the
    all-forces report)."""
    covered = set(report_forces(user).values_list("pk", flat=True))
    if not covered:
        return False
    if force_id is not None:
        return force_id in covered
    used = set(Holder.objects.values_list("managing_force_id", flat=True).distinct())
    return used <= covered
