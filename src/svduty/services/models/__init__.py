"""Services and interventions (issue 11, parts 2, 3 and 6): the catalogue, referrals
of children to services and their waiting lists, reachable moments, NRM referrals,
return home interviews and disruption tools."""

from ..states import ReferralStatus
from .catalogue import Service
from .choices import (
    NAVIGATOR_TYPES,
    THERAPEUTIC_TYPES,
    Consent,
    DecisionRoute,
    DisruptionKind,
    EndReason,
    ExploitationType,
    GroundsDecision,
    Injury,
    InterviewResponse,
    MomentResponse,
    MomentSetting,
    OnwardReferral,
    Outcome,
    ServiceType,
    YefImpact,
)
from .exploitation import DisruptionTool, NrmReferral, ReachableMoment, ReturnInterview
from .referrals import ServiceReferral

__all__ = [
    "NAVIGATOR_TYPES",
    "THERAPEUTIC_TYPES",
    "Consent",
    "DecisionRoute",
    "DisruptionKind",
    "DisruptionTool",
    "EndReason",
    "ExploitationType",
    "GroundsDecision",
    "Injury",
    "InterviewResponse",
    "MomentResponse",
    "MomentSetting",
    "NrmReferral",
    "OnwardReferral",
    "Outcome",
    "ReachableMoment",
    "ReferralStatus",
    "ReturnInterview",
    "Service",
    "ServiceReferral",
    "ServiceType",
    "YefImpact",
]
