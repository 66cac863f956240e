"""The evidence record types behind outcomes that are not (only) measured: the
records leaders keep in svduty that an inspection can read as evidence. Together with
the indicator registry, every one of the 21 outcomes has at least one (tested)."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from .records import KINDS


@dataclass(frozen=True)
class RecordType:
    outcome: int
    title: str
    url_name: str  # a page keyed by the partnership's slug, or by nothing

    def url(self, partnership) -> str:
        if self.url_name == "evidence:audits":
            return f"{reverse(self.url_name)}?partnership={partnership.pk}"
        return reverse(self.url_name, kwargs={"slug": partnership.slug})


RECORD_TYPES: tuple[RecordType, ...] = (
    *(
        RecordType(kind.outcome, kind.evidence_title, f"evidence:{kind.key}")
        for kind in KINDS
    ),
    RecordType(1, "Risk after an intervention", "evidence:trajectories"),
    RecordType(15, "Prevalence and disproportionality", "evidence:disproportionality"),
    RecordType(16, "Prevalence and disproportionality", "evidence:disproportionality"),
    RecordType(16, "Risk after an intervention", "evidence:trajectories"),
    RecordType(19, "Case audits", "evidence:audits"),
)


def for_outcome(number: int) -> list[RecordType]:
    return [r for r in RECORD_TYPES if r.outcome == number]
