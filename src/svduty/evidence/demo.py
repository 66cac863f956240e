"""Demo data for inspection evidence (issue 12). Runs last: it computes the 21
outcomes' figures from everything the other demo modules loaded (the same action the
daily `refresh_evidence` command calls), so the outcome pages have figures as soon
as the demo starts; no background worker is needed. Running it again the same day
changes nothing."""

from __future__ import annotations

from django.utils import timezone

from svduty.partnership.models import Partnership

from .actions import refresh_figures
from .models import FigureRun


def load(context: dict) -> None:
    today = timezone.localdate()
    for partnership in Partnership.objects.order_by("name"):
        latest = FigureRun.objects.filter(partnership=partnership).first()
        if latest is None or timezone.localdate(latest.computed_at) != today:
            refresh_figures(by=None, partnership=partnership)
