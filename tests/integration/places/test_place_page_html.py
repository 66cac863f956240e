"""The place page's HTML, role by role, against pages saved from the version before
its rows were fetched as plain values (issue 11: the page was made cheaper, and
nobody may see anything else because of it).

Each case renders one place for one user and compares the part of the page between
the header and the footer with `golden/place_page/<case>.html`. Numbers in links
(ids, which differ from run to run) become #1, #2, ... in order of appearance, for
each place in a link they can stand in, so that the same id is the same token
wherever it stands there. After a deliberate change to
the page, rewrite the files with ``SVDUTY_UPDATE_GOLDEN=1`` and read the diff."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.urls import reverse

from svduty.audit.models import AuditEvent
from svduty.cases import actions as case_actions
from svduty.core.authorisation import Role
from svduty.places import actions
from tests import golden
from tests.factories.cases import person_on_team, practitioner
from tests.factories.partnership import LocalAreaFactory
from tests.factories.places import make_place

pytestmark = pytest.mark.django_db

GOLDEN = Path(__file__).parent / "golden" / "place_page"
DAY = dt.date(2026, 2, 2)


def check(name: str, response) -> None:
    golden.check(GOLDEN, name, response)


@pytest.fixture
def scene(world):
    """A place with everything its page shows, in every state a row can be in, and
    a closed place with nothing on it; users in each role that may see places."""
    w = world
    area = LocalAreaFactory(name="Middlesbrough")
    w.partnership.areas.add(area)
    manager = practitioner(w.council, role=Role.TEAM_MANAGER)
    partnership_lead = practitioner(w.police, role=Role.PARTNERSHIP_LEAD)
    lead = w.lead
    place = make_place(
        lead,
        w.partnership,
        name="Centre Square & <the> 'underpass'",
        description='Behind the "precinct".\nThe bench by the lift.',
        area=area,
        lead_agency=w.council,
        radius_m=250,
    )
    # Children the lead reads (Alex, Billie, a preferred name, a note to escape),
    # the police practitioner's (Casey), and one nobody here reads.
    dee = person_on_team(
        lead, partnership=w.partnership, first_name="Dee", preferred_name="DJ"
    )
    for child, role, note in (
        (w.child_a, "harmed_here", ""),
        (w.child_b, "at_risk_here", "Seen with older boys & <men>\nmost evenings"),
        (dee, "harms_others", ""),
    ):
        actions.link_child(
            by=lead, place=place, person=child, role=role, linked_on=DAY, note=note
        )
    actions.link_child(
        by=w.other,
        place=place,
        person=w.child_c,
        role="at_risk_here",
        linked_on=dt.date(2025, 11, 30),
    )
    stranger = person_on_team(w.other, partnership=w.partnership, first_name="Eli")
    actions.link_child(
        by=w.other, place=place, person=stranger, role="harmed_here", linked_on=DAY
    )
    gone = person_on_team(lead, partnership=w.partnership, first_name="Gone")
    ended = actions.link_child(
        by=lead, place=place, person=gone, role="harmed_here", linked_on=DAY
    )
    actions.end_link(by=lead, link=ended, ended_on=DAY)  # neither shown nor counted
    actions.record_intervention(
        by=lead,
        place=place,
        kind="lighting",
        started_on=dt.date(2025, 6, 1),
        ended_on=dt.date(2025, 9, 30),
        description="New lamps on the path & steps",
        lead_agency=w.council,
    )
    actions.record_intervention(
        by=lead, place=place, kind="detached_youth_work", started_on=dt.date(2026, 1, 5)
    )
    actions.record_place_assessment(
        by=lead,
        place=place,
        assessed_on=dt.date(2025, 12, 1),
        risk_level="medium",
        summary="Older teenagers gather\nafter school.",
    )
    actions.record_place_assessment(
        by=lead,
        place=place,
        assessed_on=dt.date(2026, 1, 20),
        risk_level="high",
        summary="Dealing near the lift.",
        harm="Younger children are asked to carry.",
        protective_factors="The café owner <watches> out.",
        voices="'It is dark by four.'",
        recommendations="Lighting; detached youth work.",
    )
    for n in range(12):  # more than the page shows (10)
        actions.record_report(
            by=lead,
            place=place,
            kind="incident" if n % 3 else "intelligence",
            occurred_on=dt.date(2025, 1 + n, 10 + n),
            summary=f"Report {n} & more\nsecond line",
            source_agency=w.police if n % 2 else None,
        )
    closed = make_place(
        lead,
        w.partnership,
        name="Old chat group",
        kind="online",
        latitude=None,
        longitude=None,
    )
    actions.link_child(
        by=w.other, place=closed, person=w.child_c, role="harmed_here", linked_on=DAY
    )
    actions.close_place(by=lead, place=closed, closed_on=DAY, reason="Deleted")
    empty = make_place(lead, w.partnership, name="Quiet corner")
    w.place, w.closed, w.empty, w.dee, w.stranger = place, closed, empty, dee, stranger
    w.users = {
        "practitioner": lead,
        "other_practitioner": w.other,
        "analyst": w.analyst,
        "team_manager": manager,
        "partnership_lead": partnership_lead,
    }
    return w


def url(place):
    return reverse("places:detail", args=[place.pk])


@pytest.mark.parametrize(
    "role",
    [
        "practitioner",
        "other_practitioner",
        "analyst",
        "team_manager",
        "partnership_lead",
    ],
)
def test_place_page_is_unchanged_for_each_role(scene, client_for, role):
    http = client_for(scene.users[role])
    check(f"full_{role}", http.get(url(scene.place)))
    check(f"closed_{role}", http.get(url(scene.closed)))
    check(f"empty_{role}", http.get(url(scene.empty)))


def test_place_page_audits_the_children_it_names(scene, client_for):
    shown = {
        "practitioner": [scene.child_a.pk, scene.child_b.pk, scene.dee.pk],
        "other_practitioner": [scene.child_c.pk, scene.stranger.pk],
        "analyst": [],
        "team_manager": [scene.child_a.pk, scene.child_b.pk, scene.dee.pk],
        "partnership_lead": [],
    }
    for role, children in shown.items():
        user = scene.users[role]
        client_for(user).get(url(scene.place))
        event = AuditEvent.objects.get(
            action="view",
            actor_id=user.pk,
            target_type="places.place",
            target_id=str(scene.place.pk),
        )
        assert event.detail == {
            "page": "place",
            "children": sorted(children),
            "hidden_children": 5 - len(children),
        }, role


def shows(html: str, person) -> bool:
    """Whether the page lists `person` as a child the user reads: by the link to the
    child's record, not the first name, which a randomly named signed-in user's
    name ("Alex Hartley") could also contain."""
    return f'href="{reverse("cases:person", args=[person.pk])}"' in html


def test_a_child_whose_access_changes_appears_and_leaves(scene, client_for):
    """The page asks the case-access policy on every view: nothing about who may
    read which child is kept between requests."""
    from svduty.cases.models import CaseTeamMember, TeamRole

    http = client_for(scene.other)
    html = http.get(url(scene.place)).content.decode()
    assert not shows(html, scene.child_a) and shows(html, scene.child_c)
    case_actions.add_team_member(
        by=scene.lead, person=scene.child_a, user=scene.other, role=TeamRole.KEY_WORKER
    )
    html = http.get(url(scene.place)).content.decode()
    assert (
        shows(html, scene.child_a)
        and "And 2 children whose records you cannot read" in html
    )
    member = CaseTeamMember.objects.get(
        person=scene.child_a, user=scene.other, ended_at__isnull=True
    )
    case_actions.end_team_membership(by=scene.other, member=member)
    html = http.get(url(scene.place)).content.decode()
    assert (
        not shows(html, scene.child_a)
        and "And 3 children whose records you cannot read" in html
    )


def test_a_break_glass_ends_on_time_on_the_place_page(scene, client_for):
    """The page's compiled query takes the time of each request: access that has
    expired since an earlier page was built shows nothing."""
    import time_machine
    from django.utils import timezone

    start = timezone.now()
    with time_machine.travel(start, tick=False):
        case_actions.break_glass(
            by=scene.other, person=scene.child_a, reason="Missing overnight, at risk"
        )
        page = client_for(scene.other).get(url(scene.place))
        assert shows(page.content.decode(), scene.child_a)
    with time_machine.travel(start + dt.timedelta(hours=5), tick=False):
        # (a new sign-in: the first session has timed out)
        page = client_for(scene.other).get(url(scene.place))
        html = page.content.decode()
    assert (
        not shows(html, scene.child_a)
        and "And 3 children whose records you cannot read" in html
    )


@pytest.mark.parametrize("role", ["practitioner", "analyst"])
@pytest.mark.parametrize(
    "query", ["", "?status=closed", "?kind=park", "?status=of_concern&kind=school"]
)
def test_place_list_is_unchanged(scene, client_for, role, query):
    """The list of places (with its map's GeoJSON) against the page saved before
    its rows were written in Python."""
    http = client_for(scene.users[role])
    name = f"list_{role}_{query.strip('?').replace('&', '_').replace('=', '-')}"
    check(name.rstrip("_"), http.get(reverse("places:list") + query))
