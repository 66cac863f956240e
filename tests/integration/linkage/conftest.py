import pytest

from svduty.accounts.models import AgencyType
from svduty.core.authorisation import Role
from tests.factories.accounts import AgencyFactory
from tests.factories.partnership import MemberFactory, PartnershipFactory
from tests.factories.sharing import AgreementFactory


@pytest.fixture
def council(db):
    return AgencyFactory(name="Middlesbrough Council")


@pytest.fixture
def partnership(council):
    partnership = PartnershipFactory(slug="middlesbrough", name="Safer Middlesbrough")
    MemberFactory(partnership=partnership, agency=council)
    return partnership


@pytest.fixture
def analyst(make_user, council):
    return make_user(Role.ANALYST, agency=council, full_name="Ana Lyst")


@pytest.fixture
def agreement(partnership, council, analyst):
    return AgreementFactory(
        partnership=partnership,
        parties=[council, AgencyFactory(agency_type=AgencyType.POLICE)],
        created_by=analyst,
        title="Person data for record linkage",
        legal_gateway="cda_s115",
        datasets=["person_extract"],
    )
