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
    GroundsStage,
    Injury,
    InterviewResponse,
    MomentResponse,
    MomentSetting,
    OnwardReferral,
    Outcome,
    ReconsiderationOutcome,
    S45Defence,
    ServiceType,
    YefImpact,
)
from .exploitation import (
    DisruptionTool,
    NrmReconsideration,
    NrmReferral,
    ReachableMoment,
    ReturnInterview,
)
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
    "GroundsStage",
    "Injury",
    "InterviewResponse",
    "MomentResponse",
    "MomentSetting",
    "NrmReconsideration",
    "NrmReferral",
    "OnwardReferral",
    "Outcome",
    "ReachableMoment",
    "ReconsiderationOutcome",
    "ReferralStatus",
    "ReturnInterview",
    "S45Defence",
    "Service",
    "ServiceReferral",
    "ServiceType",
    "YefImpact",
]
