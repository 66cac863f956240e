"""Factories for the children-at-risk record. People are created through the actions
where the rule matters (case team, chronology); plain rows elsewhere for speed."""

from __future__ import annotations

import datetime as dt

import factory

from svduty.cases import actions
from svduty.cases.models import Person, TeamRole
from svduty.core.authorisation import Role
from svduty.partnership.models import Partnership, PartnershipMember, StatutoryRole
from tests.factories.accounts import AgencyFactory, UserFactory, give_totp


def partnership_with(*agencies, name: str = "Cases Test Partnership") -> Partnership:
    partnership, _ = Partnership.objects.get_or_create(
        slug=name.lower().replace(" ", "-"), defaults={"name": name}
    )
    for agency in agencies:
        PartnershipMember.objects.get_or_create(
            partnership=partnership,
            agency=agency,
            defaults={"statutory_role": StatutoryRole.SPECIFIED},
        )
    return partnership


def practitioner(agency, role: Role = Role.PRACTITIONER, **kwargs):
    user = UserFactory(roles=[role.value], agencies=[agency], **kwargs)
    user.totp_secret = give_totp(user)
    return user


class PersonFactory(factory.django.DjangoModelFactory):
    """A person with no case team (use `person_on_team` for one with a team)."""

    class Meta:
        model = Person

    partnership = factory.LazyFunction(
        lambda: partnership_with(AgencyFactory(name="Cases Test Council"))
    )
    first_name = factory.Sequence(lambda n: f"Testchild{n}")
    last_name = "Examplename"
    date_of_birth = dt.date(2010, 5, 17)
    created_by = factory.SubFactory(UserFactory)


def person_on_team(user, *, partnership=None, role=TeamRole.LEAD, **fields) -> Person:
    """A child whose case team has `user` on it (lead professional by default)."""
    partnership = partnership or partnership_with(
        *[m.agency for m in user.memberships.all()]
    )
    fields.setdefault("first_name", "Robin")
    fields.setdefault("last_name", "Testperson")
    fields.setdefault("date_of_birth", dt.date(2010, 5, 17))
    person = actions.create_person(
        by=user, partnership=partnership, role=TeamRole.KEY_WORKER, **fields
    )
    if role == TeamRole.LEAD:
        actions.people._make_lead(by=user, person=person, user=user)
    return person
