"""Who may see what: the scopes behind every page and API endpoint."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from svduty.cases.models import Person
from svduty.cases.policies import Basis, access_basis
from svduty.core.authorisation import Role


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


USERS = (
    "lead",
    "manager",
    "same_agency",
    "other_agency",
    "granted",
    "expired",
    "glass",
    "auditor",
    "outsider",
)


@pytest.fixture
def records(world):
    """One child of each kind: the world's (team, grants current and expired,
    break-glass), a restricted one on the same team, one whose team is another
    agency's practitioner, one in another partnership; with pending requests."""
    from svduty.cases import actions
    from tests.factories.cases import person_on_team

    restricted = person_on_team(
        world.lead, partnership=world.partnership, first_name="Res", last_name="Tricted"
    )
    actions.set_restricted(
        by=world.manager, person=restricted, restricted=True, reason="Staff relative"
    )
    elsewhere = person_on_team(
        world.other_agency,
        partnership=world.partnership,
        first_name="Pol",
        last_name="Iceonly",
    )
    from svduty.partnership.models import Partnership

    other_partnership = person_on_team(
        world.outsider,
        partnership=Partnership.objects.get(name="Other Partnership"),
        first_name="Oth",
        last_name="Erplace",
    )
    # Asked for, not yet granted: no basis.
    actions.request_access(
        by=world.granted, person=elsewhere, reason="Working with the family"
    )
    actions.request_access(
        by=world.same_agency, person=elsewhere, reason="Working with the family"
    )
    actions.create_plan(
        by=world.lead,
        person=restricted,
        review_on=timezone.localdate() + dt.timedelta(days=28),
        goals=["Safe at home"],
    )
    return [world.child, restricted, elsewhere, other_partnership]


@pytest.mark.parametrize("who", USERS)
def test_the_filter_the_annotation_and_the_object_check_agree(world, records, who):
    """The pages read access through `with_access`/`basis_from_row`, lists through
    `visible_to`, actions through `access_basis`: the three must give one answer."""
    from svduty.cases.models import CaseTeamMember, Plan, PlanStatus
    from svduty.cases.policies import (
        basis_from_row,
        correlated_full_record_q,
        prime_user,
        related_full_record_q,
        with_access,
    )
    from svduty.cases.policies import findable as compiled_findable

    user = getattr(world, who)
    visible = full(user)
    for record in records:
        by_object = access_basis(user, Person.objects.get(pk=record.pk))
        annotated = with_access(Person.objects.filter(pk=record.pk), user).get()
        by_annotation = basis_from_row(user, annotated)
        assert by_annotation == by_object, (who, str(record))
        assert (record.pk in visible) is (by_object is not None), (who, str(record))
        # Rows that point at the person (a referral's "person") give the same answer.
        related = related_full_record_q(user, "person")
        by_related = related is not None and (
            CaseTeamMember.objects.filter(person_id=record.pk).filter(related).exists()
        )
        assert by_related is (by_object is not None), (who, str(record))
        # ... and so does the same condition asked of each row's own person.
        correlated = correlated_full_record_q(user, "person_id")
        by_correlated = correlated is not None and (
            CaseTeamMember.objects.filter(person_id=record.pk)
            .filter(correlated)
            .exists()
        )
        assert by_correlated is (by_object is not None), (who, str(record))
        # ... and so does the child's page's query, compiled once per process for
        # each set of permissions and reused for every user and child with the
        # values swapped in (`policies.findable`): also whether the user finds the
        # child in a search, and the current plan.
        prime_user(user)
        found = compiled_findable(user, record.pk)
        assert basis_from_row(user, found) == by_object, (who, str(record))
        assert bool(getattr(found, "cases_searchable", False)) is (
            record.pk in findable(user)
        ), (who, str(record))
        assert found.cases_current_plan == (
            Plan.objects.filter(person=record, status=PlanStatus.CURRENT)
            .values_list("pk", flat=True)
            .first()
        )
        assert (found.partnership, found.lead_professional) == (
            record.partnership,
            record.lead_professional,
        )
    assert compiled_findable(user, max(r.pk for r in records) + 1000) is None


@pytest.fixture
def action_leads(world):
    """A plan for the world's child with an action led by a youth worker from the
    school, which is not on the case team (a meeting gave it to them), and one led
    by a nurse that is done; the school's and the police's team managers."""
    import datetime as dt

    from svduty.cases import actions
    from svduty.cases.models import PlanActionStatus
    from tests.factories.cases import practitioner

    lead_of_action = practitioner(world.school, full_name="Yusuf Youthworker")
    done_action = practitioner(world.school, full_name="Nia Nurse")
    school_manager = practitioner(world.school, Role.TEAM_MANAGER, full_name="Sue")
    police_manager = practitioner(world.police, Role.TEAM_MANAGER, full_name="Pip")
    plan = actions.create_plan(
        by=world.lead,
        person=world.child,
        review_on=timezone.localdate() + dt.timedelta(days=28),
        goals=["Safe at home"],
    )
    for owner in (lead_of_action, done_action):
        plan.refresh_from_db()
        action = actions.add_plan_action(
            by=world.lead,
            plan=plan,
            expected_version=plan.version,
            text="Mentoring sessions at school",
            owner=owner,
            due_on=timezone.localdate() - dt.timedelta(days=1),
        )
    plan.refresh_from_db()
    actions.update_plan_action(
        by=world.lead,
        action=action,
        expected_version=plan.version,
        status=PlanActionStatus.DONE,
    )
    return SimpleNamespace(
        plan=plan,
        lead_of_action=lead_of_action,
        done_action=done_action,
        school_manager=school_manager,
        police_manager=police_manager,
    )


@pytest.mark.parametrize(
    "who, basis",
    [
        ("lead_of_action", Basis.ACTION_LEAD),
        ("school_manager", Basis.ACTION_LEAD),
        ("done_action", None),
        ("police_manager", None),
    ],
)
def test_named_leads_of_open_actions_read_the_plan_and_the_three_agree(
    world, action_leads, client_for, who, basis
):
    """The named lead of an open action in the child's plan, who is not on the case
    team, was shown the plan on their work list and refused it (404, two found by
    the load crawler): the policy now gives them (and their managers, shown the
    agency's overdue actions) read-only access while the action is open. The
    filter, the annotation and the per-object check give one answer, and every
    link to a plan on the work list opens."""
    from svduty.cases.models import CaseTeamMember
    from svduty.cases.policies import (
        basis_from_row,
        can_edit,
        correlated_full_record_q,
        readable_among,
        related_full_record_q,
        with_access,
    )

    user = getattr(action_leads, who)
    annotated = with_access(Person.objects.filter(pk=world.child.pk), user).get()
    assert basis_from_row(user, annotated) == basis
    assert access_basis(user, Person.objects.get(pk=world.child.pk)) == basis
    reads = basis is not None
    assert (world.child.pk in full(user)) is reads
    rows = CaseTeamMember.objects.filter(person_id=world.child.pk)
    assert rows.filter(related_full_record_q(user, "person")).exists() is reads
    assert rows.filter(correlated_full_record_q(user, "person_id")).exists() is reads
    among = readable_among(user, Person.objects.filter(pk=world.child.pk).values("pk"))
    assert (world.child.pk in set(among.values_list("pk", flat=True))) is reads
    assert not can_edit(user, Person.objects.get(pk=world.child.pk))
    client = client_for(user)
    plan_url = reverse("cases:plan", args=[world.child.pk, action_leads.plan.pk])
    work = client.get(reverse("cases:work")).content.decode()
    assert (f'href="{plan_url}"' in work) is reads
    assert client.get(plan_url).status_code == (200 if reads else 404)
