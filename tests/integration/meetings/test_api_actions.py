"""The rest of the meeting's work through the API, each through the page's action
(audited there): invitations, briefing papers written later, the agenda from its
triggers, an action added to a decision, and recording the meeting as held. Only the
chair or the organiser (an attendee gets 403, anyone outside the meeting 404), except
a child's paper, which anyone at the meeting who may change the child's record may
write; a child the writer may not see is never found nor named; bad input is a 400
naming the field; a stale version a 409."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from svduty.audit.models import AuditEvent
from svduty.meetings import actions
from svduty.meetings.models import (
    AgendaItem,
    Decision,
    DecisionAction,
    Invitation,
    Meeting,
    MeetingStatus,
)
from tests.factories.meetings import agenda_with_children


@pytest.fixture
def panel(world):
    agenda_with_children(world)
    return world


def _post(http, url, body):
    return http.post(url, body, content_type="application/json")


def test_invitations_through_the_api(world, client_for):
    http = client_for(world.chair)
    url = reverse("api-meetings-invitations", args=[world.meeting.pk])
    # Before the police are invited, their officer does not find the meeting.
    assert _post(client_for(world.officer), url, {}).status_code == 404
    agency = _post(http, url, {"agency": world.council.pk})
    assert agency.status_code == 201, agency.content
    assert agency.json()["agency"] == world.council.name
    named = _post(http, url, {"agency": world.police.pk, "user": world.officer.pk})
    assert named.status_code == 201, named.content
    assert named.json()["person"] == world.officer.get_full_name()
    invitation = Invitation.objects.get(pk=named.json()["id"])
    assert invitation.meeting == world.meeting and invitation.user == world.officer
    assert AuditEvent.objects.filter(
        target_id=str(world.meeting.pk),
        actor_id=world.chair.pk,
        detail__invited_user=world.officer.pk,
    ).exists()
    before = Invitation.objects.count()
    for body, field in [
        ({}, "agency"),
        ({"agency": world.police.pk, "user": world.officer.pk}, "user"),  # again
        ({"agency": world.elsewhere.pk}, "agency"),  # not in the partnership
        ({"agency": world.council.pk, "user": world.officer.pk}, "user"),
        ({"agency": world.police.pk, "user": world.outsider.pk}, "user"),
        ({"agency": 10**30}, "agency"),
        ({"agency": "police"}, "agency"),
    ]:
        response = _post(http, url, body)
        assert response.status_code == 400, (body, response.content)
        assert field in response.json()["errors"], (body, response.json())
    assert Invitation.objects.count() == before
    # Now invited, the officer finds the meeting but cannot invite anyone.
    refused = _post(client_for(world.officer), url, {"agency": world.council.pk})
    assert refused.status_code == 403
    assert _post(client_for(world.outsider), url, {}).status_code == 404


def test_a_briefing_paper_written_later(panel, client_for):
    items = {i.person_id: i for i in AgendaItem.objects.filter(meeting=panel.meeting)}
    ash, bo = items[panel.ash.pk], items[panel.bo.pk]

    def url(item):
        return reverse("api-meetings-paper", args=[panel.meeting.pk, item.pk])

    # The officer is at the meeting and on Ash's case team: they write Ash's paper.
    officer = client_for(panel.officer)
    answer = _post(officer, url(ash), {"paper": "  Police briefing about Ash  "})
    assert answer.status_code == 200, answer.content
    assert answer.json() == {"id": ash.pk, "paper": "Police briefing about Ash"}
    ash.refresh_from_db()
    assert ash.paper == "Police briefing about Ash"
    assert AuditEvent.objects.filter(
        action="change", actor_id=panel.officer.pk, detail__paper_for_item=ash.pk
    ).exists()
    # Bo's record is not the officer's to read: the item is not found, Bo not named.
    hidden = _post(officer, url(bo), {"paper": "x"})
    assert hidden.status_code == 404 and "Bravo" not in str(hidden.content)
    # An item about no child is the chair's or the organiser's to brief.
    free = actions.add_agenda_item(by=panel.chair, meeting=panel.meeting, title="AOB")
    assert _post(officer, url(free), {"paper": "x"}).status_code == 403
    chair = client_for(panel.chair)
    assert _post(chair, url(free), {"paper": "Holiday clubs"}).status_code == 200
    for body in ({}, {"paper": "   "}, {"paper": "x" * 50001}):
        response = _post(chair, url(bo), body)
        assert response.status_code == 400, (body, response.content)
        assert "paper" in response.json()["errors"]
    bo.refresh_from_db()
    assert bo.paper == f"Paper about {panel.bo}"
    assert _post(client_for(panel.outsider), url(bo), {"paper": "x"}).status_code == 404
    # An item of another meeting is not found through this one.
    other = actions.schedule_meeting(
        by=panel.chair,
        partnership=panel.partnership,
        meeting_type="mace",
        title="Another panel",
        held_on=timezone.localdate(),
        chair=panel.chair,
    )
    elsewhere = reverse("api-meetings-paper", args=[other.pk, bo.pk])
    assert _post(chair, elsewhere, {"paper": "x"}).status_code == 404


def test_the_agenda_from_its_triggers_through_the_api(busy, client_for):
    http = client_for(busy.chair)
    url = reverse("api-meetings-suggestions", args=[busy.meeting.pk])
    offered = http.get(url)
    assert offered.status_code == 200, offered.content
    suggestions = offered.json()["suggestions"]
    assert {s["person"] for s in suggestions} == {busy.ash.pk, busy.bo.pk}
    # Cy (the police's child) is neither suggested nor named to the council chair.
    assert "Charlie" not in str(offered.content)
    assert AuditEvent.objects.filter(
        action="view", detail__page="api agenda triggers"
    ).exists()
    ash = [s["choice"] for s in suggestions if s["person"] == busy.ash.pk]
    answer = _post(http, url, {"chosen": ash})
    assert answer.status_code == 201, answer.content
    (item,) = AgendaItem.objects.filter(pk__in=answer.json()["items"])
    assert item.person == busy.ash and len(item.triggers) == 2
    before = AgendaItem.objects.count()
    forged = f"cases.new_high_risk|person-{busy.cy.pk}"
    for body in ({}, {"chosen": []}, {"chosen": [forged]}, {"chosen": "x"}):
        response = _post(http, url, body)
        assert response.status_code == 400, (body, response.content)
        assert "chosen" in response.json()["errors"]
    assert AgendaItem.objects.count() == before
    actions.invite(by=busy.chair, meeting=busy.meeting, agency=busy.police)
    officer = client_for(busy.officer)
    assert officer.get(url).status_code == 403
    assert _post(officer, url, {"chosen": ash}).status_code == 403
    assert client_for(busy.outsider).get(url).status_code == 404


def test_an_action_added_to_a_decision_goes_into_the_childs_plan(panel, client_for):
    decision = Decision.objects.get(meeting=panel.meeting, person=panel.ash)
    url = reverse("api-meetings-decision-actions", args=[panel.meeting.pk, decision.pk])
    http = client_for(panel.chair)
    due = timezone.localdate() + dt.timedelta(days=14)
    body = {"text": "Mentor meets Ash", "owner": panel.officer.pk, "due_on": str(due)}
    answer = _post(http, url, body)
    assert answer.status_code == 201, answer.content
    link = DecisionAction.objects.get(plan_action_id=answer.json()["plan_action"])
    assert link.decision == decision
    action = link.plan_action
    assert action.plan_id == answer.json()["plan"]
    assert action.plan.person == panel.ash and action.owner == panel.officer
    assert action.text == "Mentor meets Ash" and action.due_on == due
    assert AuditEvent.objects.filter(
        target_id=str(decision.pk), detail__plan_action=action.pk
    ).exists()
    before = DecisionAction.objects.count()
    for change, field in [
        ({"owner": panel.outsider.pk}, "owner"),
        ({"owner": 10**30}, "owner"),
        ({"text": ""}, "text"),
        ({"due_on": "soon"}, "due_on"),
    ]:
        response = _post(http, url, {**body, **change})
        assert response.status_code == 400, (change, response.content)
        assert field in response.json()["errors"], (change, response.json())
    # A decision about a place takes no action: the action's refusal names `text`.
    from tests.factories.places import make_place

    place = make_place(panel.social_worker, panel.partnership, name="Bus station")
    actions.add_agenda_item(by=panel.chair, meeting=panel.meeting, place=place)
    about_place = actions.record_decision(
        by=panel.chair, meeting=panel.meeting, place=place, text="More patrols"
    )
    response = _post(
        http,
        reverse(
            "api-meetings-decision-actions", args=[panel.meeting.pk, about_place.pk]
        ),
        body,
    )
    assert response.status_code == 400 and "text" in response.json()["errors"]
    assert DecisionAction.objects.count() == before
    # The officer attends but does not run the meeting; Bo's decision is not
    # theirs to find; the outsider finds nothing.
    officer = client_for(panel.officer)
    assert _post(officer, url, body).status_code == 403
    assert _post(client_for(panel.outsider), url, body).status_code == 404
    bo = Decision.objects.get(meeting=panel.meeting, person=panel.bo)
    bo_url = reverse("api-meetings-decision-actions", args=[panel.meeting.pk, bo.pk])
    assert _post(officer, bo_url, body).status_code in (403, 404)


def test_closing_a_meeting_through_the_api(panel, client_for):
    http = client_for(panel.chair)
    url = reverse("api-meetings-close", args=[panel.meeting.pk])
    read = http.get(reverse("api-meetings-detail", args=[panel.meeting.pk])).json()
    version = read["version"]
    for body, field in [
        ({}, "version"),
        ({"version": "one"}, "version"),
        ({"version": version, "general_minutes": "x" * 50001}, "general_minutes"),
    ]:
        response = _post(http, url, body)
        assert response.status_code == 400, (body, response.content)
        assert field in response.json()["errors"], (body, response.json())
    body = {"version": version}
    assert _post(client_for(panel.officer), url, body).status_code == 403
    assert _post(client_for(panel.outsider), url, body).status_code == 404
    stale = _post(http, url, {"version": version + 1})
    assert stale.status_code == 409, stale.content
    answer = _post(
        http, url, {"version": version, "general_minutes": "Themes: the skate park."}
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == "held"
    assert answer.json()["version"] == version + 1
    meeting = Meeting.objects.get(pk=panel.meeting.pk)
    assert meeting.status == MeetingStatus.HELD
    assert meeting.general_minutes == "Themes: the skate park."
    assert AuditEvent.objects.filter(
        target_id=str(meeting.pk), actor_id=panel.chair.pk, detail__status="held"
    ).exists()
    # Someone else's change since you read it: 409, and nothing changes.
    assert _post(http, url, {"version": version}).status_code == 409
    # A meeting that has not happened yet cannot be recorded as held.
    later = actions.schedule_meeting(
        by=panel.chair,
        partnership=panel.partnership,
        meeting_type="mace",
        title="Next month",
        held_on=timezone.localdate() + dt.timedelta(days=30),
        chair=panel.chair,
    )
    early = _post(
        http, reverse("api-meetings-close", args=[later.pk]), {"version": later.version}
    )
    assert early.status_code == 400 and "general_minutes" in early.json()["errors"]


def test_the_new_endpoints_are_in_the_openapi_schema(world, client_for):
    schema = client_for(world.chair).get("/api/schema/?format=json").json()
    paths = schema["paths"]
    for path, method in [
        ("/api/meetings/{id}/invitations/", "post"),
        ("/api/meetings/{id}/agenda/suggestions/", "get"),
        ("/api/meetings/{id}/agenda/suggestions/", "post"),
        ("/api/meetings/{id}/agenda/{item_pk}/paper/", "post"),
        ("/api/meetings/{id}/decisions/{decision_pk}/actions/", "post"),
        ("/api/meetings/{id}/close/", "post"),
    ]:
        found = paths.get(path) or paths.get(path.replace("{id}", "{pk}"))
        assert found is not None and method in found, (path, sorted(paths))
        assert "requestBody" in found[method] or method == "get", (path, method)
