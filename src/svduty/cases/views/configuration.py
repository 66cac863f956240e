"""Settings pages for the children-at-risk configuration held as data: language
rules, assessment types and versions of the screening tool. Writes go through
`svduty.cases.actions.configuration`; nothing here is personal data."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from svduty.cases.actions import configuration as config
from svduty.cases.configuration_forms import (
    AssessmentTypeForm,
    GroupForm,
    IndicatorForm,
    LanguageRuleForm,
    ToolSettingsForm,
)
from svduty.cases.models import (
    AssessmentType,
    Indicator,
    IndicatorGroup,
    LanguageRule,
    ScreeningTool,
)
from svduty.core.authorisation import Permission
from svduty.core.formviews import button_action, form_action
from svduty.core.policies import requires

MANAGE = Permission.MANAGE_CASE_CONFIGURATION
FORM_TEMPLATE = "cases/configuration/form.html"


def _form_page(request, form, *, title, back, intro="", caption="Settings"):
    return render(
        request,
        FORM_TEMPLATE,
        {
            "form": form,
            "title": title,
            "back": back,
            "intro": intro,
            "caption": caption,
        },
    )


@requires(MANAGE)
def settings_home(request):
    active = config.active_tool()
    return render(
        request,
        "cases/configuration/index.html",
        {"tool": active, "draft": config.draft_tool(active)},
    )


# --- Language rules ------------------------------------------------------------


@requires(MANAGE)
def language_rules(request):
    return render(
        request,
        "cases/configuration/language_rules.html",
        {"rules": LanguageRule.objects.order_by("phrase")},
    )


@requires(MANAGE)
def language_rule_add(request):
    form = LanguageRuleForm(request.POST or None)
    if done := form_action(
        request, form, lambda data: config.add_language_rule(by=request.user, **data)
    ):
        rule = done.result
        messages.success(request, f"Language rule “{rule.phrase}” added")
        return redirect("cases:language_rules")
    return _form_page(
        request,
        form,
        title="Add a language rule",
        back=reverse("cases:language_rules"),
    )


@requires(MANAGE)
def language_rule_edit(request, rule_pk: int):
    rule = get_object_or_404(LanguageRule, pk=rule_pk)
    initial = {
        "phrase": rule.phrase,
        "alternative": rule.alternative,
        "explanation": rule.explanation,
    }
    form = LanguageRuleForm(request.POST or None, initial=initial)
    if form_action(
        request,
        form,
        lambda data: config.update_language_rule(by=request.user, rule=rule, **data),
    ):
        messages.success(request, "Language rule changed")
        return redirect("cases:language_rules")
    return _form_page(
        request,
        form,
        title="Change a language rule",
        back=reverse("cases:language_rules"),
    )


@requires(MANAGE)
def language_rule_active(request, rule_pk: int):
    rule = get_object_or_404(LanguageRule, pk=rule_pk)
    if request.method == "POST":
        active = request.POST.get("active") == "yes"
        config.set_language_rule_active(by=request.user, rule=rule, active=active)
        messages.success(
            request,
            f"Language rule “{rule.phrase}” switched {'on' if active else 'off'}",
        )
    return redirect("cases:language_rules")


# --- Assessment types ----------------------------------------------------------


@requires(MANAGE)
def assessment_types(request):
    return render(
        request,
        "cases/configuration/assessment_types.html",
        {"types": AssessmentType.objects.order_by("name")},
    )


TIMESCALE_INTRO = (
    "An assessment's due date is worked out and saved when it starts. A new "
    "timescale applies to assessments started from now on; assessments already "
    "started keep their due date."
)


@requires(MANAGE)
def assessment_type_add(request):
    form = AssessmentTypeForm(
        request.POST or None, initial={"timescale_working_days": 45}
    )
    if form_action(
        request, form, lambda data: config.add_assessment_type(by=request.user, **data)
    ):
        messages.success(request, "Assessment type added")
        return redirect("cases:assessment_types")
    return _form_page(
        request,
        form,
        title="Add an assessment type",
        back=reverse("cases:assessment_types"),
    )


@requires(MANAGE)
def assessment_type_edit(request, type_pk: int):
    assessment_type = get_object_or_404(AssessmentType, pk=type_pk)
    initial = {
        "name": assessment_type.name,
        "description": assessment_type.description,
        "timescale_working_days": assessment_type.timescale_working_days,
    }
    form = AssessmentTypeForm(request.POST or None, initial=initial)
    if form_action(
        request,
        form,
        lambda data: config.update_assessment_type(
            by=request.user, assessment_type=assessment_type, **data
        ),
    ):
        messages.success(request, "Assessment type changed")
        return redirect("cases:assessment_types")
    return _form_page(
        request,
        form,
        title="Change an assessment type",
        intro=TIMESCALE_INTRO,
        back=reverse("cases:assessment_types"),
    )


@requires(MANAGE)
def assessment_type_active(request, type_pk: int):
    assessment_type = get_object_or_404(AssessmentType, pk=type_pk)
    if request.method == "POST":
        active = request.POST.get("active") == "yes"
        config.set_assessment_type_active(
            by=request.user, assessment_type=assessment_type, active=active
        )
        messages.success(
            request,
            f"{assessment_type.name} switched {'on' if active else 'off'}",
        )
    return redirect("cases:assessment_types")


# --- Screening tool ------------------------------------------------------------


def _tool_page(request, tool: ScreeningTool, *, draft=None):
    groups = list(tool.groups.prefetch_related("indicators"))
    active = config.active_tool()
    return render(
        request,
        "cases/configuration/screening_tool.html",
        {
            "tool": tool,
            "groups": groups,
            "editable": config.is_draft(tool),
            "is_current": active is not None and active.pk == tool.pk,
            "active": active,
            "draft": draft,
            "indicator_count": sum(len(g.indicators.all()) for g in groups),
        },
    )


@requires(MANAGE)
def screening_tool(request):
    active = config.active_tool()
    if active is None:
        return render(request, "cases/configuration/no_tool.html")
    return _tool_page(request, active, draft=config.draft_tool(active))


@requires(MANAGE)
def screening_tool_version(request, tool_pk: int):
    tool = get_object_or_404(ScreeningTool, pk=tool_pk)
    return _tool_page(request, tool)


@requires(MANAGE)
def screening_tool_new(request):
    if request.method != "POST":
        return redirect("cases:screening_tool")
    done = button_action(request, lambda: config.create_draft_tool(by=request.user))
    if done is None:
        existing = config.draft_tool()
        if existing is not None:
            return redirect("cases:screening_tool_version", tool_pk=existing.pk)
        return redirect("cases:screening_tool")
    draft = done.result
    messages.success(
        request, f"Version {draft.version} created. Publish it when it is ready."
    )
    return redirect("cases:screening_tool_version", tool_pk=draft.pk)


def _back_to(tool) -> str:
    return reverse("cases:screening_tool_version", kwargs={"tool_pk": tool.pk})


def _draft_or_redirect(request, tool):
    """Edit pages of a version that cannot change go back to that version."""
    if config.is_draft(tool):
        return None
    messages.error(request, config.NOT_EDITABLE)
    return redirect(_back_to(tool))


def _caption(tool) -> str:
    return f"Screening tool, version {tool.version} (draft)"


@requires(MANAGE)
def screening_tool_settings(request, tool_pk: int):
    tool = get_object_or_404(ScreeningTool, pk=tool_pk)
    if refusal := _draft_or_redirect(request, tool):
        return refusal
    initial = {
        name: getattr(tool, name)
        for name in ToolSettingsForm.base_fields
        if hasattr(tool, name)
    }
    form = ToolSettingsForm(request.POST or None, initial=initial)
    if form_action(
        request,
        form,
        lambda data: config.update_tool_settings(by=request.user, tool=tool, **data),
    ):
        messages.success(request, "Scoring rules changed")
        return redirect(_back_to(tool))
    return _form_page(
        request,
        form,
        title="Change the scoring rules",
        back=_back_to(tool),
        caption=_caption(tool),
    )


@requires(MANAGE)
def screening_group_add(request, tool_pk: int):
    tool = get_object_or_404(ScreeningTool, pk=tool_pk)
    if refusal := _draft_or_redirect(request, tool):
        return refusal
    form = GroupForm(request.POST or None)
    if form_action(
        request, form, lambda data: config.add_group(by=request.user, tool=tool, **data)
    ):
        messages.success(request, "Group added")
        return redirect(_back_to(tool))
    return _form_page(
        request,
        form,
        title="Add a group of indicators",
        back=_back_to(tool),
        caption=_caption(tool),
    )


@requires(MANAGE)
def screening_group_edit(request, tool_pk: int, group_pk: int):
    group = get_object_or_404(
        IndicatorGroup.objects.select_related("tool"), pk=group_pk, tool_id=tool_pk
    )
    if refusal := _draft_or_redirect(request, group.tool):
        return refusal
    form = GroupForm(request.POST or None, initial={"name": group.name})
    if form_action(
        request,
        form,
        lambda data: config.rename_group(by=request.user, group=group, **data),
    ):
        messages.success(request, "Group renamed")
        return redirect(_back_to(group.tool))
    return _form_page(
        request,
        form,
        title="Rename a group",
        back=_back_to(group.tool),
        caption=_caption(group.tool),
    )


def _post_action(request, tool, action, success: str):
    button_action(request, action, success=success)
    return redirect(_back_to(tool))


@requires(MANAGE)
def screening_group_move(request, tool_pk: int, group_pk: int):
    group = get_object_or_404(
        IndicatorGroup.objects.select_related("tool"), pk=group_pk, tool_id=tool_pk
    )
    return _post_action(
        request,
        group.tool,
        lambda: config.move_group(
            by=request.user, group=group, direction=request.POST.get("direction", "")
        ),
        f"“{group.name}” moved",
    )


@requires(MANAGE)
def screening_group_remove(request, tool_pk: int, group_pk: int):
    group = get_object_or_404(
        IndicatorGroup.objects.select_related("tool"), pk=group_pk, tool_id=tool_pk
    )
    return _post_action(
        request,
        group.tool,
        lambda: config.remove_group(by=request.user, group=group),
        f"“{group.name}” removed",
    )


@requires(MANAGE)
def screening_indicator_add(request, tool_pk: int, group_pk: int):
    group = get_object_or_404(
        IndicatorGroup.objects.select_related("tool"), pk=group_pk, tool_id=tool_pk
    )
    tool = group.tool
    if refusal := _draft_or_redirect(request, tool):
        return refusal
    form = IndicatorForm(
        request.POST or None, tool=tool, initial={"group": group.pk, "weight": 1}
    )
    if form_action(
        request,
        form,
        lambda data: config.add_indicator(
            by=request.user,
            group=data["group"],
            text=data["text"],
            hint=data["hint"],
            weight=data["weight"],
            is_significant=data["is_significant"],
        ),
    ):
        messages.success(request, "Indicator added")
        return redirect(_back_to(tool))
    return _form_page(
        request,
        form,
        title="Add an indicator",
        back=_back_to(tool),
        caption=_caption(tool),
    )


def _indicator(tool_pk, indicator_pk) -> Indicator:
    return get_object_or_404(
        Indicator.objects.select_related("group__tool"),
        pk=indicator_pk,
        group__tool_id=tool_pk,
    )


@requires(MANAGE)
def screening_indicator_edit(request, tool_pk: int, indicator_pk: int):
    indicator = _indicator(tool_pk, indicator_pk)
    tool = indicator.group.tool
    if refusal := _draft_or_redirect(request, tool):
        return refusal
    initial = {
        "group": indicator.group_id,
        "text": indicator.text,
        "hint": indicator.hint,
        "weight": indicator.weight,
        "is_significant": indicator.is_significant,
    }
    form = IndicatorForm(request.POST or None, tool=tool, initial=initial)
    if form_action(
        request,
        form,
        lambda data: config.update_indicator(
            by=request.user, indicator=indicator, **data
        ),
    ):
        messages.success(request, "Indicator changed")
        return redirect(_back_to(tool))
    return _form_page(
        request,
        form,
        title="Change an indicator",
        back=_back_to(tool),
        caption=_caption(tool),
    )


@requires(MANAGE)
def screening_indicator_move(request, tool_pk: int, indicator_pk: int):
    indicator = _indicator(tool_pk, indicator_pk)
    return _post_action(
        request,
        indicator.group.tool,
        lambda: config.move_indicator(
            by=request.user,
            indicator=indicator,
            direction=request.POST.get("direction", ""),
        ),
        "Indicator moved",
    )


@requires(MANAGE)
def screening_indicator_remove(request, tool_pk: int, indicator_pk: int):
    indicator = _indicator(tool_pk, indicator_pk)
    return _post_action(
        request,
        indicator.group.tool,
        lambda: config.remove_indicator(by=request.user, indicator=indicator),
        f"“{indicator.text}” removed",
    )


@requires(MANAGE)
def screening_tool_publish(request, tool_pk: int):
    tool = get_object_or_404(ScreeningTool, pk=tool_pk)
    if refusal := _draft_or_redirect(request, tool):
        return refusal
    errors: list[str] = []
    # A refusal is listed on the page, above the publish button.
    if button_action(
        request,
        lambda: config.publish_tool(by=request.user, tool=tool),
        success=f"Version {tool.version} published. New screenings use it; "
        "earlier screenings keep the version they were made with.",
        refused=lambda error: errors.extend(error.messages),
    ):
        return redirect("cases:screening_tool")
    return render(
        request,
        "cases/configuration/publish.html",
        {"tool": tool, "active": config.active_tool(), "errors": errors},
    )
