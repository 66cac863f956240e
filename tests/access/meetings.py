"""Access matrix for the meeting pages (issue 11). The matrix practitioner organises
a MACE panel that the matrix team manager chairs, about the cases matrix child;
finer cases (attendees from other agencies, children they may not see) are in
tests/integration/meetings/test_visibility.py."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from svduty.core.authorisation import Role

from . import Route

CASEWORK = frozenset({Role.PRACTITIONER, Role.TEAM_MANAGER})


def setup(ctx):
    from svduty.meetings import actions

    organiser = ctx.users[Role.PRACTITIONER]
    chair = ctx.users[Role.TEAM_MANAGER]
    child = ctx.cases.child
    meeting = actions.schedule_meeting(
        by=organiser,
        partnership=child.partnership,
        meeting_type="mace",
        title="Matrix MACE panel",
        held_on=timezone.localdate(),
        chair=chair,
    )
    item = actions.add_agenda_item(by=organiser, meeting=meeting, person=child)
    decision = actions.record_decision(
        by=organiser,
        meeting=meeting,
        person=child,
        text="Refer to mentoring",
        actions=[
            actions.ActionSpec(
                text="Mentoring referral",
                owner=organiser,
                due_on=timezone.localdate() + dt.timedelta(days=7),
            )
        ],
    )
    ctx.meetings = SimpleNamespace(meeting=meeting, item=item, decision=decision)


def _m(ctx):
    return {"pk": ctx.meetings.meeting.pk}


ROUTES = [
    Route("meetings:list", allowed=CASEWORK),
    Route("meetings:new", allowed=CASEWORK),
    Route("meetings:performance", allowed=CASEWORK),
    Route(
        "meetings:child", allowed=CASEWORK, kwargs=lambda c: {"pk": c.cases.child.pk}
    ),
    Route("meetings:detail", allowed=CASEWORK, kwargs=_m),
    Route("meetings:invite", allowed=CASEWORK, kwargs=_m),
    Route("meetings:attendance", allowed=CASEWORK, kwargs=_m),
    Route("meetings:agenda_triggers", allowed=CASEWORK, kwargs=_m),
    Route("meetings:agenda_add", allowed=CASEWORK, kwargs=_m),
    Route(
        "meetings:paper",
        allowed=CASEWORK,
        kwargs=lambda c: {"pk": c.meetings.meeting.pk, "item_pk": c.meetings.item.pk},
    ),
    Route("meetings:minute_add", allowed=CASEWORK, kwargs=_m),
    Route("meetings:decision_add", allowed=CASEWORK, kwargs=_m),
    Route(
        "meetings:decision_action_add",
        allowed=CASEWORK,
        kwargs=lambda c: {
            "pk": c.meetings.meeting.pk,
            "decision_pk": c.meetings.decision.pk,
        },
    ),
    Route("meetings:close", allowed=CASEWORK, kwargs=_m),
    Route("api-meetings", allowed=CASEWORK),
    Route("api-meetings-detail", allowed=CASEWORK, kwargs=_m),
]
