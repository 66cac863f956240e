"""Real open data for the tests: one place, one policy.

- **Samples** (`sample(path)`): `tests/fixtures/real/` holds small samples of the real
  published files, vendored with their attribution (README.md there; rebuilt by
  `make_samples.py`). Same layout and file names as `../shared/data/real`. They are in
  the repository, so every unit test runs on a clone without `../shared`. A missing
  sample is an error, never a skip.
- **The whole files** (`full(path)`): `../shared/data/real` beside the repository. Only
  tests that measure the whole published data (the Cleveland SNA end to end, the
  documented row counts) use it, and they live in `tests/integration` or
  `tests/functional`, never in `tests/unit`. Without the folder such a test is
  skipped, saying why; with `SVDUTY_REQUIRE_REAL_DATA=1` (CI sets it) it fails
  instead.
- Nothing is read or globbed at import time: paths are worked out when a test runs,
  so a missing folder never breaks collection.

The `real_data` fixture (tests/conftest.py) gives the same two functions to tests;
factories call them directly.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLES = REPO_ROOT / "tests" / "fixtures" / "real"
SHARED = REPO_ROOT.parent / "shared" / "data" / "real"
CLEVELAND_LADS = ("E06000001", "E06000002", "E06000003", "E06000004")
LSOA_LOOKUP = (
    "cleveland/reference/LSOA_(2011)_to_LSOA_(2021)_to_Local_Authority_District_"
    "(2022)_Lookup_for_England_and_Wales.csv"
)
IMD = "cleveland/reference/File_1_-_IMD2019_Index_of_Multiple_Deprivation.xlsx"
POPULATION = "cleveland/reference/SAPE21DT11-mid-2018-lsoa-population-density.xlsx"
STOP_SEARCH = (
    "greater-manchester-stop-search-sample/"
    "2019-06-greater-manchester-stop-and-search.csv"
)


def street(month: str) -> str:
    return f"cleveland/police-street/{month}-cleveland-street.csv"


def lsoa_boundaries(lad: str) -> str:
    return f"cleveland/boundaries/lsoa_by_lad/{lad}.json"


def sample(relative: str = "") -> Path:
    """A vendored sample (always present in the repository)."""
    path = SAMPLES / relative
    if not path.exists():
        raise FileNotFoundError(
            f"{path} is not vendored: add it to tests/fixtures/real/make_samples.py"
        )
    return path


def full(relative: str = "") -> Path:
    """A whole published file (or folder) from ../shared/data/real."""
    path = SHARED / relative
    if not path.exists():
        reason = f"the whole real data is not beside the repository ({path})"
        if os.environ.get("SVDUTY_REQUIRE_REAL_DATA") == "1":
            pytest.fail(reason + " and SVDUTY_REQUIRE_REAL_DATA=1")
        pytest.skip(reason)
    return path


def street_months(root: Path) -> list[Path]:
    """Every street-level month under a data root (samples or the whole data)."""
    return sorted((root / "cleveland" / "police-street").glob("*.csv"))


class RealData:
    """What the `real_data` fixture gives a test."""

    sample = staticmethod(sample)
    full = staticmethod(full)
    street_months = staticmethod(street_months)
