"""The meetings API arranges meetings, adds agenda items, records minutes, attendance
and decisions through the same actions as the pages (audited there): only the chair
or the organiser (an attendee gets 403, anyone outside the meeting 404); a child's
actions go into the child's plan, one row; a child the chair cannot see is refused
without being named; bad input is a 400 naming the field."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from svduty.audit.models import AuditEvent
from svduty.cases.models import Event, PlanAction
from svduty.meetings.models import (
    AgendaItem,
    Decision,
    DecisionAction,
    Meeting,
    Minute,
    MinutePart,
)
from tests.factories.cases import person_on_team
from tests.factories.meetings import agenda_with_children


@pytest.fixture
def panel(world):
    agenda_with_children(world)
    return world


def _post(http, url, body):
    return http.post(url, body, content_type="application/json")


def test_attendance_through_the_api(panel, client_for):
    http = client_for(panel.chair)
    detail = http.get(reverse("api-meetings-detail", args=[panel.meeting.pk])).json()
    ids = {i["agency"]: i["id"] for i in detail["invitations"]}
    url = reverse("api-meetings-attendance", args=[panel.meeting.pk])
    police = str(ids[panel.police.name])
    answer = _post(http, url, {"attendance": {police: "sent_report"}})
    assert answer.status_code == 200, answer.content
    shown = {i["agency"]: i["attendance"] for i in answer.json()["invitations"]}
    assert shown[panel.police.name] == "sent_report"
    for bad in (
        {"attendance": {police: "maybe"}},
        {"attendance": {"x": "attended"}},
        {"attendance": {"999999": "attended"}},
        {},
    ):
        response = _post(http, url, bad)
        assert response.status_code == 400, bad
        assert "attendance" in str(response.json())
    # An attendee cannot record it; someone outside the meeting does not find it.
    assert _post(client_for(panel.officer), url, {"attendance": {}}).status_code == 403
    assert _post(client_for(panel.outsider), url, {"attendance": {}}).status_code == 404


def test_decision_with_an_action_goes_into_the_childs_plan(panel, client_for):
    http = client_for(panel.chair)
    url = reverse("api-meetings-decisions", args=[panel.meeting.pk])
    due = timezone.localdate() + dt.timedelta(days=10)
    answer = _post(
        http,
        url,
        {
            "person": panel.ash.pk,
            "text": "Disrupt contact with the adults",
            "agreed_risk_level": "high",
            "actions": [
                {
                    "text": "Serve a child abduction warning notice",
                    "owner": panel.officer.pk,
                    "due_on": due.isoformat(),
                }
            ],
        },
    )
    assert answer.status_code == 201, answer.content
    decision = Decision.objects.get(pk=answer.json()["id"])
    assert decision.person == panel.ash and decision.agreed_risk_level == "high"
    (action_id,) = answer.json()["plan_actions"]
    action = PlanAction.objects.get(pk=action_id)
    assert action.text == "Serve a child abduction warning notice"
    assert action.owner == panel.officer and action.due_on == due
    assert action.plan.person_id == panel.ash.pk
    assert DecisionAction.objects.get(decision=decision).plan_action_id == action_id
    # The meeting's own API shows the same row.
    detail = http.get(reverse("api-meetings-detail", args=[panel.meeting.pk])).json()
    ash = next(i for i in detail["agenda"] if i["person"] == panel.ash.pk)
    assert action_id in [
        a["plan_action"] for d in ash["decisions"] for a in d["actions"]
    ]


def test_decision_refusals(panel, client_for):
    http = client_for(panel.chair)
    url = reverse("api-meetings-decisions", args=[panel.meeting.pk])
    due = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    before = Decision.objects.count()
    cases = [
        ({"text": "No subject"}, "person"),
        ({"person": panel.ash.pk, "place": 1, "text": "Two subjects"}, "person"),
        ({"person": panel.ash.pk}, "text"),
        ({"person": panel.ash.pk, "text": "x", "agreed_risk_level": "huge"}, "agreed"),
        # Cy is a police child the chair cannot see: refused, not named.
        ({"person": panel.cy.pk, "text": "About Cy"}, "person"),
        # A named lead who was not invited by name (nor chairs) is refused.
        (
            {
                "person": panel.ash.pk,
                "text": "x",
                "actions": [{"text": "a", "owner": panel.outsider.pk, "due_on": due}],
            },
            "owner",
        ),
        ({"person": panel.ash.pk, "text": "x", "actions": "nonsense"}, "actions"),
        ({"person": 10**30, "text": "x"}, "person"),
    ]
    for body, field in cases:
        response = _post(http, url, body)
        assert response.status_code == 400, (body, response.content)
        assert field in str(response.json()), (body, response.json())
        assert "Charlie" not in str(response.json())
    assert Decision.objects.count() == before
    assert _post(client_for(panel.officer), url, {"text": "x"}).status_code == 403
    assert _post(client_for(panel.outsider), url, {"text": "x"}).status_code == 404


def test_arranging_a_meeting_through_the_api(world, client_for):
    http = client_for(world.officer)
    url = reverse("api-meetings-schedule")
    held = timezone.localdate() + dt.timedelta(days=7)
    good = {
        "partnership": world.partnership.slug,
        "meeting_type": "mace",
        "title": "December MACE panel",
        "held_on": held.isoformat(),
        "chair": world.chair.pk,
        "starts_at": "14:30",
    }
    answer = _post(http, url, good)
    assert answer.status_code == 201, answer.content
    meeting = Meeting.objects.get(pk=answer.json()["id"])
    assert meeting.title == "December MACE panel" and meeting.chair == world.chair
    assert meeting.created_by == world.officer and meeting.held_on == held
    assert answer.json()["partnership"] == world.partnership.slug
    assert AuditEvent.objects.filter(
        action="create", target_id=str(meeting.pk), actor_id=world.officer.pk
    ).exists()
    # The organiser (and the chair) now find it in the read API.
    detail = http.get(reverse("api-meetings-detail", args=[meeting.pk]))
    assert detail.status_code == 200
    before = Meeting.objects.count()
    for change, field in [
        ({"partnership": "meetings-partnership-other"}, "partnership"),
        ({"partnership": "no such place"}, "partnership"),
        ({"chair": world.outsider.pk}, "chair"),
        ({"chair": 10**30}, "chair"),
        ({"meeting_type": "party"}, "meeting_type"),
        ({"title": "  "}, "title"),
        ({"held_on": "tomorrow"}, "held_on"),
        ({"starts_at": "25:00"}, "starts_at"),
        ({"review_on": held.isoformat()}, "review_on"),
        ({"title": "x" * 201}, "title"),
    ]:
        response = _post(http, url, {**good, **change})
        assert response.status_code == 400, (change, response.content)
        assert field in response.json()["errors"], (change, response.json())
    response = _post(http, url, {})
    assert response.status_code == 400
    assert "partnership" in response.json()["errors"]
    assert Meeting.objects.count() == before


def test_agenda_items_through_the_api(panel, client_for):
    http = client_for(panel.chair)
    url = reverse("api-meetings-agenda", args=[panel.meeting.pk])
    dee = person_on_team(
        panel.social_worker, partnership=panel.partnership, first_name="Dee"
    )
    answer = _post(http, url, {"person": dee.pk, "paper": "Dee's briefing"})
    assert answer.status_code == 201, answer.content
    item = AgendaItem.objects.get(pk=answer.json()["id"])
    assert item.person == dee and item.paper == "Dee's briefing"
    assert item.meeting == panel.meeting and item.added_by == panel.chair
    assert AuditEvent.objects.filter(
        target_id=str(panel.meeting.pk), detail__agenda_item=item.pk
    ).exists()
    free = _post(http, url, {"title": "Summer holiday activities"})
    assert free.status_code == 201, free.content
    assert AgendaItem.objects.get(pk=free.json()["id"]).kind == "free"
    before = AgendaItem.objects.count()
    for body, field in [
        ({}, "person"),
        ({"person": dee.pk}, "person"),  # already on the agenda
        # Cy is a police child the chair cannot see: refused, not named.
        ({"person": panel.cy.pk}, "person"),
        ({"person": panel.ash.pk, "title": "Two things"}, "title"),
        ({"place": 10**30}, "place"),
        ({"place": 999999}, "place"),
        ({"peer_group": 999999}, "peer_group"),
        ({"person": "Ash"}, "person"),
        ({"title": "x" * 201}, "title"),
    ]:
        response = _post(http, url, body)
        assert response.status_code == 400, (body, response.content)
        assert field in response.json()["errors"], (body, response.json())
        assert "Charlie" not in str(response.json())
    assert AgendaItem.objects.count() == before
    assert _post(client_for(panel.officer), url, {"title": "x"}).status_code == 403
    assert _post(client_for(panel.outsider), url, {"title": "x"}).status_code == 404


def test_minutes_through_the_api(panel, client_for):
    http = client_for(panel.chair)
    url = reverse("api-meetings-minutes", args=[panel.meeting.pk])
    answer = _post(
        http,
        url,
        {
            "heading": "Exploitation",
            "text": "The panel discussed two children.",
            "parts": [{"person": panel.ash.pk, "text": "Ash is safer at school."}],
        },
    )
    assert answer.status_code == 201, answer.content
    minute = Minute.objects.get(pk=answer.json()["id"])
    assert minute.heading == "Exploitation" and minute.recorded_by == panel.chair
    (part,) = MinutePart.objects.filter(minute=minute)
    assert part.person == panel.ash and part.text == "Ash is safer at school."
    # The child's part is in the child's chronology, and the minute is audited.
    assert Event.objects.filter(
        person=panel.ash, detail="Ash is safer at school."
    ).exists()
    assert AuditEvent.objects.filter(
        action="create", target_id=str(minute.pk), actor_id=panel.chair.pk
    ).exists()
    before = Minute.objects.count()
    outside = person_on_team(
        panel.social_worker, partnership=panel.partnership, first_name="Eve"
    )
    for body, field in [
        ({}, "heading"),
        ({"heading": "Nothing said"}, "text"),
        ({"heading": "x" * 201, "text": "y"}, "heading"),
        # Cy is not the chair's to see; Eve is not on the agenda.
        ({"heading": "h", "parts": [{"person": panel.cy.pk, "text": "t"}]}, "parts"),
        ({"heading": "h", "parts": [{"person": outside.pk, "text": "t"}]}, "parts"),
        (
            {
                "heading": "h",
                "parts": [
                    {"person": panel.ash.pk, "text": "a"},
                    {"person": panel.ash.pk, "text": "b"},
                ],
            },
            "parts",
        ),
        ({"heading": "h", "parts": "nonsense"}, "parts"),
        ({"heading": "h", "parts": [{"person": 10**30, "text": "t"}]}, "parts"),
    ]:
        response = _post(http, url, body)
        assert response.status_code == 400, (body, response.content)
        assert field in response.json()["errors"], (body, response.json())
        assert "Charlie" not in str(response.json())
    assert Minute.objects.count() == before
    assert _post(client_for(panel.officer), url, {"heading": "x"}).status_code == 403
    assert _post(client_for(panel.outsider), url, {"heading": "x"}).status_code == 404


def test_a_place_and_a_peer_group_on_the_agenda_through_the_api(panel, client_for):
    from tests.factories.places import make_group, make_place

    http = client_for(panel.chair)
    url = reverse("api-meetings-agenda", args=[panel.meeting.pk])
    place = make_place(panel.social_worker, panel.partnership, name="Bus station")
    group = make_group(panel.social_worker, panel.partnership, panel.ash, panel.bo)
    made = {}
    for field, subject in (("place", place), ("peer_group", group)):
        answer = _post(http, url, {field: subject.pk, "paper": "Briefing"})
        assert answer.status_code == 201, answer.content
        made[field] = AgendaItem.objects.get(pk=answer.json()["id"])
        again = _post(http, url, {field: subject.pk})
        assert again.status_code == 400 and field in again.json()["errors"]
    assert made["place"].kind == "place" and made["place"].place == place
    assert made["peer_group"].kind == "group"
    assert made["peer_group"].peer_group == group
    # The same items through the read API.
    detail = http.get(reverse("api-meetings-detail", args=[panel.meeting.pk])).json()
    assert place.pk in [i["place"] for i in detail["agenda"]]
    assert group.pk in [i["peer_group"] for i in detail["agenda"]]
