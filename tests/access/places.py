"""Access matrix for places of concern and peer groups (issue 11, parts 4 and 5).
The matrix agency's practitioner links their own child to a place and puts the child
in a peer group: a group is visible only to those who may read every member's record
(here the practitioner and their team manager), so the partnership lead and the
analyst, who follow places, get 404 for the group."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from svduty.core.authorisation import Role

from . import Route, with_copies_out_of_scope

VIEWERS = frozenset(
    {Role.PARTNERSHIP_LEAD, Role.ANALYST, Role.PRACTITIONER, Role.TEAM_MANAGER}
)
CASEWORK = frozenset({Role.PRACTITIONER, Role.TEAM_MANAGER})


def setup(ctx):
    from svduty.places import actions
    from tests.factories.cases import partnership_with, person_on_team
    from tests.factories.places import make_group, make_place

    partnership = partnership_with(ctx.agency, name="Matrix Partnership")
    lead = ctx.users[Role.PRACTITIONER]
    child = person_on_team(lead, partnership=partnership, first_name="Placed")
    place = make_place(lead, partnership)
    day = dt.date(2026, 1, 5)
    link = actions.link_child(
        by=lead, place=place, person=child, role="harmed_here", linked_on=day
    )
    intervention = actions.record_intervention(
        by=lead, place=place, kind="lighting", started_on=day
    )
    group = make_group(lead, partnership, child, started_on=day)
    ctx.places = SimpleNamespace(
        place=place,
        link=link,
        intervention=intervention,
        group=group,
        member=group.memberships.get(),
    )
    # Out of scope: the same records in another partnership (tests/access/cases.py's
    # stranger child, whose lead is in no matrix agency).
    stranger_lead, stranger = ctx.cases_out.lead, ctx.cases_out.child
    other_place = make_place(stranger_lead, stranger.partnership, name="Elsewhere")
    other_group = make_group(stranger_lead, stranger.partnership, stranger)
    ctx.places_out = SimpleNamespace(
        place=other_place,
        link=actions.link_child(
            by=stranger_lead,
            place=other_place,
            person=stranger,
            role="harmed_here",
            linked_on=day,
        ),
        intervention=actions.record_intervention(
            by=stranger_lead, place=other_place, kind="lighting", started_on=day
        ),
        group=other_group,
        member=other_group.memberships.get(),
    )


def _place(ctx, which="places"):
    return {"pk": getattr(ctx, which).place.pk}


def _group(ctx, which="places"):
    return {"pk": getattr(ctx, which).group.pk}


def _intervention(ctx, which="places"):
    records = getattr(ctx, which)
    return {"pk": records.place.pk, "intervention_pk": records.intervention.pk}


def _link(ctx, which="places"):
    records = getattr(ctx, which)
    return {"pk": records.place.pk, "link_pk": records.link.pk}


def _member(ctx, which="places"):
    records = getattr(ctx, which)
    return {"pk": records.group.pk, "member_pk": records.member.pk}


def _person(ctx, which="places"):
    return {"pk": getattr(ctx, which).link.person_id}


ROUTES = [
    Route("places:list", allowed=VIEWERS),
    Route("places:new", allowed=CASEWORK),
    Route("places:export", allowed=VIEWERS),
    Route("places:export_xlsx", allowed=VIEWERS),
    Route("places:export_pdf", allowed=VIEWERS),
    Route("places:detail", allowed=VIEWERS, kwargs=_place),
    Route("places:edit", allowed=CASEWORK, kwargs=_place),
    Route("places:close", allowed=CASEWORK, kwargs=_place),
    Route("places:link_child", allowed=CASEWORK, kwargs=_place),
    Route(
        "places:end_link",
        allowed=CASEWORK,
        kwargs=_link,
    ),
    Route("places:report_add", allowed=CASEWORK, kwargs=_place),
    Route("places:assessment_add", allowed=CASEWORK, kwargs=_place),
    Route("places:intervention_add", allowed=CASEWORK, kwargs=_place),
    Route("places:evaluation", allowed=VIEWERS, kwargs=_intervention),
    Route("places:evaluation_export", allowed=VIEWERS, kwargs=_intervention),
    Route("places:evaluation_export_xlsx", allowed=VIEWERS, kwargs=_intervention),
    Route("places:evaluation_export_pdf", allowed=VIEWERS, kwargs=_intervention),
    Route("places:intervention_end", allowed=CASEWORK, kwargs=_intervention),
    Route(
        "places:person_panel",
        allowed=CASEWORK,
        kwargs=_person,
        note="The child's places and peer groups, loaded into the child's record.",
    ),
    Route("places:group_list", allowed=VIEWERS),
    Route("places:group_new", allowed=CASEWORK),
    Route("places:group", allowed=CASEWORK, kwargs=_group),
    Route("places:group_edit", allowed=CASEWORK, kwargs=_group),
    Route("places:group_close", allowed=CASEWORK, kwargs=_group),
    Route("places:member_add", allowed=CASEWORK, kwargs=_group),
    Route(
        "places:member_end",
        allowed=CASEWORK,
        kwargs=_member,
    ),
    Route("places:group_assessment", allowed=CASEWORK, kwargs=_group),
    Route("places:group_plan", allowed=CASEWORK, kwargs=_group),
    Route("api-places", allowed=VIEWERS),
    Route("api-place", allowed=VIEWERS, kwargs=_place),
    Route(
        "api-place-interventions",
        allowed=CASEWORK,
        kwargs=_place,
        method="post",
        data={"kind": "patrols", "started_on": "2026-01-10"},
        expect=201,
    ),
    Route("api-place-evaluation", allowed=VIEWERS, kwargs=_intervention),
    Route("api-peer-groups", allowed=VIEWERS),
    Route("api-peer-group", allowed=CASEWORK, kwargs=_group),
]

# Every page about one record names the other partnership's copy of it.
ROUTES = with_copies_out_of_scope(ROUTES, "places_out")
