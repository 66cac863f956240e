"""Pure rules for risk screening and names (no database), so that they can be tested
exhaustively and reused by the API, the views and imports.

Screening follows local MACE practice (reference C.2): each indicator answered Yes, No
or Not known; each Yes adds the indicator's weight; thresholds suggest low, medium or
high; a "significant" indicator answered Yes suggests high on its own; and a floor rule
stops a child under a configured age, or with a learning disability, from being rated
low when any indicator is present (Herefordshire rule). The suggestion never decides:
the practitioner records the agreed level, with a reason when it differs.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

LOW, MEDIUM, HIGH = "low", "medium", "high"
LEVEL_ORDER = {LOW: 0, MEDIUM: 1, HIGH: 2}


@dataclass(frozen=True)
class ScoringRules:
    medium_from: int = 3
    high_from: int = 8
    significant_means_high: bool = True
    floor_under_age: int | None = 13
    floor_for_learning_disability: bool = True
    floor_level: str = MEDIUM


@dataclass(frozen=True)
class Answer:
    weight: int
    significant: bool
    present: bool  # answered "Yes"


@dataclass
class Suggestion:
    level: str
    score: int
    reasons: list[str] = field(default_factory=list)


def suggest_level(
    answers: Iterable[Answer],
    rules: ScoringRules,
    *,
    age: int | None = None,
    learning_disability: bool = False,
) -> Suggestion:
    answers = list(answers)
    present = [a for a in answers if a.present]
    score = sum(a.weight for a in present)
    reasons: list[str] = []
    level = LOW
    if score >= rules.high_from:
        level = HIGH
        reasons.append(f"Score {score} is at or above {rules.high_from} (high)")
    elif score >= rules.medium_from:
        level = MEDIUM
        reasons.append(f"Score {score} is at or above {rules.medium_from} (medium)")
    else:
        reasons.append(f"Score {score} is below {rules.medium_from}")
    if rules.significant_means_high and any(a.significant for a in present):
        if level != HIGH:
            reasons.append("A significant indicator is present, which suggests high")
        level = HIGH
    if present and LEVEL_ORDER[level] < LEVEL_ORDER[rules.floor_level]:
        young = (
            rules.floor_under_age is not None
            and age is not None
            and age < rules.floor_under_age
        )
        ld = rules.floor_for_learning_disability and learning_disability
        if young or ld:
            who = (
                f"under {rules.floor_under_age}"
                if young
                else "with a learning disability"
            )
            reasons.append(
                f"A child {who} with any indicator present cannot be rated lower "
                f"than {rules.floor_level}"
            )
            level = rules.floor_level
    return Suggestion(level=level, score=score, reasons=reasons)


# --- Names: duplicate search ----------------------------------------------------

# Common English name variants; the search compares every variant's phonetic key.
NAME_VARIANTS: list[set[str]] = [
    {"william", "will", "bill", "billy", "liam", "willie"},
    {"robert", "rob", "bob", "bobby", "robbie"},
    {"james", "jim", "jimmy", "jamie"},
    {"john", "jon", "johnny", "jack"},
    {"thomas", "tom", "tommy"},
    {"joseph", "joe", "joey"},
    {"daniel", "dan", "danny"},
    {"michael", "mike", "mikey", "mick"},
    {"christopher", "chris"},
    {"matthew", "matt"},
    {"anthony", "tony"},
    {"alexander", "alex", "sandy", "xander"},
    {"alexandra", "alex", "lexi"},
    {"elizabeth", "liz", "lizzie", "beth", "eliza", "betty"},
    {"katherine", "catherine", "kate", "katie", "cathy", "kath"},
    {"margaret", "maggie", "meg", "peggy"},
    {"rebecca", "becky", "becca"},
    {"jessica", "jess", "jessie"},
    {"samuel", "sam", "sammy"},
    {"samantha", "sam", "sammie"},
    {"nicholas", "nick", "nicky"},
    {"benjamin", "ben", "benny"},
    {"jacob", "jake"},
    {"edward", "ed", "eddie", "ted", "teddy"},
    {"charles", "charlie", "chas"},
    {"charlotte", "charlie", "lottie"},
    {"joshua", "josh"},
    {"oliver", "ollie"},
    {"harrison", "harry"},
    {"henry", "harry", "hal"},
]


def normalise_name(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name or "")
    ascii_only = decomposed.encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", ascii_only.lower())


_SOUNDEX_CODES = {
    **dict.fromkeys("bfpv", "1"),
    **dict.fromkeys("cgjkqsxz", "2"),
    **dict.fromkeys("dt", "3"),
    "l": "4",
    **dict.fromkeys("mn", "5"),
    "r": "6",
}


def soundex(name: str) -> str:
    """American Soundex: names that sound alike (Smith, Smyth) share a code."""
    letters = normalise_name(name)
    if not letters:
        return ""
    first = letters[0]
    code = first.upper()
    previous = _SOUNDEX_CODES.get(first, "")
    for char in letters[1:]:
        digit = _SOUNDEX_CODES.get(char, "")
        if digit and digit != previous:
            code += digit
            if len(code) == 4:
                break
        if char not in "hw":
            previous = digit
    return code.ljust(4, "0")


def name_variants(first_name: str) -> set[str]:
    base = normalise_name(first_name)
    variants = {base}
    for group in NAME_VARIANTS:
        if base in group:
            variants |= group
    return {v for v in variants if v}


def first_name_keys(first_name: str) -> set[str]:
    return {soundex(v) for v in name_variants(first_name)}
