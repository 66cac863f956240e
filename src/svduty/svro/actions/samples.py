"""A scrutiny panel's sample of searches and its review (issue 10 point 6)."""

from __future__ import annotations

import datetime as dt
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from svduty.accounts.models import Agency, User
from svduty.audit.log import record
from svduty.audit.models import AuditAction

from ..models import Assessment, SampleItem, SearchSample
from ..samples import draw, searches_in
from .common import require_manage, required


@transaction.atomic
def draw_sample(
    *,
    by: User,
    force: Agency,
    period_start: dt.date,
    period_end: dt.date,
    size: int,
    panel: str,
    seed: int | None = None,
) -> SearchSample:
    """Draw `size` searches of the force's order holders in the period. The seed is
    random unless given, and kept with the sample so that it can be drawn again."""
    require_manage(by, force.pk)
    required(panel, "panel", "Enter the name of the scrutiny panel")
    if period_end < period_start:
        raise ValidationError(
            {"period_end": "The end of the period must be on or after its start"}
        )
    if period_end > timezone.localdate():
        raise ValidationError({"period_end": "The period must not end in the future"})
    if not 1 <= size <= 200:
        raise ValidationError({"size": "Sample between 1 and 200 searches"})
    ids = list(
        searches_in(force.pk, period_start, period_end).values_list("pk", flat=True)
    )
    if not ids:
        raise ValidationError(
            {"period_start": "There were no searches in that period to sample"}
        )
    if seed is None:
        seed = secrets.randbelow(2**31)
    sample = SearchSample.objects.create(
        force=force,
        period_start=period_start,
        period_end=period_end,
        size=size,
        seed=seed,
        panel=panel.strip(),
        drawn_by=by,
    )
    SampleItem.objects.bulk_create(
        SampleItem(sample=sample, search_id=search_id, position=position)
        for position, search_id in enumerate(draw(ids, size, seed), start=1)
    )
    record(
        AuditAction.CREATE,
        actor=by,
        target=sample,
        detail={"seed": seed, "searches": len(ids), "size": size},
    )
    return sample


@transaction.atomic
def review_item(
    *,
    by: User,
    item: SampleItem,
    video_watched: bool,
    grounds: str,
    conduct: str,
    feedback: str = "",
) -> SampleItem:
    require_manage(by, item.sample.force_id)
    valid = {value for value, _ in Assessment.choices}
    if grounds not in valid:
        raise ValidationError({"grounds": "Choose how the grounds were assessed"})
    if conduct not in valid:
        raise ValidationError({"conduct": "Choose how the conduct was assessed"})
    item.video_watched = video_watched
    item.grounds = grounds
    item.conduct = conduct
    item.feedback = feedback.strip()
    item.reviewed_by = by
    item.reviewed_at = timezone.now()
    item.save()
    record(
        AuditAction.CHANGE,
        actor=by,
        target=item,
        detail={"sample": item.sample_id, "grounds": grounds, "conduct": conduct},
    )
    return item
