"""A scrutiny panel's reproducible sample of searches and its review (issue 10 point
6): drawn and recorded by the force's SVRO officers, who take the panel through the
searches (the people searched are not named on these pages)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from svduty.accounts.requests import signed_in_user
from svduty.core.authorisation import Permission
from svduty.core.policies import get_visible_or_404, requires

from .. import actions
from ..forms import ReviewForm, SampleForm
from ..models import Gowisely, SampleItem, SearchSample
from ..samples import draw, searches_in
from .common import audit_viewed, my_forces, save_form


@requires(Permission.MANAGE_SVRO)
def sample_list(request: HttpRequest) -> HttpResponse:
    samples = (
        SearchSample.objects.visible_to(request.user)
        .select_related("force")
        .annotate(
            drawn=Count("items"),
            reviewed=Count("items", filter=Q(items__reviewed_at__isnull=False)),
        )
        .order_by("-drawn_at", "-id")[:100]
    )
    return render(request, "svro/samples.html", {"samples": samples})


@requires(Permission.MANAGE_SVRO)
def sample_new(request: HttpRequest) -> HttpResponse:
    form = SampleForm(request.POST or None, forces=my_forces(request.user))

    def save(data: dict[str, Any]):
        return actions.draw_sample(by=signed_in_user(request), **data)

    return save_form(
        request,
        form,
        save,
        success="Sample drawn",
        next_url=lambda sample: reverse("svro:sample", args=[sample.pk]),
        context={
            "title": "Draw a sample of searches for a scrutiny panel",
            "intro": "The searches are drawn at random from the force's searches in "
            "the period. The seed is kept with the sample, so anyone can draw it again "
            "and get the same searches.",
            "back_url": reverse("svro:samples"),
            "back_label": "Back to samples",
        },
    )


@requires(Permission.MANAGE_SVRO)
def sample_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sample = get_visible_or_404(
        SearchSample.objects.select_related("force", "drawn_by"), request.user, pk=pk
    )
    items = list(
        sample.items.select_related("search", "search__order").order_by("position")
    )
    # Drawn again from the same searches, seed and size: the same sample, unless
    # searches in the period were recorded or removed since.
    again = draw(
        list(
            searches_in(
                sample.force_id, sample.period_start, sample.period_end
            ).values_list("pk", flat=True)
        ),
        sample.size,
        sample.seed,
    )
    reproduced = again == [item.search_id for item in items]
    gowisely = dict(Gowisely.choices)
    for item in items:
        item.gowisely_given = [  # type: ignore[attr-defined]
            gowisely.get(g, g) for g in item.search.gowisely
        ]
    audit_viewed(request, sample, "sample", searches=[item.search_id for item in items])
    return render(
        request,
        "svro/sample.html",
        {
            "sample": sample,
            "items": items,
            "reproduced": reproduced,
            "reviewed": sum(1 for i in items if i.reviewed_at),
        },
    )


@requires(Permission.MANAGE_SVRO)
def item_review(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_visible_or_404(
        SampleItem.objects.select_related("sample", "search"), request.user, pk=pk
    )
    initial = (
        {
            "video_watched": "yes" if item.video_watched else "no",
            "grounds": item.grounds,
            "conduct": item.conduct,
            "feedback": item.feedback,
        }
        if item.reviewed_at
        else None
    )
    form = ReviewForm(request.POST or None, initial=initial)
    return save_form(
        request,
        form,
        lambda data: actions.review_item(by=signed_in_user(request), item=item, **data),
        success="Review recorded",
        next_url=lambda _: reverse("svro:sample", args=[item.sample_id]),
        context={
            "title": f"Review of sampled search {item.position}: "
            f"{item.search.reference}",
            "intro": f"Searched {item.search.searched_at:%d %B %Y at %H:%M} in "
            f"{item.search.location}. Body-worn video "
            f"{'was' if item.search.body_worn_video else 'was not'} recorded.",
            "back_url": reverse("svro:sample", args=[item.sample_id]),
            "back_label": "Back to the sample",
        },
    )
