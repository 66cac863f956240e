"""Code lists for places, peer groups and their interventions."""

from django.db import models


class PlaceKind(models.TextChoices):
    PARK = "park", "Park or open space"
    TRANSPORT_HUB = "transport_hub", "Transport hub or route (station, bus stop)"
    SHOP = "shop", "Shop, takeaway or shopping centre"
    SCHOOL = "school", "School or college"
    ADDRESS = "address", "Address (house, flat, hostel)"
    ESTATE = "estate", "Housing estate or street"
    LEISURE = "leisure", "Leisure venue (youth club, sports ground, arcade)"
    ONLINE = "online", "Online platform or group"
    OTHER = "other", "Another kind of place"


class PlaceStatus(models.TextChoices):
    OF_CONCERN = "of_concern", "Of concern"
    CLOSED = "closed", "No longer of concern"


class PlaceLinkRole(models.TextChoices):
    """Why a child is linked to a place (Contextual Safeguarding: member, victim,
    of concern)."""

    HARMED_HERE = "harmed_here", "Harmed or exploited here"
    AT_RISK_HERE = "at_risk_here", "Spends time here and is at risk"
    HARMS_OTHERS = "harms_others", "Thought to harm others here"


class ReportKind(models.TextChoices):
    INCIDENT = "incident", "Incident"
    INTELLIGENCE = "intelligence", "Intelligence summary"


class InterventionKind(models.TextChoices):
    LIGHTING = "lighting", "Lighting"
    PATROLS = "patrols", "Patrols (police or wardens)"
    DETACHED_YOUTH_WORK = "detached_youth_work", "Detached youth work"
    LICENSING = "licensing", "Licensing (conditions, review or closure)"
    GUARDIANSHIP = "guardianship", "Guardianship (staff, businesses, residents)"
    CCTV = "cctv", "CCTV"
    ENVIRONMENT = "environment", "Changes to the environment (design, clearance)"
    ONLINE_REPORTING = "online_reporting", "Reporting to the platform"
    OTHER = "other", "Another intervention"


class MembershipRole(models.TextChoices):
    MEMBER = "member", "Member"
    HARMED = "harmed", "Harmed or exploited by the group"
    OF_CONCERN = "of_concern", "Of concern (may harm others)"


class GroupStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class PlanStatus(models.TextChoices):
    CURRENT = "current", "Current"
    REPLACED = "replaced", "Replaced by a later plan"
