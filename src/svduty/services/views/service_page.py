"""A service's page with its waiting list (issue 11: p95 <= 200 ms under 10 users).

The page asks the same queries however long the list: the session, the user and
their agencies (every page), then

1. the service, in the user's scope (else 404, audited as a refusal), with the
   number of children receiving it, the number waiting, the longest wait's
   referral date and (for case workers) the number of waiting children whose
   records the user may read, in one row;
2. (case workers) one page of those referrals, longest waiting first, with the
   children's names, as plain rows: the case-access policy is asked of the
   service's own waiting children (`related_full_record_q`) and nobody else is
   named or fetched;
3. when the page names children, the audit event naming them.

Building the first two with the ORM (the policy's bases, the counts) cost the web
worker more CPU than PostgreSQL spends running them, so both are compiled once per
process and set of permissions (`core.compiled`, as the place page does): each
request swaps in only the ids, the user's agencies and partnerships and the time.
The second is also keyed on the page's offset (a LIMIT and OFFSET are written into
the SQL). The list's rows are written out here rather than by the template, one
`format_html` a row, each value escaped as the template escapes it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, F, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from svduty.cases.policies import (
    prime_user,
    related_full_record_q,
    stand_in_viewer,
    user_partnership_ids,
)
from svduty.core import compiled
from svduty.core.authorisation import Permission
from svduty.core.policies import (
    OutOfScope,
    has_permission,
    requires,
    user_permissions,
)
from svduty.core.reversing import fast_reverse
from svduty.core.templatetags.govuk import govuk_short_date

from ..models import Service, ServiceReferral
from ..models.catalogue import partnership_ids_of
from ..states import WAITING, ReferralStatus, waiting_days
from .common import audit_view

WAITING_PAGE_SIZE = 50


@cache
def _statuses() -> dict[str, str]:
    return dict(ReferralStatus.choices)


def _count(referrals: QuerySet[Any, Any], aggregate: Any) -> Coalesce | Subquery:
    """An aggregate of the outer service's referrals, as a subquery."""
    return Subquery(
        referrals.filter(service_id=OuterRef("pk"))
        .order_by()
        .values("service_id")
        .annotate(n=aggregate)
        .values("n")
    )


def _readable_waiting(user: Any, now: dt.datetime) -> QuerySet[Any, Any]:
    """The waiting referrals whose child `user` may read (any service)."""
    readable = related_full_record_q(user, "person", now)
    waiting = ServiceReferral.objects.filter(status__in=sorted(WAITING))
    return waiting.filter(readable) if readable is not None else waiting.none()


def service_with_counts(user: Any, pk: int, cases: bool) -> Service:
    """Query 1 (see the module doc): the service in `user`'s scope with its counts
    annotated; a 404 (audited as a refusal) when out of scope or missing."""
    values: dict[str, Any] = {
        "pk": pk,
        "viewer": user.pk,
        "agencies": user.agency_ids(),
        "partnerships": partnership_ids_of(user),
        "now": timezone.now(),
    }

    def build(
        *,
        pk: int,
        viewer: int,
        agencies: list[int],
        partnerships: list[int],
        now: dt.datetime,
    ) -> QuerySet[Any, Any]:
        stand_in = stand_in_viewer(user, viewer, agencies, partnerships)
        referrals = ServiceReferral.objects.all()
        waiting = Q(status__in=sorted(WAITING))
        annotations: dict[str, Any] = {
            "x_active": Coalesce(
                _count(referrals, Count("id", filter=Q(status=ReferralStatus.STARTED))),
                0,
            ),
            "x_total": Coalesce(_count(referrals, Count("id", filter=waiting)), 0),
            "x_oldest": _count(referrals, Min("referred_on", filter=waiting)),
        }
        if cases:
            annotations["x_readable"] = Coalesce(
                _count(_readable_waiting(stand_in, now), Count("id")), 0
            )
        return (
            Service.objects.visible_to(stand_in).filter(pk=pk).annotate(**annotations)
        )

    key = ("services.service_page", user_permissions(user))
    rows = compiled.run(key, build, values)
    if not rows:
        exists = Service._base_manager.filter(pk=pk).exists()
        raise OutOfScope(Service._meta.label_lower, {"pk": pk}, exists)
    return rows[0]


def waiting_rows(user: Any, service: Service, offset: int) -> list[dict[str, Any]]:
    """Query 2: a page of the service's waiting referrals whose child `user` may
    read, longest waiting first (plain rows)."""
    values = {
        "service": service.pk,
        "viewer": user.pk,
        "agencies": user.agency_ids(),
        "partnerships": user_partnership_ids(user),
        "now": timezone.now(),
    }

    def build(
        *,
        service: int,
        viewer: int,
        agencies: list[int],
        partnerships: list[int],
        now: dt.datetime,
    ) -> QuerySet[Any, Any]:
        stand_in = stand_in_viewer(user, viewer, agencies, partnerships)
        return (
            _readable_waiting(stand_in, now)
            .filter(service_id=service)
            .order_by("referred_on", "id")
            .values(
                "pk",
                "person_id",
                "status",
                "referred_on",
                "started_on",
                first_name=F("person__first_name"),
                last_name=F("person__last_name"),
            )[offset : offset + WAITING_PAGE_SIZE]
        )

    key = ("services.waiting_page", user_permissions(user), offset)
    return compiled.run(key, build, values)


#: The markup of each row of the waiting list, `format_html` escaping each value.
WAITING_ROW = (
    '\n    <tr class="govuk-table__row">\n'
    '      <th scope="row" class="govuk-table__header"><a class="govuk-link" '
    'href="{}">{} {}</a></th>\n'
    '      <td class="govuk-table__cell">{}</td>\n'
    '      <td class="govuk-table__cell">{}</td>\n'
    '      <td class="govuk-table__cell govuk-table__cell--numeric">{}</td>\n'
    "    </tr>\n  "
)


def waiting_table_rows(rows: Sequence[Mapping[str, Any]], today: dt.date) -> SafeString:
    statuses = _statuses()
    return format_html_join(
        "",
        WAITING_ROW,
        (
            (
                fast_reverse("services:referral", [r["pk"]]),
                r["first_name"],
                r["last_name"],
                govuk_short_date(r["referred_on"]),
                statuses.get(r["status"], r["status"]),
                waiting_days(r["referred_on"], r["started_on"], today),
            )
            for r in rows
        ),
    )


@requires(Permission.VIEW_PARTNERSHIP)
def service_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The service and its waiting list, longest waiting first, a page of
    ``WAITING_PAGE_SIZE`` at a time. Children the user may not read are counted,
    never named."""
    user = request.user
    prime_user(user)
    cases = has_permission(user, Permission.VIEW_CASES)
    service = service_with_counts(user, pk, cases)
    today = timezone.localdate()
    total = service.x_total  # type: ignore[attr-defined]
    oldest = service.x_oldest  # type: ignore[attr-defined]
    page = None
    visible: list[dict[str, Any]] = []
    visible_total = 0
    if cases:
        visible_total = service.x_readable  # type: ignore[attr-defined]
        # The page's number as Paginator would choose it for that many rows (a
        # page past the end is the last, one not a number the first).
        paginator: Paginator[Any] = Paginator(range(visible_total), WAITING_PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
        visible = waiting_rows(
            user, service, page.start_index() - 1 if visible_total else 0
        )
        page.object_list = visible
    hidden = total - visible_total
    if visible:
        audit_view(
            request,
            service,
            "service waiting list",
            children=sorted({r["person_id"] for r in visible}),
        )
    return render(
        request,
        "services/service_detail.html",
        {
            "service": service,
            "waiting": visible,
            "waiting_rows": waiting_table_rows(visible, today),
            "page": page,
            "visible_total": visible_total,
            "hidden": hidden,
            "total": total,
            "counts": {"active": service.x_active, "waiting": total},  # type: ignore[attr-defined]
            "oldest_days": (today - oldest).days if oldest else None,
            "can_manage": has_permission(user, Permission.MANAGE_SERVICES)
            and service.partnership_id in partnership_ids_of(user),
        },
    )
