"""The workforce, engagement and learning record types (issue 12 points 5 and 6),
each declared once: its model, its add form, the rules its action checks (in order),
its list page (labels and columns), the indicators it feeds and its fields in the API.

Read by the action that records one (`actions.learning.record_new`), the list pages
and their URLs (`views.learning`, `urls`), the indicator registry
(`indicators.learning`), the outcome pages' evidence record types (`record_types`)
and the API (`api.LearningRecords`). A record's own page and its later changes
(attendance, recommendations, what changed, follow-ups) have their own actions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db import models
from django.db.models import Count, Q, QuerySet, Sum
from django.urls import reverse

from . import learning_forms
from .models import (
    EngagementActivity,
    EngagementKind,
    LearningEvent,
    OversightDecision,
    OversightForum,
    PracticeReview,
    Recommendation,
    ReviewKind,
    SupervisionReturn,
    TrainingAttendance,
    TrainingSession,
    TrainingTopic,
)

# --- Rules an action checks before it records (in the order given) ---------------


@dataclass(frozen=True)
class Choice:
    """The value is one of the choices."""

    field: str
    choices: type[models.TextChoices]
    message: str


@dataclass(frozen=True)
class Past:
    """The date is today or in the past ("<what> must be today or in the past")."""

    field: str
    what: str


@dataclass(frozen=True)
class MonthStart:
    """Any day of the month stands for the month (its first day)."""

    field: str


@dataclass(frozen=True)
class Text:
    """Stripped of spaces; required unless the message is blank."""

    field: str
    message: str = ""


@dataclass(frozen=True)
class AtLeast:
    field: str
    least: int
    message: str


@dataclass(frozen=True)
class UpTo:
    """From 0 to the value of another field."""

    field: str
    limit: str
    message: str


@dataclass(frozen=True)
class NotBefore:
    """If given, on or after the date in another field."""

    field: str
    other: str
    message: str


@dataclass(frozen=True)
class Several:
    """At least `least` items chosen."""

    field: str
    least: int
    message: str


@dataclass(frozen=True)
class Ours:
    """If given, a record of the same partnership."""

    field: str
    message: str


Rule = Choice | Past | MonthStart | Text | AtLeast | UpTo | NotBefore | Several | Ours


# --- Indicators counted from the records -----------------------------------------


@dataclass(frozen=True)
class Measure:
    """An indicator counted from a record type (see `indicators.registry`): the
    records of `model`, each in the month of its date `on`, in the numerator when
    `hit` holds. With `deadline` (due date, done date) it counts the records due
    by today or done, a hit when done by the due date. With `weights` (numerator,
    denominator fields) each record counts for those numbers instead of 1."""

    key: str
    title: str
    definition: str
    numerator: str
    denominator: str
    record_label: str
    model: type[models.Model]
    on: str
    hit: Q | bool = True
    count: bool = False  # a count of records (else a share)
    partnership: str = "partnership_id"
    agency: str | None = None
    deadline: tuple[str, str] | None = None
    weights: tuple[str, str] | None = None
    #: The field holding the pk of the record's page (its type's `page`); None:
    #: its type's list page.
    link: str | None = None


# --- The record types --------------------------------------------------------------


Row = list[Any]


def link(text: str, url: str) -> dict[str, str]:
    return {"text": text, "url": url}


@dataclass(frozen=True)
class RecordKind:
    key: str  # the list page's URL name (evidence:<key>)
    path: str  # /evidence/<slug>/<path>/
    model: type[models.Model]
    outcome: int
    source: str  # the indicators' source, "evidence (workforce)"
    evidence_title: str  # on the outcome page, among the evidence record types
    title: str
    intro: str
    head: tuple[str, ...]
    row: Callable[[Any, bool], Row]  # (record, may manage) -> cells
    form: type[forms.Form]
    form_title: str
    submit: str
    rules: tuple[Rule, ...]
    created: Callable[[Any], str]  # the message once recorded
    api_key: str
    api_fields: tuple[str, ...]
    numeric: frozenset[int] = frozenset()
    #: The list's queryset from the partnership's records (joins, totals).
    prepare: Callable[[QuerySet[Any, Any]], QuerySet[Any, Any]] = lambda qs: qs
    #: A record's own page (a URL name taking its pk), if it has one.
    page: str | None = None
    #: After recording, go to the new record's page (else back to the list).
    open_after: bool = False
    #: Recording again with the same values of these fields replaces the record.
    unique: tuple[str, ...] = ()
    #: Many-to-many fields, set after the record is created.
    many: tuple[str, ...] = ()
    #: What the audit event's detail keeps (a many-to-many: the sorted ids).
    audit: tuple[str, ...] = ()
    measures: tuple[Measure, ...] = field(default=())

    @property
    def form_takes_partnership(self) -> bool:
        return issubclass(self.form, learning_forms.WithPartnershipAgencies)

    def rows(self, qs: QuerySet[Any, Any], may_manage: bool) -> list[Row]:
        return [self.row(r, may_manage) for r in self.prepare(qs)]


#: Topics the workforce outcome names (reference B.2: exploitation, contextual
#: safeguarding, trauma-informed practice, victim-blaming and bias).
CORE_TOPICS = (
    TrainingTopic.EXPLOITATION,
    TrainingTopic.CONTEXTUAL,
    TrainingTopic.TRAUMA,
    TrainingTopic.BIAS,
)


def _day(d: dt.date) -> str:
    return f"{d:%-d %b %Y}"


def _follow_up(o: OversightDecision, may_manage: bool) -> str | dict[str, str]:
    if o.followed_up_on:
        return f"Done {_day(o.followed_up_on)}"
    if o.follow_up_due_on and may_manage:
        return link(
            f"Due {_day(o.follow_up_due_on)}: record the follow-up",
            reverse("evidence:oversight_follow_up", args=[o.pk]),
        )
    if o.follow_up_due_on:
        return f"Due {_day(o.follow_up_due_on)}"
    return "None set"


def _with_recommendations(qs: QuerySet[Any, Any]) -> QuerySet[Any, Any]:
    return qs.annotate(
        recs=Count("recommendations"),
        recs_done=Count(
            "recommendations", filter=Q(recommendations__completed_on__isnull=False)
        ),
    )


TRAINING = RecordKind(
    key="training",
    path="training",
    model=TrainingSession,
    outcome=8,
    source="evidence (workforce)",
    evidence_title="Training sessions and attendance",
    title="Training",
    intro="Training sessions for practitioners, and how many from each agency "
    "and role attended. They are the evidence for outcome 8 (workforce).",
    head=("Session", "Topic", "Held", "Places taken"),
    numeric=frozenset({3}),
    prepare=lambda qs: qs.annotate(places=Sum("attendance__attended")),
    row=lambda s, _: [
        link(s.title, reverse("evidence:training_session", args=[s.pk])),
        s.get_topic_display(),
        s.held_on,
        s.places or 0,
    ],
    form=learning_forms.TrainingSessionForm,
    form_title="Record a training session",
    submit="Record the session",
    rules=(
        Choice("topic", TrainingTopic, "Choose the topic"),
        Past("held_on", "The date of the session"),
        Text("title", "Enter the title of the session"),
        Text("provider"),
    ),
    created=lambda s: f"Session “{s.title}” recorded: now add who attended",
    page="evidence:training_session",
    open_after=True,
    audit=("topic",),
    api_key="training_sessions",
    api_fields=("id", "title", "topic", "held_on"),
    measures=(
        Measure(
            key="practitioners-trained",
            title="Practitioners trained on exploitation, harm outside the home, "
            "trauma or bias",
            definition="Of the places taken at the partnership's training sessions, "
            "the share on child exploitation, contextual safeguarding, "
            "trauma-informed practice or avoiding victim-blaming and bias.",
            numerator="Places taken at sessions on those four topics.",
            denominator="Places taken at any training session, by the month held.",
            record_label="attendance record",
            model=TrainingAttendance,
            on="session__held_on",
            partnership="session__partnership_id",
            agency="agency_id",
            hit=Q(session__topic__in=[t.value for t in CORE_TOPICS]),
            weights=("attended", "attended"),
            link="session_id",
        ),
    ),
)

SUPERVISION = RecordKind(
    key="supervision",
    path="supervision",
    model=SupervisionReturn,
    outcome=8,
    source="evidence (workforce)",
    evidence_title="Supervision",
    title="Supervision",
    intro="Each agency's count, by month, of its practitioners working with the "
    "partnership's children and how many had supervision. Counts only: no "
    "practitioner is named.",
    head=("Month", "Agency", "Practitioners", "Supervised", "Share"),
    numeric=frozenset({2, 3, 4}),
    prepare=lambda qs: qs.select_related("agency"),
    row=lambda r, _: [
        f"{r.month:%B %Y}",
        r.agency.name,
        r.practitioners,
        r.supervised,
        f"{round(100 * r.supervised / r.practitioners)}%",
    ],
    form=learning_forms.SupervisionForm,
    form_title="Record a month's supervision",
    submit="Record supervision",
    rules=(
        MonthStart("month"),
        Past("month", "The month"),
        AtLeast("practitioners", 1, "Enter how many practitioners, 1 or more"),
        UpTo(
            "supervised",
            "practitioners",
            "Supervised must be from 0 to the number of practitioners",
        ),
    ),
    created=lambda r: f"Supervision recorded: {r}",
    unique=("partnership", "agency", "month"),
    audit=("practitioners", "supervised"),
    api_key="supervision",
    api_fields=("agency__name", "month", "practitioners", "supervised"),
    measures=(
        Measure(
            key="practitioners-supervised",
            title="Practitioners supervised in the month",
            definition="Of the practitioners working with the partnership's "
            "children, as each agency returns them for a month, the share who had "
            "supervision.",
            numerator="Practitioners supervised in the month.",
            denominator="Practitioners in the agencies' returns, by month.",
            record_label="supervision return",
            model=SupervisionReturn,
            on="month",
            agency="agency_id",
            weights=("supervised", "practitioners"),
        ),
    ),
)

_ENGAGED = ~Q(changed="")

ENGAGEMENT = RecordKind(
    key="engagement",
    path="engagement",
    model=EngagementActivity,
    outcome=18,
    source="evidence (engagement)",
    evidence_title="Community engagement",
    title="Community engagement",
    intro="Who the partnership engaged, where, how many, what it heard and what "
    "changed because of it (outcome 18).",
    head=(
        "Activity",
        "Held",
        "Where",
        "Took part",
        "Children and young people",
        "Change recorded",
    ),
    numeric=frozenset({3, 4}),
    row=lambda a, _: [
        link(
            f"{a.get_kind_display()}: {a.who}",
            reverse("evidence:engagement_activity", args=[a.pk]),
        ),
        a.held_on,
        a.where,
        a.participants,
        a.young_people,
        "Yes" if a.changed else "Not yet recorded",
    ],
    form=learning_forms.EngagementForm,
    form_title="Record an engagement activity",
    submit="Record the activity",
    rules=(
        Choice("kind", EngagementKind, "Choose the kind of activity"),
        Past("held_on", "The date of the activity"),
        AtLeast("participants", 1, "Enter how many took part, 1 or more"),
        UpTo(
            "young_people",
            "participants",
            "Children and young people cannot be more than everyone",
        ),
        Text("who", "Enter who took part"),
        Text("where", "Enter where it took place"),
        Text("heard", "Enter what was heard"),
        Text("changed"),
    ),
    created=lambda a: f"Engagement recorded: {a}",
    page="evidence:engagement_activity",
    audit=("kind",),
    api_key="engagement",
    api_fields=(
        "id",
        "kind",
        "held_on",
        "who",
        "where",
        "participants",
        "young_people",
        "heard",
        "changed",
    ),
    measures=(
        Measure(
            key="engagement-led-to-change",
            title="Community engagement that changed something",
            definition="Of the engagement activities recorded, the share where the "
            "partnership has recorded what changed because of what it heard.",
            numerator="Activities with a change recorded.",
            denominator="Activities, by the month held.",
            record_label="engagement activity",
            model=EngagementActivity,
            on="held_on",
            hit=_ENGAGED,
            link="pk",
        ),
        Measure(
            key="young-people-engaged",
            title="Children and young people who took part in engagement",
            definition="How many children and young people took part in the "
            "partnership's engagement activities.",
            numerator="Children and young people taking part.",
            denominator="The same, by the month held (a count).",
            record_label="engagement activity",
            model=EngagementActivity,
            on="held_on",
            hit=_ENGAGED,
            count=True,
            weights=("young_people", "young_people"),
            link="pk",
        ),
    ),
)

REVIEWS = RecordKind(
    key="reviews",
    path="reviews",
    model=PracticeReview,
    outcome=21,
    source="evidence (learning)",
    evidence_title="Reviews and recommendations",
    title="Reviews and recommendations",
    intro="Rapid reviews and child safeguarding practice reviews, with their "
    "recommendations tracked to completion (outcome 21).",
    head=("Review", "Kind", "Started", "Completed", "Recommendations", "Done"),
    numeric=frozenset({4, 5}),
    prepare=_with_recommendations,
    row=lambda r, _: [
        link(r.title, reverse("evidence:review", args=[r.pk])),
        r.get_kind_display(),
        r.started_on,
        r.completed_on or "In progress",
        r.recs,
        r.recs_done,
    ],
    form=learning_forms.ReviewForm,
    form_title="Record a review",
    submit="Record the review",
    rules=(
        Choice("kind", ReviewKind, "Choose the kind of review"),
        Past("started_on", "The start date"),
        NotBefore(
            "completed_on",
            "started_on",
            "The review cannot be completed before it started",
        ),
        Text("title", "Enter the title of the review"),
        Text("summary"),
    ),
    created=lambda r: f"Review “{r.title}” recorded: now add its recommendations",
    page="evidence:review",
    open_after=True,
    audit=("kind",),
    api_key="reviews",
    api_fields=("id", "kind", "title", "started_on", "completed_on"),
    measures=(
        Measure(
            key="recommendations-on-time",
            title="Review recommendations completed on time",
            definition="Of the recommendations of rapid reviews and practice "
            "reviews that were due (or are completed), the share completed by their "
            "due date.",
            numerator="Recommendations completed on or before the due date.",
            denominator="Recommendations due, by the month due.",
            record_label="recommendation",
            model=Recommendation,
            on="due_on",
            partnership="review__partnership_id",
            agency="agency_id",
            deadline=("due_on", "completed_on"),
            link="review_id",
        ),
    ),
)

LEARNING_EVENTS = RecordKind(
    key="learning_events",
    path="learning-events",
    model=LearningEvent,
    outcome=21,
    source="evidence (learning)",
    evidence_title="Multi-agency learning events",
    title="Multi-agency learning events",
    intro="Briefings, workshops and practice weeks where two or more agencies "
    "learn together, and the review whose learning they share (outcome 21).",
    head=("Event", "Held", "Attended", "Agencies", "From the review"),
    numeric=frozenset({2}),
    prepare=lambda qs: qs.select_related("review").prefetch_related("agencies"),
    row=lambda e, _: [
        e.title,
        e.held_on,
        e.attendees,
        ", ".join(a.name for a in e.agencies.all()),
        link(e.review.title, reverse("evidence:review", args=[e.review_id]))
        if e.review
        else "",
    ],
    form=learning_forms.LearningEventForm,
    form_title="Record a learning event",
    submit="Record the event",
    rules=(
        Past("held_on", "The date of the event"),
        Several(
            "agencies", 2, "Choose at least two agencies: the event is multi-agency"
        ),
        AtLeast("attendees", 1, "Enter how many attended, 1 or more"),
        Ours("review", "Choose a review of this partnership"),
        Text("title", "Enter the title of the event"),
    ),
    created=lambda e: f"Learning event “{e.title}” recorded",
    many=("agencies",),
    audit=("agencies",),
    api_key="learning_events",
    api_fields=("id", "title", "held_on", "attendees"),
    measures=(
        Measure(
            key="learning-events",
            title="Multi-agency learning events held",
            definition="How many multi-agency learning events (two agencies or "
            "more) the partnership held.",
            numerator="Events held.",
            denominator="The same, by the month held (a count).",
            record_label="learning event",
            model=LearningEvent,
            on="held_on",
            count=True,
        ),
    ),
)

OVERSIGHT = RecordKind(
    key="oversight",
    path="oversight",
    model=OversightDecision,
    outcome=20,
    source="evidence (oversight)",
    evidence_title="Oversight decisions",
    title="The safeguarding partnership's oversight",
    intro="Decisions the safeguarding partnership's forums took about serious "
    "youth violence, and whether they were followed up (outcome 20).",
    head=("About", "Forum", "Decided", "Decision", "Follow-up"),
    row=lambda o, may_manage: [
        o.subject,
        o.get_forum_display(),
        o.decided_on,
        o.decision,
        _follow_up(o, may_manage),
    ],
    form=learning_forms.OversightForm,
    form_title="Record a decision",
    submit="Record the decision",
    rules=(
        Choice("forum", OversightForum, "Choose the forum"),
        Past("decided_on", "The date of the decision"),
        NotBefore(
            "follow_up_due_on",
            "decided_on",
            "The follow-up must be due after the decision",
        ),
        Text("subject", "Enter what the decision is about"),
        Text("decision", "Enter the decision"),
    ),
    created=lambda o: f"Decision recorded: {o.subject}",
    audit=("forum",),
    api_key="oversight_decisions",
    api_fields=(
        "id",
        "forum",
        "decided_on",
        "subject",
        "decision",
        "follow_up_due_on",
        "followed_up_on",
    ),
    measures=(
        Measure(
            key="oversight-followed-up",
            title="Oversight decisions followed up on time",
            definition="Of the safeguarding partnership's decisions about serious "
            "youth violence with a follow-up date that has passed (or a follow-up "
            "done), the share followed up by that date.",
            numerator="Decisions followed up on or before the date set.",
            denominator="Decisions whose follow-up was due, by the month due.",
            record_label="oversight decision",
            model=OversightDecision,
            on="follow_up_due_on",
            deadline=("follow_up_due_on", "followed_up_on"),
        ),
        Measure(
            key="oversight-decisions",
            title="Oversight decisions about serious youth violence",
            definition="How many decisions the safeguarding partnership's forums "
            "took about serious youth violence.",
            numerator="Decisions recorded.",
            denominator="The same, by the month decided (a count).",
            record_label="oversight decision",
            model=OversightDecision,
            on="decided_on",
            count=True,
        ),
    ),
)

#: In the order the outcome pages list them.
KINDS: tuple[RecordKind, ...] = (
    TRAINING,
    SUPERVISION,
    ENGAGEMENT,
    OVERSIGHT,
    REVIEWS,
    LEARNING_EVENTS,
)
