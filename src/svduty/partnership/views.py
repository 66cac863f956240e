"""Partnership pages: the list, one partnership (members, areas, which specified
authorities are missing, lead arrangement), the local definition and board meetings."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from svduty.core.authorisation import Permission
from svduty.core.formviews import button_action, form_action
from svduty.core.policies import get_visible_or_404, has_permission, requires

from . import actions
from .coverage import coverage
from .definitions import NO_TERRORISM_CODE_SOURCE, definition_in_force
from .forms import (
    AgreeDefinitionForm,
    DefinitionStartForm,
    ExclusionForm,
    KindForm,
    MeetingForm,
    MemberForm,
    PartnershipForm,
    RuleForm,
)
from .models import (
    BoardMeeting,
    DefinitionKind,
    DefinitionStatus,
    ExcludedOffence,
    LocalDefinition,
    MappingRule,
    Partnership,
    PartnershipMember,
    StatutoryRole,
)
from .viewutils import scoped_partnership


def _can(request, permission: Permission) -> bool:
    return has_permission(request.user, permission)


@requires(Permission.VIEW_PARTNERSHIP)
def partnership_list(request):
    partnerships = (
        Partnership.objects.visible_to(request.user)
        .prefetch_related("areas")
        # Counted in a subquery: visible_to() joins the members to the user's own
        # agencies, so a Count over that join would count only the user's agency.
        .annotate(
            member_count=Subquery(
                PartnershipMember.objects.filter(partnership=OuterRef("pk"))
                .order_by()
                .values("partnership")
                .annotate(n=Count("pk"))
                .values("n")
            )
        )
        .order_by("name")
    )
    return render(request, "partnership/list.html", {"partnerships": partnerships})


@requires(Permission.VIEW_PARTNERSHIP)
def partnership_detail(request, slug):
    partnership = scoped_partnership(request, slug)
    members = (
        partnership.members.select_related("agency")
        .prefetch_related("areas")
        .order_by("agency__name")
    )
    groups = [
        (label, [m for m in members if m.statutory_role == value])
        for value, label in StatutoryRole.choices
    ]
    current = (
        partnership.strategy_versions.published().order_by("-number").first()
        if hasattr(partnership, "strategy_versions")
        else None
    )
    return render(
        request,
        "partnership/detail.html",
        {
            "partnership": partnership,
            "member_groups": [(label, group) for label, group in groups if group],
            "coverage": coverage(partnership),
            "definition": definition_in_force(partnership),
            "current_strategy": current,
            "can_manage": _can(request, Permission.MANAGE_PARTNERSHIP),
        },
    )


@requires(Permission.MANAGE_PARTNERSHIP)
def partnership_edit(request, slug):
    partnership = scoped_partnership(request, slug)
    initial = {
        "lead_arrangement": partnership.lead_arrangement,
        "lead_arrangement_name": partnership.lead_arrangement_name,
        "chair_name": partnership.chair_name,
        "chair_agency": partnership.chair_agency,
        "governance_route": partnership.governance_route,
        "lead_user": partnership.lead_user,
        "formed_on": partnership.formed_on,
        "version": partnership.version,
    }
    form = PartnershipForm(
        request.POST or None, initial=initial, partnership=partnership
    )

    def save(data: dict[str, Any]) -> None:
        fields = dict(data)
        expected = fields.pop("version")
        actions.update_partnership(
            by=request.user,
            partnership=partnership,
            expected_version=expected,
            **fields,
        )

    if form_action(request, form, save):
        messages.success(request, "Partnership details saved")
        return redirect("partnership:detail", slug=slug)
    return render(
        request, "partnership/edit.html", {"partnership": partnership, "form": form}
    )


@requires(Permission.MANAGE_PARTNERSHIP)
def member_add(request, slug):
    partnership = scoped_partnership(request, slug)
    form = MemberForm(request.POST or None, partnership=partnership)
    if done := form_action(
        request,
        form,
        lambda data: actions.add_member(
            by=request.user, partnership=partnership, **data
        ),
    ):
        member = done.result
        messages.success(request, f"{member.agency} added")
        return redirect("partnership:detail", slug=slug)
    return render(
        request,
        "partnership/member_form.html",
        {"partnership": partnership, "form": form, "member": None},
    )


def _member(request, partnership, pk) -> PartnershipMember:
    return get_visible_or_404(
        PartnershipMember.objects.filter(partnership=partnership).select_related(
            "agency"
        ),
        request.user,
        pk=pk,
    )


@requires(Permission.MANAGE_PARTNERSHIP)
def member_edit(request, slug, pk):
    partnership = scoped_partnership(request, slug)
    member = _member(request, partnership, pk)
    form = MemberForm(
        request.POST or None,
        partnership=partnership,
        editing=True,
        initial={
            "statutory_role": member.statutory_role,
            "authority_type": member.authority_type,
            "areas": list(member.areas.all()),
        },
    )
    if form_action(
        request,
        form,
        lambda data: actions.update_member(by=request.user, member=member, **data),
    ):
        messages.success(request, f"{member.agency} updated")
        return redirect("partnership:detail", slug=slug)
    return render(
        request,
        "partnership/member_form.html",
        {"partnership": partnership, "form": form, "member": member},
    )


@requires(Permission.MANAGE_PARTNERSHIP)
def member_remove(request, slug, pk):
    partnership = scoped_partnership(request, slug)
    member = _member(request, partnership, pk)
    # A refusal is shown on the page, above the remove button.
    problems: list[str] = []
    if button_action(
        request,
        lambda: actions.remove_member(by=request.user, member=member),
        success=f"{member.agency} removed",
        refused=lambda problem: problems.extend(problem.messages),
    ):
        return redirect("partnership:detail", slug=slug)
    error = " ".join(problems) or None
    return render(
        request,
        "partnership/member_remove.html",
        {"partnership": partnership, "member": member, "error": error},
    )


# --- Local definition


@requires(Permission.VIEW_PARTNERSHIP)
def definition_list(request, slug):
    partnership = scoped_partnership(request, slug)
    definitions = partnership.definitions.annotate(kind_count=Count("kinds"))
    return render(
        request,
        "partnership/definition_list.html",
        {
            "partnership": partnership,
            "definitions": definitions,
            "in_force": definition_in_force(partnership),
            "has_draft": any(d.status == DefinitionStatus.DRAFT for d in definitions),
            "can_manage": _can(request, Permission.MANAGE_PARTNERSHIP),
        },
    )


@requires(Permission.MANAGE_PARTNERSHIP)
def definition_start(request, slug):
    partnership = scoped_partnership(request, slug)
    form = DefinitionStartForm(request.POST or None)
    if done := form_action(
        request,
        form,
        lambda data: actions.start_definition(
            by=request.user,
            partnership=partnership,
            notes=data["notes"],
        ),
    ):
        definition = done.result
        messages.success(request, f"Draft version {definition.number} started")
        return redirect(
            "partnership:definition_detail", slug=slug, number=definition.number
        )
    return render(
        request,
        "partnership/definition_start.html",
        {"partnership": partnership, "form": form},
    )


def _definition(request, partnership, number) -> LocalDefinition:
    return get_visible_or_404(
        LocalDefinition.objects.filter(partnership=partnership),
        request.user,
        number=number,
    )


@requires(Permission.VIEW_PARTNERSHIP)
def definition_detail(request, slug, number):
    partnership = scoped_partnership(request, slug)
    definition = _definition(request, partnership, number)
    kinds = definition.kinds.prefetch_related(
        Prefetch("rules", queryset=MappingRule.objects.order_by("source", "value"))
    )
    can_edit = _can(request, Permission.MANAGE_PARTNERSHIP) and not definition.is_agreed
    agree_form = AgreeDefinitionForm(initial={"version": definition.version})
    return render(
        request,
        "partnership/definition_detail.html",
        {
            "partnership": partnership,
            "definition": definition,
            "kinds": kinds,
            "can_edit": can_edit,
            "agree_form": agree_form if can_edit else None,
            "in_force": definition_in_force(partnership),
            "exclusions": definition.exclusions.all(),
            "no_code_source": NO_TERRORISM_CODE_SOURCE,
        },
    )


@requires(Permission.MANAGE_PARTNERSHIP)
def definition_agree(request, slug, number):
    partnership = scoped_partnership(request, slug)
    definition = _definition(request, partnership, number)
    form = AgreeDefinitionForm(
        request.POST or None, initial={"version": definition.version}
    )
    if form_action(
        request,
        form,
        lambda data: actions.agree_definition(
            by=request.user,
            definition=definition,
            agreed_on=data["agreed_on"],
            agreed_by=data["agreed_by"],
            expected_version=data["version"],
        ),
    ):
        messages.success(request, f"Version {definition.number} agreed")
        return redirect("partnership:definition_detail", slug=slug, number=number)
    return render(
        request,
        "partnership/definition_agree.html",
        {"partnership": partnership, "definition": definition, "form": form},
    )


def _kind(request, definition, pk) -> DefinitionKind:
    # The definition was fetched through the user's scope; its kinds share it.
    kind = definition.kinds.filter(pk=pk).first()
    if kind is None:
        from django.http import Http404

        raise Http404
    return kind


@requires(Permission.MANAGE_PARTNERSHIP)
def kind_form(request, slug, number, pk=None):
    partnership = scoped_partnership(request, slug)
    definition = _definition(request, partnership, number)
    kind = _kind(request, definition, pk) if pk else None
    initial = {f: getattr(kind, f) for f in actions.KIND_FIELDS} if kind else None
    form = KindForm(request.POST or None, initial=initial)
    if form_action(
        request,
        form,
        lambda data: actions.save_kind(
            by=request.user,
            definition=definition,
            existing=kind,
            **data,
        ),
    ):
        messages.success(request, "Kind of serious violence saved")
        return redirect("partnership:definition_detail", slug=slug, number=number)
    return render(
        request,
        "partnership/kind_form.html",
        {
            "partnership": partnership,
            "definition": definition,
            "kind": kind,
            "form": form,
        },
    )


@requires(Permission.MANAGE_PARTNERSHIP)
@require_POST
def kind_remove(request, slug, number, pk):
    partnership = scoped_partnership(request, slug)
    definition = _definition(request, partnership, number)
    kind = _kind(request, definition, pk)
    button_action(
        request,
        lambda: actions.remove_kind(by=request.user, kind=kind),
        success=f"{kind.label} removed",
    )
    return redirect("partnership:definition_detail", slug=slug, number=number)


@requires(Permission.MANAGE_PARTNERSHIP)
def rule_add(request, slug, number, pk):
    partnership = scoped_partnership(request, slug)
    definition = _definition(request, partnership, number)
    kind = _kind(request, definition, pk)
    form = RuleForm(request.POST or None)
    if form_action(
        request, form, lambda data: actions.add_rule(by=request.user, kind=kind, **data)
    ):
        messages.success(request, "Mapping rule added")
        return redirect("partnership:definition_detail", slug=slug, number=number)
    return render(
        request,
        "partnership/rule_form.html",
        {
            "partnership": partnership,
            "definition": definition,
            "kind": kind,
            "form": form,
        },
    )


@requires(Permission.MANAGE_PARTNERSHIP)
@require_POST
def rule_remove(request, slug, number, pk):
    partnership = scoped_partnership(request, slug)
    definition = _definition(request, partnership, number)
    rule = MappingRule.objects.filter(kind__definition=definition, pk=pk).first()
    if rule is None:
        from django.http import Http404

        raise Http404
    button_action(
        request,
        lambda: actions.remove_rule(by=request.user, rule=rule),
        success="Mapping rule removed",
    )
    return redirect("partnership:definition_detail", slug=slug, number=number)


@requires(Permission.MANAGE_PARTNERSHIP)
def exclusion_add(request, slug, number):
    partnership = scoped_partnership(request, slug)
    definition = _definition(request, partnership, number)
    form = ExclusionForm(
        request.POST or None, initial={"source": definition.exclusions_source}
    )
    if form_action(
        request,
        form,
        lambda data: actions.exclude_offence(
            by=request.user, definition=definition, **data
        ),
    ):
        messages.success(request, "Offence code excluded")
        return redirect("partnership:definition_detail", slug=slug, number=number)
    return render(
        request,
        "partnership/exclusion_form.html",
        {
            "partnership": partnership,
            "definition": definition,
            "form": form,
            "no_code_source": NO_TERRORISM_CODE_SOURCE,
        },
    )


@requires(Permission.MANAGE_PARTNERSHIP)
@require_POST
def exclusion_remove(request, slug, number, pk):
    partnership = scoped_partnership(request, slug)
    definition = _definition(request, partnership, number)
    exclusion = ExcludedOffence.objects.filter(definition=definition, pk=pk).first()
    if exclusion is None:
        from django.http import Http404

        raise Http404
    button_action(
        request,
        lambda: actions.remove_exclusion(by=request.user, exclusion=exclusion),
        success="Offence code no longer excluded",
    )
    return redirect("partnership:definition_detail", slug=slug, number=number)


# --- Board meetings


@requires(Permission.VIEW_PARTNERSHIP)
def meeting_list(request, slug):
    partnership = scoped_partnership(request, slug)
    meetings = partnership.meetings.prefetch_related("attending_agencies").annotate(
        action_count=Count("actions")
    )
    return render(
        request,
        "partnership/meeting_list.html",
        {
            "partnership": partnership,
            "meetings": meetings,
            "can_manage": _can(request, Permission.MANAGE_PARTNERSHIP),
        },
    )


@requires(Permission.MANAGE_PARTNERSHIP)
def meeting_create(request, slug):
    partnership = scoped_partnership(request, slug)
    form = MeetingForm(request.POST or None, partnership=partnership)
    if done := form_action(
        request,
        form,
        lambda data: actions.record_meeting(
            by=request.user, partnership=partnership, **data
        ),
    ):
        meeting = done.result
        messages.success(request, "Meeting recorded")
        return redirect("partnership:meeting_detail", slug=slug, pk=meeting.pk)
    return render(
        request,
        "partnership/meeting_form.html",
        {"partnership": partnership, "form": form},
    )


@requires(Permission.VIEW_PARTNERSHIP)
def meeting_detail(request, slug, pk):
    partnership = scoped_partnership(request, slug)
    meeting = get_visible_or_404(
        BoardMeeting.objects.filter(partnership=partnership), request.user, pk=pk
    )
    return render(
        request,
        "partnership/meeting_detail.html",
        {
            "partnership": partnership,
            "meeting": meeting,
            "agencies": meeting.attending_agencies.all(),
            "actions": meeting.actions.select_related("owner_agency"),
            "can_add_action": _can(request, Permission.MANAGE_ACTIONS),
        },
    )
