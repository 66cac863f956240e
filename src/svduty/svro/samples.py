"""Drawing a scrutiny panel's sample of searches reproducibly: the same searches, the
same seed and the same size always give the same sample, so anyone can check that it
was not picked by hand."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import QuerySet

from .models import Search


def searches_in(force_id: int, start: dt.date, end: dt.date) -> QuerySet[Search]:
    """The searches of the force's order holders from the first minute of `start` to
    the last minute of `end` (UK time)."""
    zone = ZoneInfo(settings.TIME_ZONE)
    return Search.objects.filter(
        order__holder__managing_force_id=force_id,
        searched_at__gte=dt.datetime.combine(start, dt.time.min, tzinfo=zone),
        searched_at__lt=dt.datetime.combine(
            end + dt.timedelta(days=1), dt.time.min, tzinfo=zone
        ),
    )


def draw(search_ids: Sequence[int], size: int, seed: int) -> list[int]:
    """`size` of the searches (all of them when there are fewer), in the order
    drawn: a simple random sample without replacement from the ids in ascending
    order, with Python's Mersenne Twister seeded with `seed`."""
    ordered = sorted(search_ids)
    # A reproducible audit sample (anyone can redraw it from the seed), not a secret.
    rng = random.Random(seed)  # noqa: S311  # nosec B311
    return rng.sample(ordered, min(size, len(ordered)))
