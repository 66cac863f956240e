"""The action plan: a filterable list (MoJ filter pattern), CSV export, and each
action with its progress updates."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone

from svduty.audit.log import record
from svduty.audit.models import AuditAction
from svduty.core.authorisation import Permission
from svduty.core.exports import csv_response
from svduty.core.formviews import form_action
from svduty.core.policies import get_visible_or_404, has_permission, requires
from svduty.partnership.models import BoardMeeting, StatutoryRole

from .. import actions
from ..forms import ActionFilterForm, ActionForm, ProgressForm
from ..models import StrategyAction
from ..publication import current_version
from .common import scoped_partnership


def _filtered(request, partnership):
    form = ActionFilterForm(request.GET or None, partnership=partnership)
    queryset = (
        StrategyAction.objects.visible_to(request.user)
        .filter(partnership=partnership)
        .select_related("owner_agency", "meeting", "strategy_version")
        .order_by("due_on", "reference")
    )
    chips = []
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            queryset = queryset.filter(
                Q(title__icontains=data["q"])
                | Q(description__icontains=data["q"])
                | Q(lead_name__icontains=data["q"])
                | Q(reference__iexact=data["q"])
            )
            chips.append(f"Search: {data['q']}")
        if data["status"]:
            queryset = queryset.filter(status__in=data["status"])
            labels = dict(form.fields["status"].choices)
            chips += [labels[s] for s in data["status"]]
        if data["owner"]:
            queryset = queryset.filter(owner_agency__in=data["owner"])
            chips += [a.name for a in data["owner"]]
        if data["owner_role"]:
            owners = partnership.members.filter(
                statutory_role=data["owner_role"]
            ).values_list("agency_id", flat=True)
            queryset = queryset.filter(owner_agency__in=owners)
            chips.append(dict(form.fields["owner_role"].choices)[data["owner_role"]])
        if data["overdue"]:
            queryset = queryset.overdue()
            chips.append("Overdue only")
    return form, queryset, chips


@requires(Permission.VIEW_PARTNERSHIP)
def action_list(request, slug):
    partnership = scoped_partnership(request, slug)
    form, queryset, chips = _filtered(request, partnership)
    today = timezone.localdate()
    rows = [(a, a.shown_status(today)) for a in queryset]
    relevant = set(
        partnership.members.filter(statutory_role=StatutoryRole.RELEVANT).values_list(
            "agency_id", flat=True
        )
    )
    return render(
        request,
        "strategy/action_list.html",
        {
            "partnership": partnership,
            "filter_form": form,
            "rows": rows,
            "chips": chips,
            "relevant_agencies": relevant,
            "query_string": request.GET.urlencode(),
            "can_manage": has_permission(request.user, Permission.MANAGE_ACTIONS),
        },
    )


@requires(Permission.VIEW_PARTNERSHIP)
def action_export(request, slug):
    partnership = scoped_partnership(request, slug)
    _form, queryset, chips = _filtered(request, partnership)
    today = timezone.localdate()
    record(
        AuditAction.EXPORT,
        actor=request.user,
        target=partnership,
        detail={"what": "action plan CSV", "filters": chips, "rows": queryset.count()},
    )
    header = [
        "Reference",
        "Action",
        "Owner",
        "Named lead",
        "Due date",
        "Status",
        "Overdue",
        "Completed on",
        "From meeting",
        "Strategy version",
    ]
    rows = (
        [
            a.reference,
            a.title,
            a.owner_agency.name,
            a.lead_name,
            a.due_on,
            a.get_status_display(),
            a.is_overdue(today),
            a.completed_on,
            str(a.meeting) if a.meeting else "",
            a.strategy_version.number if a.strategy_version else "",
        ]
        for a in queryset.iterator()
    )
    return csv_response(f"{partnership.slug}-actions-{today}.csv", header, rows)


def _action(request, partnership, pk) -> StrategyAction:
    return get_visible_or_404(
        StrategyAction.objects.filter(partnership=partnership).select_related(
            "owner_agency", "meeting", "strategy_version"
        ),
        request.user,
        pk=pk,
    )


@requires(Permission.MANAGE_ACTIONS)
def action_create(request, slug):
    partnership = scoped_partnership(request, slug)
    meeting = None
    if request.GET.get("meeting"):
        meeting = get_visible_or_404(
            BoardMeeting.objects.filter(partnership=partnership),
            request.user,
            pk=request.GET["meeting"],
        )
    form = ActionForm(request.POST or None, partnership=partnership)

    def create(data):
        data = dict(data)
        data.pop("version")
        return actions.create_action(
            by=request.user,
            partnership=partnership,
            strategy_version=current_version(partnership),
            meeting=meeting,
            **data,
        )

    if done := form_action(request, form, create):
        messages.success(request, f"Action {done.result.reference} added")
        return redirect("strategy:action_detail", slug=slug, pk=done.result.pk)
    return render(
        request,
        "strategy/action_form.html",
        {"partnership": partnership, "form": form, "action": None, "meeting": meeting},
    )


@requires(Permission.VIEW_PARTNERSHIP)
def action_detail(request, slug, pk):
    partnership = scoped_partnership(request, slug)
    action = _action(request, partnership, pk)
    can_manage = has_permission(request.user, Permission.MANAGE_ACTIONS)
    form = None
    if can_manage:
        form = ProgressForm(
            request.POST or None,
            initial={"status": action.status, "version": action.version},
        )
        if form_action(
            request,
            form,
            lambda data: actions.add_progress_update(
                by=request.user,
                action=action,
                note=data["note"],
                status=data["status"],
                expected_version=data["version"],
            ),
        ):
            messages.success(request, "Progress update added")
            return redirect("strategy:action_detail", slug=slug, pk=pk)
    return render(
        request,
        "strategy/action_detail.html",
        {
            "partnership": partnership,
            "action": action,
            "overdue": action.is_overdue(),
            "shown": action.shown_status(),
            "updates": action.updates.select_related("written_by"),
            "form": form,
        },
    )


@requires(Permission.MANAGE_ACTIONS)
def action_edit(request, slug, pk):
    partnership = scoped_partnership(request, slug)
    action = _action(request, partnership, pk)
    initial = {f: getattr(action, f) for f in actions.ACTION_FIELDS}
    initial["version"] = action.version
    form = ActionForm(request.POST or None, initial=initial, partnership=partnership)

    def update(data):
        data = dict(data)
        expected = data.pop("version")
        return actions.update_action(
            by=request.user, action=action, expected_version=expected, **data
        )

    if form_action(request, form, update):
        messages.success(request, f"Action {action.reference} saved")
        return redirect("strategy:action_detail", slug=slug, pk=pk)
    return render(
        request,
        "strategy/action_form.html",
        {"partnership": partnership, "form": form, "action": action, "meeting": None},
    )
