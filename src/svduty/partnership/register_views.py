"""The relevant authorities register pages: the list by area (with the blocking
warnings), add, change and import from a CSV."""

from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.shortcuts import redirect, render

from svduty.core.authorisation import Permission
from svduty.core.formviews import form_action
from svduty.core.policies import get_visible_or_404, has_permission, requires

from . import actions_register
from .register_forms import (
    RelevantAuthorityChangeForm,
    RelevantAuthorityForm,
    RelevantAuthorityImportForm,
)
from .registers import RelevantAuthority, register_gaps
from .viewutils import scoped_partnership


@requires(Permission.VIEW_PARTNERSHIP)
def register(request, slug):
    partnership = scoped_partnership(request, slug)
    areas = list(partnership.areas.order_by("name"))
    entries = (
        RelevantAuthority.objects.visible_to(request.user)
        .filter(area__in=areas)
        .select_related("area", "agency")
        .order_by("area__name", "authority_type", "name")
    )
    by_area = {area.pk: [] for area in areas}
    for area_id, group in groupby(entries, key=lambda e: e.area_id):
        by_area[area_id] = list(group)
    return render(
        request,
        "partnership/register.html",
        {
            "partnership": partnership,
            "areas": [(area, by_area[area.pk]) for area in areas],
            "gaps": register_gaps(areas),
            "can_manage": has_permission(request.user, Permission.MANAGE_PARTNERSHIP),
        },
    )


@requires(Permission.MANAGE_PARTNERSHIP)
def register_add(request, slug):
    partnership = scoped_partnership(request, slug)
    form = RelevantAuthorityForm(request.POST or None, partnership=partnership)
    if done := form_action(
        request,
        form,
        lambda data: actions_register.add_relevant_authority(
            by=request.user, partnership=partnership, **data
        ),
    ):
        entry = done.result
        messages.success(request, f"{entry.name} added to the register")
        return redirect("partnership:register", slug=slug)
    return render(
        request,
        "partnership/register_form.html",
        {"partnership": partnership, "form": form, "entry": None},
    )


@requires(Permission.MANAGE_PARTNERSHIP)
def register_edit(request, slug, pk):
    partnership = scoped_partnership(request, slug)
    entry = get_visible_or_404(
        RelevantAuthority.objects.filter(area__in=partnership.areas.all()),
        request.user,
        pk=pk,
    )
    initial = {
        "establishment": entry.establishment,
        "name": entry.name,
        "identifier": entry.identifier,
        "agency": entry.agency_id,
        "closed_on": entry.closed_on,
        "version": entry.version,
    }
    form = RelevantAuthorityChangeForm(
        request.POST or None, initial=initial, partnership=partnership
    )
    if done := form_action(
        request,
        form,
        lambda data: actions_register.change_relevant_authority(
            by=request.user,
            partnership=partnership,
            entry=entry,
            establishment=data["establishment"],
            name=data["name"],
            identifier=data["identifier"],
            agency=data["agency"],
            closed_on=data["closed_on"],
            expected_version=data["version"],
        ),
    ):
        messages.success(request, f"{done.result.name} changed")
        return redirect("partnership:register", slug=slug)
    return render(
        request,
        "partnership/register_form.html",
        {"partnership": partnership, "form": form, "entry": entry},
    )


@requires(Permission.MANAGE_PARTNERSHIP)
def register_import(request, slug):
    partnership = scoped_partnership(request, slug)
    form = RelevantAuthorityImportForm(request.POST or None, request.FILES or None)
    if done := form_action(
        request,
        form,
        lambda data: actions_register.import_relevant_authorities(
            by=request.user,
            partnership=partnership,
            content=data["file"].read(actions_register.MAX_CSV_BYTES + 1),
            file_name=data["file"].name or "",
        ),
    ):
        result = done.result
        messages.success(
            request,
            f"{result.added} "
            + ("authority" if result.added == 1 else "authorities")
            + " added"
            + (
                f", {result.unchanged} already on the register"
                if result.unchanged
                else ""
            ),
        )
        return redirect("partnership:register", slug=slug)
    return render(
        request,
        "partnership/register_import.html",
        {"partnership": partnership, "form": form},
    )
