"""Is the meeting an effective forum? Attendance and on-time completion of agreed
actions, by agency and month (JTAI: the right people attend, decisions are made,
actions happen on time; reference B.2). Counts only: no child is named."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from svduty.cases.models import PlanActionStatus

from .models import CONTRIBUTED, Attendance, DecisionAction, Invitation, MeetingStatus

VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.4.1.json"


@dataclass(frozen=True)
class Row:
    month: dt.date
    agency: str
    total: int
    good: int  # attended or sent a report / done on time
    counts: tuple[int, ...]

    @property
    def rate(self) -> float | None:
        return round(100 * self.good / self.total, 1) if self.total else None


def _start(months: int, today: dt.date) -> dt.date:
    year, month = today.year, today.month - months + 1
    while month <= 0:
        month += 12
        year -= 1
    return dt.date(year, month, 1)


def attendance_by_agency(
    partnership_ids: Iterable[int], *, months: int = 12, today: dt.date | None = None
) -> list[Row]:
    """Invitations to meetings held in each month, by agency: counts per kind of
    attendance; `good` = attended or sent a report."""
    today = today or timezone.localdate()
    rows = (
        Invitation.objects.filter(
            meeting__partnership_id__in=list(partnership_ids),
            meeting__held_on__gte=_start(months, today),
            meeting__held_on__lte=today,
        )
        .exclude(meeting__status=MeetingStatus.CANCELLED)
        .exclude(attendance=Attendance.NOT_RECORDED)
        .annotate(month=TruncMonth("meeting__held_on"), agency_name=F("agency__name"))
        .values("month", "agency_name")
        .annotate(
            total=Count("pk"),
            **{value: Count("pk", filter=Q(attendance=value)) for value in _kinds()},
        )
        .order_by("month", "agency_name")
    )
    return [_attendance_row(r) for r in rows]


def _attendance_row(r: Mapping[str, Any]) -> Row:
    """One month and agency; the counts per kind of attendance are annotations
    named after the kinds, so they are read by name."""
    return Row(
        month=r["month"],
        agency=r["agency_name"],
        total=r["total"],
        good=sum(r[v] for v in CONTRIBUTED),
        counts=tuple(r[v] for v in _kinds()),
    )


def _kinds() -> list[str]:
    return [
        Attendance.ATTENDED,
        Attendance.SENT_REPORT,
        Attendance.APOLOGIES,
        Attendance.ABSENT,
    ]


ATTENDANCE_HEAD = [
    "Month",
    "Agency",
    "Invitations",
    "Attended",
    "Sent a report",
    "Apologies",
    "Absent",
    "Attended or sent a report (%)",
]
ACTIONS_HEAD = [
    "Month due",
    "Agency",
    "Actions due",
    "Done on time",
    "Done late",
    "Overdue, not done",
    "Done on time (%)",
]


def actions_by_agency(
    partnership_ids: Iterable[int], *, months: int = 12, today: dt.date | None = None
) -> list[Row]:
    """Actions agreed at meetings that fell due in each month (up to today), by the
    owner's agency: done on time, done late, overdue. Cancelled actions are left
    out (nobody was expected to do them)."""
    today = today or timezone.localdate()
    due = (
        DecisionAction.objects.filter(
            decision__meeting__partnership_id__in=list(partnership_ids),
            plan_action__due_on__gte=_start(months, today),
            plan_action__due_on__lt=today,
        )
        .exclude(plan_action__status=PlanActionStatus.CANCELLED)
        .annotate(
            month=TruncMonth("plan_action__due_on"),
            agency_name=F("plan_action__owner_agency__name"),
            done_on=TruncDate("plan_action__completed_at"),
        )
        .values("month", "agency_name")
        .annotate(
            total=Count("pk"),
            on_time=Count(
                "pk",
                filter=Q(
                    plan_action__status=PlanActionStatus.DONE,
                    done_on__lte=F("plan_action__due_on"),
                ),
            ),
            late=Count(
                "pk",
                filter=Q(
                    plan_action__status=PlanActionStatus.DONE,
                    done_on__gt=F("plan_action__due_on"),
                ),
            ),
        )
        .order_by("month", "agency_name")
    )
    return [
        Row(
            month=r["month"],
            agency=r["agency_name"],
            total=r["total"],
            good=r["on_time"],
            counts=(r["on_time"], r["late"], r["total"] - r["on_time"] - r["late"]),
        )
        for r in due
    ]


def table(rows: list[Row]) -> list[list[object]]:
    return [
        [
            f"{r.month:%B %Y}",
            r.agency,
            r.total,
            *r.counts,
            r.rate if r.rate is not None else "",
        ]
        for r in rows
    ]


def rate_chart(rows: list[Row], *, title_y: str) -> dict:
    """A line per agency: the rate by month (Vega-Lite; the table is beside it)."""
    values = [
        {"month": f"{r.month:%Y-%m}", "agency": r.agency, "rate": r.rate}
        for r in rows
        if r.rate is not None
    ]
    return {
        "$schema": VEGA_LITE_SCHEMA,
        # The chart is a picture of the table beside it: the SVG is one image with
        # a label (static_src/js/charts.js), and its marks are kept out of the
        # accessibility tree. Left in, Vega gave the points an image role with no
        # text (axe: svg-img-alt).
        "config": {
            "view": {"continuousWidth": 300, "continuousHeight": 300},
            "aria": False,
        },
        "data": {"values": values},
        "mark": {"type": "line", "aria": False, "point": {"aria": False}},
        "encoding": {
            "x": {
                "field": "month",
                "type": "temporal",
                "title": "Month",
                "timeUnit": "yearmonth",
            },
            "y": {
                "field": "rate",
                "type": "quantitative",
                "title": title_y,
                "scale": {"domain": [0, 100]},
            },
            "color": {"field": "agency", "type": "nominal", "title": "Agency"},
            "tooltip": [
                {"field": "agency", "type": "nominal", "title": "Agency"},
                {
                    "field": "month",
                    "type": "temporal",
                    "timeUnit": "yearmonth",
                    "title": "Month",
                },
                {"field": "rate", "type": "quantitative", "title": title_y},
            ],
        },
        "height": 260,
        "width": "container",
    }


# Which of a row's counts make up `good`, for each table (by position in `counts`).
ATTENDANCE_GOOD = (0, 1)  # attended, sent a report
ACTIONS_GOOD = (0,)  # done on time


def protected_table(
    rows: list[Row], *, good: tuple[int, ...], threshold: int
) -> list[list[object]]:
    """The table for an export that leaves the case teams (convention 9): counts
    from 1 to `threshold` are "fewer than N"; when that would let a hidden count be
    worked out from the row's total, another is hidden too ("[c]",
    `core.disclosure`). The rate is left out when any count it is made of is
    hidden, since the rate and the total would give it away."""
    from svduty.core.disclosure import protect_table

    out: list[list[object]] = []
    for r in rows:
        line = protect_table(
            {0: dict(enumerate(r.counts))},
            threshold=threshold,
            column_totals=False,
            grand_total=False,
        )
        cells, total = line.cells[0], line.row_totals[0]
        hidden = total.suppressed or any(cells[i].suppressed for i in good)
        out.append(
            [
                f"{r.month:%B %Y}",
                r.agency,
                total.display(threshold) if total.suppressed else r.total,
                *(
                    cells[i].display(threshold) if cells[i].suppressed else c
                    for i, c in enumerate(r.counts)
                ),
                "" if hidden or r.rate is None else r.rate,
            ]
        )
    return out
