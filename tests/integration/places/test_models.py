"""The database refuses place and peer-group rows that break their rules."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from svduty.places.models import PeerGroup, Place, PlaceKind, PlaceStatus
from tests.factories.accounts import UserFactory
from tests.factories.partnership import PartnershipFactory

pytestmark = pytest.mark.django_db


def _place(**fields):
    values = {
        "partnership": PartnershipFactory(),
        "name": "Test park",
        "kind": PlaceKind.PARK,
        "latitude": 54.57,
        "longitude": -1.23,
        "created_by": UserFactory(),
    }
    values.update(fields)
    return Place.objects.create(**values)


@pytest.mark.parametrize(
    "fields",
    [
        {"latitude": None},  # half a point
        {"latitude": 91.0},
        {"kind": PlaceKind.ONLINE},  # an online platform has no point
        {"status": PlaceStatus.CLOSED},  # closed without a date
        {"closed_on": dt.date(2026, 1, 1)},  # a date without closing
    ],
)
def test_place_constraints(fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        _place(**fields)


def test_online_place_without_point_is_allowed():
    place = _place(kind=PlaceKind.ONLINE, latitude=None, longitude=None)
    assert not place.has_point


def test_peer_group_risk_needs_its_date():
    with pytest.raises(IntegrityError), transaction.atomic():
        PeerGroup.objects.create(
            partnership=PartnershipFactory(),
            name="Group 1",
            risk_level="high",
            created_by=UserFactory(),
        )
