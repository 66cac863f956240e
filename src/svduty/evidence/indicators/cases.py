"""Indicators counted from the shared child record (app `cases`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from svduty.accounts.models import AgencyType
from svduty.cases.models import (
    Assessment,
    AssessmentStatus,
    CaseTeamMember,
    Contribution,
    ContributionStatus,
    Event,
    EventCategory,
    MissingEpisode,
    Plan,
    PlanAction,
    PlanActionStatus,
    PlanVersion,
    Referral,
    RiskLevel,
    Screening,
    TeamRole,
)
from svduty.cases.models.plans import PlanStatus

from .common import DaysBetween, columns, local_day
from .registry import Indicator, Kind, register

#: A plan should be reviewed within this many days of a screening that raised the
#: child's risk level (local practice; MACE review intervals are local, reference
#: C.2 and "Facts not confirmed" 15).
PLAN_REVIEW_DAYS = 10

HEALTH_AGENCIES = (AgencyType.ICB, AgencyType.HEALTH_PROVIDER)


def _today() -> dt.date:
    return timezone.localdate()


def referrals_decided_in_time(ids: Collection[int]) -> QuerySet[Any, Any]:
    qs: Any = Referral.objects.filter(partnership_id__in=ids).filter(
        Q(decided_at__isnull=False) | Q(decision_due_on__lt=_today())
    )
    qs = qs.annotate(decided_on=local_day("decided_at"))
    return columns(
        qs,
        on=local_day("received_at"),
        partnership="partnership_id",
        agency="referrer_agency_id",
        person="person_id",
        hit=Q(decided_on__lte=F("decision_due_on")),
    )


def days_to_decision(ids: Collection[int]) -> QuerySet[Any, Any]:
    qs = Referral.objects.filter(partnership_id__in=ids, decided_at__isnull=False)
    return columns(
        qs,
        on=local_day("received_at"),
        partnership="partnership_id",
        agency="referrer_agency_id",
        person="person_id",
        hit=True,
        value=DaysBetween("received_at", "decided_at"),
    )


def _referrals_from(types: Collection[str]):
    def records(ids: Collection[int]) -> QuerySet[Any, Any]:
        return columns(
            Referral.objects.filter(partnership_id__in=ids),
            on=local_day("received_at"),
            partnership="partnership_id",
            agency="referrer_agency_id",
            person="person_id",
            hit=Q(referrer_agency__agency_type__in=list(types)),
        )

    return records


def _assessments(ids: Collection[int]) -> QuerySet[Any, Any]:
    return Assessment.objects.filter(person__partnership_id__in=ids)


def assessments_on_time(ids: Collection[int]) -> QuerySet[Any, Any]:
    qs = _assessments(ids).filter(
        Q(status=AssessmentStatus.SIGNED_OFF) | Q(due_on__lt=_today())
    )
    qs = qs.annotate(signed_on=local_day("signed_off_at"))
    return columns(
        qs,
        on=F("due_on"),
        partnership="person__partnership_id",
        agency=None,
        person="person_id",
        hit=Q(signed_on__lte=F("due_on")),
    )


def _signed_off(hit: Any):
    def records(ids: Collection[int]) -> QuerySet[Any, Any]:
        qs = _assessments(ids).filter(status=AssessmentStatus.SIGNED_OFF)
        return columns(
            qs,
            on=local_day("signed_off_at"),
            partnership="person__partnership_id",
            agency=None,
            person="person_id",
            hit=hit() if callable(hit) else hit,
        )

    return records


def _all_contributions_received() -> Any:
    return ~Exists(
        Contribution.objects.filter(assessment=OuterRef("pk")).exclude(
            status=ContributionStatus.RECEIVED
        )
    )


def plans_with_lead(ids: Collection[int]) -> QuerySet[Any, Any]:
    qs = Plan.objects.filter(person__partnership_id__in=ids, status=PlanStatus.CURRENT)
    lead = CaseTeamMember.objects.filter(
        person=OuterRef("person_id"), role=TeamRole.LEAD, ended_at__isnull=True
    )
    return columns(
        qs,
        on=local_day("created_at"),
        partnership="person__partnership_id",
        agency=None,
        person="person_id",
        hit=Exists(lead),
    )


def plan_reviewed_after_rise(ids: Collection[int]) -> QuerySet[Any, Any]:
    from django.db.models import Subquery

    previous = Screening.objects.filter(
        person=OuterRef("person_id"), screened_on__lt=OuterRef("screened_on")
    ).order_by("-screened_on", "-pk")
    qs: Any = (
        Screening.objects.filter(person__partnership_id__in=ids)
        .annotate(previous_level=Subquery(previous.values("agreed_level")[:1]))
        .filter(
            Q(
                agreed_level=RiskLevel.HIGH,
                previous_level__in=[RiskLevel.LOW, RiskLevel.MEDIUM],
            )
            | Q(agreed_level=RiskLevel.MEDIUM, previous_level=RiskLevel.LOW)
        )
        .filter(screened_on__lte=_today() - dt.timedelta(days=PLAN_REVIEW_DAYS))
    )
    reviewed = PlanVersion.objects.annotate(day=local_day("created_at")).filter(
        plan__person=OuterRef("person_id"),
        day__gte=OuterRef("screened_on"),
        day__lte=OuterRef("review_by"),
    )
    qs = qs.annotate(review_by=F("screened_on") + dt.timedelta(days=PLAN_REVIEW_DAYS))
    return columns(
        qs,
        on=F("screened_on"),
        partnership="person__partnership_id",
        agency=None,
        person="person_id",
        hit=Exists(reviewed),
    )


def plan_actions_on_time(ids: Collection[int]) -> QuerySet[Any, Any]:
    qs = (
        PlanAction.objects.filter(
            plan__person__partnership_id__in=ids, due_on__lt=_today()
        )
        .exclude(status=PlanActionStatus.CANCELLED)
        .annotate(done_on=local_day("completed_at"))
    )
    return columns(
        qs,
        on=F("due_on"),
        partnership="plan__person__partnership_id",
        agency="owner_agency_id",
        person="plan__person_id",
        hit=Q(status=PlanActionStatus.DONE, done_on__lte=F("due_on")),
    )


def _events(ids: Collection[int], *categories: str) -> QuerySet[Any, Any]:
    return Event.objects.filter(
        person__partnership_id__in=ids, category__in=list(categories)
    )


def _while_supported(*categories: str):
    """Events of these criminal-justice kinds, in the numerator where the child had
    a current plan when it happened."""

    def records(ids: Collection[int]) -> QuerySet[Any, Any]:
        on_plan = Plan.objects.filter(
            person=OuterRef("person_id"), created_at__lte=OuterRef("occurred_at")
        ).filter(Q(ended_at__isnull=True) | Q(ended_at__gt=OuterRef("occurred_at")))
        return columns(
            _events(ids, *categories),
            on=local_day("occurred_at"),
            partnership="person__partnership_id",
            agency="agency_id",
            person="person_id",
            hit=Exists(on_plan),
        )

    return records


arrests_while_supported = _while_supported(EventCategory.ARREST)
charges_while_supported = _while_supported(
    EventCategory.CHARGE, EventCategory.OUT_OF_COURT
)

#: The criminal-justice outcomes of an offence that diversion is counted among.
JUSTICE_OUTCOMES = (
    EventCategory.CHARGE,
    EventCategory.OUT_OF_COURT,
    EventCategory.DIVERSION,
)


def diverted(ids: Collection[int]) -> QuerySet[Any, Any]:
    return columns(
        _events(ids, *JUSTICE_OUTCOMES),
        on=local_day("occurred_at"),
        partnership="person__partnership_id",
        agency="agency_id",
        person="person_id",
        hit=Q(category=EventCategory.DIVERSION),
    )


def nrm_decided(ids: Collection[int]) -> QuerySet[Any, Any]:
    return columns(
        _events(ids, EventCategory.NRM),
        on=local_day("occurred_at"),
        partnership="person__partnership_id",
        agency="agency_id",
        person="person_id",
        hit=Q(decision_on__isnull=False),
    )


def missing_education(ids: Collection[int]) -> QuerySet[Any, Any]:
    return columns(
        _events(ids, EventCategory.MISSING_EDUCATION, EventCategory.EXCLUSION),
        on=local_day("occurred_at"),
        partnership="person__partnership_id",
        agency="agency_id",
        person="person_id",
        hit=True,
    )


def children_referred(ids: Collection[int]) -> QuerySet[Any, Any]:
    return columns(
        Referral.objects.filter(partnership_id__in=ids),
        on=local_day("received_at"),
        partnership="partnership_id",
        agency="referrer_agency_id",
        person="person_id",
        hit=True,
    )


def return_interviews_in_time(ids: Collection[int]) -> QuerySet[Any, Any]:
    qs = MissingEpisode.objects.filter(
        person__partnership_id__in=ids, interview_due_at__isnull=False
    ).filter(
        Q(interview_completed_at__isnull=False) | Q(interview_due_at__lt=timezone.now())
    )
    return columns(
        qs,
        on=local_day("returned_at"),
        partnership="person__partnership_id",
        agency="event__agency_id",
        person="person_id",
        hit=Q(interview_completed_at__lte=F("interview_due_at")),
    )


register(
    Indicator(
        key="referral-decided-in-time",
        outcome=1,
        title="Referrals decided in time",
        definition="Of the referrals received that were decided, or were due for a "
        "decision before today, the share decided by their due date (1 working day "
        "for a standard referral).",
        numerator="Referrals decided on or before their decision due date.",
        denominator="Referrals decided, or undecided with the due date passed, by "
        "the month received.",
        source="cases",
        kind=Kind.RATE,
        records=referrals_decided_in_time,
        record_label="referral",
    )
)
register(
    Indicator(
        key="referral-days-to-decision",
        outcome=1,
        title="Time from referral to decision",
        definition="The average time from receiving a referral to recording the "
        "decision about it, in days.",
        numerator="Days from received to decided, added up.",
        denominator="Referrals decided, by the month received.",
        source="cases",
        kind=Kind.MEAN,
        unit="days",
        higher_is_better=False,
        records=days_to_decision,
        record_label="referral",
    )
)
register(
    Indicator(
        key="children-referred",
        outcome=16,
        title="Referrals of children at risk",
        definition="How many referrals of children at risk of serious youth "
        "violence or exploitation were received (prevalence).",
        numerator="Referrals received.",
        denominator="Referrals received, by month (a count, not a rate).",
        source="cases",
        kind=Kind.COUNT,
        higher_is_better=None,
        records=children_referred,
        record_label="referral",
    )
)
register(
    Indicator(
        key="assessment-on-time",
        outcome=4,
        title="Assessments completed in time",
        definition="Of the assessments due, the share signed off by their due date.",
        numerator="Assessments signed off on or before the due date.",
        denominator="Assessments signed off, or still open after the due date, by "
        "the month due.",
        source="cases",
        kind=Kind.RATE,
        records=assessments_on_time,
        record_label="assessment",
    )
)
register(
    Indicator(
        key="assessment-contributions",
        outcome=4,
        title="Assessments with every requested contribution",
        definition="Of the assessments signed off, the share where every agency "
        "asked to contribute did (none outstanding or declined).",
        numerator="Signed-off assessments with every requested contribution received.",
        denominator="Assessments signed off in the month.",
        source="cases",
        kind=Kind.RATE,
        records=_signed_off(_all_contributions_received),
        record_label="assessment",
    )
)
register(
    Indicator(
        key="assessment-extra-familial",
        outcome=2,
        title="Assessments that consider harm outside the family",
        definition="Of the assessments signed off, the share that record harm "
        "outside the family (peers, school, neighbourhood).",
        numerator="Signed-off assessments with harm outside the family recorded.",
        denominator="Assessments signed off in the month.",
        source="cases",
        kind=Kind.RATE,
        records=_signed_off(~Q(extra_familial_harm="")),
        record_label="assessment",
    )
)
register(
    Indicator(
        key="assessment-online-harm",
        outcome=2,
        title="Assessments that consider online harm",
        definition="Of the assessments signed off, the share that record online risk.",
        numerator="Signed-off assessments with online risk recorded.",
        denominator="Assessments signed off in the month.",
        source="cases",
        kind=Kind.RATE,
        records=_signed_off(~Q(online_risk="")),
        record_label="assessment",
    )
)
register(
    Indicator(
        key="assessment-child-views",
        outcome=12,
        title="Assessments with the child's views",
        definition="Of the assessments signed off, the share that record the "
        "child's views in their words.",
        numerator="Signed-off assessments with the child's views recorded.",
        denominator="Assessments signed off in the month.",
        source="cases",
        kind=Kind.RATE,
        records=_signed_off(~Q(child_views="")),
        record_label="assessment",
    )
)
register(
    Indicator(
        key="plan-lead-professional",
        outcome=3,
        title="Children on a plan with a named lead professional",
        definition="Of the children with a current plan, the share who have one "
        "named lead professional (a consistent relationship).",
        numerator="Current plans whose child has a lead professional.",
        denominator="Current plans, by the month the plan started.",
        source="cases",
        kind=Kind.RATE,
        records=plans_with_lead,
        record_label="plan",
    )
)
register(
    Indicator(
        key="plan-reviewed-after-rise",
        outcome=5,
        title=f"Plans reviewed within {PLAN_REVIEW_DAYS} days of a rise in risk",
        definition="Of the screenings that raised a child's risk level (low to "
        "medium or high, medium to high), the share followed by a change to the "
        f"child's plan within {PLAN_REVIEW_DAYS} days.",
        numerator=f"Rises in risk followed by a plan change within "
        f"{PLAN_REVIEW_DAYS} days.",
        denominator=f"Screenings that raised the risk level, at least "
        f"{PLAN_REVIEW_DAYS} days ago, by the month screened.",
        source="cases",
        kind=Kind.RATE,
        records=plan_reviewed_after_rise,
        record_label="screening",
    )
)
register(
    Indicator(
        key="plan-actions-on-time",
        outcome=5,
        title="Plan actions done on time",
        definition="Of the actions in children's plans that fell due, the share "
        "done by their due date, by the owner's agency.",
        numerator="Actions marked done on or before the due date.",
        denominator="Actions due before today (cancelled actions left out), by the "
        "month due.",
        source="cases",
        kind=Kind.RATE,
        records=plan_actions_on_time,
        record_label="plan action",
    )
)
register(
    Indicator(
        key="referrals-from-health",
        outcome=9,
        title="Referrals from health",
        definition="The share of referrals made by health agencies (integrated "
        "care boards, hospital trusts and other health providers).",
        numerator="Referrals from a health agency.",
        denominator="All referrals received in the month.",
        source="cases",
        kind=Kind.RATE,
        higher_is_better=None,
        records=_referrals_from(HEALTH_AGENCIES),
        record_label="referral",
    )
)
register(
    Indicator(
        key="referrals-from-schools",
        outcome=13,
        title="Referrals from schools",
        definition="The share of referrals made by schools and other educational "
        "settings.",
        numerator="Referrals from a school or educational authority.",
        denominator="All referrals received in the month.",
        source="cases",
        kind=Kind.RATE,
        higher_is_better=None,
        records=_referrals_from((AgencyType.EDUCATION,)),
        record_label="referral",
    )
)
register(
    Indicator(
        key="missing-education",
        outcome=14,
        title="Episodes of missing education or exclusion known",
        definition="Episodes of missing education and exclusions of children known "
        "to the partnership, recorded in their chronology.",
        numerator="Missing-education and exclusion events.",
        denominator="The same events, by month (a count).",
        source="cases",
        kind=Kind.COUNT,
        higher_is_better=None,
        records=missing_education,
        record_label="chronology event",
    )
)
register(
    Indicator(
        key="arrests-while-supported",
        outcome=10,
        title="Arrests of children who were receiving support",
        definition="Of the arrests of children known to the partnership, the share "
        "where the child had a current support plan at the time: support before "
        "criminal-justice action.",
        numerator="Arrests of a child who had a current plan.",
        denominator="Arrests recorded in children's chronologies.",
        source="cases",
        kind=Kind.RATE,
        records=arrests_while_supported,
        record_label="arrest",
    )
)
register(
    Indicator(
        key="charges-while-supported",
        outcome=10,
        title="Charges and out-of-court disposals of children receiving support",
        definition="Of the charges and out-of-court disposals (community "
        "resolutions, cautions, conditional cautions) of children known to the "
        "partnership, the share where the child had a current support plan at the "
        "time: criminal-justice action against children the partnership was "
        "already supporting.",
        numerator="Charges and out-of-court disposals of a child who had a current "
        "plan.",
        denominator="Charges and out-of-court disposals recorded in children's "
        "chronologies.",
        source="cases",
        kind=Kind.RATE,
        higher_is_better=None,
        records=charges_while_supported,
        record_label="charge or disposal",
    )
)
register(
    Indicator(
        key="diverted-from-prosecution",
        outcome=10,
        title="Outcomes that diverted the child from prosecution",
        definition="Of the criminal-justice outcomes recorded for children (charge, "
        "out-of-court disposal, diversion to support), the share that were "
        "diversion: not criminalising children unnecessarily.",
        numerator="Diversions recorded.",
        denominator="Charges, out-of-court disposals and diversions recorded.",
        source="cases",
        kind=Kind.RATE,
        records=diverted,
        record_label="outcome",
    )
)
register(
    Indicator(
        key="nrm-decision-recorded",
        outcome=11,
        title="NRM referrals with a decision recorded",
        definition="Of the National Referral Mechanism referrals in children's "
        "chronologies, the share with a decision (reasonable or conclusive grounds) "
        "recorded.",
        numerator="NRM referrals with a decision date.",
        denominator="NRM referrals recorded, by month.",
        source="cases",
        kind=Kind.RATE,
        records=nrm_decided,
        record_label="NRM referral",
    )
)
register(
    Indicator(
        key="return-interview-in-time",
        outcome=7,
        title="Return home interviews in time",
        definition="Of the missing episodes whose return home interview was due, "
        "the share interviewed by the due time (72 hours after return by default; "
        "a local rule, reference C.4).",
        numerator="Interviews completed on or before the due time.",
        denominator="Returns whose interview was completed or is overdue, by the "
        "month of return.",
        source="cases",
        kind=Kind.RATE,
        records=return_interviews_in_time,
        record_label="missing episode",
    )
)
