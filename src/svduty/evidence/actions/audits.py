"""Case audits: a reproducible sample, the audit, moderation by a second auditor."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from svduty.accounts.models import Membership, User
from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.cases.models import Address, Person, PersonKind, RiskLevel, Sex
from svduty.cases.policies import user_partnership_ids
from svduty.core.authorisation import Permission
from svduty.core.policies import has_permission
from svduty.evidence.disproportionality import NOT_KNOWN, age_band, ethnic_group
from svduty.evidence.models import (
    AuditAnswer,
    AuditForm,
    AuditSample,
    Grade,
    SampleCase,
    Stratification,
)
from svduty.evidence.sampling import AllocationError, draw_stratified
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


NO_ADDRESS = "No current address with a postcode"


def postcode_district(postcode: str) -> str:
    """The outward code of a UK postcode ("TS1 2AB" -> "TS1"; "ts12ab" -> "TS1"):
    the inward code is always a digit and two letters."""
    compact = "".join(postcode.split()).upper()
    if len(compact) < 5:
        return NO_ADDRESS
    return compact[:-3]


def stratum_of(child: Mapping[str, Any], by: str, today: dt.date) -> str:
    """The group a child is in when a sample is stratified `by` (a
    `Stratification`); children with nothing recorded form a group of their own."""
    match by:
        case Stratification.AGENCY:
            return child["lead_agency"] or "No lead professional"
        case Stratification.RISK:
            level = child["risk_level"]
            return RiskLevel(level).label if level else "Not screened"
        case Stratification.AGE:
            return age_band(child["date_of_birth"], today)
        case Stratification.SEX:
            return Sex(child["sex"]).label if child["sex"] else NOT_KNOWN
        case Stratification.ETHNICITY:
            return ethnic_group(child["ethnicity"] or "")
        case Stratification.AREA:
            return postcode_district(child.get("postcode") or "")
    raise ValueError(f"no stratification {by!r}")


@transaction.atomic
def draw_sample(
    *,
    by: User,
    partnership: Partnership,
    title: str,
    seed: int,
    size: int,
    risk_level: str = "",
    form: AuditForm | None = None,
    stratify_by: str = "",
    minimum: int = 0,
) -> AuditSample:
    """Draw the children to audit, at random from the seed: over all the
    partnership's children (optionally at one risk level), or stratified by one of
    their characteristics with proportional allocation and a minimum per group
    (`sampling`). The seed, the groups and the children drawn are kept and audited."""
    _require(by, partnership.pk)
    if form is not None and form.partnership_id != partnership.pk:
        raise ValidationError({"form": "Choose one of this partnership's audit forms"})
    if not 1 <= size <= 50:
        raise ValidationError({"size": "The sample must be between 1 and 50 children"})
    if stratify_by and stratify_by not in Stratification.values:
        raise ValidationError({"stratify_by": "Choose what to stratify by"})
    if not stratify_by and minimum:
        raise ValidationError(
            {
                "minimum": "A minimum per group needs a stratified sample: choose what "
                "to stratify by"
            }
        )
    if not 0 <= minimum <= size:
        raise ValidationError(
            {"minimum": "The minimum per group must be from 0 to the sample size"}
        )
    people = Person.objects.filter(partnership=partnership, kind=PersonKind.CHILD)
    if risk_level:
        people = people.filter(risk_level=risk_level)
    # The lead professional's agency: their primary one (else the first by name).
    lead_agency = Membership.objects.filter(
        user=OuterRef("lead_professional")
    ).order_by("-is_primary", "agency__name")
    # The area: the postcode of the current address (no end date; the latest).
    address = Address.objects.filter(
        person=OuterRef("pk"), to_date__isnull=True
    ).order_by(F("from_date").desc(nulls_last=True), "-pk")
    children = list(
        people.annotate(
            lead_agency=Subquery(lead_agency.values("agency__name")[:1]),
            postcode=Subquery(address.values("postcode")[:1]),
        ).values(
            "pk",
            "lead_agency",
            "risk_level",
            "date_of_birth",
            "sex",
            "ethnicity",
            "postcode",
        )
    )
    if not children:
        raise ValidationError({"size": "No children match: change the criteria"})
    strata: list[dict[str, Any]] = []
    if stratify_by:
        today = timezone.localdate()
        groups: dict[str, list[int]] = defaultdict(list)
        for child in children:
            groups[stratum_of(child, stratify_by, today)].append(child["pk"])
        try:
            chosen, table = draw_stratified(
                groups, seed=seed, size=size, minimum=minimum
            )
        except AllocationError as error:
            raise ValidationError({"minimum": str(error)}) from error
        strata = [s.as_dict() for s in table]
    else:
        chosen = draw([c["pk"] for c in children], seed=seed, size=size)
    sample = AuditSample.objects.create(
        partnership=partnership,
        title=title.strip() or "Case audit",
        seed=seed,
        size=size,
        risk_level=risk_level,
        form=form,
        eligible=len(children),
        stratify_by=stratify_by,
        minimum_per_stratum=minimum,
        strata=strata,
        drawn_by=by,
    )
    SampleCase.objects.bulk_create(
        SampleCase(sample=sample, person_id=pk, order=i + 1)
        for i, pk in enumerate(chosen)
    )
    detail: dict[str, Any] = {"seed": seed, "size": size, "people": chosen}
    if stratify_by:
        detail.update(stratify_by=stratify_by, minimum=minimum, strata=strata)
    record(AuditAction.CREATE, actor=by, target=sample, detail=detail)
    return sample


def parse_questions(text: str) -> list[dict[str, str]]:
    """One question a line; "police: Was ..." makes it the part of one kind of
    agency (an AgencyType value)."""
    from svduty.accounts.models import AgencyType

    questions = []
    for n, raw in enumerate(line.strip() for line in text.splitlines()):
        if not raw:
            continue
        part, sep, rest = raw.partition(":")
        if sep and part.strip() in AgencyType.values and rest.strip():
            part, question = part.strip(), rest.strip()
        else:
            part, question = "", raw
        questions.append({"key": f"q{n + 1}", "text": question[:300], "part": part})
    return questions


@transaction.atomic
def save_audit_form(
    *, by: User, partnership: Partnership, name: str, questions: str
) -> AuditForm:
    """A new audit form, or a new version of the form of that name (earlier
    versions, and the samples drawn with them, stay as they were)."""
    _require(by, partnership.pk)
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Enter the name of the form"})
    parsed = parse_questions(questions)
    if not 1 <= len(parsed) <= 40:
        raise ValidationError({"questions": "Enter between 1 and 40 questions"})
    latest = (
        AuditForm.objects.select_for_update()
        .filter(partnership=partnership, name=name)
        .order_by("-version")
        .first()
    )
    form = AuditForm.objects.create(
        partnership=partnership,
        name=name,
        version=latest.version + 1 if latest else 1,
        questions=parsed,
        created_by=by,
    )
    record(
        AuditAction.CREATE,
        actor=by,
        target=form,
        detail={"version": form.version, "questions": len(parsed)},
    )
    return form


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
    keys = {k for k, _ in case.sample.questions()}
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
