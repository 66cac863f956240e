"""Partnership rules: coverage of specified authorities per area, the local
definition (versions, terrorism always excluded, the definition in force on a date)
and meetings."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from svduty.audit.models import AuditEvent
from svduty.core.authorisation import Role
from svduty.partnership import actions
from svduty.partnership.coverage import coverage, is_formed
from svduty.partnership.definitions import (
    definition_in_force,
    serious_violence_police_uk_types,
)
from svduty.partnership.models import AuthorityType, DefinitionKind, MappingRule
from tests.factories.accounts import AgencyFactory
from tests.factories.partnership import (
    KindFactory,
    LocalAreaFactory,
    MemberFactory,
    PartnershipFactory,
    agreed_definition,
    formed_partnership,
)


@pytest.fixture
def council(db):
    return AgencyFactory(name="Testborough Council")


@pytest.fixture
def partnership(council):
    return formed_partnership(lead_agency=council, slug="testborough")


@pytest.fixture
def lead(make_user, council):
    return make_user(Role.PARTNERSHIP_LEAD, agency=council)


def test_a_formed_partnership_covers_every_area(partnership):
    assert is_formed(partnership)
    assert all(row.complete for row in coverage(partnership))


def test_missing_specified_authorities_are_listed_per_area(db):
    north, south = LocalAreaFactory(name="North"), LocalAreaFactory(name="South")
    partnership = PartnershipFactory(areas=[north, south])
    police = MemberFactory(
        partnership=partnership, agency=AgencyFactory(agency_type="police")
    )
    council = MemberFactory(
        partnership=partnership, agency=AgencyFactory(agency_type="local_authority")
    )
    council.areas.set([north])
    rows = {row.area.name: row for row in coverage(partnership)}
    assert AuthorityType.POLICE in rows["South"].present
    assert AuthorityType.LOCAL_AUTHORITY in rows["South"].missing
    assert AuthorityType.LOCAL_AUTHORITY in rows["North"].present
    assert AuthorityType.FIRE in rows["North"].missing
    assert police.authority_type == AuthorityType.POLICE
    assert not is_formed(partnership)


def test_definition_in_force_follows_agreed_dates(partnership):
    assert definition_in_force(partnership) is None
    assert serious_violence_police_uk_types(partnership) is None
    first = agreed_definition(partnership, agreed_on=dt.date(2023, 6, 1), number=1)
    second = agreed_definition(
        partnership, agreed_on=dt.date(2024, 6, 1), number=2, rules_left_out=["Robbery"]
    )
    assert definition_in_force(partnership, dt.date(2023, 5, 31)) is None
    assert definition_in_force(partnership, dt.date(2024, 5, 31)) == first
    assert definition_in_force(partnership, dt.date(2024, 6, 1)) == second
    assert serious_violence_police_uk_types(partnership, dt.date(2024, 1, 1)) == [
        "Possession of weapons",
        "Robbery",
        "Violence and sexual offences",
    ]
    assert serious_violence_police_uk_types(partnership) == [
        "Possession of weapons",
        "Violence and sexual offences",
    ]


def test_terrorism_is_refused_by_the_action_and_the_database(lead, partnership):
    definition = actions.start_definition(by=lead, partnership=partnership)
    with pytest.raises(ValidationError) as error:
        actions.save_kind(
            by=lead,
            definition=definition,
            kind="other",
            label="Terrorism",
            maximum_penalty="x",
            impact_on_victims="x",
            prevalence="x",
            impact_on_community="x",
        )
    assert "label" in error.value.message_dict
    kind = KindFactory(definition=definition)
    with pytest.raises(ValidationError):
        actions.add_rule(
            by=lead, kind=kind, source="ho_offence", value="Terrorism Act s.5"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        DefinitionKind.objects.create(
            definition=definition, kind="other", label="Counter-terrorism cases"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        MappingRule.objects.create(
            kind=kind, source="ed_assault", value="terror attack"
        )


def test_definition_workflow_copies_and_freezes(lead, partnership):
    before = AuditEvent.objects.count()
    draft = actions.start_definition(by=lead, partnership=partnership)
    kind = actions.save_kind(
        by=lead,
        definition=draft,
        kind="knife_crime",
        label="Knife crime",
        maximum_penalty="Life",
        impact_on_victims="Severe",
        prevalence="High",
        impact_on_community="Fear",
    )
    actions.add_rule(by=lead, kind=kind, source="police_uk", value="robbery")
    assert kind.rules.get().value == "Robbery"  # normalised to the published spelling
    with pytest.raises(ValidationError):
        actions.add_rule(by=lead, kind=kind, source="police_uk", value="Knife crime")
    actions.agree_definition(
        by=lead, definition=draft, agreed_on=dt.date(2024, 1, 10), agreed_by="Board"
    )
    assert AuditEvent.objects.count() == before + 4
    with pytest.raises(ValidationError, match="agreed"):
        actions.remove_kind(by=lead, kind=kind)
    second = actions.start_definition(by=lead, partnership=partnership)
    assert second.number == 2
    assert [k.label for k in second.kinds.all()] == ["Knife crime"]
    assert second.kinds.get().rules.get().value == "Robbery"


def test_agreeing_needs_the_four_factors(lead, partnership):
    draft = actions.start_definition(by=lead, partnership=partnership)
    with pytest.raises(ValidationError, match="at least one kind"):
        actions.agree_definition(
            by=lead, definition=draft, agreed_on=dt.date(2024, 1, 1), agreed_by="Board"
        )
    with pytest.raises(ValidationError) as error:
        actions.save_kind(
            by=lead,
            definition=draft,
            kind="robbery",
            label="Robbery",
            maximum_penalty="",
            impact_on_victims="",
            prevalence="",
            impact_on_community="",
        )
    assert set(error.value.message_dict) == {
        "maximum_penalty",
        "impact_on_victims",
        "prevalence",
        "impact_on_community",
    }


def test_partnership_details_use_optimistic_locking(lead, partnership):
    opened = partnership.version
    actions.update_partnership(
        by=lead, partnership=partnership, expected_version=opened, chair_name="A"
    )
    with pytest.raises(ValidationError, match="since you opened it"):
        actions.update_partnership(
            by=lead, partnership=partnership, expected_version=opened, chair_name="B"
        )


def test_meeting_records_attending_member_agencies(lead, partnership, council):
    meeting = actions.record_meeting(
        by=lead,
        partnership=partnership,
        held_on=dt.date(2024, 3, 1),
        title="Board",
        decisions="Agreed the plan",
        attending_agencies=[council],
    )
    assert list(meeting.attending_agencies.all()) == [council]
    with pytest.raises(ValidationError):
        actions.record_meeting(
            by=lead,
            partnership=partnership,
            held_on=dt.date(2024, 3, 1),
            title="Board",
            decisions="x",
            attending_agencies=[AgencyFactory(name="Not a member")],
        )


def test_partnership_pages_render(client_for, lead, partnership):
    agreed_definition(partnership)
    client = client_for(lead)
    for path in (
        "",
        "definitions/",
        "definitions/1/",
        "meetings/",
        "edit/",
        "members/add/",
    ):
        response = client.get(f"/partnerships/testborough/{path}")
        assert response.status_code == 200, path
    response = client.post(
        "/partnerships/testborough/edit/",
        {
            "lead_arrangement": "vru",
            "chair_name": "Chair",
            "version": partnership.version,
        },
    )
    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.lead_arrangement == "vru"
    text = client.get("/partnerships/testborough/").content.decode()
    assert "All six kinds of specified authority cover this area" in text


def test_removing_a_member_from_its_page(partnership, lead, client_for):
    from unittest import mock

    from django.urls import reverse

    member = MemberFactory(partnership=partnership, agency=AgencyFactory(name="Gone"))
    client = client_for(lead)
    url = reverse("partnership:member_remove", args=[partnership.slug, member.pk])
    assert client.get(url).status_code == 200
    refusal = ValidationError("It has sign-off records. It cannot be removed.")
    with mock.patch.object(actions, "remove_member", side_effect=refusal):
        refused = client.post(url)
    assert refused.status_code == 200
    assert "It has sign-off records. It cannot be removed." in refused.text
    done = client.post(url, follow=True)
    assert done.redirect_chain[-1][0] == reverse(
        "partnership:detail", args=[partnership.slug]
    )
    assert "Gone removed" in done.text
    assert not partnership.members.filter(pk=member.pk).exists()
