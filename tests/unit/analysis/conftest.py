"""Shared fixtures for the statistics tests: the real Cleveland open data."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest
from shapely.geometry import shape

REPO_ROOT = Path(__file__).resolve().parents[3]
LADS = ("E06000001", "E06000002", "E06000003", "E06000004")


def real_data_dir() -> Path:
    """The shared real-data folder, which CI clones beside the repository."""
    return REPO_ROOT.parent / "shared" / "data" / "real"


@pytest.fixture(scope="session")
def cleveland_dir() -> Path:
    path = real_data_dir() / "cleveland"
    if not path.is_dir():
        pytest.skip(f"real data not found at {path}")
    return path


@pytest.fixture(scope="session")
def cleveland_lsoas(cleveland_dir: Path) -> dict:
    """LSOA 2011 code -> shapely polygon (WGS84) for the 352 Cleveland LSOAs."""
    geometries = {}
    for lad in LADS:
        path = cleveland_dir / "boundaries" / "lsoa_by_lad" / f"{lad}.json"
        collection = json.loads(path.read_text(encoding="utf-8"))
        for feature in collection["features"]:
            code = feature["properties"]["LSOA11CD"]
            geometries[code] = shape(feature["geometry"])
    return geometries


@pytest.fixture(scope="session")
def cleveland_violence_2022_01(cleveland_dir: Path) -> Counter:
    """Violence and sexual offences per LSOA code, January 2022 (police.uk)."""
    path = cleveland_dir / "police-street" / "2022-01-cleveland-street.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return Counter(
            row["LSOA code"]
            for row in csv.DictReader(handle)
            if row["Crime type"] == "Violence and sexual offences"
        )
