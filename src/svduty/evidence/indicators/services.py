"""Indicators counted from services (app `services`): waiting times, therapeutic
help, return home interview offers and NRM reasonable-grounds decisions."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from svduty.services.models import (
    THERAPEUTIC_TYPES,
    NrmReferral,
    ReturnInterview,
    ServiceReferral,
)

from .common import DateDiff, columns, local_day
from .registry import Indicator, Kind, register


def waiting_days(ids: Collection[int]) -> QuerySet[Any, Any]:
    return columns(
        ServiceReferral.objects.filter(
            person__partnership_id__in=ids, started_on__isnull=False
        ),
        on=F("started_on"),
        partnership="person__partnership_id",
        agency="referring_agency_id",
        person="person_id",
        hit=True,
        value=DateDiff("referred_on", "started_on"),
    )


def therapeutic(ids: Collection[int]) -> QuerySet[Any, Any]:
    return columns(
        ServiceReferral.objects.filter(person__partnership_id__in=ids),
        on=F("referred_on"),
        partnership="person__partnership_id",
        agency="referring_agency_id",
        person="person_id",
        hit=Q(service__service_type__in=list(THERAPEUTIC_TYPES)),
    )


def offers_in_time(ids: Collection[int]) -> QuerySet[Any, Any]:
    return columns(
        ReturnInterview.objects.filter(missing_episode__person__partnership_id__in=ids),
        on=local_day("offered_at"),
        partnership="missing_episode__person__partnership_id",
        agency=None,
        person="missing_episode__person_id",
        hit=Q(offered_in_time=True),
    )


def rg_in_time(ids: Collection[int]) -> QuerySet[Any, Any]:
    qs = NrmReferral.objects.filter(person__partnership_id__in=ids).filter(
        Q(rg_decided_on__isnull=False) | Q(rg_due_on__lt=timezone.localdate())
    )
    return columns(
        qs,
        on=F("referred_on"),
        partnership="person__partnership_id",
        agency="first_responder_id",
        person="person_id",
        hit=Q(rg_decided_on__lte=F("rg_due_on")),
    )


register(
    Indicator(
        key="service-waiting-days",
        outcome=7,
        title="Waiting time to start a service",
        definition="The average number of days from a child's referral to a "
        "service to the service starting.",
        numerator="Days from referred to started, added up.",
        denominator="Service referrals that started, by the month started.",
        source="services",
        kind=Kind.MEAN,
        unit="days",
        higher_is_better=False,
        records=waiting_days,
        record_label="service referral",
    )
)
register(
    Indicator(
        key="therapeutic-help",
        outcome=7,
        title="Referrals to therapeutic help",
        definition="Of the referrals of children to services, the share to a "
        "therapeutic service (therapy, family therapy).",
        numerator="Referrals to a therapeutic service.",
        denominator="Referrals to any service, by the month referred.",
        source="services",
        kind=Kind.RATE,
        records=therapeutic,
        record_label="service referral",
    )
)
register(
    Indicator(
        key="return-offer-in-time",
        outcome=7,
        title="Return home interviews offered in time",
        definition="Of the return home interviews offered, the share offered "
        "within the time allowed (72 hours, a local rule).",
        numerator="Offers made in time.",
        denominator="Offers recorded, by the month offered.",
        source="services",
        kind=Kind.RATE,
        records=offers_in_time,
        record_label="return home interview offer",
    )
)
register(
    Indicator(
        key="nrm-rg-in-time",
        outcome=11,
        title="NRM reasonable-grounds decisions in time",
        definition="Of the NRM referrals whose reasonable-grounds decision was "
        "made or is overdue, the share decided by the due date (5 working days).",
        numerator="Reasonable-grounds decisions on or before the due date.",
        denominator="NRM referrals decided or overdue, by the month referred.",
        source="services",
        kind=Kind.RATE,
        records=rg_in_time,
        record_label="NRM referral",
    )
)
