import pytest

from svduty.accounts.models import AgencyType
from svduty.core.authorisation import Role
from tests.factories.accounts import AgencyFactory
from tests.factories.partnership import MemberFactory, PartnershipFactory
from tests.factories.sharing import AgreementFactory
from tests.real_data import LSOA_LOOKUP, SAMPLES, lsoa_boundaries, street

# The vendored samples of the real files (tests/real_data.py).
HARTLEPOOL_BOUNDARIES = SAMPLES / lsoa_boundaries("E06000001")
LOOKUP = SAMPLES / LSOA_LOOKUP
STREET_2022_01 = SAMPLES / street("2022-01")
#: Rows in the sample of January 2022 (every 15th row of the published month).
STREET_2022_01_ROWS = 486


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
