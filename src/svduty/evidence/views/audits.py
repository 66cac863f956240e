"""Case audits: draw a reproducible sample, audit each case, moderate by a second
auditor, and the findings by question."""

from __future__ import annotations

import secrets
from collections import Counter
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from svduty.accounts.requests import signed_in_user
from svduty.cases.models import Person
from svduty.core.authorisation import Permission
from svduty.core.formviews import form_action
from svduty.core.policies import get_visible_or_404, requires
from svduty.evidence import actions
from svduty.evidence.forms import CaseAuditForm, DrawSampleForm, ModerationForm
from svduty.evidence.inspection import pseudonym
from svduty.evidence.models import (
    AUDIT_QUESTIONS,
    AuditAnswer,
    AuditSample,
    Grade,
    SampleCase,
)

from .common import chosen_partnership


@requires(Permission.AUDIT_CASES)
def audits(request: HttpRequest) -> HttpResponse:
    partnership, options = chosen_partnership(request)
    user = signed_in_user(request)
    form = DrawSampleForm(
        request.POST or None, initial={"seed": secrets.randbelow(1_000_000)}
    )
    if done := form_action(
        request,
        form,
        lambda d: actions.draw_sample(
            by=user,
            partnership=partnership,
            title=d["title"],
            seed=d["seed"],
            size=d["size"],
            risk_level=d["risk_level"],
        ),
    ):
        return redirect("evidence:audit_sample", pk=done.result.pk)
    samples = AuditSample.objects.visible_to(user).filter(partnership=partnership)
    return render(
        request,
        "evidence/audits.html",
        {
            "form": form,
            "samples": samples,
            "partnership": partnership,
            "options": options,
        },
    )


def _sample_or_404(request: HttpRequest, pk: int) -> AuditSample:
    return get_visible_or_404(
        AuditSample.objects.select_related("partnership", "drawn_by"),
        request.user,
        pk=pk,
    )


@requires(Permission.AUDIT_CASES)
def audit_sample(request: HttpRequest, pk: int) -> HttpResponse:
    sample = _sample_or_404(request, pk)
    cases = list(sample.cases.select_related("auditor", "moderator"))
    visible = set(
        Person.objects.visible_to(request.user)
        .filter(pk__in=[c.person_id for c in cases])
        .values_list("pk", flat=True)
    )
    rows = [
        {
            "case": c,
            "pseudonym": pseudonym(c.person_id),
            "url": reverse("cases:person", args=[c.person_id])
            if c.person_id in visible
            else "",
        }
        for c in cases
    ]
    findings: list[list[Any]] = []
    audited = [c for c in cases if c.audited_at]
    for key, text in AUDIT_QUESTIONS:
        counts = Counter(c.answers.get(key) for c in audited)
        findings.append([text, *(counts.get(a, 0) for a in AuditAnswer.values)])
    grades = Counter(c.moderated_grade or c.grade for c in audited)
    return render(
        request,
        "evidence/audit_sample.html",
        {
            "sample": sample,
            "partnership": sample.partnership,
            "rows": rows,
            "findings_head": ["Question", *AuditAnswer.labels],
            "findings": findings,
            "grades": [[label, grades.get(value, 0)] for value, label in Grade.choices],
            "grade_head": ["Grade", "Cases"],
            "audited": len(audited),
            "moderated": sum(1 for c in cases if c.moderated_at),
        },
    )


def _case_or_404(request: HttpRequest, pk: int, case_pk: int) -> SampleCase:
    sample = _sample_or_404(request, pk)
    return get_visible_or_404(
        SampleCase.objects.filter(sample=sample), request.user, pk=case_pk
    )


@requires(Permission.AUDIT_CASES)
def case_audit(request: HttpRequest, pk: int, case_pk: int) -> HttpResponse:
    case = _case_or_404(request, pk, case_pk)
    user = signed_in_user(request)
    initial = {f"q_{k}": v for k, v in case.answers.items()}
    initial.update(grade=case.grade, learning=case.learning, actions=case.actions)
    form = CaseAuditForm(request.POST or None, initial=initial)
    if form_action(
        request,
        form,
        lambda d: actions.record_case_audit(
            by=user,
            case=case,
            answers=form.answers(),
            grade=d["grade"],
            learning=d["learning"],
            actions=d["actions"],
        ),
    ):
        return redirect("evidence:audit_sample", pk=pk)
    return render(
        request,
        "evidence/form.html",
        {
            "form": form,
            "title": f"Audit case {case.order}: {pseudonym(case.person_id)}",
            "back": reverse("evidence:audit_sample", args=[pk]),
            "partnership": case.sample.partnership,
            "submit": "Save the audit",
        },
    )


@requires(Permission.AUDIT_CASES)
def moderate(request: HttpRequest, pk: int, case_pk: int) -> HttpResponse:
    case = _case_or_404(request, pk, case_pk)
    user = signed_in_user(request)
    form = ModerationForm(request.POST or None)
    if form_action(
        request,
        form,
        lambda d: actions.moderate_case_audit(
            by=user, case=case, grade=d["grade"], note=d["note"]
        ),
    ):
        return redirect("evidence:audit_sample", pk=pk)
    return render(
        request,
        "evidence/form.html",
        {
            "form": form,
            "title": f"Moderate the audit of case {case.order}",
            "intro": f"Audited as: {case.get_grade_display() or 'not audited yet'}.",
            "back": reverse("evidence:audit_sample", args=[pk]),
            "partnership": case.sample.partnership,
            "submit": "Save the moderation",
        },
    )
