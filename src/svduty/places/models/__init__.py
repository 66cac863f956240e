"""Contextual safeguarding (issue 11, parts 4 and 5): places and spaces of concern
and peer groups. Everything is importable from `svduty.places.models`."""

from .choices import (
    GroupStatus,
    InterventionKind,
    MembershipRole,
    PlaceKind,
    PlaceLinkRole,
    PlaceStatus,
    PlanStatus,
    ReportKind,
)
from .peer_groups import PeerGroup, PeerGroupAssessment, PeerGroupMember, PeerGroupPlan
from .places import Place, PlaceAssessment, PlaceChild, PlaceIntervention, PlaceReport

__all__ = [
    "GroupStatus",
    "InterventionKind",
    "MembershipRole",
    "PeerGroup",
    "PeerGroupAssessment",
    "PeerGroupMember",
    "PeerGroupPlan",
    "Place",
    "PlaceAssessment",
    "PlaceChild",
    "PlaceIntervention",
    "PlaceKind",
    "PlaceLinkRole",
    "PlaceReport",
    "PlaceStatus",
    "PlanStatus",
    "ReportKind",
]
