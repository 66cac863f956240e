"""Factories for partnerships, members, local definitions and board meetings."""

import datetime as dt

import factory

from svduty.accounts.models import Agency, AgencyType
from svduty.partnership.models import (
    BoardMeeting,
    DefinitionKind,
    DefinitionStatus,
    Establishment,
    ExcludedOffence,
    LeadArrangement,
    LocalArea,
    LocalDefinition,
    MappingRule,
    Partnership,
    PartnershipMember,
    RelevantAuthority,
    RuleSource,
    StatutoryRole,
    ViolenceKind,
)
from tests.factories.accounts import AgencyFactory


class LocalAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalArea
        django_get_or_create = ("ons_code",)

    ons_code = factory.Sequence(lambda n: f"E0{n:07d}")
    name = factory.Sequence(lambda n: f"Area {n}")


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"partnership-{n}")
    name = factory.Sequence(lambda n: f"Test Community Safety Partnership {n}")
    lead_arrangement = LeadArrangement.CSP

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        if create:
            self.areas.set(extracted if extracted is not None else [LocalAreaFactory()])


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnershipMember

    partnership = factory.SubFactory(PartnershipFactory)
    agency = factory.SubFactory(AgencyFactory)
    statutory_role = StatutoryRole.SPECIFIED


SPECIFIED = [
    (AgencyType.POLICE, "Police"),
    (AgencyType.FIRE, "Fire and Rescue"),
    (AgencyType.ICB, "Integrated Care Board"),
    (AgencyType.LOCAL_AUTHORITY, "Council"),
    (AgencyType.YOUTH_JUSTICE, "Youth Justice Service"),
    (AgencyType.PROBATION, "Probation Service"),
]
RELEVANT = [
    (AgencyType.EDUCATION, "Academy"),
    (AgencyType.PRISON, "Prison"),
]
REGISTER_ESTABLISHMENT = {
    AgencyType.EDUCATION: Establishment.ACADEMY,
    AgencyType.PRISON: Establishment.PRISON,
}


def formed_partnership(*, lead_agency=None, name: str | None = None, **kwargs):
    """A partnership with all six kinds of specified authority, a school and a prison.
    `lead_agency` (if given) is its local authority member."""
    partnership = PartnershipFactory(**({"name": name} if name else {}), **kwargs)
    for agency_type, label in SPECIFIED:
        if agency_type == AgencyType.LOCAL_AUTHORITY and lead_agency is not None:
            agency = lead_agency
        else:
            agency = AgencyFactory(
                name=f"{partnership.slug} {label}", agency_type=agency_type
            )
        MemberFactory(
            partnership=partnership,
            agency=agency,
            statutory_role=StatutoryRole.SPECIFIED,
        )
    for agency_type, label in RELEVANT:
        MemberFactory(
            partnership=partnership,
            agency=AgencyFactory(
                name=f"{partnership.slug} {label}", agency_type=agency_type
            ),
            statutory_role=StatutoryRole.RELEVANT,
        )
        # The same authorities on the register for the partnership's first area.
        area = partnership.areas.order_by("pk").first()
        if area is not None:
            RelevantAuthority.objects.get_or_create(
                area=area,
                name=f"{partnership.slug} {label}",
                defaults={
                    "establishment": REGISTER_ESTABLISHMENT[agency_type],
                    "agency": Agency.objects.get(name=f"{partnership.slug} {label}"),
                },
            )
    return partnership


class RelevantAuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RelevantAuthority

    area = factory.SubFactory(LocalAreaFactory)
    establishment = Establishment.SCHOOL
    name = factory.Sequence(lambda n: f"School {n}")


class DefinitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalDefinition

    partnership = factory.SubFactory(PartnershipFactory)
    number = factory.Sequence(lambda n: n + 1)
    status = DefinitionStatus.AGREED
    agreed_on = dt.date(2023, 6, 1)
    agreed_by = "Partnership board, 1 June 2023"


class KindFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DefinitionKind

    definition = factory.SubFactory(DefinitionFactory)
    kind = ViolenceKind.KNIFE_CRIME
    label = "Knife crime"
    maximum_penalty = "Up to life imprisonment for the most serious offences."
    impact_on_victims = "Life-changing injuries and trauma."
    prevalence = "Rising in the town centre since 2021."
    impact_on_community = "Fear of crime in the night-time economy."


class RuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MappingRule

    kind = factory.SubFactory(KindFactory)
    source = RuleSource.POLICE_UK
    value = "Violence and sexual offences"


def agreed_definition(
    partnership,
    *,
    agreed_on=dt.date(2023, 6, 1),
    number=1,
    excluded_codes=(),
    exclusions_source="",
    rules_left_out=(),
):
    """Built as a draft, then agreed: once agreed, the database refuses any change
    to the definition or its kinds, rules and exclusions (partnership 0006)."""
    definition = DefinitionFactory(
        partnership=partnership,
        number=number,
        status=DefinitionStatus.DRAFT,
        agreed_on=None,
        exclusions_source=exclusions_source,
    )
    knife = KindFactory(definition=definition)
    RuleFactory(kind=knife, value="Violence and sexual offences")
    RuleFactory(kind=knife, value="Possession of weapons")
    robbery = KindFactory(
        definition=definition, kind=ViolenceKind.ROBBERY, label="Robbery"
    )
    RuleFactory(kind=robbery, value="Robbery")
    MappingRule.objects.filter(
        kind__definition=definition, value__in=rules_left_out
    ).delete()
    for code in excluded_codes:
        ExcludedOffence.objects.create(definition=definition, code=code)
    LocalDefinition.objects.filter(pk=definition.pk).update(
        status=DefinitionStatus.AGREED, agreed_on=agreed_on
    )
    definition.refresh_from_db()
    return definition


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BoardMeeting

    partnership = factory.SubFactory(PartnershipFactory)
    held_on = dt.date(2024, 3, 12)
    title = "Partnership board"
    decisions = "Agreed the draft strategy for consultation."
