"""Services-based indicators (waiting time, therapeutic help) on a known fixture;
the empty case is covered by test_indicators."""

from __future__ import annotations

import datetime as dt

import pytest

from svduty.services import actions
from svduty.services.models import ServiceType
from tests.factories.evidence import evidence_world
from tests.factories.services import make_service, refer

from .test_indicators import totals

pytestmark = pytest.mark.django_db


def test_waiting_time_and_therapeutic_share(db):
    world = evidence_world()
    mentoring = make_service(world.manager, world.partnership)
    therapy = make_service(
        world.manager,
        world.partnership,
        name="Trauma therapy",
        service_type=ServiceType.THERAPEUTIC,
    )
    referred = world.today - dt.timedelta(days=20)
    started = refer(world.manager, world.ash, therapy, referred_on=referred)
    actions.decide_referral(
        by=world.manager, referral=started, accepted=True, decided_on=referred
    )
    actions.start_service(
        by=world.manager, referral=started, started_on=referred + dt.timedelta(days=6)
    )
    refer(world.manager, world.bo, mentoring, referred_on=referred)
    assert totals(world, "therapeutic-help")[:2] == (1, 2)
    num, den, tot = totals(world, "service-waiting-days")
    assert (den, tot) == (1, 6)
