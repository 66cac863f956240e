"""Demo data: monthly MACE panels in each of the four Cleveland community safety
partnerships over the last six months (and the next one), with invitations,
attendance, agendas from the triggers, minutes split by child, decisions and the
actions they put in the children's plans, some done on time, some late, some overdue.

Everything is synthetic and labelled "(Demo)"; the children are the cases demo's. The
work goes through the actions. One thing cannot: an action completed at a past
meeting's time. `update_plan_action` stamps completion with the current time, so
the demo moves `completed_at` back afterwards (demo only), or every past action
would look late. Running the loader again changes nothing.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from svduty.accounts.models import Agency, User
from svduty.cases import actions as case_actions
from svduty.cases.demo import COUNCILS, LEADS
from svduty.cases.models import Person, PlanAction, PlanActionStatus
from svduty.partnership.models import Partnership

from . import actions
from .models import Attendance, Meeting, MeetingStatus, MeetingType

SEED = 20261204
TITLE = "(Demo) {area} MACE panel, {month}"
# (username, agency, chance of attending, of sending a report instead, of apologies)
INVITEES = [
    ("police-officer", "Cleveland Police", 0.8, 0.05, 0.1),
    (
        "health-nurse",
        "North East and North Cumbria Integrated Care Board",
        0.5,
        0.3,
        0.1,
    ),
    ("school-lead", "Teesside Academy (demo school)", 0.45, 0.1, 0.3),
]
ACTIONS = [
    ("Safety planning visit with the family", "lead"),
    ("Share intelligence on the older associates with the police", "police-officer"),
    ("Arrange a health check and CAMHS screening", "health-nurse"),
    ("Agree a full-time education offer", "school-lead"),
    ("Refer to the youth trust mentoring service", "lead"),
]
MINUTE_TEXT = [
    "(Demo) Seen late at night near the transport hub with older young people.",
    "(Demo) Two missing episodes; the return home interview found pressure to carry.",
    "(Demo) Attendance at school has dropped; new phone and unexplained money.",
    "(Demo) Family engaging well; risk reducing since the mentoring started.",
]


def load(context: dict) -> None:
    if Meeting.objects.filter(title__startswith="(Demo)").exists():
        return
    partnerships = {p.slug: p for p in Partnership.objects.filter(slug__in=COUNCILS)}
    if len(partnerships) < len(COUNCILS):
        return
    names = {u for pair in LEADS.values() for u in pair} | {n for n, *_ in INVITEES}
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    if len(users) < len(names):
        return
    agencies = {a.name: a for a in Agency.objects.all()}
    rng = random.Random(SEED)
    months = 3 if context.get("quick") else 6
    today = timezone.localdate()
    count = 0
    for slug, council_name in COUNCILS.items():
        lead_name, manager_name = LEADS[slug]
        for months_ago in range(months, -1, -1):
            held_on = _month_day(today, months_ago)
            with transaction.atomic():
                _panel(
                    rng,
                    partnerships[slug],
                    agencies,
                    agencies[council_name],
                    users,
                    chair=users[manager_name],
                    lead=users[lead_name],
                    held_on=held_on,
                    today=today,
                )
            count += 1
    stdout = context.get("stdout")
    if stdout:
        stdout.write(f"  {count} synthetic MACE panels loaded")


def _month_day(today: dt.date, months_ago: int) -> dt.date:
    """The second Tuesday of the month `months_ago` before this one."""
    year, month = today.year, today.month - months_ago
    while month <= 0:
        month += 12
        year -= 1
    while month > 12:
        month -= 12
        year += 1
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(1 - first.weekday()) % 7 + 7)


def _panel(
    rng, partnership, agencies, council, users, *, chair, lead, held_on, today
) -> None:
    area = partnership.name.replace(" Community Safety Partnership", "")
    meeting = actions.schedule_meeting(
        by=chair,
        partnership=partnership,
        meeting_type=MeetingType.MACE,
        title=TITLE.format(area=area, month=f"{held_on:%B %Y}"),
        held_on=held_on,
        chair=chair,
        starts_at=dt.time(10, 0),
        location="(Demo) Online",
    )
    invitations = [actions.invite(by=chair, meeting=meeting, agency=council)]
    chances = {council.pk: (0.95, 0.0, 0.05)}
    for username, agency_name, attend, report, apologies in INVITEES:
        agency = agencies[agency_name]
        invitations.append(
            actions.invite(
                by=chair, meeting=meeting, agency=agency, user=users[username]
            )
        )
        chances[agency.pk] = (attend, report, apologies)
    children = list(
        Person.objects.visible_to(chair)
        .filter(partnership=partnership, risk_level__in=["medium", "high"])
        .order_by("pk")
    )
    chosen = rng.sample(children, k=min(len(children), rng.randint(4, 6)))
    for child in chosen:
        actions.add_agenda_item(
            by=chair,
            meeting=meeting,
            person=child,
            paper=f"(Demo) Briefing on {child.first_name}: recent contacts, risk "
            "indicators and the agencies involved.",
        )
    if held_on > today:
        return  # the next panel: agenda ready, nothing happened yet
    actions.record_attendance(
        by=chair,
        meeting=meeting,
        attendance={i.pk: _attendance(rng, chances[i.agency_id]) for i in invitations},
    )
    actions.record_minute(
        by=chair,
        meeting=meeting,
        heading="(Demo) Children discussed",
        text="(Demo) Information shared under the partnership's sharing agreement.",
        parts={child: rng.choice(MINUTE_TEXT) for child in chosen},
    )
    for child in chosen:
        decision = actions.record_decision(
            by=chair,
            meeting=meeting,
            person=child,
            text=f"(Demo) Keep {child.first_name} under MACE review; "
            "disrupt contact with the older associates.",
            agreed_risk_level=child.risk_level,
        )
        for text, owner in rng.sample(ACTIONS, k=rng.randint(1, 2)):
            owner_user = lead if owner == "lead" else users[owner]
            due_on = held_on + dt.timedelta(days=rng.choice([7, 14, 21, 28]))
            link = actions.add_decision_action(
                by=chair,
                decision=decision,
                text=f"(Demo) {text}",
                owner=owner_user,
                due_on=due_on,
            )
            _progress(rng, chair, link.plan_action, today)
    actions.close_meeting(
        by=chair,
        meeting=meeting,
        expected_version=meeting.version,
        general_minutes="(Demo) Themes: county lines activity around the "
        "transport hub; online grooming through gaming platforms.",
    )
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.HELD


def _attendance(rng, chances) -> str:
    attend, report, apologies = chances
    roll = rng.random()
    if roll < attend:
        return Attendance.ATTENDED
    if roll < attend + report:
        return Attendance.SENT_REPORT
    if roll < attend + report + apologies:
        return Attendance.APOLOGIES
    return Attendance.ABSENT


def _progress(rng, by, action: PlanAction, today: dt.date) -> None:
    """Most past actions done (mostly on time), some overdue: what panels see."""
    if action.due_on >= today and rng.random() < 0.7:
        return
    if rng.random() < 0.25:
        return  # overdue (or not started yet)
    plan = action.plan
    plan.refresh_from_db(fields=["version"])
    case_actions.update_plan_action(
        by=by,
        action=action,
        expected_version=plan.version,
        status=PlanActionStatus.DONE,
    )
    late = rng.random() < 0.25
    done_on = action.due_on + dt.timedelta(days=rng.randint(1, 10) if late else -2)
    done_at = timezone.make_aware(dt.datetime.combine(min(done_on, today), dt.time(15)))
    PlanAction.objects.filter(pk=action.pk).update(completed_at=done_at)
