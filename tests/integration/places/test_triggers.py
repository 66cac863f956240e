"""The agenda trigger: places whose incidents rose, by the plain rule in
svduty.places.triggers (at least 5 more and at least 25% more)."""

from __future__ import annotations

import datetime as dt
import math

import pyarrow as pa
import pytest

from svduty.places import actions
from svduty.places.evaluation import EARTH_RADIUS_M
from svduty.places.triggers import RisingRule, rising_places
from tests.factories.analysis import make_snapshot
from tests.factories.places import MIDDLESBROUGH, make_place

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2026, 12, 4)


@pytest.fixture(autouse=True)
def snapshot_dir(settings, tmp_path):
    settings.SNAPSHOT_DIR = tmp_path / "snapshots"


def test_rule_in_plain_numbers():
    rule = RisingRule()
    assert rule.is_rising(10, 5)  # +5, double
    assert not rule.is_rising(9, 5)  # +4: could be chance
    assert not rule.is_rising(105, 100)  # +5 but only 5% more
    assert rule.is_rising(5, 0)


def _north(metres_north: float, metres_east: float = 0.0) -> tuple[float, float]:
    lat = MIDDLESBROUGH[0] + math.degrees(metres_north / EARTH_RADIUS_M)
    dlon = math.degrees(metres_east / EARTH_RADIUS_M) / math.cos(math.radians(lat))
    return lat, MIDDLESBROUGH[1] + dlon


def test_rising_places_from_police_uk_and_recorded_incidents(world):
    rising = make_place(world.lead, world.partnership, name="Rising park")
    far = _north(0, 3000)
    falling = make_place(
        world.lead,
        world.partnership,
        name="Falling shop",
        latitude=far[0],
        longitude=far[1],
    )
    small = _north(3000)
    make_place(
        world.lead,
        world.partnership,
        name="Quiet corner",
        latitude=small[0],
        longitude=small[1],
    )
    online = make_place(
        world.lead,
        world.partnership,
        name="Chat group",
        kind="online",
        latitude=None,
        longitude=None,
    )
    rows = []
    for month in range(6, 12):  # June to November 2022
        recent = month >= 9
        rows += [(month, _north(50))] * (5 if recent else 2)
        rows += [(month, far)] * (8 if recent else 10)
        rows += [(month, small)] * (2 if recent else 1)
    table = pa.table(
        {
            "record_key": [f"k{i}" for i in range(len(rows))],
            "month": pa.array([dt.date(2022, m, 1) for m, _ in rows], pa.date32()),
            "crime_type": ["Robbery"] * len(rows),
            "latitude": [p[0] for _, p in rows],
            "longitude": [p[1] for _, p in rows],
        }
    )
    make_snapshot(world.partnership, {"police_street": table})
    for day in (3, 10, 17, 24, 25, 26):
        actions.record_report(
            by=world.lead,
            place=online,
            kind="incident",
            occurred_on=dt.date(2026, 10, day),
            summary="Threats posted",
        )
    found = rising_places(world.partnership, as_of=AS_OF)
    assert [(f.place.name, f.recent, f.previous, f.source) for f in found] == [
        ("Rising park", 15, 6, "police.uk"),
        ("Chat group", 6, 0, "recorded"),
    ]
    assert found[0].summary == (
        "15 police.uk incidents within 300 metres in September 2022 to November "
        "2022, up from 6 in June 2022 to August 2022"
    )
    assert falling.pk not in [f.place.pk for f in found]
    assert rising.pk == found[0].place.pk
    # Configurable: a stricter rule drops the online place (+6 is not enough).
    strict = rising_places(
        world.partnership, as_of=AS_OF, rule=RisingRule(min_increase=7)
    )
    assert [f.place.name for f in strict] == ["Rising park"]


def test_no_snapshot_uses_recorded_incidents_only(world):
    make_place(world.lead, world.partnership, name="Park without data")
    assert rising_places(world.partnership, as_of=AS_OF) == []
