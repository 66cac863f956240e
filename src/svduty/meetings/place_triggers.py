"""The agenda trigger from places and spaces: places whose incidents are rising
(`svduty.places.triggers.rising_places`, which states the rule in plain words).
Places does not import meetings; meetings registers this provider beside the cases
triggers (see triggers.py and docs/meetings.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from svduty.places.models import Place
from svduty.places.triggers import rising_places

from .triggers import Suggestion, register

if TYPE_CHECKING:
    from svduty.accounts.models import User

    from .models import Meeting


class RisingIncidents:
    key = "places.rising_incidents"
    label = "Places with rising incidents"
    description = (
        "Places of concern with at least 5 more and a quarter more incidents in the "
        "latest 3 months than in the 3 before."
    )

    def suggest(
        self, *, meeting: Meeting, user: User, since: dt.date
    ) -> Iterable[Suggestion]:
        visible = set(
            Place.objects.visible_to(user)
            .filter(partnership_id=meeting.partnership_id)
            .values_list("pk", flat=True)
        )
        if not visible:
            return
        for rising in rising_places(meeting.partnership, as_of=meeting.held_on):
            if rising.place.pk in visible:
                yield Suggestion(
                    trigger=self.key,
                    reason=rising.summary,
                    title=rising.place.name,
                    subject_type="places.place",
                    subject_id=rising.place.pk,
                )


def register_place_triggers() -> None:
    register(RisingIncidents())
