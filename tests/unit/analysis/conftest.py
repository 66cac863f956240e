"""Shared fixtures for the statistics tests: the real Cleveland open data (the
vendored samples, tests/real_data.py)."""

from __future__ import annotations

import csv
import json
from collections import Counter

import pytest
from shapely.geometry import shape

from tests.real_data import CLEVELAND_LADS, RealData, lsoa_boundaries, street


@pytest.fixture(scope="session")
def cleveland_lsoas(real_data: RealData) -> dict:
    """LSOA 2011 code -> shapely polygon (WGS84) for the 352 Cleveland LSOAs."""
    geometries = {}
    for lad in CLEVELAND_LADS:
        path = real_data.sample(lsoa_boundaries(lad))
        collection = json.loads(path.read_text(encoding="utf-8"))
        for feature in collection["features"]:
            code = feature["properties"]["LSOA11CD"]
            geometries[code] = shape(feature["geometry"])
    return geometries


@pytest.fixture(scope="session")
def cleveland_violence_2022_01(real_data: RealData) -> Counter:
    """Violence and sexual offences per LSOA code, January 2022 (police.uk; the
    vendored sample of every 15th row)."""
    path = real_data.sample(street("2022-01"))
    with path.open(encoding="utf-8", newline="") as handle:
        return Counter(
            row["LSOA code"]
            for row in csv.DictReader(handle)
            if row["Crime type"] == "Violence and sexual offences"
        )
