"""Indicators counted from the partnership's own workforce, engagement and learning
records (their measures are declared with each record type in
`svduty.evidence.records`) and from the strategic needs assessment (app
`analysis`). No child is named in these records."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.db.models import F, IntegerField, Q, QuerySet, Value
from django.urls import reverse
from django.utils import timezone

from svduty.analysis.models import SnaStatus, SnaVersion
from svduty.core.authorisation import Permission
from svduty.core.policies import has_permission
from svduty.evidence.records import KINDS, Measure, RecordKind

from .common import columns, local_day
from .registry import Indicator, Kind, Link, Records, partnership_scope, register


def _records(measure: Measure) -> Records:
    def records(ids: Collection[int]) -> QuerySet[Any, Any]:
        qs = measure.model._default_manager.filter(
            **{f"{measure.partnership}__in": ids}
        )
        hit = measure.hit
        if measure.deadline:
            due, done = measure.deadline
            qs = qs.filter(**{f"{due}__isnull": False}).filter(
                Q(**{f"{done}__isnull": False})
                | Q(**{f"{due}__lt": timezone.localdate()})
            )
            hit = Q(**{f"{done}__lte": F(due)})
        qs = columns(
            qs,
            on=F(measure.on),
            partnership=measure.partnership,
            agency=measure.agency,
            person=None,
            hit=hit,
        ).annotate(
            ev_link=F(measure.link)
            if measure.link
            else Value(0, output_field=IntegerField())
        )
        if measure.weights:
            num, den = measure.weights
            qs = qs.annotate(ev_num=F(num), ev_den=F(den))
        return qs

    return records


def _page(kind: RecordKind, measure: Measure) -> Link:
    """The record's own page (its type's `then` page), or its type's list page."""
    page = kind.page
    if measure.link and page:
        return lambda row: reverse(page, kwargs={"pk": row["ev_link"]})
    return _list_page(f"evidence:{kind.key}")


def _slug(row: dict[str, Any]) -> str | None:
    from svduty.partnership.models import Partnership

    return (
        Partnership.objects.filter(pk=row["ev_partnership"])
        .values_list("slug", flat=True)
        .first()
    )


def _list_page(name: str) -> Link:
    def link(row: dict[str, Any]) -> str:
        slug = _slug(row)
        return reverse(name, kwargs={"slug": slug}) if slug else ""

    return link


def _register(kind: RecordKind, measure: Measure) -> None:
    register(
        Indicator(
            key=measure.key,
            outcome=kind.outcome,
            title=measure.title,
            definition=measure.definition,
            numerator=measure.numerator,
            denominator=measure.denominator,
            source=kind.source,
            kind=Kind.COUNT if measure.count else Kind.RATE,
            higher_is_better=None if measure.count else True,
            records=_records(measure),
            record_label=measure.record_label,
            scope=partnership_scope,
            link=_page(kind, measure),
            weighted=measure.weights is not None,
        )
    )


def sna_signed_off(ids: Collection[int]) -> QuerySet[Any, Any]:
    return columns(
        SnaVersion.objects.filter(partnership_id__in=ids, status=SnaStatus.SIGNED_OFF),
        on=local_day("signed_off_at"),
        partnership="partnership_id",
        agency=None,
        person=None,
        hit=~Q(causes_and_drivers=""),
    ).annotate(ev_link=F("pk"), ev_slug=F("partnership__slug"))


def _analysis_scope(qs: QuerySet[Any, Any], user: Any) -> QuerySet[Any, Any]:
    if not has_permission(user, Permission.VIEW_ANALYSIS):
        return qs.none()
    return partnership_scope(qs, user)


def _sna(row: dict[str, Any]) -> str:
    slug = _slug(row)
    if not slug:
        return ""
    return reverse(
        "analysis:version_detail", kwargs={"slug": slug, "pk": row["ev_link"]}
    )


for _kind in KINDS:
    for _measure in _kind.measures:
        _register(_kind, _measure)
register(
    Indicator(
        key="sna-causes",
        outcome=15,
        title="Needs assessments signed off with causes and drivers",
        definition="Of the strategic needs assessment versions signed off, the share "
        "that record the causes and drivers of serious violence in the area.",
        numerator="Signed-off versions with causes and drivers written.",
        denominator="Versions signed off, by the month signed off.",
        source="analysis",
        kind=Kind.RATE,
        records=sna_signed_off,
        record_label="needs assessment version",
        scope=_analysis_scope,
        link=_sna,
    )
)
