"""Multi-agency meetings about children at risk (issue 11, part 1; reference C.2, C.6).

A meeting belongs to one partnership. Its agenda, minutes and decisions are split by
child: every row that is about a child names that child, so that each attendee is
shown exactly the parts about children whose records they may read (the cases
policy), and each child's record shows only its own part. Actions agreed at a
meeting are the child's plan actions themselves (`DecisionAction` links to
`cases.PlanAction`): one row, seen from the meeting and from the plan.
"""

from __future__ import annotations

import datetime as dt

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from svduty.cases.models import Person, PlanAction, RiskLevel
from svduty.core.authorisation import Permission
from svduty.core.guard import GuardedModel, GuardedQuerySet
from svduty.core.policies import PolicyQuerySet, has_permission


class MeetingType(models.TextChoices):
    MACE = "mace", "Multi-agency child exploitation (MACE) panel"
    STRATEGY = "strategy", "Strategy discussion"
    RISK_MANAGEMENT = "risk_management", "Risk management meeting"
    CASE_CONFERENCE = "case_conference", "Child protection case conference"
    CONTEXTUAL = "contextual", "Contextual safeguarding conference"


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class Attendance(models.TextChoices):
    NOT_RECORDED = "not_recorded", "Not recorded yet"
    ATTENDED = "attended", "Attended"
    APOLOGIES = "apologies", "Sent apologies"
    SENT_REPORT = "sent_report", "Sent a report instead"
    ABSENT = "absent", "Absent without apologies"


#: Attendance that counts as the agency contributing to the meeting.
CONTRIBUTED = (Attendance.ATTENDED, Attendance.SENT_REPORT)


class MeetingQuerySet(PolicyQuerySet):
    def visible_to(self, user):
        """The chair, the organiser, every invited person and every member of an
        invited agency, within the user's partnerships. Seeing the meeting is not
        seeing its children: each child's part is filtered again (`for_children`)."""
        if not has_permission(user, Permission.VIEW_CASES):
            return self.none()
        from svduty.cases.policies import user_partnership_ids

        invited = Invitation.objects.filter(meeting=OuterRef("pk")).filter(
            Q(user=user) | Q(agency_id__in=user.agency_ids())
        )
        return self.filter(
            Q(chair=user) | Q(created_by=user) | Exists(invited),
            partnership_id__in=user_partnership_ids(user),
        )


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent())
class Meeting(GuardedModel):
    partnership = models.ForeignKey(
        "partnership.Partnership", on_delete=models.PROTECT, related_name="+"
    )
    meeting_type = models.CharField(max_length=20, choices=MeetingType.choices)
    title = models.CharField(max_length=200)
    held_on = models.DateField()
    starts_at = models.TimeField(null=True, blank=True)
    location = models.CharField(max_length=200, blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    # Minutes that are about no child (apologies, the panel's themes). Names of
    # children belong in the per-child minute parts, never here.
    general_minutes = models.TextField(blank=True)
    review_on = models.DateField(
        null=True,
        blank=True,
        help_text="When the panel reviews the children again (default: 12 weeks).",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["partnership", "meeting_type", "-held_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(review_on__isnull=True)
                | Q(review_on__gt=models.F("held_on")),
                name="meeting_review_after_meeting",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} on {self.held_on:%d %B %Y}"

    def may_manage(self, user) -> bool:
        """The chair and the organiser run the meeting: agenda, attendance, minutes."""
        return has_permission(user, Permission.EDIT_CASES) and user.pk in (
            self.chair_id,
            self.created_by_id,
        )


class ChildPartQuerySet(PolicyQuerySet):
    """Rows about one child (agenda items, minute parts, decisions) are visible when
    the meeting is and the child's full record is."""

    meeting_path = "meeting"

    def visible_to(self, user):
        return self.filter(
            **{f"{self.meeting_path}__in": Meeting.objects.visible_to(user)}
        ).for_children(user)

    subjects: tuple[str, ...] = ("person", "place", "peer_group")

    def for_children(self, user):
        """Rows about a child the user may read, a place they may see, a peer group
        whose every member they may read, or about none of these."""
        from svduty.places.models import PeerGroup, Place

        scopes = {
            "person": Person.objects.visible_to(user),
            "place": Place.objects.visible_to(user),
            "peer_group": PeerGroup.objects.visible_to(user),
        }
        return self.filter(
            *(
                Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__in": scopes[name]})
                for name in self.subjects
            )
        )


class Invitation(GuardedModel):
    """An agency invited to the meeting, optionally a named person from it."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="invitations"
    )
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_invitations",
    )
    attendance = models.CharField(
        max_length=15, choices=Attendance.choices, default=Attendance.NOT_RECORDED
    )

    objects = GuardedQuerySet.as_manager()

    class Meta:
        ordering = ["agency__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=Q(user__isnull=False),
                name="meeting_invites_person_once",
            ),
            models.UniqueConstraint(
                fields=["meeting", "agency"],
                condition=Q(user__isnull=True),
                name="meeting_invites_agency_once",
            ),
        ]

    def __str__(self) -> str:
        who = (
            self.user.get_full_name() if self.user is not None else "any representative"
        )
        return f"{who} ({self.agency})"


class AgendaKind(models.TextChoices):
    CHILD = "child", "A child"
    PLACE = "place", "A place or space"
    GROUP = "group", "A peer group"
    SUBJECT = "subject", "Something else suggested by a trigger"
    FREE = "free", "Another item"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent())
class AgendaItem(GuardedModel):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda"
    )
    order = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=10, choices=AgendaKind.choices)
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    place = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    peer_group = models.ForeignKey(
        "places.PeerGroup",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    title = models.CharField(max_length=200, blank=True)
    # Why the item is on the agenda: the triggers that suggested it (keys from
    # `svduty.meetings.triggers`) and their plain-English reasons.
    triggers = models.JSONField(default=list, blank=True)
    # Another app's record the item is about (a place, a peer group), named like
    # cases' chronology sources, so that meetings needs no foreign key into apps
    # at its own layer.
    subject_type = models.CharField(max_length=40, blank=True)
    subject_id = models.BigIntegerField(null=True, blank=True)
    paper = models.TextField(
        blank=True,
        help_text="The briefing shared before the meeting, shown only to attendees "
        "who may see the child's record.",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    objects = ChildPartQuerySet.as_manager()

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"],
                condition=Q(person__isnull=False),
                name="agenda_child_once",
            ),
            models.UniqueConstraint(
                fields=["meeting", "place"],
                condition=Q(place__isnull=False),
                name="agenda_place_once",
            ),
            models.UniqueConstraint(
                fields=["meeting", "peer_group"],
                condition=Q(peer_group__isnull=False),
                name="agenda_group_once",
            ),
            models.CheckConstraint(
                condition=Q(
                    kind="child",
                    person__isnull=False,
                    place__isnull=True,
                    peer_group__isnull=True,
                )
                | Q(
                    kind="place",
                    person__isnull=True,
                    place__isnull=False,
                    peer_group__isnull=True,
                )
                | Q(
                    kind="group",
                    person__isnull=True,
                    place__isnull=True,
                    peer_group__isnull=False,
                )
                | Q(
                    kind__in=["subject", "free"],
                    person__isnull=True,
                    place__isnull=True,
                    peer_group__isnull=True,
                    title__gt="",
                ),
                name="agenda_item_names_its_subject",
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"Agenda item {self.pk}"


class Minute(GuardedModel):
    """One minute of the discussion. Text about each child is kept in that child's
    own `MinutePart`; `text` is only what may be read by every attendee."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="minutes"
    )
    heading = models.CharField(max_length=200)
    text = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = GuardedQuerySet.as_manager()

    class Meta:
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return self.heading


class MinutePartQuerySet(ChildPartQuerySet):
    meeting_path = "minute__meeting"
    subjects = ("person",)


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent())
class MinutePart(GuardedModel):
    minute = models.ForeignKey(Minute, on_delete=models.CASCADE, related_name="parts")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()

    objects = MinutePartQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["minute", "person"], name="minute_part_once_per_child"
            )
        ]

    def __str__(self) -> str:
        return f"{self.minute.heading}: part about child {self.person_id}"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent())
class Decision(GuardedModel):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="decisions"
    )
    # A decision is about one child, one place or one peer group (reference C.2:
    # MACE level 2 decides about locations and groups as well as children).
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    place = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    peer_group = models.ForeignKey(
        "places.PeerGroup",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    text = models.TextField()
    agreed_risk_level = models.CharField(
        max_length=10,
        blank=True,
        choices=RiskLevel.choices,
        help_text="The risk level the panel agreed, if it agreed one.",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = ChildPartQuerySet.as_manager()

    class Meta:
        ordering = ["recorded_at", "id"]
        indexes = [models.Index(fields=["person", "-recorded_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    person__isnull=False, place__isnull=True, peer_group__isnull=True
                )
                | Q(person__isnull=True, place__isnull=False, peer_group__isnull=True)
                | Q(person__isnull=True, place__isnull=True, peer_group__isnull=False),
                name="decision_about_one_subject",
            )
        ]

    def __str__(self) -> str:
        return self.text[:80]


class DecisionActionQuerySet(PolicyQuerySet):
    def visible_to(self, user):
        return self.filter(decision__in=Decision.objects.visible_to(user))


class DecisionAction(GuardedModel):
    """An action agreed with a decision. The action *is* the child's plan action (no
    copy): its text, owner, due date and status live on `cases.PlanAction`."""

    decision = models.ForeignKey(
        Decision, on_delete=models.CASCADE, related_name="actions"
    )
    plan_action = models.OneToOneField(
        PlanAction, on_delete=models.PROTECT, related_name="meeting_decision"
    )

    objects = DecisionActionQuerySet.as_manager()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return str(self.plan_action)


def on_time(action: PlanAction, today: dt.date | None = None) -> bool | None:
    """Done by its due date (True), done late or overdue (False), or not yet due."""
    if action.completed_at is not None:
        return timezone.localdate(action.completed_at) <= action.due_on
    if action.is_open and action.is_overdue(today):
        return False
    return None
