"""A case-audit sample's findings rolled up by question, by agency's part and by
grade (moderated grade where there is one): one computation for the sample's page and
the API."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from svduty.accounts.models import AgencyType

from .models import AuditAnswer, AuditSample, Grade, SampleCase

EVERY_AGENCY = "Every agency"


@dataclass(frozen=True)
class Findings:
    #: (question key, question, agency's part, {answer: cases})
    questions: list[tuple[str, str, str, dict[str, int]]]
    #: (agency's part, {answer: cases})
    parts: list[tuple[str, dict[str, int]]]
    #: (grade value, label, cases)
    grades: list[tuple[str, str, int]]
    audited: int
    moderated: int


def findings(sample: AuditSample, cases: Sequence[SampleCase]) -> Findings:
    audited = [c for c in cases if c.audited_at]
    parts = sample.parts()
    questions = []
    by_part: dict[str, Counter[str]] = {}
    for key, text in sample.questions():
        counts = Counter(c.answers.get(key) for c in audited)
        part = AgencyType(parts[key]).label if parts.get(key) else EVERY_AGENCY
        answers = {a: counts.get(a, 0) for a in AuditAnswer.values}
        questions.append((key, text, part, answers))
        by_part.setdefault(part, Counter()).update(counts)
    grades = Counter(c.moderated_grade or c.grade for c in audited)
    return Findings(
        questions=questions,
        parts=[
            (part, {a: counts.get(a, 0) for a in AuditAnswer.values})
            for part, counts in by_part.items()
        ],
        grades=[(value, label, grades.get(value, 0)) for value, label in Grade.choices],
        audited=len(audited),
        moderated=sum(1 for c in cases if c.moderated_at),
    )
