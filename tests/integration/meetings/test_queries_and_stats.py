"""The meeting page's query count does not grow with the agenda; attendance and
on-time completion by agency count what happened."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from svduty.cases import actions as case_actions
from svduty.cases.models import PlanActionStatus
from svduty.meetings import actions, stats
from svduty.meetings.models import Attendance, DecisionAction
from tests.factories.cases import person_on_team


def _add_children(world, count: int, start: int) -> None:
    due = timezone.localdate() + dt.timedelta(days=10)
    children = []
    for n in range(start, start + count):
        child = person_on_team(
            world.social_worker,
            partnership=world.partnership,
            first_name=f"Child{n}",
            last_name="Agenda",
        )
        actions.add_agenda_item(
            by=world.chair, meeting=world.meeting, person=child, paper=f"Paper {n}"
        )
        actions.record_decision(
            by=world.chair,
            meeting=world.meeting,
            person=child,
            text=f"Decision {n}",
            actions=[
                actions.ActionSpec(
                    text=f"Act {n}", owner=world.social_worker, due_on=due
                )
            ],
        )
        children.append(child)
    actions.record_minute(
        by=world.chair,
        meeting=world.meeting,
        heading=f"Minute {start}",
        parts={c: f"Part about {c}" for c in children},
    )


def _queries(client, url) -> int:
    # A first request after a pause may refresh the session (idle timeout); the
    # second one measures the page alone.
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_meeting_page_queries_do_not_grow_with_the_agenda(
    world, client_for, monkeypatch
):
    # The session records activity at most every 15 s (a savepoint, an UPDATE and
    # a release): on a busy machine one measured request could fall on that write
    # and not the other, so the test keeps it out of both.
    monkeypatch.setattr("svduty.accounts.middleware.ACTIVITY_WRITE_SECONDS", 10**9)
    actions.invite(
        by=world.chair, meeting=world.meeting, agency=world.police, user=world.officer
    )
    _add_children(world, 3, 0)
    url = reverse("meetings:detail", args=[world.meeting.pk])
    api = reverse("api-meetings-detail", args=[world.meeting.pk])
    client = client_for(world.chair)
    client.get(url)  # warm the session
    small, small_api = _queries(client, url), _queries(client, api)
    _add_children(world, 37, 3)
    large, large_api = _queries(client, url), _queries(client, api)
    assert large == small
    assert large_api == small_api
    assert small <= 25, small


def test_attendance_and_on_time_actions_by_agency(world):
    today = timezone.localdate()
    police = actions.invite(
        by=world.chair, meeting=world.meeting, agency=world.police, user=world.officer
    )
    council = actions.invite(
        by=world.chair, meeting=world.meeting, agency=world.council
    )
    actions.record_attendance(
        by=world.chair,
        meeting=world.meeting,
        attendance={police.pk: Attendance.APOLOGIES, council.pk: Attendance.ATTENDED},
    )
    rows = {r.agency: r for r in stats.attendance_by_agency([world.partnership.pk])}
    assert rows[world.council.name].rate == 100.0
    assert rows[world.police.name].rate == 0.0
    assert rows[world.police.name].counts == (0, 0, 1, 0)

    actions.add_agenda_item(by=world.chair, meeting=world.meeting, person=world.ash)
    decision = actions.record_decision(
        by=world.chair, meeting=world.meeting, person=world.ash, text="Plan"
    )
    for text, due in (("Done on time", 5), ("Overdue", 2), ("Not due", -5)):
        actions.add_decision_action(
            by=world.chair,
            decision=decision,
            text=text,
            owner=world.social_worker,
            due_on=today - dt.timedelta(days=due),
        )
    late_one = DecisionAction.objects.get(plan_action__text="Done on time").plan_action
    case_actions.update_plan_action(
        by=world.social_worker,
        action=late_one,
        expected_version=late_one.plan.version,
        status=PlanActionStatus.DONE,
    )
    # An action done before its due date, ten days ago.
    with time_machine.travel(timezone.now() - dt.timedelta(days=10)):
        early = actions.add_decision_action(
            by=world.chair,
            decision=decision,
            text="Early",
            owner=world.social_worker,
            due_on=today - dt.timedelta(days=4),
        ).plan_action
        case_actions.update_plan_action(
            by=world.social_worker,
            action=early,
            expected_version=early.plan.version,
            status=PlanActionStatus.DONE,
        )
    late = stats.actions_by_agency([world.partnership.pk])
    assert {r.agency for r in late} == {world.council.name}
    # Due before today: early (on time), done late, overdue; "Not due" is left out.
    assert sum(r.total for r in late) == 3
    assert [sum(r.counts[i] for r in late) for i in range(3)] == [1, 1, 1]
    table = stats.table(late)
    assert table[0][1] == world.council.name


def test_performance_page_has_chart_and_table(world, client_for):
    body = client_for(world.chair).get(reverse("meetings:performance")).content
    assert b"Table: Attendance by agency and month" in body
    assert b"Table: Actions done on time by agency and month" in body


def test_exported_tables_suppress_small_counts_and_what_gives_them_away():
    month = dt.date(2026, 1, 1)
    rows = [
        # two small counts hide each other; the rate would give "2" away
        stats.Row(month, "A", total=12, good=9, counts=(7, 2, 3, 0)),
        # one small count alone: the smallest other count is withheld too
        stats.Row(month, "B", total=10, good=10, counts=(8, 2, 0, 0)),
        # nothing small: everything shown, with the rate
        stats.Row(month, "C", total=21, good=21, counts=(15, 6, 0, 0)),
        # a small total
        stats.Row(month, "D", total=3, good=3, counts=(3, 0, 0, 0)),
    ]
    table = stats.protected_table(rows, good=stats.ATTENDANCE_GOOD, threshold=4)
    assert table[0][2:] == [12, 7, "fewer than 5", "fewer than 5", 0, ""]
    assert table[1][2:] == [10, "[c]", "fewer than 5", 0, 0, ""]
    assert table[2][2:] == [21, 15, 6, 0, 0, 100.0]
    assert table[3][2:] == ["fewer than 5", "fewer than 5", 0, 0, 0, ""]
    # Actions: only "done on time" makes the rate.
    actions_rows = [stats.Row(month, "E", total=20, good=12, counts=(12, 8, 0))]
    assert stats.protected_table(actions_rows, good=stats.ACTIONS_GOOD, threshold=4)[0][
        2:
    ] == [20, 12, 8, 0, 60.0]


def test_performance_exports_are_suppressed_tagged_and_audited(world, client_for):
    import io
    import re
    import zlib

    from openpyxl import load_workbook

    from svduty.audit.models import AuditEvent

    police = actions.invite(
        by=world.chair, meeting=world.meeting, agency=world.police, user=world.officer
    )
    actions.record_attendance(
        by=world.chair,
        meeting=world.meeting,
        attendance={police.pk: Attendance.APOLOGIES},
    )
    http = client_for(world.chair)
    page = http.get(reverse("meetings:performance")).content.decode()
    for name in (
        "performance_export_pdf",
        "performance_export_xlsx",
        "performance_attendance_csv",
        "performance_actions_csv",
    ):
        # A link in the page's content (after its heading), not in its <title>.
        assert page.index(f'href="{reverse(f"meetings:{name}")}"') > page.index("<h1")

    csv_body = b"".join(
        http.get(reverse("meetings:performance_attendance_csv")).streaming_content
    ).decode()
    assert world.police.name in csv_body
    assert "fewer than 5" in csv_body  # one invitation, one apology
    assert ",1," not in csv_body

    workbook = load_workbook(
        io.BytesIO(http.get(reverse("meetings:performance_export_xlsx")).content)
    )
    assert workbook.sheetnames == ["Attendance", "Actions"]
    sheet = list(workbook["Attendance"].values)
    assert sheet[0][0] == "Month" and sheet[1][1] == world.police.name
    assert sheet[1][2] == "fewer than 5"

    response = http.get(reverse("meetings:performance_export_pdf"))
    assert response["Content-Type"] == "application/pdf"
    body = response.content
    inflated = [body]
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", body, re.S):
        try:
            inflated.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    text = b"\n".join(inflated)
    assert b"/StructTreeRoot" in text and b"pdfuaid" in text  # tagged PDF/UA
    assert b"/Lang" in text
    assert AuditEvent.objects.filter(action="export").count() == 3  # one each
