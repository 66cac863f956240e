import pytest

from svduty.accounts.models import AgencyType
from svduty.core.authorisation import Role
from tests.conftest import REAL_DATA
from tests.factories.accounts import AgencyFactory
from tests.factories.partnership import MemberFactory, PartnershipFactory
from tests.factories.sharing import AgreementFactory

CLEVELAND = REAL_DATA / "cleveland"
HARTLEPOOL_BOUNDARIES = CLEVELAND / "boundaries" / "lsoa_by_lad" / "E06000001.json"
LOOKUP = next((CLEVELAND / "reference").glob("LSOA_(2011)_to_LSOA_(2021)*.csv"))
STREET_2022_01 = CLEVELAND / "police-street" / "2022-01-cleveland-street.csv"


@pytest.fixture
def council(db):
    return AgencyFactory(name="Hartlepool Borough Council")


@pytest.fixture
def police(db):
    return AgencyFactory(name="Cleveland Police", agency_type=AgencyType.POLICE)


@pytest.fixture
def partnership(council, police):
    partnership = PartnershipFactory(slug="hartlepool", name="Safer Hartlepool")
    MemberFactory(partnership=partnership, agency=council)
    MemberFactory(partnership=partnership, agency=police)
    return partnership


@pytest.fixture
def analyst(make_user, council):
    return make_user(Role.ANALYST, agency=council, full_name="Ana Lyst")


@pytest.fixture
def agreement(partnership, police, analyst):
    return AgreementFactory(
        partnership=partnership,
        parties=[police],
        created_by=analyst,
        title="Cleveland Police crime data",
    )
