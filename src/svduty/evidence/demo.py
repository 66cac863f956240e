"""Demo data for inspection evidence (issue 12). Runs last.

In Middlesbrough, `lead` has self-assessed three outcomes with evidence links, and
drawn a case-audit sample (seed 2026) whose first two cases `lead` audited and
`manager` moderated one. Then it computes the 21 outcomes' figures from everything the
other demo modules loaded (the same action the daily `refresh_evidence` command calls),
so the pages have figures as soon as the demo starts; no background worker is needed.
Running it again the same day changes nothing."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from svduty.accounts.models import User
from svduty.partnership.models import Partnership

from . import actions
from .models import AUDIT_QUESTIONS, AuditSample, FigureRun, SelfAssessment

SELF_ASSESSMENTS = [
    (
        1,
        "adequate",
        "(Demo) Most referrals are decided within a working day; MACE panels "
        "discuss every child screened at high risk.",
        "Front door audit, October (demo)",
    ),
    (
        6,
        "needs_improvement",
        "(Demo) Police attend nearly every panel; schools attend fewer than half, "
        "and their actions are more often late.",
        "MACE attendance review (demo)",
    ),
    (
        19,
        "adequate",
        "(Demo) A multi-agency case audit of six children is under way, moderated "
        "by a second auditor.",
        "Case audit programme (demo)",
    ),
]


def _people() -> tuple[User | None, User | None, Partnership | None]:
    return (
        User.objects.filter(username="lead").first(),
        User.objects.filter(username="manager").first(),
        Partnership.objects.filter(slug="middlesbrough").first(),
    )


def load_records() -> None:
    lead, manager, partnership = _people()
    if lead is None or manager is None or partnership is None:
        return
    review = timezone.localdate() + dt.timedelta(days=90)
    for outcome, grade, narrative, evidence in SELF_ASSESSMENTS:
        if SelfAssessment.objects.filter(
            partnership=partnership, outcome=outcome
        ).exists():
            continue
        sa = actions.save_self_assessment(
            by=lead,
            partnership=partnership,
            outcome=outcome,
            grade=grade,
            narrative=narrative,
            owner=lead,
            review_on=review,
            strengths="(Demo) Strong relationships between the police and the council.",
            improvements="(Demo) Schools' part in the panels.",
        )
        actions.add_evidence_link(
            by=lead, self_assessment=sa, title=evidence, note="(Demo) Shared drive."
        )
        # An uploaded document too, so the demo shows the list and the download.
        actions.add_evidence_link(
            by=lead,
            self_assessment=sa,
            title=f"{evidence}: the document",
            document=SimpleUploadedFile(
                f"demo-outcome-{outcome}-evidence.csv",
                b"note\n(Demo) An example document uploaded as evidence.\n",
            ),
        )
    if AuditSample.objects.filter(partnership=partnership).exists():
        return
    sample = actions.draw_sample(
        by=lead,
        partnership=partnership,
        title="(Demo) MACE case audit",
        seed=2026,
        size=6,
    )
    cases = list(sample.cases.all()[:2])
    for n, case in enumerate(cases):
        answers = {key: "yes" for key, _ in AUDIT_QUESTIONS}
        answers["voice"] = "partly" if n == 0 else "no"
        actions.record_case_audit(
            by=lead,
            case=case,
            answers=answers,
            grade="adequate",
            learning="(Demo) The child's words are not always recorded.",
            actions="(Demo) Remind practitioners to record the child's views.",
        )
    if cases:
        actions.moderate_case_audit(
            by=manager, case=cases[0], grade="needs_improvement", note="(Demo) Agreed."
        )


def load_learning() -> None:
    """Workforce, engagement and learning records in Middlesbrough (demo)."""
    from svduty.accounts.models import Agency

    from .models import TrainingSession

    lead, _manager, partnership = _people()
    if lead is None or partnership is None:
        return
    if TrainingSession.objects.filter(partnership=partnership).exists():
        return
    agencies = list(
        Agency.objects.filter(partnership_memberships__partnership=partnership)
        .order_by("name")
        .distinct()[:3]
    )
    if len(agencies) < 2:
        return
    today = timezone.localdate()

    def ago(days: int) -> dt.date:
        return today - dt.timedelta(days=days)

    for n, (title, topic, days) in enumerate(
        [
            ("(Demo) Spotting child criminal exploitation", "exploitation", 120),
            ("(Demo) Contextual safeguarding: harm outside the home", "contextual", 75),
            ("(Demo) Trauma-informed practice", "trauma", 40),
            ("(Demo) Information governance refresher", "other", 20),
        ]
    ):
        session = actions.record_training_session(
            by=lead,
            partnership=partnership,
            title=title,
            topic=topic,
            held_on=ago(days),
        )
        for i, agency in enumerate(agencies):
            actions.record_attendance(
                by=lead,
                session=session,
                agency=agency,
                role=["social_worker", "police", "school"][i % 3],
                attended=6 + 3 * i + n,
            )
    for months in range(1, 4):
        month = (today.replace(day=1) - dt.timedelta(days=28 * months)).replace(day=1)
        for i, agency in enumerate(agencies):
            actions.record_supervision(
                by=lead,
                partnership=partnership,
                agency=agency,
                month=month,
                practitioners=20 + 5 * i,
                supervised=16 + 4 * i - months,
            )
    heard = actions.record_engagement(
        by=lead,
        partnership=partnership,
        held_on=ago(60),
        kind="youth_forum",
        who="(Demo) Young people at the youth centre",
        where="North Ormesby youth centre",
        participants=24,
        young_people=21,
        heard="(Demo) The underpass by the station feels unsafe after dark.",
    )
    actions.record_engagement_change(
        by=lead,
        activity=heard,
        changed="(Demo) Lighting and a youth work outreach night at the underpass.",
    )
    actions.record_engagement(
        by=lead,
        partnership=partnership,
        held_on=ago(15),
        kind="parents",
        who="(Demo) Parents and carers",
        where="Town library",
        participants=14,
        young_people=0,
        heard="(Demo) Parents do not know where to get help after school hours.",
    )
    review = actions.record_review(
        by=lead,
        partnership=partnership,
        kind="rapid",
        title="(Demo) Rapid review: serious injury of a 15-year-old",
        started_on=ago(100),
        completed_on=ago(85),
        summary="(Demo) Missing episodes were not shared with the school.",
    )
    done = actions.add_recommendation(
        by=lead,
        review=review,
        text="(Demo) Share every missing episode with the child's school",
        due_on=ago(50),
        agency=agencies[0],
    )
    actions.complete_recommendation(
        by=lead, recommendation=done, completed_on=ago(55), note="(Demo) Agreed."
    )
    actions.add_recommendation(
        by=lead,
        review=review,
        text="(Demo) Train school staff on exploitation",
        due_on=ago(10),
        agency=agencies[1],
    )
    actions.record_learning_event(
        by=lead,
        partnership=partnership,
        title="(Demo) Learning from the rapid review",
        held_on=ago(45),
        attendees=38,
        agencies=agencies,
        review=review,
    )
    decision = actions.record_oversight_decision(
        by=lead,
        partnership=partnership,
        forum="executive",
        decided_on=ago(90),
        subject="(Demo) Exploitation as a safeguarding priority",
        decision="(Demo) Child exploitation is a partnership priority this year.",
        follow_up_due_on=ago(30),
    )
    actions.record_follow_up(by=lead, decision=decision, followed_up_on=ago(32))


#: Illustrative child populations for the demo's disproportionality page: made-up
#: round numbers, labelled as such (a real partnership enters the ONS Census 2021
#: figures for its local authorities).
DEMO_POPULATION = {
    "ethnicity": {
        "Asian or Asian British": 1400,
        "Black, Black British, Caribbean or African": 500,
        "Mixed or multiple ethnic groups": 700,
        "White": 14000,
        "Other ethnic group": 400,
    },
    "sex": {"Female": 8300, "Male": 8700},
    "age": {"10 to 13": 7600, "14 to 15": 3800, "16 to 17": 3700},
    "disability": {"Disabled": 1900, "Not recorded as disabled": 15100},
}


def load_population() -> None:
    from .models import ChildPopulation

    lead, _manager, partnership = _people()
    if lead is None or partnership is None:
        return
    if ChildPopulation.objects.filter(partnership=partnership).exists():
        return
    for dimension, groups in DEMO_POPULATION.items():
        for group, population in groups.items():
            actions.set_population(
                by=lead,
                partnership=partnership,
                dimension=dimension,
                group=group,
                population=population,
                source="(Demo) illustrative round numbers, not the Census",
            )


def load(context: dict) -> None:
    load_records()
    load_learning()
    load_population()
    today = timezone.localdate()
    for partnership in Partnership.objects.order_by("name"):
        latest = FigureRun.objects.filter(partnership=partnership).first()
        if latest is None or timezone.localdate(latest.computed_at) != today:
            actions.refresh_figures(by=None, partnership=partnership)
