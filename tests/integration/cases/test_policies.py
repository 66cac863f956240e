"""Who may see what: the scopes behind every page and API endpoint."""

from __future__ import annotations

import pytest

from svduty.cases.models import Person
from svduty.cases.policies import Basis, access_basis


def full(user):
    return set(Person.objects.visible_to(user).values_list("pk", flat=True))


def findable(user):
    return set(Person.objects.searchable_by(user).values_list("pk", flat=True))


@pytest.mark.parametrize(
    "who, basis, sees_full, finds",
    [
        ("lead", Basis.TEAM, True, True),
        ("manager", Basis.MANAGER, True, True),
        ("same_agency", None, False, True),
        ("other_agency", None, False, True),
        ("granted", Basis.GRANTED, True, True),
        ("expired", None, False, True),
        ("glass", Basis.BREAK_GLASS, True, True),
        ("auditor", None, False, False),
        ("outsider", None, False, False),
    ],
)
def test_scope_for_each_kind_of_user(world, who, basis, sees_full, finds):
    user = getattr(world, who)
    assert access_basis(user, world.child) == basis
    assert (world.child.pk in full(user)) is sees_full
    assert (world.child.pk in findable(user)) is finds


def test_restricted_record_is_hidden_from_search_except_to_named_roles(world):
    from svduty.cases import actions

    actions.set_restricted(
        by=world.manager, person=world.child, restricted=True, reason="Staff relative"
    )
    world.child.refresh_from_db()
    assert world.child.pk not in findable(world.same_agency)
    assert world.child.pk not in findable(world.other_agency)
    assert world.child.pk in findable(world.manager)  # VIEW_RESTRICTED
    assert world.child.pk in findable(world.lead)  # on the case team
    assert world.child.pk in full(world.lead)


def test_anonymous_sees_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert full(AnonymousUser()) == set()
    assert findable(AnonymousUser()) == set()
