"""Changing the children-at-risk configuration held as data (issue 4, points 4 and 9):
the language checker's phrases, assessment types and their timescales, and versions
of the screening tool.

Actions (architecture D6): keyword-only, one transaction, the rule checked here (GOV.UK
wording), one audit event each. The screening tool is versioned: a partnership copies
the active version into a draft, edits the draft and publishes it. A version that is
active, retired or used by any screening is never edited, so every screening keeps
the questions and thresholds it was scored with.
"""

from __future__ import annotations

import re
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Max

from svduty.accounts.models import User
from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.cases.models import (
    AssessmentType,
    Indicator,
    IndicatorGroup,
    LanguageRule,
    RiskLevel,
    Screening,
    ScreeningTool,
)
from svduty.core.authorisation import Permission
from svduty.core.policies import has_permission

_Item = TypeVar("_Item", IndicatorGroup, Indicator)

TIMESCALE_MIN, TIMESCALE_MAX = 1, 200
NOT_EDITABLE = (
    "This version of the screening tool is published or has been used, so it cannot "
    "be changed. Create a new version instead."
)


def _require(by: User) -> None:
    if not has_permission(by, Permission.MANAGE_CASE_CONFIGURATION):
        raise PermissionDenied


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


# --- Language rules ------------------------------------------------------------


def _check_language_rule(
    phrase: str, alternative: str, exclude_pk: int | None = None
) -> None:
    errors = {}
    if not phrase:
        errors["phrase"] = "Enter the phrase to look for"
    elif (
        LanguageRule.objects.filter(phrase__iexact=phrase)
        .exclude(pk__in=[] if exclude_pk is None else [exclude_pk])
        .exists()
    ):
        errors["phrase"] = "There is already a rule for this phrase"
    if not alternative:
        errors["alternative"] = "Enter a suggested alternative"
    if errors:
        raise ValidationError(errors)


def _save_unique(obj: models.Model, field: str, message: str) -> None:
    """Save, turning a unique violation by a concurrent request into the same
    GOV.UK error the check above gives."""
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as error:
        raise ValidationError({field: message}) from error


@transaction.atomic
def add_language_rule(
    *, by: User, phrase: str, alternative: str, explanation: str = ""
) -> LanguageRule:
    _require(by)
    phrase, alternative, explanation = map(_clean, (phrase, alternative, explanation))
    _check_language_rule(phrase, alternative)
    rule = LanguageRule(phrase=phrase, alternative=alternative, explanation=explanation)
    _save_unique(rule, "phrase", "There is already a rule for this phrase")
    record(AuditAction.CREATE, actor=by, target=rule, detail={"phrase": phrase})
    return rule


@transaction.atomic
def update_language_rule(
    *,
    by: User,
    rule: LanguageRule,
    phrase: str,
    alternative: str,
    explanation: str = "",
) -> LanguageRule:
    _require(by)
    rule = LanguageRule.objects.select_for_update().get(pk=rule.pk)
    phrase, alternative, explanation = map(_clean, (phrase, alternative, explanation))
    _check_language_rule(phrase, alternative, exclude_pk=rule.pk)
    before = {
        "phrase": rule.phrase,
        "alternative": rule.alternative,
        "explanation": rule.explanation,
    }
    rule.phrase, rule.alternative, rule.explanation = phrase, alternative, explanation
    _save_unique(rule, "phrase", "There is already a rule for this phrase")
    record(AuditAction.CHANGE, actor=by, target=rule, detail={"before": before})
    return rule


@transaction.atomic
def set_language_rule_active(
    *, by: User, rule: LanguageRule, active: bool
) -> LanguageRule:
    _require(by)
    rule = LanguageRule.objects.select_for_update().get(pk=rule.pk)
    rule.is_active = active
    rule.save(update_fields=["is_active"])
    record(AuditAction.CHANGE, actor=by, target=rule, detail={"is_active": active})
    return rule


# --- Assessment types ----------------------------------------------------------


def _check_assessment_type(
    name: str, days: int | None, exclude_pk: int | None = None
) -> None:
    errors = {}
    if not name:
        errors["name"] = "Enter the name of the assessment type"
    elif (
        AssessmentType.objects.filter(name__iexact=name)
        .exclude(pk__in=[] if exclude_pk is None else [exclude_pk])
        .exists()
    ):
        errors["name"] = "There is already an assessment type with this name"
    if days is None:
        errors["timescale_working_days"] = "Enter the timescale in working days"
    elif not TIMESCALE_MIN <= days <= TIMESCALE_MAX:
        errors["timescale_working_days"] = (
            f"The timescale must be between {TIMESCALE_MIN} and {TIMESCALE_MAX} "
            "working days"
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def add_assessment_type(
    *, by: User, name: str, description: str = "", timescale_working_days: int = 45
) -> AssessmentType:
    _require(by)
    name = _clean(name)
    _check_assessment_type(name, timescale_working_days)
    assessment_type = AssessmentType(
        name=name,
        description=(description or "").strip(),
        timescale_working_days=timescale_working_days,
    )
    _save_unique(
        assessment_type, "name", "There is already an assessment type with this name"
    )
    record(
        AuditAction.CREATE,
        actor=by,
        target=assessment_type,
        detail={"timescale_working_days": timescale_working_days},
    )
    return assessment_type


@transaction.atomic
def update_assessment_type(
    *,
    by: User,
    assessment_type: AssessmentType,
    name: str,
    description: str = "",
    timescale_working_days: int,
) -> AssessmentType:
    """A new timescale applies to assessments started from now on: an assessment's
    due date is worked out and stored when it starts."""
    _require(by)
    assessment_type = AssessmentType.objects.select_for_update().get(
        pk=assessment_type.pk
    )
    name = _clean(name)
    _check_assessment_type(name, timescale_working_days, exclude_pk=assessment_type.pk)
    before = {
        "name": assessment_type.name,
        "timescale_working_days": assessment_type.timescale_working_days,
    }
    assessment_type.name = name
    assessment_type.description = (description or "").strip()
    assessment_type.timescale_working_days = timescale_working_days
    _save_unique(
        assessment_type, "name", "There is already an assessment type with this name"
    )
    record(
        AuditAction.CHANGE,
        actor=by,
        target=assessment_type,
        detail={"before": before, "timescale_working_days": timescale_working_days},
    )
    return assessment_type


@transaction.atomic
def set_assessment_type_active(
    *, by: User, assessment_type: AssessmentType, active: bool
) -> AssessmentType:
    """A type switched off is not offered for new assessments; assessments already
    started keep it."""
    _require(by)
    assessment_type = AssessmentType.objects.select_for_update().get(
        pk=assessment_type.pk
    )
    assessment_type.is_active = active
    assessment_type.save(update_fields=["is_active"])
    record(
        AuditAction.CHANGE,
        actor=by,
        target=assessment_type,
        detail={"is_active": active},
    )
    return assessment_type


# --- Screening tool ------------------------------------------------------------


def active_tool() -> ScreeningTool | None:
    """The version new screenings use (the same query as the screening form)."""
    return ScreeningTool.objects.filter(is_active=True).order_by("-version").first()


def draft_tool(active: ScreeningTool | None = None) -> ScreeningTool | None:
    """The unpublished version after the active one, if someone started one."""
    active = active or active_tool()
    if active is None:
        return None
    return (
        ScreeningTool.objects.filter(
            name=active.name, is_active=False, version__gt=active.version
        )
        .order_by("-version")
        .first()
    )


def is_draft(tool: ScreeningTool) -> bool:
    """Editable: not active, never used, and newer than every other version."""
    if tool.is_active or Screening.objects.filter(tool=tool).exists():
        return False
    newest = ScreeningTool.objects.filter(name=tool.name).aggregate(v=Max("version"))
    return bool(tool.version == newest["v"])


def _lock_draft(tool: ScreeningTool) -> ScreeningTool:
    tool = ScreeningTool.objects.select_for_update().get(pk=tool.pk)
    if not is_draft(tool):
        raise ValidationError(NOT_EDITABLE)
    return tool


def _changed(by: User, tool: ScreeningTool, change: str, **detail: Any) -> None:
    record(
        AuditAction.CHANGE,
        actor=by,
        target=tool,
        detail={"change": change, **detail},
    )


@transaction.atomic
def create_draft_tool(*, by: User) -> ScreeningTool:
    """Copy the active version (settings, groups and indicators, in order) into a
    new, unpublished version."""
    _require(by)
    active = (
        ScreeningTool.objects.select_for_update()
        .filter(is_active=True)
        .order_by("-version")
        .first()
    )
    if active is None:
        raise ValidationError("There is no active screening tool to copy")
    if draft_tool(active) is not None:
        raise ValidationError(
            "A new version is already being prepared. Change or publish that one."
        )
    newest = ScreeningTool.objects.filter(name=active.name).aggregate(v=Max("version"))
    draft = ScreeningTool.objects.create(
        name=active.name,
        version=newest["v"] + 1,
        is_active=False,
        medium_from=active.medium_from,
        high_from=active.high_from,
        significant_means_high=active.significant_means_high,
        floor_under_age=active.floor_under_age,
        floor_for_learning_disability=active.floor_for_learning_disability,
        floor_level=active.floor_level,
        review_weeks=active.review_weeks,
    )
    for group in active.groups.prefetch_related("indicators"):
        copy = IndicatorGroup.objects.create(
            tool=draft, name=group.name, order=group.order
        )
        Indicator.objects.bulk_create(
            Indicator(
                group=copy,
                text=i.text,
                hint=i.hint,
                weight=i.weight,
                is_significant=i.is_significant,
                order=i.order,
            )
            for i in group.indicators.all()
        )
    record(
        AuditAction.CREATE,
        actor=by,
        target=draft,
        detail={"copied_from": active.pk, "version": draft.version},
    )
    return draft


@transaction.atomic
def update_tool_settings(
    *,
    by: User,
    tool: ScreeningTool,
    medium_from: int,
    high_from: int,
    significant_means_high: bool,
    floor_under_age: int | None,
    floor_for_learning_disability: bool,
    floor_level: str,
    review_weeks: int,
) -> ScreeningTool:
    _require(by)
    tool = _lock_draft(tool)
    errors = {}
    if high_from <= medium_from:
        errors["high_from"] = (
            "The score for high risk must be higher than the score for medium risk"
        )
    if floor_level not in (RiskLevel.MEDIUM, RiskLevel.HIGH):
        errors["floor_level"] = "Select the lowest level for the floor rule"
    if errors:
        raise ValidationError(errors)
    fields = {
        "medium_from": medium_from,
        "high_from": high_from,
        "significant_means_high": significant_means_high,
        "floor_under_age": floor_under_age,
        "floor_for_learning_disability": floor_for_learning_disability,
        "floor_level": floor_level,
        "review_weeks": review_weeks,
    }
    for name, value in fields.items():
        setattr(tool, name, value)
    tool.save(update_fields=list(fields))
    _changed(by, tool, "settings", **fields)
    return tool


def _next_order(queryset: models.QuerySet[Any]) -> int:
    value = queryset.aggregate(m=Max("order"))["m"]
    return 0 if value is None else value + 1


def _require_text(value: str, field: str, message: str) -> str:
    value = _clean(value)
    if not value:
        raise ValidationError({field: message})
    return value


@transaction.atomic
def add_group(*, by: User, tool: ScreeningTool, name: str) -> IndicatorGroup:
    _require(by)
    tool = _lock_draft(tool)
    name = _require_text(name, "name", "Enter the name of the group")
    group = IndicatorGroup.objects.create(
        tool=tool, name=name, order=_next_order(tool.groups.all())
    )
    _changed(by, tool, "group_added", group=group.pk, name=name)
    return group


@transaction.atomic
def rename_group(*, by: User, group: IndicatorGroup, name: str) -> IndicatorGroup:
    _require(by)
    tool = _lock_draft(group.tool)
    group = IndicatorGroup.objects.get(pk=group.pk, tool=tool)
    name = _require_text(name, "name", "Enter the name of the group")
    before = group.name
    group.name = name
    group.save(update_fields=["name"])
    _changed(by, tool, "group_renamed", group=group.pk, before=before, name=name)
    return group


@transaction.atomic
def remove_group(*, by: User, group: IndicatorGroup) -> None:
    _require(by)
    tool = _lock_draft(group.tool)
    group = IndicatorGroup.objects.get(pk=group.pk, tool=tool)
    if group.indicators.exists():
        raise ValidationError(
            f"Remove the indicators in “{group.name}”, or move them to another "
            "group, before removing the group"
        )
    detail = {"group": group.pk, "name": group.name}
    group.delete()
    _changed(by, tool, "group_removed", **detail)


def _move(items: list[_Item], item: _Item, direction: str) -> list[_Item]:
    index = next(i for i, x in enumerate(items) if x.pk == item.pk)
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other < len(items):
        raise ValidationError("That item cannot move further")
    items[index], items[other] = items[other], items[index]
    for order, x in enumerate(items):
        x.order = order
    return items


@transaction.atomic
def move_group(*, by: User, group: IndicatorGroup, direction: str) -> None:
    _require(by)
    tool = _lock_draft(group.tool)
    groups = _move(list(tool.groups.all()), group, direction)
    IndicatorGroup.objects.bulk_update(groups, ["order"])
    _changed(by, tool, "group_moved", group=group.pk, direction=direction)


def _check_indicator(text: str, weight: int | None) -> str:
    text = _clean(text)
    errors = {}
    if not text:
        errors["text"] = "Enter the indicator"
    if weight is None or weight < 0:
        errors["weight"] = "Enter a weight of 0 or more"
    if errors:
        raise ValidationError(errors)
    return text


@transaction.atomic
def add_indicator(
    *,
    by: User,
    group: IndicatorGroup,
    text: str,
    hint: str = "",
    weight: int = 1,
    is_significant: bool = False,
) -> Indicator:
    _require(by)
    tool = _lock_draft(group.tool)
    group = IndicatorGroup.objects.get(pk=group.pk, tool=tool)
    text = _check_indicator(text, weight)
    indicator = Indicator.objects.create(
        group=group,
        text=text,
        hint=_clean(hint),
        weight=weight,
        is_significant=is_significant,
        order=_next_order(group.indicators.all()),
    )
    _changed(
        by,
        tool,
        "indicator_added",
        indicator=indicator.pk,
        text=text,
        weight=weight,
        is_significant=is_significant,
    )
    return indicator


@transaction.atomic
def update_indicator(
    *,
    by: User,
    indicator: Indicator,
    group: IndicatorGroup,
    text: str,
    hint: str = "",
    weight: int,
    is_significant: bool = False,
) -> Indicator:
    """Change an indicator of a draft; choosing another group moves it to the end of
    that group."""
    _require(by)
    tool = _lock_draft(indicator.group.tool)
    indicator = Indicator.objects.get(pk=indicator.pk, group__tool=tool)
    if group.tool_id != tool.pk:
        raise ValidationError({"group": "Select a group of this version"})
    text = _check_indicator(text, weight)
    before = {
        "group": indicator.group_id,
        "text": indicator.text,
        "weight": indicator.weight,
        "is_significant": indicator.is_significant,
    }
    if group.pk != indicator.group_id:
        indicator.order = _next_order(group.indicators.all())
    indicator.group = group
    indicator.text = text
    indicator.hint = _clean(hint)
    indicator.weight = weight
    indicator.is_significant = is_significant
    indicator.save()
    _changed(
        by,
        tool,
        "indicator_changed",
        indicator=indicator.pk,
        before=before,
        group=group.pk,
        text=text,
        weight=weight,
        is_significant=is_significant,
    )
    return indicator


@transaction.atomic
def remove_indicator(*, by: User, indicator: Indicator) -> None:
    _require(by)
    tool = _lock_draft(indicator.group.tool)
    indicator = Indicator.objects.get(pk=indicator.pk, group__tool=tool)
    detail = {"indicator": indicator.pk, "text": indicator.text}
    indicator.delete()
    _changed(by, tool, "indicator_removed", **detail)


@transaction.atomic
def move_indicator(*, by: User, indicator: Indicator, direction: str) -> None:
    _require(by)
    tool = _lock_draft(indicator.group.tool)
    indicator = Indicator.objects.get(pk=indicator.pk, group__tool=tool)
    items = _move(list(indicator.group.indicators.all()), indicator, direction)
    Indicator.objects.bulk_update(items, ["order"])
    _changed(by, tool, "indicator_moved", indicator=indicator.pk, direction=direction)


@transaction.atomic
def publish_tool(*, by: User, tool: ScreeningTool) -> ScreeningTool:
    """Make the draft the version new screenings use. The version it replaces stays
    as it was, and screenings made with it keep pointing at it."""
    _require(by)
    tool = _lock_draft(tool)
    groups = list(tool.groups.prefetch_related("indicators"))
    empty = [g.name for g in groups if not g.indicators.all()]
    if not groups:
        raise ValidationError("Add at least one group of indicators before publishing")
    if empty:
        raise ValidationError(
            "Add an indicator to, or remove, these groups before publishing: "
            + ", ".join(empty)
        )
    previous = list(
        ScreeningTool.objects.select_for_update()
        .filter(is_active=True)
        .exclude(pk=tool.pk)
        .values_list("pk", flat=True)
    )
    ScreeningTool.objects.filter(pk__in=previous).update(is_active=False)
    tool.is_active = True
    tool.save(update_fields=["is_active"])
    _changed(by, tool, "published", version=tool.version, replaced=previous)
    return tool
