"""Case audits: draw a reproducible sample, audit each case, moderate by a second
auditor, and the findings by question."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from svduty.accounts.requests import signed_in_user
from svduty.cases.models import Person
from svduty.core.authorisation import Permission
from svduty.core.formviews import form_action
from svduty.core.policies import get_visible_or_404, requires
from svduty.evidence import actions, audit_results
from svduty.evidence.forms import CaseAuditForm, DrawSampleForm, ModerationForm
from svduty.evidence.inspection import pseudonym
from svduty.evidence.models import (
    AuditAnswer,
    AuditForm,
    AuditSample,
    SampleCase,
)

from .common import chosen_partnership


@requires(Permission.AUDIT_CASES)
def audits(request: HttpRequest) -> HttpResponse:
    partnership, options = chosen_partnership(request)
    user = signed_in_user(request)
    form = DrawSampleForm(
        request.POST or None,
        initial={"seed": secrets.randbelow(1_000_000)},
        partnership=partnership,
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
            form=d["form"],
            stratify_by=d["stratify_by"],
            minimum=d["minimum"] or 0,
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
            "audit_forms": AuditForm.objects.filter(partnership=partnership),
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
    found = audit_results.findings(sample, cases)
    return render(
        request,
        "evidence/audit_sample.html",
        {
            "sample": sample,
            "partnership": sample.partnership,
            "rows": rows,
            "findings_head": ["Question", *AuditAnswer.labels],
            "findings": [
                [text, *counts.values()] for _, text, _, counts in found.questions
            ],
            "part_head": ["Agency's part", *AuditAnswer.labels],
            "part_rows": [[part, *counts.values()] for part, counts in found.parts],
            "grades": [[label, n] for _, label, n in found.grades],
            "grade_head": ["Grade", "Cases"],
            "audited": found.audited,
            "moderated": found.moderated,
            "strata_head": ["Group", "Children eligible", "Share of eligible", "Drawn"],
            "strata": [
                [
                    s["stratum"],
                    s["eligible"],
                    f"{round(100 * s['eligible'] / sample.eligible)}%",
                    s["drawn"],
                ]
                for s in sample.strata
            ],
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
    form = CaseAuditForm(
        request.POST or None, initial=initial, questions=case.sample.questions()
    )
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


@requires(Permission.AUDIT_CASES)
def audit_forms(request: HttpRequest, slug: str) -> HttpResponse:
    """The partnership's audit forms (every version), and a new form or version."""
    from svduty.evidence.forms import AuditFormForm

    from .learning import _partnership

    partnership = _partnership(request, slug)
    user = signed_in_user(request)
    form = AuditFormForm(request.POST or None)
    if done := form_action(
        request,
        form,
        lambda d: actions.save_audit_form(by=user, partnership=partnership, **d),
    ):
        messages.success(request, f"Audit form saved: {done.result}")
        return redirect("evidence:audit_forms", slug=slug)
    return render(
        request,
        "evidence/audit_forms.html",
        {
            "partnership": partnership,
            "audit_forms": AuditForm.objects.visible_to(user).filter(
                partnership=partnership
            ),
            "form": form,
        },
    )
