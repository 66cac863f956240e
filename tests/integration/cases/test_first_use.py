"""The child's page as a first user met it (issue 16, point 9)."""

import datetime as dt
import re

from django.urls import reverse

from svduty.cases import actions
from svduty.cases.models import Screening, ScreeningTool
from svduty.cases.seed import load_defaults
from svduty.cases.views.work import trajectory


def _screen(by, person, screened_on):
    tool = ScreeningTool.objects.get(version=1)
    answers = {
        i.pk: {"answer": "no"} for g in tool.groups.all() for i in g.indicators.all()
    }
    return actions.record_screening(
        by=by,
        person=person,
        tool=tool,
        answers=answers,
        agreed_level="high",
        override_reason="Seen with adults linked to county lines",
        screened_on=screened_on,
    )


def test_child_page_flags_a_past_screening_date_and_counts_this_view(world, client_for):
    load_defaults()
    screening = _screen(world.lead, world.child, dt.date(2024, 1, 10))
    assert screening.review_on is not None and screening.review_on < dt.date.today()
    html = (
        client_for(world.lead)
        .get(reverse("cases:person", args=[world.child.pk]))
        .content.decode()
    )
    due = re.search(r"Next screening due [^<]*(<strong[^>]*>[^<]*</strong>)?", html)
    assert due and due.group(1) and "Overdue" in due.group(1)
    seen = html[html.index("Who has seen this record") :]
    seen = seen[: seen.index("</ul>")]
    assert "No one yet" not in seen
    assert f"{world.lead.username} (Cases Council): viewed" in seen
    # The name and "Born" are separate words in the header.
    assert re.search(r"</strong></span>\s*<span[^>]*>Born ", html)


def test_trajectory_axis_labels_each_screening_date(world):
    load_defaults()
    _screen(world.lead, world.child, dt.date(2026, 9, 12))
    spec, _head, _rows = trajectory(Screening.objects.filter(person=world.child))
    axis = spec["encoding"]["x"]["axis"]
    assert axis["format"] == "%-d %b %Y"
    assert axis["values"] == [{"year": 2026, "month": 9, "date": 12, "utc": True}]
    assert spec["encoding"]["x"]["scale"] == {"type": "utc"}


def test_listing_children_records_the_list_not_a_view_of_each_child(world, client_for):
    """Issue 16, point 7: listing children logged a "View" of a child record that
    was not opened. The list writes one event about the list (naming who was on
    it); only opening the child's page is a view of the child's record, and only
    that shows in "Who has seen this record"."""
    from svduty.audit.models import AuditAction, AuditEvent

    load_defaults()
    child = str(world.child.pk)
    client = client_for(world.lead)
    before = AuditEvent.objects.count()
    listed = client.get(reverse("cases:my_cases"))
    assert reverse("cases:person", args=[world.child.pk]) in listed.content.decode()
    events = AuditEvent.objects.order_by("pk")[before:]
    assert [(e.action, e.target_type) for e in events] == [
        (AuditAction.VIEW, "cases.caselist")
    ]
    assert events[0].detail["people"] == [world.child.pk]
    views_of_the_child = AuditEvent.objects.filter(
        action=AuditAction.VIEW, target_type="cases.person", target_id=child
    )
    assert not views_of_the_child.exists()

    html = client.get(reverse("cases:person", args=[world.child.pk])).content.decode()
    seen = html[html.index("Who has seen this record") :]
    seen = seen[: seen.index("</ul>")]
    assert seen.count(f"{world.lead.username} (Cases Council): viewed") == 1
    assert views_of_the_child.count() == 1
