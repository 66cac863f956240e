"""The local definition as data the SNA applies (issue 9, item 5): mapping rules are
checked against the code lists they name, terrorism is excluded by offence code with
its source stated, and each version is fixed once agreed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from svduty.audit.models import AuditEvent
from svduty.core.authorisation import Role
from svduty.partnership import actions
from svduty.partnership.definitions import NO_TERRORISM_CODE_SOURCE, spec_for
from svduty.partnership.models import ExcludedOffence
from tests.factories.accounts import AgencyFactory
from tests.factories.partnership import formed_partnership

FACTORS = {
    "maximum_penalty": "Life",
    "impact_on_victims": "Severe",
    "prevalence": "High",
    "impact_on_community": "Fear",
}


@pytest.fixture
def council(db):
    return AgencyFactory(name="Rulesborough Council")


@pytest.fixture
def partnership(council):
    return formed_partnership(lead_agency=council, slug="rulesborough")


@pytest.fixture
def lead(make_user, council):
    return make_user(Role.PARTNERSHIP_LEAD, agency=council)


@pytest.fixture
def draft(lead, partnership):
    return actions.start_definition(by=lead, partnership=partnership)


def _kind(lead, draft, label="Knife crime", kind="knife_crime"):
    return actions.save_kind(
        by=lead, definition=draft, kind=kind, label=label, **FACTORS
    )


def test_rules_are_checked_against_the_code_lists_they_name(lead, draft):
    kind = _kind(lead, draft)
    rule = actions.add_rule(
        by=lead, kind=kind, source="ed_assault", value="Knife or other sharp object"
    )
    assert rule.value == "knife_or_sharp_object"  # stored as the ISTV code
    with pytest.raises(ValidationError) as error:
        actions.add_rule(
            by=lead, kind=kind, source="ed_assault", value="Knife or sharp object"
        )
    assert "knife_or_sharp_object" in error.value.message_dict["value"][0]
    assert (
        actions.add_rule(by=lead, kind=kind, source="ho_offence", value=" 8n ").value
        == "8N"
    )
    with pytest.raises(ValidationError, match="Home Office offence code"):
        actions.add_rule(by=lead, kind=kind, source="ho_offence", value="wounding")


def test_kind_labels_are_unique_in_a_version(lead, draft):
    _kind(lead, draft)
    with pytest.raises(ValidationError) as error:
        _kind(lead, draft, label="knife crime", kind="other")
    assert "label" in error.value.message_dict


def test_terrorism_is_excluded_by_code_with_its_source(lead, draft):
    kind = _kind(lead, draft)
    actions.add_rule(by=lead, kind=kind, source="ho_offence", value="8/1")
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as error:
        actions.exclude_offence(by=lead, definition=draft, code="99", source=" ")
    assert "source" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        actions.exclude_offence(by=lead, definition=draft, code="terror", source="x")
    assert "code" in error.value.message_dict
    with pytest.raises(ValidationError, match="remove that rule first"):
        actions.exclude_offence(by=lead, definition=draft, code="8/1", source="x")
    exclusion = actions.exclude_offence(
        by=lead, definition=draft, code="99/9", source="Force crime registrar, 2024"
    )
    assert AuditEvent.objects.count() == before + 1
    draft.refresh_from_db()
    assert draft.exclusions_source == "Force crime registrar, 2024"
    with pytest.raises(ValidationError, match="already excluded"):
        actions.exclude_offence(by=lead, definition=draft, code="99/9", source="x")
    with pytest.raises(ValidationError, match="excluded"):
        actions.add_rule(by=lead, kind=kind, source="ho_offence", value="99/9")
    spec = spec_for(draft)
    assert spec.excluded_codes == ("99/9",)
    assert spec.kind("Knife crime").ho_codes == ("8/1",)
    # The database holds the normalised form only.
    with pytest.raises(IntegrityError), transaction.atomic():
        ExcludedOffence.objects.create(definition=draft, code="terrorism")
    assert exclusion.code == "99/9"
    assert "no list of terrorism offence codes" in NO_TERRORISM_CODE_SOURCE


def test_exclusions_are_fixed_once_agreed_and_copied_to_the_next_version(
    lead, partnership, draft
):
    _kind(lead, draft)
    exclusion = actions.exclude_offence(
        by=lead, definition=draft, code="99", source="Force list"
    )
    agreed = actions.agree_definition(
        by=lead, definition=draft, agreed_on=dt.date(2024, 1, 10), agreed_by="Board"
    )
    with pytest.raises(ValidationError, match="agreed"):
        actions.remove_exclusion(by=lead, exclusion=exclusion)
    with pytest.raises(ValidationError, match="agreed"):
        actions.exclude_offence(by=lead, definition=agreed, code="98", source="x")
    second = actions.start_definition(by=lead, partnership=partnership)
    assert list(second.exclusions.values_list("code", flat=True)) == ["99"]
    assert second.exclusions_source == "Force list"
    assert (
        spec_for(agreed).label == "local definition version 1, agreed 10 January 2024"
    )


def test_agreeing_with_exclusions_needs_their_source(lead, draft):
    _kind(lead, draft)
    ExcludedOffence.objects.create(definition=draft, code="99")
    with pytest.raises(ValidationError, match="excluded offence codes come from"):
        actions.agree_definition(
            by=lead, definition=draft, agreed_on=dt.date(2024, 1, 10), agreed_by="B"
        )


def test_exclusion_pages(client_for, lead, partnership, draft):
    client = client_for(lead)
    url = f"/partnerships/{partnership.slug}/definitions/{draft.number}/"
    page = client.get(url)
    assert "no list of terrorism offence codes" in page.content.decode()
    response = client.post(url + "exclusions/add/", {"code": "99", "source": ""})
    assert response.status_code == 200
    assert "Enter where the list of excluded offence codes comes from" in (
        response.content.decode()
    )
    response = client.post(url + "exclusions/add/", {"code": "bad", "source": "x"})
    assert response.status_code == 200
    assert "Enter a Home Office offence code" in response.content.decode()
    response = client.post(
        url + "exclusions/add/", {"code": "99/9", "source": "Force list"}
    )
    assert response.status_code == 302
    exclusion = draft.exclusions.get()
    page = client.get(url).content.decode()
    assert "99/9" in page and "Force list" in page
    response = client.post(url + f"exclusions/{exclusion.pk}/remove/")
    assert response.status_code == 302
    assert not draft.exclusions.exists()
