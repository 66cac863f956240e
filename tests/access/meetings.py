"""Access matrix for the meeting pages (issue 11). The matrix practitioner organises
a MACE panel that the matrix team manager chairs, about the cases matrix child;
finer cases (attendees from other agencies, children they may not see) are in
tests/integration/meetings/test_visibility.py."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from svduty.core.authorisation import Role

from . import Route, with_copies_out_of_scope

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
    # Out of scope: a meeting in another partnership about its own child
    # (tests/access/cases.py's stranger), organised and chaired by its lead.
    stranger_lead, stranger = ctx.cases_out.lead, ctx.cases_out.child
    other = actions.schedule_meeting(
        by=stranger_lead,
        partnership=stranger.partnership,
        meeting_type="mace",
        title="Elsewhere MACE panel",
        held_on=timezone.localdate(),
        chair=stranger_lead,
    )
    ctx.meetings_out = SimpleNamespace(
        meeting=other,
        item=actions.add_agenda_item(by=stranger_lead, meeting=other, person=stranger),
        decision=actions.record_decision(
            by=stranger_lead, meeting=other, person=stranger, text="Not ours"
        ),
    )


def _m(ctx, which="meetings"):
    return {"pk": getattr(ctx, which).meeting.pk}


def _item(ctx, which="meetings"):
    records = getattr(ctx, which)
    return {"pk": records.meeting.pk, "item_pk": records.item.pk}


def _decision(ctx, which="meetings"):
    records = getattr(ctx, which)
    return {"pk": records.meeting.pk, "decision_pk": records.decision.pk}


def _child(ctx, which="meetings"):
    return {"pk": (ctx.cases if which == "meetings" else ctx.cases_out).child.pk}


ROUTES = [
    Route("meetings:list", allowed=CASEWORK),
    Route("meetings:new", allowed=CASEWORK),
    Route("meetings:performance", allowed=CASEWORK),
    Route("meetings:performance_export_pdf", allowed=CASEWORK),
    Route("meetings:performance_export_xlsx", allowed=CASEWORK),
    Route("meetings:performance_attendance_csv", allowed=CASEWORK),
    Route("meetings:performance_actions_csv", allowed=CASEWORK),
    Route("meetings:child", allowed=CASEWORK, kwargs=_child),
    Route("meetings:detail", allowed=CASEWORK, kwargs=_m),
    Route("meetings:invite", allowed=CASEWORK, kwargs=_m),
    Route("meetings:attendance", allowed=CASEWORK, kwargs=_m),
    Route("meetings:agenda_triggers", allowed=CASEWORK, kwargs=_m),
    Route("meetings:agenda_add", allowed=CASEWORK, kwargs=_m),
    Route(
        "meetings:paper",
        allowed=CASEWORK,
        kwargs=_item,
    ),
    Route("meetings:minute_add", allowed=CASEWORK, kwargs=_m),
    Route("meetings:decision_add", allowed=CASEWORK, kwargs=_m),
    Route(
        "meetings:decision_action_add",
        allowed=CASEWORK,
        kwargs=_decision,
    ),
    Route("meetings:close", allowed=CASEWORK, kwargs=_m),
    Route("api-meetings", allowed=CASEWORK),
    Route("api-meetings-detail", allowed=CASEWORK, kwargs=_m),
    # Writes: the chair and the organiser reach the validation (an empty body is a
    # 400 that names the missing field); attendees get 403, other meetings 404.
    Route(
        "api-meetings-schedule",
        allowed=CASEWORK,
        method="post",
        expect=400,
        note="Empty body: 400 naming `partnership` (tests/integration/meetings).",
    ),
    Route(
        "api-meetings-agenda",
        allowed=CASEWORK,
        kwargs=_m,
        method="post",
        expect=400,
        note="Empty body: 400 naming `person` (tests/integration/meetings).",
    ),
    Route(
        "api-meetings-minutes",
        allowed=CASEWORK,
        kwargs=_m,
        method="post",
        expect=400,
        note="Empty body: 400 naming `heading` (tests/integration/meetings).",
    ),
    Route(
        "api-meetings-attendance",
        allowed=CASEWORK,
        kwargs=_m,
        method="post",
        expect=400,
        note="Empty body: 400 naming `attendance` (tests/integration/meetings).",
    ),
    Route(
        "api-meetings-decisions",
        allowed=CASEWORK,
        kwargs=_m,
        method="post",
        expect=400,
        note="Empty body: 400 naming `text` (tests/integration/meetings).",
    ),
    Route(
        "api-meetings-invitations",
        allowed=CASEWORK,
        kwargs=_m,
        method="post",
        expect=400,
        note="Empty body: 400 naming `agency` (tests/integration/meetings).",
    ),
    Route("api-meetings-suggestions", allowed=CASEWORK, kwargs=_m),
    Route(
        "api-meetings-paper",
        allowed=CASEWORK,
        kwargs=_item,
        method="post",
        expect=400,
        note="Empty body: 400 naming `paper` (tests/integration/meetings).",
    ),
    Route(
        "api-meetings-decision-actions",
        allowed=CASEWORK,
        kwargs=_decision,
        method="post",
        expect=400,
        note="Empty body: 400 naming `text` (tests/integration/meetings).",
    ),
    Route(
        "api-meetings-close",
        allowed=CASEWORK,
        kwargs=_m,
        method="post",
        expect=400,
        note="Empty body: 400 naming `version` (tests/integration/meetings).",
    ),
]

# Every page about one meeting or child names the other partnership's one.
ROUTES = with_copies_out_of_scope(ROUTES, "meetings_out")
