"""Code lists shared by the children-at-risk models."""

from django.db import models


class PersonKind(models.TextChoices):
    CHILD = "child", "Child or young person"
    ADULT = "adult", "Adult (parent, carer, adult of concern)"


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    NOT_KNOWN = "not_known", "Not known"


class Ethnicity(models.TextChoices):
    """ONS Census 2021 ethnic groups (England and Wales), plus "not stated"."""

    ASIAN_BANGLADESHI = "asian_bangladeshi", "Asian or Asian British: Bangladeshi"
    ASIAN_CHINESE = "asian_chinese", "Asian or Asian British: Chinese"
    ASIAN_INDIAN = "asian_indian", "Asian or Asian British: Indian"
    ASIAN_PAKISTANI = "asian_pakistani", "Asian or Asian British: Pakistani"
    ASIAN_OTHER = "asian_other", "Asian or Asian British: any other Asian background"
    BLACK_AFRICAN = (
        "black_african",
        "Black, Black British, Caribbean or African: African",
    )
    BLACK_CARIBBEAN = (
        "black_caribbean",
        "Black, Black British, Caribbean or African: Caribbean",
    )
    BLACK_OTHER = (
        "black_other",
        "Black, Black British, Caribbean or African: any other Black, Black British "
        "or Caribbean background",
    )
    MIXED_WHITE_ASIAN = "mixed_white_asian", "Mixed or multiple: White and Asian"
    MIXED_WHITE_BLACK_AFRICAN = (
        "mixed_white_black_african",
        "Mixed or multiple: White and Black African",
    )
    MIXED_WHITE_BLACK_CARIBBEAN = (
        "mixed_white_black_caribbean",
        "Mixed or multiple: White and Black Caribbean",
    )
    MIXED_OTHER = (
        "mixed_other",
        "Mixed or multiple: any other Mixed or multiple background",
    )
    WHITE_BRITISH = (
        "white_british",
        "White: English, Welsh, Scottish, Northern Irish or British",
    )
    WHITE_IRISH = "white_irish", "White: Irish"
    WHITE_GYPSY_TRAVELLER = "white_gypsy_traveller", "White: Gypsy or Irish Traveller"
    WHITE_ROMA = "white_roma", "White: Roma"
    WHITE_OTHER = "white_other", "White: any other White background"
    OTHER_ARAB = "other_arab", "Other ethnic group: Arab"
    OTHER_ANY = "other_any", "Other ethnic group: any other ethnic group"
    NOT_STATED = "not_stated", "Not stated"


class SenStatus(models.TextChoices):
    NONE = "none", "No special educational needs"
    SEN_SUPPORT = "sen_support", "SEN support"
    EHC_PLAN = "ehc_plan", "Education, health and care (EHC) plan"
    NOT_KNOWN = "not_known", "Not known"


class LegalStatus(models.TextChoices):
    NONE = "none", "None recorded"
    CHILD_IN_NEED = "child_in_need", "Child in need (section 17)"
    CHILD_PROTECTION = "child_protection", "Child protection plan"
    LOOKED_AFTER = "looked_after", "Looked-after child"
    CARE_LEAVER = "care_leaver", "Care leaver"


class RiskLevel(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class IdentifierKind(models.TextChoices):
    NHS = "nhs", "NHS number"
    UPN = "upn", "Unique pupil number (UPN)"
    PNC = "pnc", "Police National Computer (PNC) ID"
    LOCAL = "local", "Local identifier (an agency's own case number)"


class RelationshipKind(models.TextChoices):
    SIBLING = "sibling", "Sibling"
    PARENT_CARER = "parent_carer", "Parent or carer"
    PEER = "peer", "Peer or friend"
    ASSOCIATE = "associate", "Associate"
    ADULT_OF_CONCERN = "adult_of_concern", "Adult of concern"


class TeamRole(models.TextChoices):
    LEAD = "lead", "Lead professional"
    KEY_WORKER = "key_worker", "Key worker"
    REFERRER = "referrer", "Referrer"
    CONTRIBUTOR = "contributor", "Contributing practitioner"
    MANAGER = "manager", "Manager"
