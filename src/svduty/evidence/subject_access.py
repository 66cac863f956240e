"""Case audit in subject access (privacy app; issue 14, point 11): the quality
audits of a child's record (grades, learning, moderation). The auditors' and
moderators' notes are about the work of named staff."""

from __future__ import annotations

from svduty.privacy.subject_access import (
    Identities,
    SubjectItem,
    SubjectSource,
    item_from,
    register_subject_source,
)

from .models import SampleCase


def _audits(who: Identities) -> list[SubjectItem]:
    ids = who.ids("cases.person")
    return [
        item_from(
            case,
            f"Case audit: {case.sample}",
            "names members of staff and judges their work",
            skip=("person",),
        )
        for case in SampleCase.objects.filter(person_id__in=ids)
        .select_related("sample")
        .order_by("pk")
    ]


def register() -> None:
    register_subject_source(
        SubjectSource(
            key="evidence",
            title="Audits of the record's quality",
            collect=_audits,
            models=("evidence.samplecase",),
        )
    )
