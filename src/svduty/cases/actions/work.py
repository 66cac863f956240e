"""Screening, assessments and contributions."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.cases.models import (
    Assessment,
    AssessmentStatus,
    AssessmentType,
    Contribution,
    ContributionStatus,
    EventCategory,
    Indicator,
    Person,
    RiskLevel,
    Screening,
    ScreeningAnswer,
    ScreeningTool,
    Significance,
)
from svduty.cases.models.assessments import ASSESSMENT_TRANSITIONS
from svduty.cases.models.screening import Answer as AnswerChoice
from svduty.cases.rules import Answer, Suggestion, suggest_level
from svduty.cases.workdays import add_working_days
from svduty.core.authorisation import Permission
from svduty.core.policies import has_permission

from .common import chronology_entry, lock_version, refresh_summary, require_edit

if TYPE_CHECKING:
    from collections.abc import Iterable

    from svduty.accounts.models import Agency, User
    from svduty.cases.models import Referral


def suggestion_for(
    tool: ScreeningTool, person: Person, answers: dict[int, dict[str, Any]]
) -> Suggestion:
    indicators = {
        i.pk: i for i in Indicator.objects.filter(group__tool=tool, pk__in=answers)
    }
    return suggest_level(
        (
            Answer(
                weight=indicators[pk].weight,
                significant=indicators[pk].is_significant,
                present=value["answer"] == AnswerChoice.YES,
            )
            for pk, value in answers.items()
            if pk in indicators
        ),
        tool.rules,
        age=person.age,
        learning_disability=person.learning_disability,
    )


@transaction.atomic
def record_screening(
    *,
    by: User,
    person: Person,
    tool: ScreeningTool,
    answers: dict[int, dict[str, Any]],
    agreed_level: str,
    override_reason: str = "",
    danger_statement: str = "",
    safety_goal: str = "",
    screened_on: dt.date | None = None,
    referral: Referral | None = None,
) -> Screening:
    """`answers` maps indicator id to {"answer", "when", "evidence"}. The suggested
    level comes from the tool's rules; the agreed level is the practitioner's
    judgement and needs a reason when it differs."""
    require_edit(by, person)
    indicator_ids = set(
        Indicator.objects.filter(group__tool=tool).values_list("pk", flat=True)
    )
    errors = {}
    missing = indicator_ids - set(answers)
    if missing:
        errors["answers"] = (
            "Answer every indicator (choose Not known if you do not know)"
        )
    if agreed_level not in RiskLevel.values:
        errors["agreed_level"] = "Select the risk level you agree"
    if errors:
        raise ValidationError(errors)
    suggestion = suggestion_for(tool, person, answers)
    if agreed_level != suggestion.level and not override_reason.strip():
        raise ValidationError(
            {
                "override_reason": "Enter why your judgement differs from the "
                "suggested level"
            }
        )
    screened_on = screened_on or timezone.localdate()
    screening = Screening.objects.create(
        person=person,
        tool=tool,
        referral=referral,
        screened_on=screened_on,
        score=suggestion.score,
        suggested_level=suggestion.level,
        suggestion_reasons=suggestion.reasons,
        agreed_level=agreed_level,
        override_reason=override_reason.strip()
        if agreed_level != suggestion.level
        else "",
        danger_statement=danger_statement.strip(),
        safety_goal=safety_goal.strip(),
        review_on=screened_on + dt.timedelta(weeks=tool.review_weeks),
        completed_by=by,
    )
    ScreeningAnswer.objects.bulk_create(
        ScreeningAnswer(
            screening=screening,
            indicator_id=pk,
            answer=value["answer"],
            when=value.get("when", "") if value["answer"] == AnswerChoice.YES else "",
            evidence=(value.get("evidence") or "").strip(),
        )
        for pk, value in answers.items()
        if pk in indicator_ids
    )
    Person.objects.select_for_update().get(pk=person.pk)
    refresh_summary(person)
    chronology_entry(
        by=by,
        person=person,
        category=EventCategory.SCREENING,
        summary=f"Risk screening: {screening.get_agreed_level_display()} risk"
        + (
            " (practitioner judgement differs from the suggestion)"
            if screening.is_override
            else ""
        ),
        significance=Significance.HIGH
        if agreed_level == RiskLevel.HIGH
        else Significance.MEDIUM,
        source=screening,
    )
    record(
        AuditAction.CREATE,
        actor=by,
        target=screening,
        detail={
            "person": person.pk,
            "suggested": suggestion.level,
            "agreed": agreed_level,
            "override": screening.is_override,
        },
    )
    return screening


@transaction.atomic
def start_assessment(
    *,
    by: User,
    person: Person,
    assessment_type: AssessmentType,
    started_on: dt.date | None = None,
    referral: Referral | None = None,
    lead: User | None = None,
) -> Assessment:
    require_edit(by, person)
    started_on = started_on or (
        timezone.localdate(referral.received_at) if referral else timezone.localdate()
    )
    assessment = Assessment.objects.create(
        person=person,
        assessment_type=assessment_type,
        referral=referral,
        lead=lead or by,
        started_on=started_on,
        due_on=add_working_days(started_on, assessment_type.timescale_working_days),
    )
    Person.objects.select_for_update().get(pk=person.pk)
    refresh_summary(person)
    chronology_entry(
        by=by,
        person=person,
        category=EventCategory.ASSESSMENT,
        summary=f"{assessment_type} started, due {assessment.due_on:%d %B %Y}",
        source=assessment,
    )
    record(
        AuditAction.CREATE, actor=by, target=assessment, detail={"person": person.pk}
    )
    return assessment


ASSESSMENT_SECTIONS = (
    "extra_familial_harm",
    "online_risk",
    "family_strengths",
    "family_risks",
    "siblings_and_peers",
    "child_views",
    "child_views_not_obtained_reason",
    "parent_views",
    "analysis",
    "late_reason",
)


@transaction.atomic
def update_assessment(
    *,
    by: User,
    assessment: Assessment,
    expected_version: int,
    linked_people: Iterable[Person] | None = None,
    **sections: Any,
) -> Assessment:
    require_edit(by, assessment.person)
    unknown = set(sections) - set(ASSESSMENT_SECTIONS)
    if unknown:
        raise TypeError(f"Unknown assessment sections: {sorted(unknown)}")
    locked = lock_version(Assessment, assessment.pk, expected_version)
    if locked.status != AssessmentStatus.IN_PROGRESS:
        raise ValidationError(
            "This assessment has been submitted for sign-off and cannot be changed"
        )
    changed = [k for k, v in sections.items() if getattr(locked, k) != v]
    for key, value in sections.items():
        setattr(locked, key, (value or "").strip())
    locked.updated_at = timezone.now()
    locked.save(update_fields=[*sections, "updated_at", "version"])
    if linked_people is not None:
        locked.linked_people.set(linked_people)
    record(AuditAction.CHANGE, actor=by, target=locked, detail={"changed": changed})
    return locked


def _transition(assessment: Assessment, to: str) -> None:
    if to not in ASSESSMENT_TRANSITIONS[assessment.status]:
        raise ValidationError(
            f"An assessment that is {assessment.get_status_display().lower()} cannot "
            f"be moved to {AssessmentStatus(to).label.lower()}"
        )
    assessment.status = to


def sign_off_gaps(assessment: Assessment) -> dict[str, Any]:
    """What is missing before sign-off: shown to the manager, never hidden."""
    outstanding = [
        c
        for c in assessment.contributions.select_related("agency")
        if c.status == ContributionStatus.REQUESTED
    ]
    return {
        "child_views_missing": assessment.child_views_missing,
        "child_views_reason": assessment.child_views_not_obtained_reason,
        "outstanding_contributions": outstanding,
        "declined_contributions": [
            c
            for c in assessment.contributions.select_related("agency")
            if c.status == ContributionStatus.DECLINED
        ],
        "late": assessment.is_overdue(),
    }


@transaction.atomic
def submit_assessment(
    *, by: User, assessment: Assessment, expected_version: int
) -> Assessment:
    require_edit(by, assessment.person)
    locked = lock_version(Assessment, assessment.pk, expected_version)
    errors = {}
    if (
        locked.child_views_missing
        and not locked.child_views_not_obtained_reason.strip()
    ):
        errors["child_views"] = (
            "Enter the child's views, or why they could not be obtained"
        )
    if not locked.analysis.strip():
        errors["analysis"] = "Enter your analysis and recommendation"
    if timezone.localdate() > locked.due_on and not locked.late_reason.strip():
        errors["late_reason"] = "Enter why the assessment is finishing late"
    if errors:
        raise ValidationError(errors)
    _transition(locked, AssessmentStatus.SUBMITTED)
    locked.submitted_at = timezone.now()
    locked.save(update_fields=["status", "submitted_at", "version"])
    record(AuditAction.CHANGE, actor=by, target=locked, detail={"status": "submitted"})
    return locked


@transaction.atomic
def sign_off_assessment(
    *, by: User, assessment: Assessment, approve: bool, note: str = ""
) -> Assessment:
    if not has_permission(by, Permission.SIGN_OFF_ASSESSMENTS):
        raise PermissionDenied("Your roles do not include signing off assessments.")
    require_edit(by, assessment.person)
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.lead_id == by.pk:
        raise ValidationError("Another manager must sign off an assessment you led")
    if not approve and not note.strip():
        raise ValidationError({"note": "Enter what needs to change"})
    if approve:
        _transition(locked, AssessmentStatus.SIGNED_OFF)
        locked.signed_off_by = by
        locked.signed_off_at = timezone.now()
    else:
        _transition(locked, AssessmentStatus.IN_PROGRESS)
    locked.sign_off_note = note.strip()
    locked.version += 1
    locked.save(
        update_fields=[
            "status",
            "signed_off_by",
            "signed_off_at",
            "sign_off_note",
            "version",
        ]
    )
    Person.objects.select_for_update().get(pk=locked.person_id)
    refresh_summary(locked.person)
    if approve:
        chronology_entry(
            by=by,
            person=locked.person,
            category=EventCategory.ASSESSMENT,
            summary=f"{locked.assessment_type} signed off",
            source=locked,
        )
    record(
        AuditAction.CHANGE,
        actor=by,
        target=locked,
        detail={"status": locked.status, "note": locked.sign_off_note},
    )
    return locked


@transaction.atomic
def request_contribution(
    *,
    by: User,
    assessment: Assessment,
    agency: Agency,
    question: str,
    due_on: dt.date | None = None,
) -> Contribution:
    require_edit(by, assessment.person)
    if assessment.status == AssessmentStatus.SIGNED_OFF:
        raise ValidationError("This assessment has been signed off")
    if not question.strip():
        raise ValidationError(
            {"question": "Enter what you would like them to tell you"}
        )
    if Contribution.objects.filter(assessment=assessment, agency=agency).exists():
        raise ValidationError({"agency": "You have already asked this agency"})
    due_on = due_on or min(
        add_working_days(timezone.localdate(), 10), assessment.due_on
    )
    contribution = Contribution.objects.create(
        assessment=assessment,
        agency=agency,
        question=question.strip(),
        requested_by=by,
        due_on=due_on,
    )
    record(
        AuditAction.CREATE,
        actor=by,
        target=contribution,
        detail={"person": assessment.person_id, "agency": agency.name},
    )
    return contribution


@transaction.atomic
def respond_to_contribution(
    *,
    by: User,
    contribution: Contribution,
    response: str = "",
    declined_reason: str = "",
) -> Contribution:
    """A practitioner in the agency asked answers, or declines with a reason."""
    if not has_permission(by, Permission.EDIT_CASES):
        raise PermissionDenied
    contribution = Contribution.objects.select_for_update().get(pk=contribution.pk)
    if contribution.agency_id not in by.agency_ids():
        raise PermissionDenied("This request was made to another agency.")
    if contribution.status != ContributionStatus.REQUESTED:
        raise ValidationError("This request has already been answered")
    if bool(response.strip()) == bool(declined_reason.strip()):
        raise ValidationError(
            {"response": "Enter your contribution, or why your agency is declining"}
        )
    contribution.status = (
        ContributionStatus.RECEIVED if response.strip() else ContributionStatus.DECLINED
    )
    contribution.response = response.strip()
    contribution.declined_reason = declined_reason.strip()
    contribution.responded_by = by
    contribution.responded_at = timezone.now()
    contribution.save(
        update_fields=[
            "status",
            "response",
            "declined_reason",
            "responded_by",
            "responded_at",
        ]
    )
    person = contribution.assessment.person
    chronology_entry(
        by=by,
        person=person,
        category=EventCategory.ASSESSMENT,
        summary=f"Contribution {contribution.get_status_display().lower()} from "
        f"{contribution.agency}",
        agency=contribution.agency,
        source=contribution,
    )
    record(
        AuditAction.CHANGE,
        actor=by,
        target=contribution,
        detail={"person": person.pk, "status": contribution.status},
    )
    return contribution
