"""Demo data for inspection evidence (issue 12). Runs last.

In Middlesbrough, `lead` has self-assessed three outcomes with evidence links, and
drawn a case-audit sample (seed 2026) whose first two cases `lead` audited and
`manager` moderated one. Then it computes the 21 outcomes' figures from everything the
other demo modules loaded (the same action the daily `refresh_evidence` command calls),
so the pages have figures as soon as the demo starts; no background worker is needed.
Running it again the same day changes nothing."""

from __future__ import annotations

import datetime as dt

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


def load(context: dict) -> None:
    load_records()
    today = timezone.localdate()
    for partnership in Partnership.objects.order_by("name"):
        latest = FigureRun.objects.filter(partnership=partnership).first()
        if latest is None or timezone.localdate(latest.computed_at) != today:
            actions.refresh_figures(by=None, partnership=partnership)
