"""Services and interventions in subject access (privacy app; issue 14, point 11):
referrals to services, reachable moments, National Referral Mechanism referrals,
return interviews after a missing episode and disruption tools."""

from __future__ import annotations

from svduty.privacy.subject_access import (
    Identities,
    SubjectItem,
    SubjectSource,
    item_from,
    register_subject_source,
)

from .models import (
    DisruptionTool,
    NrmReconsideration,
    NrmReferral,
    ReachableMoment,
    ReturnInterview,
    ServiceReferral,
)


def _services(who: Identities) -> list[SubjectItem]:
    ids = who.ids("cases.person")
    items: list[SubjectItem] = []
    for model, heading, reason in (
        (ServiceReferral, "Referral to a service", ""),
        (ReachableMoment, "Reachable moment", ""),
        (NrmReferral, "National Referral Mechanism referral", ""),
        (
            DisruptionTool,
            "Disruption tool",
            "names the person it was issued against",
        ),
    ):
        for obj in model.objects.filter(person_id__in=ids).order_by("pk"):
            items.append(item_from(obj, heading, reason, skip=("person",)))
    for reconsideration in NrmReconsideration.objects.filter(
        nrm__person_id__in=ids
    ).order_by("pk"):
        items.append(item_from(reconsideration, "NRM reconsideration"))
    for interview in ReturnInterview.objects.filter(
        missing_episode__person_id__in=ids
    ).order_by("pk"):
        items.append(
            item_from(
                interview,
                "Return interview",
                "the child's account and the carer's may name other people",
            )
        )
    return items


def register() -> None:
    register_subject_source(
        SubjectSource(
            key="services",
            title="Services and interventions",
            collect=_services,
            models=(
                "services.servicereferral",
                "services.reachablemoment",
                "services.nrmreferral",
                "services.nrmreconsideration",
                "services.disruptiontool",
                "services.returninterview",
            ),
        )
    )
