"""Children at risk: the shared child record (issue 4).

Split by topic; everything is importable from `svduty.cases.models`.
"""

from .access import AccessRequest, AccessStatus, BreakGlass, CaseTeamMember, Disclosure
from .assessments import (
    Assessment,
    AssessmentStatus,
    AssessmentType,
    Contribution,
    ContributionStatus,
)
from .choices import (
    Ethnicity,
    IdentifierKind,
    LegalStatus,
    PersonKind,
    RelationshipKind,
    RiskLevel,
    SenStatus,
    Sex,
    TeamRole,
)
from .chronology import Event, EventCategory, MissingEpisode, Significance
from .config import LanguageRule
from .people import Address, Alias, Identifier, Person, Relationship
from .plans import Goal, Plan, PlanAction, PlanActionStatus, PlanStatus, PlanVersion
from .referrals import Referral, ReferralOutcome, ReferralReason, Urgency
from .screening import (
    Indicator,
    IndicatorGroup,
    Screening,
    ScreeningAnswer,
    ScreeningTool,
)

__all__ = [
    "AccessRequest",
    "AccessStatus",
    "Address",
    "Alias",
    "Assessment",
    "AssessmentStatus",
    "AssessmentType",
    "BreakGlass",
    "CaseTeamMember",
    "Contribution",
    "ContributionStatus",
    "Disclosure",
    "Ethnicity",
    "Event",
    "EventCategory",
    "Goal",
    "Identifier",
    "IdentifierKind",
    "Indicator",
    "IndicatorGroup",
    "LanguageRule",
    "LegalStatus",
    "MissingEpisode",
    "Person",
    "PersonKind",
    "Plan",
    "PlanAction",
    "PlanActionStatus",
    "PlanStatus",
    "PlanVersion",
    "Referral",
    "ReferralOutcome",
    "ReferralReason",
    "Relationship",
    "RelationshipKind",
    "RiskLevel",
    "Screening",
    "ScreeningAnswer",
    "ScreeningTool",
    "SenStatus",
    "Sex",
    "Significance",
    "TeamRole",
    "Urgency",
]
