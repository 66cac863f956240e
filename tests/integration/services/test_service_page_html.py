"""The service page (with a short and a long waiting list) and the catalogue, role
by role, against pages saved from the version before the waiting list's rows were
fetched as plain values (issue 11: the pages were made cheaper, and nobody may
see anything else because of it).

Each case renders one page for one user and compares the part of the page between
the header and the footer with `golden/service_page/<case>.html` (ids in links
become #1, #2, ... as in the places golden test). The time is fixed: the days
waiting are part of the page. After a deliberate change to the page, rewrite the
files with ``SVDUTY_UPDATE_GOLDEN=1`` and read the diff."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from svduty.audit.models import AuditEvent
from svduty.core.authorisation import Role
from svduty.services import actions
from tests import golden
from tests.factories.cases import person_on_team, practitioner
from tests.factories.services import make_service, refer

pytestmark = pytest.mark.django_db

GOLDEN = Path(__file__).parent / "golden" / "service_page"
NOW = dt.datetime(2026, 3, 2, 10, 30, tzinfo=dt.UTC)
ROLES = ["practitioner", "other_practitioner", "team_manager", "partnership_lead"]


def check(name: str, response) -> None:
    golden.check(GOLDEN, name, response)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def scene(frozen, world):
    """The world's service with a short waiting list in every waiting state (and
    referrals not waiting, which are not listed), a service with a long list (three
    pages for the lead) and names to escape."""
    w = world
    accepted = refer(w.lead, w.child_a, w.service, referred_on=dt.date(2025, 12, 1))
    actions.decide_referral(
        by=w.lead, referral=accepted, accepted=True, decided_on=dt.date(2026, 1, 3)
    )
    refer(w.lead, w.child_b, w.service, referred_on=dt.date(2026, 2, 20))
    casey = refer(w.other, w.child_c, w.service, referred_on=dt.date(2026, 1, 15))
    w.referral_a, w.referral_c = accepted, casey
    started_child = person_on_team(w.lead, partnership=w.partnership, first_name="Sid")
    started = refer(w.lead, started_child, w.service, referred_on=dt.date(2025, 11, 1))
    actions.decide_referral(
        by=w.lead, referral=started, accepted=True, decided_on=dt.date(2025, 11, 2)
    )
    actions.start_service(by=w.lead, referral=started, started_on=dt.date(2025, 11, 9))
    escaped = person_on_team(
        w.lead,
        partnership=w.partnership,
        first_name="Jo & <Jay>",
        last_name='O\'Neil "Junior"',
        preferred_name="JJ",
    )
    refer(w.lead, escaped, w.service, referred_on=dt.date(2026, 2, 1))
    long_service = make_service(
        w.manager,
        w.partnership,
        name="Therapy & <talk> 'group'",
        provider='The "Clinic"',
        description="Weekly sessions.\nAfter school & weekends.",
        contact_name="Sam <Lead>",
        contact_email="sam@example.org",
    )
    for n in range(120):
        child = person_on_team(
            w.lead if n % 4 else w.other,
            partnership=w.partnership,
            first_name=f"Waiting{n:03}",
            last_name=f"Long{n % 7}",
        )
        refer(
            w.lead if n % 4 else w.other,
            child,
            long_service,
            referred_on=dt.date(2025, 6, 1) + dt.timedelta(days=n // 3),
        )
    w.long_service = long_service
    w.analyst_user = practitioner(w.council, role=Role.ANALYST)
    w.users = {
        "practitioner": w.lead,
        "other_practitioner": w.other,
        "team_manager": w.manager,
        "partnership_lead": w.partnership_lead,
        "analyst": w.analyst_user,
    }
    return w


def detail(service, query: str = "") -> str:
    return reverse("services:detail", args=[service.pk]) + query


@pytest.mark.parametrize("role", [*ROLES, "analyst"])
def test_service_page_is_unchanged_for_each_role(scene, client_for, role):
    http = client_for(scene.users[role])
    for name, url in (
        ("short", detail(scene.service)),
        ("long", detail(scene.long_service)),
        ("long_page2", detail(scene.long_service, "?page=2")),
        ("long_page3", detail(scene.long_service, "?page=3")),
        ("long_page_past_end", detail(scene.long_service, "?page=99")),
    ):
        response = http.get(url)
        if response.status_code == 403:  # a role without the permission
            assert role == "analyst" and name == "short", (role, name)
            return
        check(f"{name}_{role}", response)


@pytest.mark.parametrize("role", [*ROLES, "analyst"])
@pytest.mark.parametrize("query", ["", "?q=therapy", "?type=mentoring&age=12"])
def test_catalogue_is_unchanged(scene, client_for, role, query):
    http = client_for(scene.users[role])
    response = http.get(reverse("services:catalogue") + query)
    if response.status_code == 403:
        assert role == "analyst"
        return
    tail = query.strip("?").replace("&", "_").replace("=", "-")
    check(f"catalogue_{role}_{tail}".rstrip("_"), response)


def test_service_page_audits_the_children_it_names(scene, client_for):
    """One view event per page that names children, naming exactly those shown;
    none for a page that names nobody."""
    from svduty.cases.models import Person

    ids = dict(Person.objects.values_list("first_name", "pk"))
    cases = {
        "practitioner": ["Alex", "Billie", "Jo & <Jay>"],
        "other_practitioner": ["Casey"],
        "team_manager": ["Alex", "Billie", "Jo & <Jay>"],
        "partnership_lead": [],
    }
    for role, names in cases.items():
        user = scene.users[role]
        client_for(user).get(detail(scene.service))
        events = AuditEvent.objects.filter(
            action="view",
            actor_id=user.pk,
            target_type="services.service",
            target_id=str(scene.service.pk),
        )
        if not names:
            assert not events.exists(), role
            continue
        (event,) = events
        assert event.detail == {
            "page": "service waiting list",
            "children": sorted(ids[n] for n in names),
        }, role


def test_out_of_scope_service_is_404_and_the_refusal_audited(scene, client_for):
    response = client_for(scene.outsider).get(detail(scene.long_service))
    assert response.status_code == 404
    (refusal,) = AuditEvent.objects.filter(actor_id=scene.outsider.pk, action="refused")
    assert refusal.detail["lookup"] == {"pk": str(scene.long_service.pk)}
    assert refusal.detail["exists"] is True


#: The session, the user, their agencies; the service with its counts; (case
#: workers) the page of the waiting list and the audit event naming its children.
EXPECTED_QUERIES = {"practitioner": 6, "other_practitioner": 6, "partnership_lead": 4}


@pytest.mark.parametrize("role", list(EXPECTED_QUERIES))
def test_service_page_queries_do_not_grow_with_the_list(scene, client_for, role):
    """The short list and every page of the long list ask the same number of
    queries."""
    http = client_for(scene.users[role])
    http.get(detail(scene.service))
    counts = []
    for url in (
        detail(scene.service),
        detail(scene.long_service),
        detail(scene.long_service, "?page=3"),
    ):
        with CaptureQueriesContext(connection) as queries:
            assert http.get(url).status_code == 200
        counts.append(len(queries))
    assert counts == [EXPECTED_QUERIES[role]] * 3, counts


def lists(html: str, referral) -> bool:
    """Whether the waiting list names the child of `referral`: by the link to the
    referral, not the child's first name, which a randomly named signed-in user's
    name could also contain."""
    return f'href="{reverse("services:referral", args=[referral.pk])}"' in html


def test_a_child_whose_access_changes_appears_and_leaves(scene, client_for):
    """The page asks the case-access policy on every view: nothing about who may
    read which child is kept between requests (the query is compiled once)."""
    from svduty.cases import actions as case_actions
    from svduty.cases.models import CaseTeamMember, TeamRole

    http = client_for(scene.other)
    html = http.get(detail(scene.service)).text
    assert not lists(html, scene.referral_a) and lists(html, scene.referral_c)
    assert "3 more children waiting" in html
    case_actions.add_team_member(
        by=scene.lead, person=scene.child_a, user=scene.other, role=TeamRole.KEY_WORKER
    )
    html = http.get(detail(scene.service)).text
    assert lists(html, scene.referral_a) and "2 more children waiting" in html
    member = CaseTeamMember.objects.get(
        person=scene.child_a, user=scene.other, ended_at__isnull=True
    )
    case_actions.end_team_membership(by=scene.other, member=member)
    html = http.get(detail(scene.service)).text
    assert not lists(html, scene.referral_a) and "3 more children waiting" in html


def test_a_break_glass_ends_on_time_on_the_service_page(scene, client_for):
    """The compiled queries take the time of each request: access that has expired
    since an earlier page was built shows nothing."""
    from svduty.cases import actions as case_actions

    case_actions.break_glass(
        by=scene.other, person=scene.child_a, reason="Missing overnight, at risk"
    )
    html = client_for(scene.other).get(detail(scene.service)).text
    assert lists(html, scene.referral_a) and "2 more children waiting" in html
    with time_machine.travel(NOW + dt.timedelta(hours=5), tick=False):
        html = client_for(scene.other).get(detail(scene.service)).text
    assert not lists(html, scene.referral_a) and "3 more children waiting" in html
