"""The local policing body's side-by-side view (issue 9, build 7): one row per
partnership in its force area, with a CSV export that is audited."""

import pytest

from svduty.accounts.models import AgencyType
from svduty.audit.models import AuditEvent
from svduty.core.authorisation import Role
from svduty.strategy.states import StrategyState
from tests.factories.accounts import AgencyFactory
from tests.factories.partnership import (
    MemberFactory,
    agreed_definition,
    formed_partnership,
)
from tests.factories.strategy import strategy_in_state


@pytest.fixture
def force_area(lead, partnership):
    pcc = AgencyFactory(name="Test PCC", agency_type=AgencyType.LOCAL_POLICING_BODY)
    other = formed_partnership(slug="otherton", name="Safer Otherton")
    agreed_definition(other)
    for p in (partnership, other):
        MemberFactory(partnership=p, agency=pcc, statutory_role="local_policing_body")
    strategy_in_state(lead, partnership, StrategyState.PUBLISHED)
    return pcc, other


def test_a_pcc_sees_every_partnership_side_by_side(
    client_for, make_user, force_area, partnership
):
    pcc, other = force_area
    user = make_user(Role.ANALYST, agency=pcc)
    page = client_for(user).get("/strategy/monitoring/").content.decode()
    assert partnership.name in page and other.name in page
    assert "No strategy" in page  # Otherton has not started one
    assert "Published" in page
    # 2 registered authorities consulted, 6 specified authorities signed off.
    assert "2 of 2" in page and "6 of 6" in page
    response = client_for(user).get("/strategy/monitoring/export.csv")
    body = b"".join(response).decode("utf-8-sig")
    lines = body.strip().splitlines()
    assert lines[0].startswith("Partnership,Strategy status,Strategy version")
    assert len(lines) == 3
    assert any(line.startswith("Safer Otherton,No strategy") for line in lines)
    assert AuditEvent.objects.filter(
        action="export", actor_id=user.pk, detail__rows=2
    ).exists()


def test_a_partnership_outside_the_force_area_is_not_shown(
    client_for, make_user, force_area
):
    pcc, _other = force_area
    elsewhere = formed_partnership(slug="elsewhere", name="Elsewhere Partnership")
    user = make_user(Role.ANALYST, agency=pcc)
    page = client_for(user).get("/strategy/monitoring/").content.decode()
    assert elsewhere.name not in page
