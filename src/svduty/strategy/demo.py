"""Demo strategies for the four Cleveland community safety partnerships.

Each gets a published strategy (consulted on and signed off), board meetings and an
action plan with some overdue actions. Middlesbrough's strategy was last reviewed more
than 12 months ago, so its review is overdue: the demo user `lead` (Middlesbrough
Council, the partnership lead) sees it on the duty compliance dashboard.

Dates are set relative to the day the demo is first built; running it again changes
nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db import transaction
from django.utils import timezone

from svduty.accounts.models import User
from svduty.partnership.definitions import definition_in_force
from svduty.partnership.models import (
    BoardMeeting,
    Partnership,
    RelevantAuthority,
    StatutoryRole,
)

from .digest import content_digest
from .models import (
    ActionStatus,
    ActionUpdate,
    Consultation,
    ReviewOutcome,
    SectionKind,
    SignOff,
    SignOffEvidence,
    SignOffMethod,
    StrategyAction,
    StrategyReview,
    StrategySection,
    StrategyVersion,
)
from .states import StrategyState

# (slug, days since publication, days since last review or None)
PLANS = [
    # Published after each partnership agreed its definition (760 days ago), so that
    # every sign-off binds a definition.
    ("middlesbrough", 740, 420),  # review overdue
    ("hartlepool", 330, None),
    ("redcar-and-cleveland", 700, 200),
    ("stockton-on-tees", 250, None),
]

SECTIONS = [
    (
        SectionKind.SNA_SUMMARY,
        "What our needs assessment found",
        "Serious violence is concentrated in the town centre and a small number of "
        "neighbourhoods, peaks on Friday and Saturday evenings, and most often "
        "involves young men aged 15 to 24 as both victims and perpetrators.\n\n"
        "Exclusion from school, exploitation and adverse childhood experiences are "
        "the strongest risk factors we found.",
        True,
    ),
    (
        SectionKind.PRIORITIES,
        "Our priorities",
        "1. Reduce knife crime among under-25s.\n2. Tackle exploitation and county "
        "lines.\n3. Keep children in education.",
        True,
    ),
    (
        SectionKind.INTERVENTIONS,
        "What we will do",
        "Navigators in the emergency department, mentoring for children at risk of "
        "exclusion, and focused deterrence for the small group who drive most harm.",
        True,
    ),
    (
        SectionKind.OUTCOMES,
        "How we will measure progress",
        "Hospital admissions for assault with a sharp object, homicides, and police "
        "recorded violence with injury among under-25s, reported every quarter.",
        True,
    ),
    (
        SectionKind.OTHER,
        "Operational notes for partners",
        "Patrol plans and named contacts. Not for publication.",
        False,
    ),
]

ACTIONS = [
    # (title, owner kind, lead, days from today due, status)
    (
        "Commission emergency department navigators",
        "council",
        "A. Patel",
        60,
        "on_track",
    ),
    (
        "Mentoring for pupils at risk of exclusion",
        "school",
        "B. Jones",
        -45,
        "on_track",
    ),
    ("Focused deterrence call-ins", "police", "Insp. C. Khan", -10, "at_risk"),
    (
        "Knife crime lessons in every secondary school",
        "school",
        "D. Smith",
        120,
        "not_started",
    ),
    ("Resettlement support on release", "prison", "E. Brown", -90, "overdue"),
    ("Publish quarterly violence dashboard", "council", "F. Green", -200, "complete"),
]


def _agency_for(partnership, kind):
    members = partnership.members.select_related("agency")
    if kind == "school":
        wanted = members.filter(
            statutory_role=StatutoryRole.RELEVANT, authority_type="educational"
        )
    elif kind == "prison":
        wanted = members.filter(
            statutory_role=StatutoryRole.RELEVANT, authority_type="prison"
        )
    elif kind == "police":
        wanted = members.filter(authority_type="police")
    else:
        wanted = members.filter(authority_type="local_authority")
    member = wanted.first() or members.first()
    return member.agency


@transaction.atomic
def load(context: dict) -> None:
    lead = User.objects.filter(username="lead").first()
    if lead is None:
        return
    today = timezone.localdate()
    for slug, published_ago, reviewed_ago in PLANS:
        partnership = Partnership.objects.filter(slug=slug).first()
        if partnership is None or partnership.strategy_versions.exists():
            continue
        _strategy(partnership, lead, today, published_ago, reviewed_ago)
        _meetings_and_actions(partnership, lead, today)


def _strategy(partnership, lead, today, published_ago, reviewed_ago) -> None:
    published_on = today - dt.timedelta(days=published_ago)
    version = StrategyVersion.objects.create(
        partnership=partnership,
        number=1,
        title="Serious violence strategy 2024 to 2027",
        period_start=dt.date(published_on.year, 1, 1),
        period_end=dt.date(published_on.year + 3, 1, 1),
        created_by=lead,
    )
    for order, (kind, heading, body, publishable) in enumerate(SECTIONS, start=1):
        StrategySection.objects.create(
            strategy_version=version,
            kind=kind,
            heading=heading,
            body=body,
            publishable=publishable,
            order=order,
        )
    consulted_on = published_on - dt.timedelta(days=60)
    for authority in RelevantAuthority.objects.filter(area__in=partnership.areas.all()):
        Consultation.objects.create(
            strategy_version=version,
            authority=authority,
            consulted_on=consulted_on,
            method="meeting",
            consulted_person="Head of safeguarding (demo)",
            response="Supports the priorities; asks for more on exclusions.",
            how_considered="Added the priority on keeping children in education.",
            recorded_by=lead,
        )
    # Sign-offs bind the content and the definition in force: fix the definition
    # first, then sign the digest of exactly what is published.
    version.definition = definition_in_force(partnership, published_on)
    version.save(update_fields=["definition"])
    digest = content_digest(version, version.definition_id)
    signed_on = published_on - dt.timedelta(days=7)
    minutes = _demo_minutes(partnership, signed_on)
    evidence = SignOffEvidence.objects.create(
        strategy_version=version,
        file_name="board-sign-off-minutes-demo.pdf",
        content_type="application/pdf",
        content=minutes,
        size=len(minutes),
        sha256=hashlib.sha256(minutes).hexdigest(),
        uploaded_by=lead,
    )
    for member in partnership.members.filter(statutory_role=StatutoryRole.SPECIFIED):
        SignOff.objects.create(
            strategy_version=version,
            member=member,
            method=SignOffMethod.EVIDENCE,
            evidence=evidence,
            signed_by_name=f"Chief officer, {member.agency.name} (demo)",
            signed_by_role="Chief officer",
            signed_on=signed_on,
            content_digest=digest,
            definition=version.definition,
            recorded_by=lead,
        )
    reviewed_on = today - dt.timedelta(days=reviewed_ago) if reviewed_ago else None
    version.state = StrategyState.PUBLISHED
    version.published_on = published_on
    version.published_by = lead
    version.last_reviewed_on = reviewed_on
    version.published_digest = digest
    version.save()
    if reviewed_on:
        StrategyReview.objects.create(
            strategy_version=version,
            started_on=reviewed_on - dt.timedelta(days=30),
            started_by=lead,
            completed_on=reviewed_on,
            completed_by=lead,
            outcome=ReviewOutcome.RECONFIRMED,
            decisions="Priorities re-confirmed; action plan refreshed.",
        )


def _demo_minutes(partnership, signed_on: dt.date) -> bytes:
    """A one-page PDF standing in for the signed board minutes (synthetic, labelled
    as demo data), built by hand so that the demo needs no PDF renderer."""
    text = (
        (
            f"DEMO DATA (synthetic): {partnership.name} board minutes, "
            f"{signed_on:%d %B %Y}. Each specified authority signed off the strategy."
        )
        .replace("(", "[")
        .replace(")", "]")
    )
    stream = f"BT /F1 10 Tf 40 780 Td ({text}) Tj ET".encode("latin-1", "replace")
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R"
        b"/Resources<</Font<</F1 5 0 R>>>>>>",
        b"<</Length %d>>stream\n" % len(stream) + stream + b"\nendstream",
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj" % number + body + b"endobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _meetings_and_actions(partnership, lead, today) -> None:
    members = partnership.members.values_list("agency_id", flat=True)
    meeting = BoardMeeting.objects.create(
        partnership=partnership,
        held_on=today - dt.timedelta(days=75),
        title="Serious violence partnership board",
        attendees="Chair (demo)\nHead of community safety (demo)\nInspector (demo)",
        decisions="Agreed the refreshed action plan and asked schools to lead on "
        "exclusions.",
        created_by=lead,
    )
    meeting.attending_agencies.set(list(members)[:6])
    for index, (title, owner, lead_name, due_in, status) in enumerate(ACTIONS, start=1):
        action = StrategyAction.objects.create(
            partnership=partnership,
            reference=f"A{index:03d}",
            strategy_version=partnership.strategy_versions.first(),
            meeting=meeting,
            title=title,
            owner_agency=_agency_for(partnership, owner),
            lead_name=lead_name,
            due_on=today + dt.timedelta(days=due_in),
            status=status,
            completed_on=today - dt.timedelta(days=210)
            if status == ActionStatus.COMPLETE
            else None,
            created_by=lead,
        )
        ActionUpdate.objects.create(
            action=action,
            written_by=lead,
            note="Update from the partnership board (demo).",
            status=status,
        )
