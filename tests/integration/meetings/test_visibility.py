"""An attendee from another agency sees only the children they may see: in the
papers, the minutes, the decisions and the API; the others are counted, never
named. Every view of a child's part is audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from svduty.audit.models import AuditEvent
from svduty.meetings.reading import meeting_for
from tests.factories.meetings import agenda_with_children

ASH_TEXT = ["Ash Alpha", "Paper about Ash Alpha", "Ash was seen with older men."]
BO_TEXT = ["Bo Bravo", "Paper about Bo Bravo", "Bo has a drug debt.", "Bo safety"]


@pytest.fixture
def panel(world):
    agenda_with_children(world)
    return world


def test_chair_sees_every_child(panel, client_for):
    page = client_for(panel.chair).get(
        reverse("meetings:detail", args=[panel.meeting.pk])
    )
    body = page.content.decode()
    for text in ASH_TEXT + BO_TEXT:
        assert text in body
    assert "not shown" not in body


def test_police_attendee_sees_only_the_child_they_may_see(panel, client_for):
    page = client_for(panel.officer).get(
        reverse("meetings:detail", args=[panel.meeting.pk])
    )
    assert page.status_code == 200
    body = page.content.decode()
    for text in ASH_TEXT + [
        "Refer Ash to mentoring",
        "Panel discussed the skate park.",
    ]:
        assert text in body
    for text in BO_TEXT + ["Decision about Bo"]:
        assert text not in body
    assert "1 more child on the agenda is not shown" in body
    assert "1 part of the minutes about children" in body


def test_api_filters_the_same_way(panel, client_for):
    data = (
        client_for(panel.officer)
        .get(reverse("api-meetings-detail", args=[panel.meeting.pk]))
        .json()
    )
    assert [i["person_name"] for i in data["agenda"]] == ["Ash Alpha"]
    assert data["agenda"][0]["paper"] == "Paper about Ash Alpha"
    assert [p["text"] for m in data["minutes"] for p in m["parts"]] == [
        "Ash was seen with older men."
    ]
    assert data["hidden_children"] == 1
    assert data["hidden_minute_parts"] == 1
    assert data["hidden_decisions"] == 1
    assert "Bo" not in str(data)
    listing = client_for(panel.officer).get(reverse("api-meetings")).json()
    assert [m["id"] for m in listing["results"]] == [panel.meeting.pk]


def test_uninvited_and_outsiders_get_404(panel, client_for):
    for user in (panel.outsider,):
        http = client_for(user)
        assert (
            http.get(reverse("meetings:detail", args=[panel.meeting.pk])).status_code
            == 404
        )
        assert (
            http.get(
                reverse("api-meetings-detail", args=[panel.meeting.pk])
            ).status_code
            == 404
        )


def test_invited_agency_member_sees_the_meeting_not_the_children(panel, make_user):
    from tests.factories.cases import practitioner

    colleague = practitioner(panel.police, full_name="Other Officer")
    view = meeting_for(colleague, panel.meeting)
    assert view.items == []
    assert view.hidden_children == 2


def test_each_view_is_audited_naming_the_children_shown(panel, client_for):
    before = AuditEvent.objects.count()
    client_for(panel.officer).get(reverse("meetings:detail", args=[panel.meeting.pk]))
    events = list(AuditEvent.objects.order_by("pk")[before:])
    views = [e for e in events if e.action == "view"]
    assert len(views) == 1
    assert views[0].detail["people"] == [panel.ash.pk]
    assert views[0].detail["hidden_children"] == 1


def test_childs_meeting_page_shows_only_their_part(panel, client_for):
    body = (
        client_for(panel.social_worker)
        .get(reverse("meetings:child", args=[panel.ash.pk]))
        .content.decode()
    )
    assert "Ash was seen with older men." in body
    assert "Refer Ash to mentoring" in body
    assert "Bo has a drug debt." not in body
    assert "Bo Bravo" not in body
    assert (
        client_for(panel.officer)
        .get(reverse("meetings:child", args=[panel.bo.pk]))
        .status_code
        == 404
    )
