"""The child's record in the retention schedule (privacy app; issue 14, point 10).

A person's record, with everything that belongs to it in any app (referrals,
screenings, assessments, plans, chronology, meetings' minutes about them, place and
peer-group links) and its change history, is erased six years after the last
activity on it. Someone linked by a relationship to a person whose record is still
active is kept with them: erasing a carer's record while the child's is open would
leave the child's record pointing at nobody.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import F, QuerySet
from django.db.models.functions import Coalesce, Greatest
from django.db.models.lookups import GreaterThanOrEqual, LessThan

from svduty.privacy.retention import (
    Method,
    Period,
    RetentionRule,
    register_retention_rule,
)

from .models import Person


def _last_activity() -> Greatest:
    return Greatest(
        F("created_at"),
        F("updated_at"),
        Coalesce(F("last_event_at"), F("updated_at")),
    )


def people_due(before: dt.datetime) -> QuerySet[Person]:
    active = Person.objects.filter(GreaterThanOrEqual(_last_activity(), before))
    return (
        Person.objects.filter(LessThan(_last_activity(), before))
        .exclude(relationships__related__in=active.values("pk"))
        .exclude(related_to__person__in=active.values("pk"))
        .distinct()
        .order_by("pk")
    )


def register() -> None:
    register_retention_rule(
        RetentionRule(
            key="cases.person",
            label="Children's records and the records of the people around them",
            default=Period(months=72),
            starts="the last activity on the record (a change, or an entry in its "
            "chronology)",
            method=Method.ERASE,
            source="College of Policing APP, Management of Police Information: "
            "records normally held for a minimum of 6 years, then reviewed "
            "(reference security-requirements.md, S19); requirement L-10. To be "
            "agreed by each partner's DPO and written into the data sharing "
            "agreement.",
            due=people_due,
        )
    )
