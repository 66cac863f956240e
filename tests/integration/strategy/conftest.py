import pytest

from svduty.core.authorisation import Role
from tests.factories.accounts import AgencyFactory
from tests.factories.partnership import agreed_definition, formed_partnership


@pytest.fixture
def council(db):
    return AgencyFactory(name="Testborough Council")


@pytest.fixture
def partnership(council):
    partnership = formed_partnership(lead_agency=council, slug="testborough")
    agreed_definition(partnership)
    return partnership


@pytest.fixture
def lead(make_user, council):
    return make_user(Role.PARTNERSHIP_LEAD, agency=council, full_name="Pat Lead")


@pytest.fixture
def second_lead(make_user, council):
    """Another lead in the same council: approves what the first recorded."""
    return make_user(Role.PARTNERSHIP_LEAD, agency=council, full_name="Sam Second")


@pytest.fixture
def analyst(make_user, council):
    return make_user(Role.ANALYST, agency=council)


@pytest.fixture
def outsider(make_user):
    """A partnership lead in an agency that is not a member."""
    return make_user(
        Role.PARTNERSHIP_LEAD, agency=AgencyFactory(name="Elsewhere Council")
    )
