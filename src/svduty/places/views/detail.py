"""A place's page: its details, interventions, linked children, assessments and the
latest incidents and intelligence (issue 11: p95 <= 200 ms under 10 users).

The page asks six queries however many children are linked (five for a user who may
read no child's record): the session, the user and their agencies (every page), then

1. the place, in the user's scope (else 404), with its interventions, latest
   assessments and latest reports as JSON arrays and the number of children linked
   to it now, in one row;
2. the linked children whose records the user may read, with their names, as plain
   rows: the case-access policy is asked once, of the place's own children
   (`PlaceChildQuerySet.readable_to`), and nobody else is named or fetched;
3. the audit event naming the children shown and counting the rest.

Building the first two with the ORM cost the web worker more CPU than PostgreSQL
spends running them (the policy's five bases, the place's scope, the JSON arrays),
so both are compiled once per process and set of permissions (`core.compiled`, as
the child's page does): each request swaps in only the ids, the user's agencies and
partnerships and the time.

The rows are written out here rather than by a template tag or filter per cell.
With model instances, per-row template work and four more queries, the page cost
about 15 to 18 ms of CPU (bench_places.py, a warm page alone).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import Any

from django.contrib.postgres.aggregates import JSONBAgg
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.db.models.functions import JSONObject
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import linebreaksbr
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from svduty.cases.models import RiskLevel
from svduty.cases.policies import prime_user, stand_in_viewer, user_partnership_ids
from svduty.core import compiled
from svduty.core.authorisation import Permission
from svduty.core.policies import (
    OutOfScope,
    has_permission,
    requires,
    user_permissions,
)
from svduty.core.reversing import fast_reverse
from svduty.core.templatetags.govuk import govuk_date, govuk_short_date

from ..models import (
    InterventionKind,
    Place,
    PlaceAssessment,
    PlaceChild,
    PlaceIntervention,
    PlaceLinkRole,
    PlaceReport,
    PlaceStatus,
    ReportKind,
)
from .common import audit_children_shown
from .places import count_of

REPORTS_SHOWN = 10
ASSESSMENTS_SHOWN = 3


@cache
def _labels() -> dict[str, dict[str, str]]:
    """The code lists' labels (constant for the process)."""
    return {
        "role": dict(PlaceLinkRole.choices),
        "intervention": dict(InterventionKind.choices),
        "risk": dict(RiskLevel.choices),
        "report": dict(ReportKind.choices),
    }


def _day(value: str | None) -> dt.date | None:
    """A date from a JSON array (ISO text)."""
    return dt.date.fromisoformat(value) if value else None


def _latest(model: type[Any], order: tuple[str, ...], limit: int, **columns: Any):
    """The first `limit` rows of `model` at the outer place, in `order`, as an array
    of JSON objects of `columns` (a subquery with a LIMIT keeps its ORDER BY)."""
    rows = model.objects.filter(place_id=OuterRef("pk")).order_by(*order)[:limit]
    return ArraySubquery(rows.values(row=JSONObject(**columns)))


def _all(model: type[Any], order: tuple[str, ...], **columns: Any) -> Subquery:
    """Every row of `model` at the outer place, in `order`, as a JSON array (Django
    drops the ORDER BY of a subquery without a LIMIT, so the array is aggregated
    with its own order)."""
    return Subquery(
        model.objects.filter(place_id=OuterRef("pk"))
        .order_by()
        .values("place_id")
        .annotate(rows=JSONBAgg(JSONObject(**columns), order_by=order))
        .values("rows")
    )


def _records() -> dict[str, Any]:
    """What the page shows of the place's records, as annotations of the place."""
    return {
        "linked_now": count_of(PlaceChild.objects.filter(ended_on__isnull=True)),
        "x_interventions": _all(
            PlaceIntervention,
            ("-started_on", "-id"),
            id="id",
            kind="kind",
            description="description",
            started_on="started_on",
            ended_on="ended_on",
            lead_agency=F("lead_agency__name"),
        ),
        "x_assessments": _latest(
            PlaceAssessment,
            ("-assessed_on", "-id"),
            ASSESSMENTS_SHOWN,
            assessed_on="assessed_on",
            risk_level="risk_level",
            summary="summary",
            harm="harm",
            protective_factors="protective_factors",
            voices="voices",
            recommendations="recommendations",
            agency=F("agency__name"),
        ),
        "x_reports": _latest(
            PlaceReport,
            ("-occurred_on", "-id"),
            REPORTS_SHOWN + 1,
            kind="kind",
            occurred_on="occurred_on",
            summary="summary",
            source_agency=F("source_agency__name"),
        ),
    }


def place_with_records(user: Any, pk: int) -> Place:
    """Query 1 (see the module doc): the place in `user`'s scope with its records
    annotated; a 404 (audited as a refusal) when it is out of scope or missing."""
    values = {"pk": pk, "viewer": user.pk, "partnerships": user_partnership_ids(user)}

    def build(*, pk: int, viewer: int, partnerships: list[int]) -> QuerySet[Any, Any]:
        stand_in = stand_in_viewer(user, viewer, [], partnerships)
        return (
            Place.objects.visible_to(stand_in)
            .filter(pk=pk)
            .select_related("partnership", "area", "lead_agency")
            .annotate(**_records())
        )

    rows = compiled.run(("places.place_page", user_permissions(user)), build, values)
    if not rows:
        exists = Place._base_manager.filter(pk=pk).exists()
        raise OutOfScope(Place._meta.label_lower, {"pk": pk}, exists)
    return rows[0]


def readable_links(user: Any, place: Place) -> list[dict[str, Any]]:
    """Query 2: the place's current links whose child `user` may read, with the
    child's names, in name order (plain rows)."""
    values = {
        "place": place.pk,
        "viewer": user.pk,
        "agencies": user.agency_ids(),
        "partnerships": user_partnership_ids(user),
        "now": timezone.now(),
    }

    def build(
        *,
        place: int,
        viewer: int,
        agencies: list[int],
        partnerships: list[int],
        now: dt.datetime,
    ) -> QuerySet[Any, Any]:
        stand_in = stand_in_viewer(user, viewer, agencies, partnerships)
        return (
            PlaceChild.objects.filter(place_id=place, ended_on__isnull=True)
            .readable_to(stand_in, now)
            .order_by("person__last_name", "person__first_name", "id")
            .values(
                "pk",
                "person_id",
                "role",
                "note",
                "linked_on",
                first_name=F("person__first_name"),
                last_name=F("person__last_name"),
                preferred_name=F("person__preferred_name"),
            )
        )

    key = ("places.readable_links", user_permissions(user))
    return compiled.run(key, build, values)


#: The markup of each row, with `format_html` escaping every value.
LINK_ROW = (
    '\n    <tr class="govuk-table__row">\n'
    '      <th scope="row" class="govuk-table__header"><a class="govuk-link" '
    'href="{}">{}</a></th>\n'
    '      <td class="govuk-table__cell">{}{}</td>\n'
    '      <td class="govuk-table__cell">{}</td>\n'
    "      {}\n    </tr>\n  "
)
END_LINK_CELL = (
    '<td class="govuk-table__cell"><a class="govuk-link" href="{}">End link'
    '<span class="govuk-visually-hidden"> for {}</span></a></td>'
)
NOTE = '<br><span class="govuk-body-s">{}</span>'
INTERVENTION_ROW = (
    '\n    <tr class="govuk-table__row">\n'
    '      <th scope="row" class="govuk-table__header">{}{}</th>\n'
    '      <td class="govuk-table__cell">From {}{}</td>\n'
    '      <td class="govuk-table__cell">{}</td>\n'
    '      <td class="govuk-table__cell"><a class="govuk-link" href="{}">Before and '
    'after<span class="govuk-visually-hidden">: {} from {}</span></a></td>\n'
    "    </tr>\n  "
)
REPORT_ROW = (
    '\n    <tr class="govuk-table__row">\n'
    '      <td class="govuk-table__cell">{}</td>\n'
    '      <td class="govuk-table__cell"><strong class="govuk-tag govuk-tag--{}">{}'
    "</strong></td>\n"
    '      <td class="govuk-table__cell">{}</td>\n'
    '      <td class="govuk-table__cell">{}</td>\n'
    "    </tr>\n  "
)


def link_rows(
    place: Place, links: Sequence[Mapping[str, Any]], may_manage: bool
) -> str:
    roles = _labels()["role"]
    rows = []
    for link in links:
        name = (
            f"{link['first_name']} ({link['preferred_name']}) {link['last_name']}"
            if link["preferred_name"]
            else f"{link['first_name']} {link['last_name']}"
        )
        end = (
            format_html(
                END_LINK_CELL,
                fast_reverse("places:end_link", [place.pk, link["pk"]]),
                name,
            )
            if may_manage
            else ""
        )
        rows.append(
            (
                fast_reverse("cases:person", [link["person_id"]]),
                name,
                roles.get(link["role"], link["role"]),
                format_html(NOTE, link["note"]) if link["note"] else "",
                govuk_date(link["linked_on"]),
                end,
            )
        )
    return _join(LINK_ROW, rows)


def intervention_rows(place: Place, interventions: Iterable[dict[str, Any]]) -> str:
    kinds = _labels()["intervention"]
    rows = []
    for i in interventions:
        kind = kinds.get(i["kind"], i["kind"])
        started = govuk_date(_day(i["started_on"]))  # type: ignore[arg-type]
        ended = _day(i["ended_on"])
        rows.append(
            (
                kind,
                format_html(NOTE, i["description"]) if i["description"] else "",
                started,
                f" to {govuk_date(ended)}" if ended else " (ongoing)",
                i["lead_agency"] or "",
                fast_reverse("places:evaluation", [place.pk, i["id"]]),
                kind,
                started,
            )
        )
    return _join(INTERVENTION_ROW, rows)


def report_rows(reports: Iterable[dict[str, Any]]) -> str:
    kinds = _labels()["report"]
    return _join(
        REPORT_ROW,
        (
            (
                govuk_short_date(_day(r["occurred_on"])),  # type: ignore[arg-type]
                "red" if r["kind"] == ReportKind.INCIDENT else "blue",
                kinds.get(r["kind"], r["kind"]),
                linebreaksbr(r["summary"], autoescape=True),
                r["source_agency"] or "",
            )
            for r in reports
        ),
    )


def assessment_cards(assessments: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The assessments with their dates and levels written out (at most three:
    the template shows each as a summary card)."""
    risks = _labels()["risk"]
    return [
        a
        | {
            "date": govuk_date(_day(a["assessed_on"])),  # type: ignore[arg-type]
            "risk": risks.get(a["risk_level"], a["risk_level"]),
        }
        for a in assessments
    ]


def _join(markup: str, rows: Iterable[tuple[Any, ...]]) -> SafeString:
    return format_html_join("", markup, rows)


@requires(Permission.VIEW_PLACES)
def place_detail(request: HttpRequest, pk: int) -> HttpResponse:
    prime_user(request.user)
    place = place_with_records(request.user, pk)
    links = readable_links(request.user, place)
    hidden = place.linked_now - len(links)  # type: ignore[attr-defined]
    reports = place.x_reports or []  # type: ignore[attr-defined]
    audit_children_shown(
        request,
        place,
        "place",
        [link["person_id"] for link in links],
        hidden_children=hidden,
    )
    may_manage = (
        has_permission(request.user, Permission.MANAGE_PLACES)
        and place.status == PlaceStatus.OF_CONCERN
    )
    return render(
        request,
        "places/place_detail.html",
        {
            "place": place,
            "links": links,
            "link_rows": link_rows(place, links, may_manage),
            "hidden_children": hidden,
            "reports": report_rows(reports[:REPORTS_SHOWN]),
            "reports_shown": min(len(reports), REPORTS_SHOWN),
            "more_reports": len(reports) > REPORTS_SHOWN,
            "interventions": intervention_rows(
                place,
                place.x_interventions or [],  # type: ignore[attr-defined]
            ),
            "assessments": assessment_cards(
                place.x_assessments or []  # type: ignore[attr-defined]
            ),
            "may_manage": may_manage,
        },
    )
