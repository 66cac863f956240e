"""The meetings API records attendance and decisions through the same actions as the
pages: only the chair or the organiser (an attendee gets 403, anyone outside the
meeting 404); a child's actions go into the child's plan, one row; a child the chair
cannot see is refused without being named; bad input is a 400 naming the field."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from svduty.cases.models import PlanAction
from svduty.meetings.models import Decision, DecisionAction
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
