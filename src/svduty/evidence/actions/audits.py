"""Case audits: a reproducible sample, the audit, moderation by a second auditor."""

from __future__ import annotations

import random

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from svduty.accounts.models import User
from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.cases.models import Person, PersonKind
from svduty.cases.policies import user_partnership_ids
from svduty.core.authorisation import Permission
from svduty.core.policies import has_permission
from svduty.evidence.models import (
    AUDIT_QUESTIONS,
    AuditAnswer,
    AuditSample,
    Grade,
    SampleCase,
)
from svduty.partnership.models import Partnership


def _require(by: User, partnership_id: int) -> None:
    if not has_permission(by, Permission.AUDIT_CASES):
        raise PermissionDenied("You cannot carry out case audits.")
    if partnership_id not in user_partnership_ids(by):
        raise PermissionDenied("You do not work in this partnership.")


def draw(eligible: list[int], *, seed: int, size: int) -> list[int]:
    """The sample: the same seed and eligible ids (in any order) give the same
    children in the same order."""
    ordered = sorted(eligible)
    return random.Random(seed).sample(ordered, min(size, len(ordered)))


@transaction.atomic
def draw_sample(
    *,
    by: User,
    partnership: Partnership,
    title: str,
    seed: int,
    size: int,
    risk_level: str = "",
) -> AuditSample:
    _require(by, partnership.pk)
    if not 1 <= size <= 50:
        raise ValidationError({"size": "The sample must be between 1 and 50 children"})
    people = Person.objects.filter(partnership=partnership, kind=PersonKind.CHILD)
    if risk_level:
        people = people.filter(risk_level=risk_level)
    eligible = list(people.values_list("pk", flat=True))
    if not eligible:
        raise ValidationError({"size": "No children match: change the criteria"})
    chosen = draw(eligible, seed=seed, size=size)
    sample = AuditSample.objects.create(
        partnership=partnership,
        title=title.strip() or "Case audit",
        seed=seed,
        size=size,
        risk_level=risk_level,
        eligible=len(eligible),
        drawn_by=by,
    )
    SampleCase.objects.bulk_create(
        SampleCase(sample=sample, person_id=pk, order=i + 1)
        for i, pk in enumerate(chosen)
    )
    record(
        AuditAction.CREATE,
        actor=by,
        target=sample,
        detail={"seed": seed, "size": size, "people": chosen},
    )
    return sample


@transaction.atomic
def record_case_audit(
    *,
    by: User,
    case: SampleCase,
    answers: dict[str, str],
    grade: str,
    learning: str = "",
    actions: str = "",
) -> SampleCase:
    case = SampleCase.objects.select_for_update().get(pk=case.pk)
    _require(by, case.sample.partnership_id)
    if case.moderated_at is not None:
        raise ValidationError("This audit has been moderated: it cannot change")
    keys = {k for k, _ in AUDIT_QUESTIONS}
    if set(answers) != keys or not set(answers.values()) <= set(AuditAnswer.values):
        raise ValidationError("Answer every question")
    if grade not in Grade.values:
        raise ValidationError({"grade": "Choose a grade"})
    case.answers = answers
    case.grade = grade
    case.learning = learning.strip()
    case.actions = actions.strip()
    case.auditor = by
    case.audited_at = timezone.now()
    case.save()
    record(AuditAction.CHANGE, actor=by, target=case, detail={"grade": grade})
    return case


@transaction.atomic
def moderate_case_audit(
    *, by: User, case: SampleCase, grade: str, note: str = ""
) -> SampleCase:
    case = SampleCase.objects.select_for_update().get(pk=case.pk)
    _require(by, case.sample.partnership_id)
    if case.audited_at is None:
        raise ValidationError("Audit the case before moderating it")
    if case.auditor_id == by.pk:
        raise ValidationError("A second auditor must moderate: not the case's auditor")
    if grade not in Grade.values:
        raise ValidationError({"grade": "Choose a grade"})
    case.moderator = by
    case.moderated_grade = grade
    case.moderation_note = note.strip()
    case.moderated_at = timezone.now()
    case.save()
    record(
        AuditAction.CHANGE,
        actor=by,
        target=case,
        detail={"moderated": grade, "audited": case.grade},
    )
    return case
