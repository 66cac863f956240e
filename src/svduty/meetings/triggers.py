"""Agenda triggers: what puts a child (or a place, a group) on a meeting's agenda.

A registry of *trigger providers*. The meeting's organiser asks for suggestions;
every registered provider offers its own, within what the organiser may see, and the
organiser chooses which go on the agenda (`actions.add_suggested_items`).

Another app adds a provider from its `AppConfig.ready()` without meetings knowing
about it (apps above meetings in the layers may import it; meetings imports none of
them)::

    from svduty.meetings.triggers import Suggestion, register

    class RisingIncidents:
        key = "places.rising_incidents"
        label = "Places with rising incidents"
        description = "More incidents in the last 28 days than the 28 days before."

        def suggest(self, *, meeting, user, since):
            for place in ...:  # only what `user` may see
                yield Suggestion(
                    trigger=self.key,
                    reason="12 incidents in 28 days (was 5)",
                    title=place.name,  # shown to every attendee: name no child
                    subject_type="places.place",
                    subject_id=place.pk,
                )

    register(RisingIncidents())

The interface is documented in docs/meetings.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from django.db.models import Count, Min
from django.utils import timezone

from svduty.cases.models import (
    MissingEpisode,
    Person,
    PlanAction,
    PlanActionStatus,
    Referral,
    RiskLevel,
)
from svduty.cases.models.plans import PlanStatus

if TYPE_CHECKING:
    from svduty.accounts.models import User

    from .models import Meeting

#: Without an earlier meeting of the same type, triggers look back this far.
DEFAULT_LOOKBACK = dt.timedelta(days=28)


@dataclass(frozen=True)
class Suggestion:
    """One reason to put something on the agenda.

    trigger: the provider's key.
    reason:  plain English, shown beside the item; for a child it is shown only to
             attendees who may see the child.
    person_id: the child (None for a place, group or theme).
    title, subject_type, subject_id: for an item about no child, what it is about
             (`subject_type` as "app_label.model"); `title` is shown to every
             attendee, so it must not name a child.
    """

    trigger: str
    reason: str
    person_id: int | None = None
    title: str = ""
    subject_type: str = ""
    subject_id: int | None = None

    @property
    def choice_value(self) -> str:
        """A stable value for a checkbox that picks this suggestion."""
        target = (
            f"person-{self.person_id}"
            if self.person_id is not None
            else f"{self.subject_type}-{self.subject_id}"
        )
        return f"{self.trigger}|{target}"


@runtime_checkable
class TriggerProvider(Protocol):
    key: str
    label: str
    description: str

    def suggest(
        self, *, meeting: Meeting, user: User, since: dt.date
    ) -> Iterable[Suggestion]:
        """Suggestions for `meeting`, limited to what `user` may see, for events
        since `since` (the previous meeting of the same type, or 28 days)."""
        ...


_REGISTRY: dict[str, TriggerProvider] = {}


class DuplicateTrigger(ValueError):
    pass


def register(provider: TriggerProvider) -> TriggerProvider:
    """Add a provider. Registering the same class again (a second `ready()`)
    replaces it; a different provider with the same key is a mistake."""
    if not isinstance(provider, TriggerProvider):
        raise TypeError(f"{provider!r} is not a trigger provider")
    current = _REGISTRY.get(provider.key)
    if current is not None and type(current) is not type(provider):
        raise DuplicateTrigger(f"A trigger with the key {provider.key} exists")
    _REGISTRY[provider.key] = provider
    return provider


def unregister(key: str) -> None:
    _REGISTRY.pop(key, None)


def providers() -> list[TriggerProvider]:
    return list(_REGISTRY.values())


def since_for(meeting: Meeting) -> dt.date:
    """The previous meeting of the same type in the partnership, or 28 days."""
    from .models import Meeting, MeetingStatus

    previous = (
        Meeting.objects.filter(
            partnership_id=meeting.partnership_id,
            meeting_type=meeting.meeting_type,
            held_on__lt=meeting.held_on,
        )
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("-held_on")
        .values_list("held_on", flat=True)
        .first()
    )
    return previous or meeting.held_on - DEFAULT_LOOKBACK


def suggestions_for(
    meeting: Meeting, user: User, *, keys: Iterable[str] | None = None
) -> list[Suggestion]:
    since = since_for(meeting)
    wanted = set(keys) if keys is not None else None
    found: list[Suggestion] = []
    for provider in providers():
        if wanted is not None and provider.key not in wanted:
            continue
        found.extend(provider.suggest(meeting=meeting, user=user, since=since))
    return found


# --- Triggers from the child's record (cases) ---------------------------------


def _children(meeting: Meeting, user: User):
    return Person.objects.visible_to(user).filter(partnership_id=meeting.partnership_id)


def _start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class NewHighRisk:
    key = "cases.new_high_risk"
    label = "New high-risk children"
    description = "Children whose agreed risk level became high since the last meeting."

    def suggest(
        self, *, meeting: Meeting, user: User, since: dt.date
    ) -> Iterable[Suggestion]:
        rows = _children(meeting, user).filter(
            risk_level=RiskLevel.HIGH, risk_level_on__gte=since
        )
        for pk, on in rows.values_list("pk", "risk_level_on"):
            yield Suggestion(
                trigger=self.key,
                person_id=pk,
                reason=f"Risk level agreed as high on {on:%-d %B %Y}",
            )


class NewMissingEpisodes:
    key = "cases.new_missing"
    label = "New missing episodes"
    description = "Children reported missing from home or care since the last meeting."

    def suggest(
        self, *, meeting: Meeting, user: User, since: dt.date
    ) -> Iterable[Suggestion]:
        rows = (
            MissingEpisode.objects.filter(
                person__in=_children(meeting, user), started_at__gte=_start(since)
            )
            .values("person_id")
            .annotate(count=Count("pk"), first=Min("started_at"))
            .order_by("person_id")
        )
        for row in rows:
            count = row["count"]
            first = timezone.localdate(row["first"])
            episodes = (
                "1 missing episode" if count == 1 else f"{count} missing episodes"
            )
            yield Suggestion(
                trigger=self.key,
                person_id=row["person_id"],
                reason=f"{episodes} since {first:%-d %B %Y}",
            )


class OverduePlanActions:
    key = "cases.overdue_actions"
    label = "Overdue plan actions"
    description = "Children with actions in their current plan past their due date."

    def suggest(
        self, *, meeting: Meeting, user: User, since: dt.date
    ) -> Iterable[Suggestion]:
        rows = (
            PlanAction.objects.filter(
                plan__person__in=_children(meeting, user),
                plan__status=PlanStatus.CURRENT,
                status__in=[PlanActionStatus.NOT_STARTED, PlanActionStatus.IN_PROGRESS],
                due_on__lt=timezone.localdate(),
            )
            .values("plan__person_id")
            .annotate(count=Count("pk"), oldest=Min("due_on"))
            .order_by("plan__person_id")
        )
        for row in rows:
            count = row["count"]
            actions = "1 plan action" if count == 1 else f"{count} plan actions"
            yield Suggestion(
                trigger=self.key,
                person_id=row["plan__person_id"],
                reason=f"{actions} overdue (the oldest was due "
                f"{row['oldest']:%-d %B %Y})",
            )


class ReferralsAwaitingDecision:
    key = "cases.referrals_awaiting"
    label = "Referrals awaiting a decision"
    description = "Referrals received and not yet decided (1 working day timescale)."

    def suggest(
        self, *, meeting: Meeting, user: User, since: dt.date
    ) -> Iterable[Suggestion]:
        rows = (
            Referral.objects.filter(
                person__in=_children(meeting, user),
                partnership_id=meeting.partnership_id,
                decided_at__isnull=True,
            )
            .values("person_id")
            .annotate(count=Count("pk"), due=Min("decision_due_on"))
            .order_by("person_id")
        )
        for row in rows:
            count = row["count"]
            referrals = "1 referral" if count == 1 else f"{count} referrals"
            yield Suggestion(
                trigger=self.key,
                person_id=row["person_id"],
                reason=f"{referrals} awaiting a decision (due {row['due']:%-d %B %Y})",
            )


CASES_TRIGGERS: tuple[TriggerProvider, ...] = (
    NewHighRisk(),
    NewMissingEpisodes(),
    OverduePlanActions(),
    ReferralsAwaitingDecision(),
)


def register_cases_triggers() -> None:
    for provider in CASES_TRIGGERS:
        register(provider)
