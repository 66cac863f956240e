"""Every page showing personal data writes exactly one audit event (issue 14, 1).

The walk: every GET page in the access matrix, opened by an allowed role on the
matrix's real objects. When the page's HTML names a person the matrix made (a child,
an alias, an order holder, a linkage record), the request must have written exactly
one event of access (view, search, export or print). Pages that show personal data
without their own event are listed in NOT_AUDITED with the reason."""

from __future__ import annotations

from django.urls import reverse

from svduty.audit.models import AuditAction, AuditEvent
from svduty.core.authorisation import Role
from tests.access import all_routes, world
from tests.integration.test_url_coverage import (  # noqa: F401 - fixtures
    matrix,
    matrix_world,
)

ACCESS = {
    AuditAction.VIEW,
    AuditAction.SEARCH,
    AuditAction.EXPORT,
    AuditAction.PRINT,
    AuditAction.DISCLOSURE,
}

#: Pages that may show personal data without writing an event, and why.
NOT_AUDITED: dict[str, str] = {
    "audit:event_list": "the audit trail names the people its events are about; an "
    "auditor's browsing of the trail is not itself recorded (issue 16, point 7), only "
    "its export",
}

#: Which allowed role opens each page: the one most likely to see people on it.
PREFERENCE = [
    Role.PRACTITIONER,
    Role.TEAM_MANAGER,
    Role.AUDITOR,
]


def personal_markers() -> set[str]:
    """Names of the people the matrix made, as the pages show them."""
    from svduty.cases.models import Alias, Person
    from svduty.linkage.models import PersonRecord
    from svduty.svro.models import HolderName

    markers: set[str] = set()
    for person in Person.objects.all():
        markers.add(f"{person.first_name} {person.last_name}")
    for alias in Alias.objects.all():
        markers.add(str(alias))
    markers.update(HolderName.objects.values_list("name", flat=True))
    for record in PersonRecord.objects.all():
        markers.add(f"{record.forenames} {record.surname}")
    # Whole names only: a single word ("Child") is also ordinary text on a page.
    return {m for m in markers if " " in m.strip()}


def _role_for(route) -> Role:
    for role in PREFERENCE:
        if role in route.allowed:
            return role
    return sorted(route.allowed)[0]


GET_PAGES = [
    r
    for r in all_routes().values()
    if r.method == "get"
    and r.allowed
    and not r.public
    and not r.flow_only
    and r.expect == 200
    and r.redirects_to is None
]


def test_every_page_showing_personal_data_writes_one_event(matrix):  # noqa: F811
    markers = personal_markers()
    assert markers, "the matrix made nobody to look for"
    problems = []
    shown = 0
    for route in GET_PAGES:
        role = _role_for(route)
        matrix.role = role
        url = reverse(route.name, kwargs=route.kwargs(matrix) if route.kwargs else None)
        before = (
            AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        )
        response = world.client(role).get(url, route.data)
        world.remember(role, url, route.data, response)
        if response.status_code != 200:
            continue
        body = (
            b"".join(response.streaming_content)
            if response.streaming
            else response.content
        ).decode("utf-8", "replace")
        found = sorted(m for m in markers if m in body)
        events = list(
            AuditEvent.objects.filter(
                pk__gt=before, action__in=[str(a) for a in ACCESS]
            )
        )
        if not found:
            continue
        shown += 1
        if route.name in NOT_AUDITED:
            continue
        if len(events) != 1:
            problems.append(
                f"{route.name} ({role}) shows {found[:3]} "
                f"and wrote {len(events)} events"
            )
    print(f"{shown} of {len(GET_PAGES)} pages showed personal data")
    assert shown > 20, f"only {shown} pages showed personal data: is the walk broken?"
    assert problems == [], "\n".join(problems)
