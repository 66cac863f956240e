"""Choices for services, referrals to them and the exploitation records."""

from __future__ import annotations

from django.db import models


class ServiceType(models.TextChoices):
    MENTORING = "mentoring", "Mentoring"
    THERAPEUTIC = "therapeutic", "Therapeutic (for example trauma-focused therapy)"
    FAMILY_THERAPY = "family_therapy", "Family therapy (for example multisystemic)"
    HOSPITAL_NAVIGATOR = "hospital_navigator", "Hospital youth worker or navigator"
    CUSTODY_NAVIGATOR = "custody_navigator", "Custody navigator or youth worker"
    YOUTH_WORK = "youth_work", "Youth work"
    DETACHED_YOUTH_WORK = "detached_youth_work", "Detached youth work"
    SPORT = "sport", "Sport and physical activity"
    EDUCATION_INCLUSION = "education_inclusion", "Education inclusion"
    FAMILY_SUPPORT = "family_support", "Family support"
    FOCUSED_DETERRENCE = "focused_deterrence", "Focused deterrence"
    SUBSTANCE_MISUSE = "substance_misuse", "Drug and alcohol support"
    OTHER = "other", "Other"


#: Therapeutic help, which inspections ask about separately ("access to effective
#: services, including therapies", reference B.2).
THERAPEUTIC_TYPES = frozenset({ServiceType.THERAPEUTIC, ServiceType.FAMILY_THERAPY})

#: Services that a reachable moment (emergency department, custody) refers to.
NAVIGATOR_TYPES = frozenset(
    {ServiceType.HOSPITAL_NAVIGATOR, ServiceType.CUSTODY_NAVIGATOR}
)


class YefImpact(models.TextChoices):
    """The Youth Endowment Fund toolkit's estimated impact on violence."""

    HIGH = "high", "High impact"
    MODERATE = "moderate", "Moderate impact"
    LOW = "low", "Low impact"
    NO_EFFECT = "no_effect", "No effect found"
    HARMFUL = "harmful", "May be harmful"


class Consent(models.TextChoices):
    CHILD = "child", "The child agreed"
    PARENT = "parent", "A parent or carer agreed"
    CHILD_AND_PARENT = "child_and_parent", "The child and a parent or carer agreed"
    LAWFUL_BASIS = "lawful_basis", "Referred without consent, on a lawful basis"


class EndReason(models.TextChoices):
    COMPLETED = "completed", "Completed the service"
    DISENGAGED = "disengaged", "Stopped taking part"
    MOVED = "moved", "Moved away"
    NEEDS_CHANGED = "needs_changed", "Needs changed or met elsewhere"
    CONSENT_WITHDRAWN = "consent_withdrawn", "Consent withdrawn"
    OTHER = "other", "Other"


class Outcome(models.TextChoices):
    MET = "met", "Goals met"
    PARTLY_MET = "partly_met", "Goals partly met"
    NOT_MET = "not_met", "Goals not met"
    NOT_KNOWN = "not_known", "Not known"


class MomentSetting(models.TextChoices):
    EMERGENCY_DEPARTMENT = "emergency_department", "Emergency department"
    MAJOR_TRAUMA_CENTRE = "major_trauma_centre", "Major trauma centre"
    CUSTODY_SUITE = "custody_suite", "Police custody suite"


class Injury(models.TextChoices):
    STAB = "stab", "Stab or cut"
    GUNSHOT = "gunshot", "Gunshot"
    ASSAULT = "assault", "Assault without a weapon"
    OTHER = "other", "Other injury"
    NONE = "none", "No injury (for example an arrest)"


class MomentResponse(models.TextChoices):
    PENDING = "pending", "Not answered yet"
    ACCEPTED = "accepted", "Accepted the offer"
    DECLINED = "declined", "Declined the offer"


class OnwardReferral(models.TextChoices):
    SOCIAL_CARE = "social_care", "Children's social care"
    MACE = "mace", "MACE panel"
    YOUTH_JUSTICE = "youth_justice", "Youth justice service"
    NRM = "nrm", "National Referral Mechanism"
    OTHER = "other", "Another service"


class ExploitationType(models.TextChoices):
    CRIMINAL = "criminal", "Criminal exploitation"
    SEXUAL = "sexual", "Sexual exploitation"
    LABOUR = "labour", "Labour exploitation"
    DOMESTIC_SERVITUDE = "domestic_servitude", "Domestic servitude"
    OTHER = "other", "Other"


class DecisionRoute(models.TextChoices):
    SCA = "sca", "Single Competent Authority (Home Office)"
    DEVOLVED = "devolved", "Local devolved decision-making panel"


class GroundsDecision(models.TextChoices):
    POSITIVE = "positive", "Positive (grounds found)"
    NEGATIVE = "negative", "Negative (grounds not found)"


class GroundsStage(models.TextChoices):
    REASONABLE = "reasonable", "Reasonable grounds"
    CONCLUSIVE = "conclusive", "Conclusive grounds"


class ReconsiderationOutcome(models.TextChoices):
    UPHELD = "upheld", "Negative decision upheld"
    CHANGED = "changed", "Decision changed to positive"


class S45Defence(models.TextChoices):
    """Modern Slavery Act 2015 s.45: the defence for victims who commit an offence
    (reference C.3: "s.45 defence raised (y/n) in any linked prosecution")."""

    RAISED = "raised", "Raised"
    NOT_RAISED = "not_raised", "Not raised"


class InterviewResponse(models.TextChoices):
    OFFERED = "offered", "Offered, not answered yet"
    HELD = "held", "Interview held"
    DECLINED = "declined", "Declined by the child"


class DisruptionKind(models.TextChoices):
    CAWN = "cawn", "Child abduction warning notice"
    CBO = "cbo", "Criminal behaviour order"
    SRO = "sro", "Sexual risk order"
    KCPO = "kcpo", "Knife crime prevention order"
    GANG_INJUNCTION = "gang_injunction", "Injunction (gang-related violence)"
    CLOSURE_ORDER = "closure_order", "Closure order"
    TRAFFICKING_ORDER = "trafficking_order", "Slavery and trafficking order"
    OTHER = "other", "Other disruption"
