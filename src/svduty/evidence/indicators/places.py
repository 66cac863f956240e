"""Indicators counted from places and spaces (app `places`)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.db.models import Exists, F, OuterRef, QuerySet
from django.urls import reverse

from svduty.places.models import Place, PlaceIntervention

from .common import columns, local_day
from .registry import Indicator, Kind, register


def _place_scope(path: str):
    def scope(qs: QuerySet[Any, Any], user: Any) -> QuerySet[Any, Any]:
        return qs.filter(**{f"{path}__in": Place.objects.visible_to(user).values("pk")})

    return scope


def places_with_intervention(ids: Collection[int]) -> QuerySet[Any, Any]:
    return columns(
        Place.objects.filter(partnership_id__in=ids),
        on=local_day("created_at"),
        partnership="partnership_id",
        agency="lead_agency_id",
        person=None,
        hit=Exists(PlaceIntervention.objects.filter(place=OuterRef("pk"))),
    ).annotate(ev_link=F("pk"))


def interventions(ids: Collection[int]) -> QuerySet[Any, Any]:
    return columns(
        PlaceIntervention.objects.filter(place__partnership_id__in=ids),
        on=F("started_on"),
        partnership="place__partnership_id",
        agency="lead_agency_id",
        person=None,
        hit=True,
    ).annotate(ev_link=F("place_id"))


def _place(row: dict[str, Any]) -> str:
    return reverse("places:detail", kwargs={"pk": row["ev_link"]})


register(
    Indicator(
        key="places-with-intervention",
        outcome=17,
        title="Places of concern with an intervention",
        definition="Of the places recorded as of concern, the share where the "
        "partnership has started at least one intervention (youth work, lighting, "
        "patrols…).",
        numerator="Places with at least one intervention.",
        denominator="Places recorded, by the month recorded.",
        source="places",
        kind=Kind.RATE,
        records=places_with_intervention,
        record_label="place",
        scope=_place_scope("pk"),
        link=_place,
    )
)
register(
    Indicator(
        key="place-interventions-started",
        outcome=17,
        title="Place-based interventions started",
        definition="How many interventions in places of concern started.",
        numerator="Interventions started.",
        denominator="The same, by the month started (a count).",
        source="places",
        kind=Kind.COUNT,
        higher_is_better=None,
        records=interventions,
        record_label="intervention",
        scope=_place_scope("place"),
        link=_place,
    )
)
