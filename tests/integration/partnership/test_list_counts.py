"""The partnerships list counts every member, not only the user's own agency
(issue 16, point 4: "Members 1" where the partnership has 17)."""

import re

from svduty.core.authorisation import Role
from tests.factories.accounts import AgencyFactory
from tests.factories.partnership import formed_partnership


def test_members_column_counts_every_member(make_user, client_for):
    council = AgencyFactory(name="Testborough Council")
    partnership = formed_partnership(lead_agency=council, slug="testborough")
    total = partnership.members.count()
    assert total > 1
    lead = make_user(Role.PARTNERSHIP_LEAD, agency=council)
    html = client_for(lead).get("/partnerships/").content.decode()
    cells = re.findall(r'govuk-table__cell--numeric">(\d+)<', html)
    assert cells == [str(total)]
