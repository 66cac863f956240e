"""Places of concern: the map with its list, a place's page, and the forms that
change a place (each through an action)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from svduty.cases.models import RiskLevel
from svduty.cases.policies import prime_user
from svduty.core.authorisation import Permission
from svduty.core.policies import get_visible_or_404, has_permission, requires
from svduty.core.viewing import note_choices

from .. import actions
from ..forms import (
    AssessmentForm,
    ChildLinkForm,
    CloseForm,
    EndForm,
    InterventionForm,
    PlaceForm,
    ReportForm,
)
from ..mapping import LEGEND, place_features
from ..models import (
    Place,
    PlaceChild,
    PlaceIntervention,
    PlaceKind,
    PlaceStatus,
)
from .common import my_partnerships, save_form


class Counts(TypedDict):
    """The counts `place_list` annotates on each place (see `count_of`)."""

    children_count: int
    interventions_count: int


if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    CountedPlace = WithAnnotations[Place, Counts]


@dataclass(frozen=True)
class Row:
    """A place as the list shows it, worked out once in Python: a list of hundreds
    of places spent most of its time in template lookups and URL reversing."""

    url: str
    name: str
    kind: str
    area: str
    risk: str
    on_map: bool
    children: int
    interventions: int


def list_rows(places: Sequence[CountedPlace]) -> list[Row]:
    detail = reverse("places:detail", args=[0]).removesuffix("0/")
    kinds, risks = dict(PlaceKind.choices), dict(RiskLevel.choices)
    return [
        Row(
            url=f"{detail}{p.pk}/",
            name=p.name,
            kind=kinds.get(p.kind, p.kind),
            area=p.area.name if p.area else "",
            risk=risks.get(p.risk_level, "Not assessed"),
            on_map=p.has_point,
            children=p.children_count,
            interventions=p.interventions_count,
        )
        for p in places
    ]


#: The list's markup per place (beside the map, and in the table). Django's
#: `format_html` per value cost more than the rest of the page for 300 places, so
#: each text is escaped once (`html.escape`, as Django's `escape` does) and the rows
#: are joined as plain strings.
MAP_ITEM = (
    '\n          <li><a class="govuk-link" href="{url}">{name}</a><br>'
    '<span class="govuk-body-s">{kind}{area}. Risk: {risk_lower}{off_map}</span>'
    "</li>\n        "
)
TABLE_ROW = (
    '\n    <tr class="govuk-table__row">\n'
    '      <th scope="row" class="govuk-table__header"><a class="govuk-link" '
    'href="{url}">{name}</a></th>\n'
    '      <td class="govuk-table__cell">{kind}</td>\n'
    '      <td class="govuk-table__cell">{area_cell}</td>\n'
    '      <td class="govuk-table__cell">{risk}</td>\n'
    '      <td class="govuk-table__cell govuk-table__cell--numeric">{children}</td>\n'
    '      <td class="govuk-table__cell govuk-table__cell--numeric">{interventions}'
    "</td>\n    </tr>\n  "
)


def list_markup(rows: Sequence[Row]) -> tuple[SafeString, SafeString]:
    """The items beside the map and the table's rows, for `rows`."""
    items, table = [], []
    for r in rows:
        values = {
            "url": escape(r.url),
            "name": escape(r.name),
            "kind": escape(r.kind),
            "area": f", {escape(r.area)}" if r.area else "",
            "area_cell": escape(r.area),
            "risk": escape(r.risk),
            "risk_lower": escape(r.risk.lower()),
            "off_map": "" if r.on_map else ". Not on the map",
            "children": r.children,
            "interventions": r.interventions,
        }
        items.append(MAP_ITEM.format_map(values))
        table.append(TABLE_ROW.format_map(values))
    # Every value above is escaped or an int; the markup is constant.
    return (
        mark_safe("".join(items)),  # noqa: S308  # nosec B308 B703
        mark_safe("".join(table)),  # noqa: S308  # nosec B308 B703
    )


def count_of(related: QuerySet) -> Coalesce:
    """A per-place count as a subquery: two counted joins on one query would
    multiply each other's rows (30 children x 20 reports = 600 rows a place)."""
    counted = (
        related.filter(place=OuterRef("pk"))
        .order_by()
        .values("place")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted), 0)


def visible_place(request: HttpRequest, pk: int) -> Place:
    prime_user(request.user)
    return get_visible_or_404(
        Place.objects.select_related("partnership", "area", "lead_agency"),
        request.user,
        pk=pk,
    )


def _place_url(place: Place) -> str:
    return reverse("places:detail", args=[place.pk])


@requires(Permission.VIEW_PLACES)
def place_list(request: HttpRequest) -> HttpResponse:
    prime_user(request.user)
    status = request.GET.get("status", PlaceStatus.OF_CONCERN)
    if status not in PlaceStatus.values:
        status = PlaceStatus.OF_CONCERN
    kind = request.GET.get("kind", "")
    chosen = Place.objects.visible_to(request.user).filter(status=status)
    if kind in PlaceKind.values:
        chosen = chosen.filter(kind=kind)
    places = list(
        chosen.select_related("area").annotate(
            children_count=count_of(PlaceChild.objects.filter(ended_on__isnull=True)),
            interventions_count=count_of(PlaceIntervention.objects.all()),
        )
    )
    rows = list_rows(places)
    items, table = list_markup(rows)
    return render(
        request,
        "places/place_list.html",
        {
            "places": rows,
            "map_items": items,
            "table_rows": table,
            "geojson": place_features(places),
            "legend": LEGEND,
            "status": status,
            "statuses": PlaceStatus.choices,
            "kind": kind,
            "kinds": PlaceKind.choices,
            "may_manage": has_permission(request.user, Permission.MANAGE_PLACES),
        },
    )


@requires(Permission.MANAGE_PLACES)
def place_new(request: HttpRequest) -> HttpResponse:
    partnerships = my_partnerships(request.user)
    form = PlaceForm(request.POST or None, partnerships=partnerships)

    def save(data):
        return actions.create_place(
            by=request.user,
            partnership=data["partnership"],
            name=data["name"],
            kind=data["kind"],
            description=data["description"],
            area=data["area"],
            latitude=data["latitude"],
            longitude=data["longitude"],
            radius_m=data["radius_m"],
            lead_agency=data["lead_agency"],
        )

    return save_form(
        request,
        form,
        save,
        success="Place recorded",
        next_url=_place_url,
        context={"title": "Record a place of concern"},
    )


@requires(Permission.MANAGE_PLACES)
def place_edit(request: HttpRequest, pk: int) -> HttpResponse:
    place = visible_place(request, pk)
    fields = (
        "name",
        "kind",
        "description",
        "area",
        "latitude",
        "longitude",
        "radius_m",
        "lead_agency",
    )
    initial = {name: getattr(place, name) for name in fields}
    form = PlaceForm(
        request.POST or None,
        partnerships=None,
        partnership=place.partnership,
        initial=initial | {"version": place.version},
    )

    def save(data):
        return actions.update_place(
            by=request.user,
            place=place,
            expected_version=data["version"],
            **{name: data[name] for name in fields},
        )

    return save_form(
        request,
        form,
        save,
        success="Place updated",
        next_url=_place_url,
        context={"title": f"Change {place.name}", "place": place},
    )


@requires(Permission.MANAGE_PLACES)
def place_close(request: HttpRequest, pk: int) -> HttpResponse:
    place = visible_place(request, pk)
    form = CloseForm(request.POST or None)
    return save_form(
        request,
        form,
        lambda data: actions.close_place(by=request.user, place=place, **data),
        success="Place closed: it is no longer on the map of current concerns",
        next_url=_place_url,
        context={"title": f"Close {place.name}", "place": place},
    )


@requires(Permission.MANAGE_PLACES)
def link_child(request: HttpRequest, pk: int) -> HttpResponse:
    place = visible_place(request, pk)
    form = ChildLinkForm(
        request.POST or None, user=request.user, partnership=place.partnership
    )
    note_choices(form, "person")
    return save_form(
        request,
        form,
        lambda data: actions.link_child(by=request.user, place=place, **data),
        success="Child linked to the place",
        next_url=lambda link: _place_url(place),
        context={"title": f"Link a child to {place.name}", "place": place},
    )


@requires(Permission.MANAGE_PLACES)
def end_link(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    place = visible_place(request, pk)
    link = get_visible_or_404(
        PlaceChild.objects.filter(place=place, ended_on__isnull=True).select_related(
            "person", "place"
        ),
        request.user,
        pk=link_pk,
    )
    form = EndForm(request.POST or None)
    return save_form(
        request,
        form,
        lambda data: actions.end_link(by=request.user, link=link, **data),
        success="Link ended",
        next_url=lambda _link: _place_url(place),
        context={"title": f"End the link between {link.person} and {place.name}"},
    )


@requires(Permission.MANAGE_PLACES)
def report_add(request: HttpRequest, pk: int) -> HttpResponse:
    place = visible_place(request, pk)
    form = ReportForm(request.POST or None, partnership=place.partnership)
    return save_form(
        request,
        form,
        lambda data: actions.record_report(by=request.user, place=place, **data),
        success="Report recorded",
        next_url=lambda _report: _place_url(place),
        context={
            "title": f"Record an incident or intelligence at {place.name}",
            "place": place,
        },
    )


@requires(Permission.MANAGE_PLACES)
def assessment_add(request: HttpRequest, pk: int) -> HttpResponse:
    place = visible_place(request, pk)
    form = AssessmentForm(request.POST or None)

    def save(data):
        return actions.record_place_assessment(
            by=request.user,
            place=place,
            assessed_on=data["assessed_on"],
            risk_level=data["risk_level"],
            summary=data["summary"],
            **form.text_fields(),
        )

    return save_form(
        request,
        form,
        save,
        success="Assessment recorded",
        next_url=lambda _a: _place_url(place),
        context={
            "title": f"Assess {place.name}",
            "intro": "A neighbourhood assessment of the place, not of a child: what "
            "happens there, who is harmed and what keeps children safe.",
            "place": place,
        },
    )


@requires(Permission.MANAGE_PLACES)
def intervention_add(request: HttpRequest, pk: int) -> HttpResponse:
    place = visible_place(request, pk)
    form = InterventionForm(request.POST or None, partnership=place.partnership)
    return save_form(
        request,
        form,
        lambda data: actions.record_intervention(by=request.user, place=place, **data),
        success="Intervention recorded",
        next_url=lambda i: reverse("places:evaluation", args=[place.pk, i.pk]),
        context={"title": f"Record an intervention at {place.name}", "place": place},
    )


@requires(Permission.MANAGE_PLACES)
def intervention_end(
    request: HttpRequest, pk: int, intervention_pk: int
) -> HttpResponse:
    place = visible_place(request, pk)
    intervention = get_visible_or_404(
        PlaceIntervention.objects.filter(place=place).select_related("place"),
        request.user,
        pk=intervention_pk,
    )
    form = EndForm(request.POST or None)
    return save_form(
        request,
        form,
        lambda data: actions.end_intervention(
            by=request.user, intervention=intervention, **data
        ),
        success="Intervention ended",
        next_url=lambda _i: _place_url(place),
        context={"title": f"End {intervention}", "place": place},
    )
