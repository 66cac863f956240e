"""What the evidence pages share: which partnership the page is about."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from svduty.cases.policies import prime_user
from svduty.evidence.models import FigureRun
from svduty.partnership.models import Partnership


def partnerships_for(request: HttpRequest) -> list[Partnership]:
    prime_user(request.user)
    return list(Partnership.objects.visible_to(request.user).order_by("name"))


def chosen_partnership(request: HttpRequest) -> tuple[Partnership, list[Partnership]]:
    """The partnership named by `?partnership=` (404 when out of scope or not a
    number), else the user's first."""
    options = partnerships_for(request)
    raw = request.GET.get("partnership") or request.POST.get("partnership")
    if raw:
        if not raw.isdigit():
            raise Http404("Not found")
        # The options are the partnerships the policy lets the user see
        # (`Partnership.objects.visible_to`): the chosen one is one of them, or out
        # of scope (404). One query fewer than asking the policy again.
        chosen = next((p for p in options if p.pk == int(raw)), None)
        if chosen is None:
            raise Http404("Not found")
        return chosen, options
    if not options:
        raise Http404("You are not in a partnership.")
    return options[0], options


def latest_run(partnership: Partnership) -> FigureRun | None:
    return (
        FigureRun.objects.filter(partnership=partnership)
        .select_related("computed_by")
        .first()
    )
