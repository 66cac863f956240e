"""Writes to places and peer groups (architecture D6)."""

from .peer_groups import (
    add_member,
    agree_group_plan,
    close_peer_group,
    create_peer_group,
    end_membership,
    record_group_assessment,
    update_peer_group,
)
from .places import (
    close_place,
    create_place,
    end_intervention,
    end_link,
    link_child,
    record_intervention,
    record_place_assessment,
    record_report,
    update_place,
)

__all__ = [
    "add_member",
    "agree_group_plan",
    "close_peer_group",
    "close_place",
    "create_peer_group",
    "create_place",
    "end_intervention",
    "end_link",
    "end_membership",
    "link_child",
    "record_group_assessment",
    "record_intervention",
    "record_place_assessment",
    "record_report",
    "update_peer_group",
    "update_place",
]
