"""Finding people: the search box and the duplicate check before a record is created.

Names are compared by phonetic key (Soundex) and by common variants (Bill and William),
and the date of birth is compared exactly or with its day and month swapped (a common
typing mistake). Results are scored so the likeliest match is first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q

from .rules import first_name_keys, normalise_name, soundex

MAX_RESULTS = 20


@dataclass
class Match:
    person: object
    score: int
    reasons: list[str] = field(default_factory=list)


def _swapped(day: dt.date) -> dt.date | None:
    try:
        return dt.date(day.year, day.day, day.month) if day.day <= 12 else None
    except ValueError:
        return None


def find_people(
    queryset, *, name: str = "", date_of_birth: dt.date | None = None
) -> list[Match]:
    from .models import Alias

    parts = [p for p in name.split() if normalise_name(p)]
    first = parts[0] if len(parts) > 1 else ""
    last = parts[-1] if parts else ""
    q = Q()
    if last:
        last_key = soundex(last)
        alias_people = Alias.objects.filter(
            Q(last_name_key=last_key) | Q(first_name_key=last_key)
        ).values("person_id")
        name_q = Q(last_name_key=last_key) | Q(pk__in=alias_people)
        if not first:
            # A single word may be a first name too.
            name_q |= Q(first_name_key=last_key)
        q &= name_q
    dob_q = Q()
    if date_of_birth:
        dob_q = Q(date_of_birth=date_of_birth)
        swapped = _swapped(date_of_birth)
        if swapped:
            dob_q |= Q(date_of_birth=swapped)
        if not last:
            q &= dob_q
    if not q:
        return []
    candidates = list(
        queryset.filter(q)
        .select_related("lead_professional")
        .prefetch_related("aliases")[:200]
    )
    first_keys = first_name_keys(first) if first else set()
    matches = []
    for person in candidates:
        score = 0
        reasons = []
        if last and normalise_name(person.last_name) == normalise_name(last):
            score += 4
            reasons.append("Same last name")
        elif last and person.last_name_key == soundex(last):
            score += 2
            reasons.append("Last name sounds the same")
        elif last:
            reasons.append("Matches a recorded alias")
            score += 2
        if first_keys:
            if normalise_name(person.first_name) == normalise_name(first):
                score += 4
                reasons.append("Same first name")
            elif person.first_name_key in first_keys:
                score += 2
                reasons.append("First name is a variant or sounds the same")
        if date_of_birth and person.date_of_birth:
            if person.date_of_birth == date_of_birth:
                score += 5
                reasons.append("Same date of birth")
            elif person.date_of_birth == _swapped(date_of_birth):
                score += 2
                reasons.append("Date of birth with day and month swapped")
        if (
            first_keys
            and person.first_name_key not in first_keys
            and (not date_of_birth or person.date_of_birth != date_of_birth)
        ):
            continue
        matches.append(Match(person, score, reasons))
    matches.sort(key=lambda m: (-m.score, m.person.last_name, m.person.pk))
    return matches[:MAX_RESULTS]


def likely_duplicates(queryset, *, first_name: str, last_name: str, date_of_birth):
    return [
        m
        for m in find_people(
            queryset, name=f"{first_name} {last_name}", date_of_birth=date_of_birth
        )
        if m.score >= 4
    ]
