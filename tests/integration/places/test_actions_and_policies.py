"""Places and peer groups: who sees what, and the rules the actions enforce."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from svduty.audit.models import AuditEvent
from svduty.partnership.locking import StaleRecord
from svduty.places import actions
from svduty.places.models import (
    PeerGroup,
    PeerGroupPlan,
    Place,
    PlaceChild,
    PlaceKind,
    PlanStatus,
)
from tests.factories.places import make_group, make_place

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 2, 2)


def ids(queryset):
    return set(queryset.values_list("pk", flat=True))


def test_places_are_seen_within_the_partnership_only(world):
    place = make_place(world.lead, world.partnership)
    assert place.pk in ids(Place.objects.visible_to(world.other))
    assert place.pk in ids(Place.objects.visible_to(world.analyst))
    assert place.pk not in ids(Place.objects.visible_to(world.outsider))
    assert (
        AuditEvent.objects.filter(
            target_type="places.place", target_id=str(place.pk), action="create"
        ).count()
        == 1
    )


def test_analyst_cannot_change_places(world):
    with pytest.raises(PermissionDenied):
        make_place(world.analyst, world.partnership)
    with pytest.raises(PermissionDenied):
        make_place(world.outsider, world.partnership)


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"name": " "}, "name"),
        ({"latitude": None}, "latitude"),
        ({"kind": PlaceKind.ONLINE}, "latitude"),
        ({"radius_m": 10}, "radius_m"),
    ],
)
def test_place_rules(world, fields, field):
    with pytest.raises(ValidationError) as error:
        make_place(world.lead, world.partnership, **fields)
    assert field in error.value.message_dict


def test_update_is_optimistically_locked(world):
    place = make_place(world.lead, world.partnership)
    actions.update_place(
        by=world.other, place=place, expected_version=1, name="Centre Square (east)"
    )
    with pytest.raises(StaleRecord):
        actions.update_place(by=world.lead, place=place, expected_version=1, name="X")


def test_linked_children_are_seen_only_by_those_who_may_read_them(world):
    place = make_place(world.lead, world.partnership)
    actions.link_child(
        by=world.lead,
        place=place,
        person=world.child_a,
        role="harmed_here",
        linked_on=DAY,
    )
    actions.link_child(
        by=world.other,
        place=place,
        person=world.child_c,
        role="at_risk_here",
        linked_on=DAY,
    )
    links = PlaceChild.objects.filter(place=place)
    assert {link.person_id for link in links.visible_to(world.lead)} == {
        world.child_a.pk
    }
    assert {link.person_id for link in links.visible_to(world.other)} == {
        world.child_c.pk
    }
    assert not links.visible_to(world.analyst).exists()
    # Nobody links a child they cannot see.
    with pytest.raises(PermissionDenied):
        actions.link_child(
            by=world.other,
            place=place,
            person=world.child_b,
            role="harmed_here",
            linked_on=DAY,
        )
    with pytest.raises(ValidationError):
        actions.link_child(
            by=world.lead,
            place=place,
            person=world.child_a,
            role="harmed_here",
            linked_on=DAY,
        )


def test_assessment_sets_the_place_risk(world):
    place = make_place(world.lead, world.partnership)
    actions.record_place_assessment(
        by=world.lead,
        place=place,
        assessed_on=DAY,
        risk_level="high",
        summary="Older males recruit children at the bus station.",
    )
    actions.record_place_assessment(
        by=world.lead,
        place=place,
        assessed_on=DAY - dt.timedelta(days=30),
        risk_level="low",
        summary="Earlier assessment entered late.",
    )
    place.refresh_from_db()
    assert place.risk_level == "high"


def test_intervention_dates_in_order(world):
    place = make_place(world.lead, world.partnership)
    with pytest.raises(ValidationError):
        actions.record_intervention(
            by=world.lead,
            place=place,
            kind="lighting",
            started_on=DAY,
            ended_on=DAY - dt.timedelta(days=1),
        )
    intervention = actions.record_intervention(
        by=world.lead, place=place, kind="lighting", started_on=DAY
    )
    actions.end_intervention(by=world.lead, intervention=intervention, ended_on=DAY)
    with pytest.raises(ValidationError):
        actions.end_intervention(by=world.lead, intervention=intervention, ended_on=DAY)


def test_group_seen_only_by_those_who_may_see_every_member(world):
    group = make_group(world.lead, world.partnership, world.child_a, world.child_b)
    assert group.pk in ids(PeerGroup.objects.visible_to(world.lead))
    assert group.pk not in ids(PeerGroup.objects.visible_to(world.other))
    assert group.pk not in ids(PeerGroup.objects.visible_to(world.analyst))
    # The other practitioner cannot add their child to a group they cannot see.
    with pytest.raises(PermissionDenied):
        actions.add_member(
            by=world.other, group=group, person=world.child_c, started_on=DAY
        )


def test_a_past_member_still_hides_the_group(world):
    group = make_group(world.lead, world.partnership, world.child_a)
    membership = group.memberships.get()
    actions.end_membership(by=world.lead, membership=membership, ended_on=DAY)
    assert group.pk in ids(PeerGroup.objects.visible_to(world.lead))
    assert group.pk not in ids(PeerGroup.objects.visible_to(world.other))


def test_membership_periods_do_not_overlap(world):
    group = make_group(world.lead, world.partnership, world.child_a)
    with pytest.raises(ValidationError):
        actions.add_member(
            by=world.lead, group=group, person=world.child_a, started_on=DAY
        )
    actions.end_membership(
        by=world.lead, membership=group.memberships.get(), ended_on=DAY
    )
    with pytest.raises(ValidationError):  # the same day is still inside
        actions.add_member(
            by=world.lead, group=group, person=world.child_a, started_on=DAY
        )
    actions.add_member(
        by=world.lead,
        group=group,
        person=world.child_a,
        started_on=DAY + dt.timedelta(days=1),
    )
    assert group.memberships.count() == 2


def test_new_plan_replaces_the_current_one_and_assessment_sets_risk(world):
    group = make_group(world.lead, world.partnership, world.child_a)
    first = actions.agree_group_plan(
        by=world.lead,
        group=group,
        agreed_on=DAY,
        review_on=DAY,
        objectives="Keep them apart from the older group",
        actions="Youth work",
    )
    second = actions.agree_group_plan(
        by=world.lead,
        group=group,
        agreed_on=DAY,
        review_on=DAY,
        objectives="Safer routes home",
        actions="Detached youth work, Fridays",
    )
    statuses = dict(PeerGroupPlan.objects.values_list("pk", "status"))
    assert statuses == {first.pk: PlanStatus.REPLACED, second.pk: PlanStatus.CURRENT}
    actions.record_group_assessment(
        by=world.lead,
        group=group,
        assessed_on=DAY,
        risk_level="medium",
        summary="Group is drawn into county lines.",
    )
    group.refresh_from_db()
    assert (group.risk_level, group.risk_level_on) == ("medium", DAY)


def test_closing_a_group_ends_memberships(world):
    group = make_group(world.lead, world.partnership, world.child_a, world.child_b)
    actions.close_peer_group(by=world.lead, group=group, closed_on=DAY)
    assert not group.memberships.filter(ended_on__isnull=True).exists()
