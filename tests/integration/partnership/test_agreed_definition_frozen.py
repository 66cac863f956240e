"""An agreed definition of serious violence cannot be changed or deleted in the
database either (partnership migration 0006): a change is a new version. The
boundary: the same writes go through while the version is a draft."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction

from svduty.core.authorisation import Role
from svduty.partnership import actions
from svduty.partnership.models import (
    DefinitionKind,
    DefinitionStatus,
    ExcludedOffence,
    LocalDefinition,
    MappingRule,
)
from tests.factories.accounts import AgencyFactory
from tests.factories.partnership import agreed_definition, formed_partnership


@pytest.fixture
def council(db):
    return AgencyFactory(name="Frozenborough Council")


@pytest.fixture
def partnership(council):
    return formed_partnership(lead_agency=council, slug="frozenborough")


@pytest.fixture
def lead(make_user, council):
    return make_user(Role.PARTNERSHIP_LEAD, agency=council)


@pytest.fixture
def agreed(partnership):
    return agreed_definition(
        partnership, excluded_codes=["99"], exclusions_source="Force registrar"
    )


def refused(sql: str, *params) -> None:
    """The statement, run as raw SQL (no action, no guard), is refused."""
    with (
        pytest.raises(IntegrityError, match="agreed definition"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, params)


def allowed(sql: str, *params) -> int:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def test_an_agreed_definition_row_cannot_be_changed_or_deleted(agreed):
    refused(
        "UPDATE partnership_localdefinition SET agreed_by = 'Someone else' "
        "WHERE id = %s",
        agreed.pk,
    )
    refused(
        "UPDATE partnership_localdefinition SET status = 'draft', agreed_on = NULL "
        "WHERE id = %s",
        agreed.pk,
    )
    refused("DELETE FROM partnership_localdefinition WHERE id = %s", agreed.pk)
    # A save that changes nothing is not a change.
    assert (
        allowed(
            "UPDATE partnership_localdefinition SET agreed_by = agreed_by "
            "WHERE id = %s",
            agreed.pk,
        )
        == 1
    )
    agreed.refresh_from_db()
    assert agreed.status == DefinitionStatus.AGREED


def test_its_kinds_rules_and_exclusions_cannot_be_added_changed_or_deleted(agreed):
    kind = agreed.kinds.first()
    rule = kind.rules.first()
    exclusion = agreed.exclusions.get()
    refused(
        "UPDATE partnership_definitionkind SET label = 'Renamed' WHERE id = %s", kind.pk
    )
    refused("DELETE FROM partnership_definitionkind WHERE id = %s", kind.pk)
    refused(
        "INSERT INTO partnership_definitionkind (definition_id, kind, label, "
        "description, maximum_penalty, impact_on_victims, prevalence, "
        'impact_on_community, publishable, "order") VALUES '
        "(%s, 'robbery', 'New', '', 'x', 'x', 'x', 'x', true, 9)",
        agreed.pk,
    )
    refused(
        "UPDATE partnership_mappingrule SET value = 'Burglary' WHERE id = %s", rule.pk
    )
    refused("DELETE FROM partnership_mappingrule WHERE id = %s", rule.pk)
    refused(
        "INSERT INTO partnership_mappingrule (kind_id, source, value) "
        "VALUES (%s, 'police_uk', 'Burglary')",
        kind.pk,
    )
    refused(
        "UPDATE partnership_excludedoffence SET code = '98' WHERE id = %s", exclusion.pk
    )
    refused("DELETE FROM partnership_excludedoffence WHERE id = %s", exclusion.pk)
    refused(
        "INSERT INTO partnership_excludedoffence (definition_id, code, reason) "
        "VALUES (%s, '97', 'terrorism')",
        agreed.pk,
    )
    # Moving a rule out of the agreed version is a change to it as well.
    assert MappingRule.objects.filter(kind__definition=agreed).count() == 3
    assert DefinitionKind.objects.filter(definition=agreed).count() == 2
    assert ExcludedOffence.objects.filter(definition=agreed).count() == 1


def test_a_draft_can_be_changed_and_agreed_and_then_is_fixed(lead, partnership, agreed):
    draft = actions.start_definition(by=lead, partnership=partnership)
    kind = draft.kinds.first()
    rule = kind.rules.first()
    # The same writes that are refused on the agreed version go through on the draft.
    assert (
        allowed(
            "UPDATE partnership_mappingrule SET value = 'Burglary' WHERE id = %s",
            rule.pk,
        )
        == 1
    )
    assert (
        allowed(
            "UPDATE partnership_definitionkind SET label = 'Renamed' WHERE id = %s",
            kind.pk,
        )
        == 1
    )
    assert (
        allowed(
            "DELETE FROM partnership_excludedoffence WHERE definition_id = %s", draft.pk
        )
        == 1
    )
    # Moving a rule from the draft into the agreed version is refused.
    refused(
        "UPDATE partnership_mappingrule SET kind_id = %s WHERE id = %s",
        agreed.kinds.first().pk,
        rule.pk,
    )
    draft.refresh_from_db()
    actions.agree_definition(
        by=lead,
        definition=draft,
        agreed_on=dt.date(2024, 1, 10),
        agreed_by="Board",
        expected_version=draft.version,
    )
    refused(
        "UPDATE partnership_definitionkind SET label = 'Again' WHERE id = %s", kind.pk
    )
    assert LocalDefinition.objects.get(pk=draft.pk).status == DefinitionStatus.AGREED
