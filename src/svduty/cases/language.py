"""The language checker: flags victim-blaming and criminalising phrases in free text
and suggests an alternative (Children's Society and NWG guidance on appropriate
language for child exploitation). The phrase list is data (`LanguageRule`), so a
partnership can add to it; `DEFAULT_RULES` seeds it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# (phrase, suggested alternative, why)
DEFAULT_RULES: list[tuple[str, str, str]] = [
    (
        "putting themselves at risk",
        "being placed at risk by others, or at risk of exploitation",
        "It implies the child is responsible for the harm done to them.",
    ),
    (
        "putting himself at risk",
        "being placed at risk by others, or at risk of exploitation",
        "It implies the child is responsible for the harm done to them.",
    ),
    (
        "putting herself at risk",
        "being placed at risk by others, or at risk of exploitation",
        "It implies the child is responsible for the harm done to them.",
    ),
    (
        "choosing to",
        "describe what happened and who may be controlling or coercing the child",
        "Children who are exploited are not making a free choice.",
    ),
    (
        "chose to",
        "describe what happened and who may be controlling or coercing the child",
        "Children who are exploited are not making a free choice.",
    ),
    (
        "lifestyle choice",
        "the child is being exploited or harmed",
        "Exploitation is not a lifestyle and not a choice.",
    ),
    (
        "promiscuous",
        "the child is being sexually exploited or abused",
        "It blames the child for sexual abuse.",
    ),
    (
        "sexually active",
        "the child may be being sexually exploited (a child under 13 cannot consent)",
        "It suggests consent the child may not be able to give.",
    ),
    (
        "consensual",
        "describe the power imbalance: a child cannot consent to being exploited",
        "A child cannot consent to being exploited.",
    ),
    (
        "gang member",
        "a child at risk of, or experiencing, criminal exploitation",
        "It labels a child as an offender rather than a child at risk.",
    ),
    (
        "drug runner",
        "a child being criminally exploited to move drugs",
        "It criminalises a child who is being exploited.",
    ),
    (
        "drug dealer",
        "a child being criminally exploited to sell drugs",
        "It criminalises a child who is being exploited.",
    ),
    (
        "recruiter",
        "a child who may be being used by others to involve other children",
        "Children used to recruit others are usually exploited themselves.",
    ),
    (
        "boyfriend",
        "an adult (or older young person) who may be exploiting the child",
        "It can hide a relationship of exploitation behind a normal word.",
    ),
    (
        "streetwise",
        "the child may be experienced in risky situations because of exploitation",
        "It suggests the child can protect themselves when they cannot.",
    ),
    (
        "absconded",
        "went missing",
        "It is a criminal-justice term; the child is missing and may be at risk.",
    ),
    (
        "associating with",
        "is being targeted by, or is in contact with",
        "It can suggest the child is choosing to be with people who harm them.",
    ),
]


@dataclass(frozen=True)
class Finding:
    phrase: str
    alternative: str
    explanation: str
    excerpt: str


def find_phrases(
    text: str, rules: Iterable[tuple[str, str, str]] | None = None
) -> list[Finding]:
    """Each listed phrase found in `text` (whole words, any case), once."""
    if not text:
        return []
    findings: list[Finding] = []
    for phrase, alternative, explanation in DEFAULT_RULES if rules is None else rules:
        pattern = re.compile(
            r"\b" + r"\s+".join(map(re.escape, phrase.split())) + r"\b", re.IGNORECASE
        )
        match = pattern.search(text)
        if match:
            start = max(0, match.start() - 30)
            end = min(len(text), match.end() + 30)
            excerpt = ("…" if start else "") + text[start:end].strip()
            excerpt += "…" if end < len(text) else ""
            findings.append(Finding(phrase, alternative, explanation, excerpt))
    return findings
