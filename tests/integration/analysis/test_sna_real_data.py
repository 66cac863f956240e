"""The Cleveland SNA, end to end: the real open data imported through svduty's own
import pipeline into PostgreSQL, exported to the analytic snapshot, and the SNA
figures checked against an independent computation from the raw published files
(csv module, json module and openpyxl; none of svduty's readers or DuckDB)."""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
from collections import Counter, defaultdict

import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook

from svduty.analysis.service import sna_for
from svduty.analysis.snapshot import rebuild_snapshot
from svduty.core.authorisation import Role
from svduty.sharing.imports import run_import
from svduty.sharing.models import BatchStatus
from tests.factories.accounts import AgencyFactory
from tests.factories.partnership import MemberFactory, PartnershipFactory
from tests.real_data import (
    CLEVELAND_LADS,
    IMD,
    LSOA_LOOKUP,
    POPULATION,
    full,
    lsoa_boundaries,
    street_months,
)

SV = ("Violence and sexual offences", "Robbery", "Possession of weapons")


@pytest.fixture(autouse=True)
def snapshot_dir(settings, tmp_path):
    settings.SNAPSHOT_DIR = tmp_path / "snapshots"


# --- The independent computation ------------------------------------------------------


def raw_lsoas() -> dict[str, str]:
    codes = {}
    for lad in CLEVELAND_LADS:
        path = full(lsoa_boundaries(lad))
        for feature in json.loads(path.read_text(encoding="utf-8"))["features"]:
            codes[feature["properties"]["LSOA11CD"]] = feature["properties"]["LSOA11NM"]
    return codes


def raw_street_rows():
    for path in street_months(full()):
        with path.open(encoding="utf-8", newline="") as handle:
            yield from csv.DictReader(handle)


def raw_workbook_column(path, sheet, code_heading, value_heading) -> dict[str, int]:
    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        rows = workbook[sheet].iter_rows(values_only=True)
        for header in rows:
            if header and code_heading in header:
                break
        code_at, value_at = header.index(code_heading), header.index(value_heading)
        return {row[code_at]: row[value_at] for row in rows if row and row[code_at]}
    finally:
        workbook.close()


def independent(period_from: str, period_to: str) -> dict:
    lsoas = raw_lsoas()
    records = Counter()
    monthly = Counter()
    by_category = Counter()
    per_lsoa = Counter()
    for row in raw_street_rows():
        if not period_from <= row["Month"] <= period_to:
            continue
        code = row["LSOA code"]
        if not code:
            records["no_location"] += 1
        elif code in lsoas:
            records["in_area"] += 1
            monthly[(row["Month"], row["Crime type"])] += 1
            by_category[row["Crime type"]] += 1
            if row["Crime type"] in SV:
                per_lsoa[code] += 1
        else:
            records["outside_area"] += 1
    deciles = raw_workbook_column(
        full(IMD),
        "IMD2019",
        "LSOA code (2011)",
        "Index of Multiple Deprivation (IMD) Decile",
    )
    population = raw_workbook_column(
        full(POPULATION),
        "Mid-2018 Population Density",
        "Code",
        "Mid-2018 population",
    )
    by_decile = defaultdict(lambda: [0, 0])
    for code in lsoas:
        by_decile[deciles[code]][0] += per_lsoa[code]
        by_decile[deciles[code]][1] += population[code]
    counts = sorted(per_lsoa[code] for code in lsoas)
    n, total = len(counts), sum(counts)
    descending = counts[::-1]
    return {
        "lsoas": lsoas,
        "records": dict(records),
        "monthly": dict(monthly),
        "by_category": dict(by_category),
        "per_lsoa": {code: per_lsoa[code] for code in lsoas},
        "population": {code: population[code] for code in lsoas},
        "deciles": {code: deciles[code] for code in lsoas},
        "by_decile": {d: tuple(v) for d, v in by_decile.items()},
        "top5": sum(descending[: math.ceil(0.05 * n)]) / total,
        "top10": sum(descending[: math.ceil(0.10 * n)]) / total,
        "gini": sum((2 * i - n - 1) * x for i, x in enumerate(counts, 1)) / (n * total),
    }


# --- Import the real files through the pipeline ---------------------------------------


@pytest.fixture
def cleveland(db, make_user):
    agency = AgencyFactory(name="Cleveland Police analysts")
    partnership = PartnershipFactory(slug="cleveland", name="Cleveland VRU")
    MemberFactory(partnership=partnership, agency=agency)
    analyst = make_user(Role.ANALYST, agency=agency)
    files = [("lsoa_boundaries", full(lsoa_boundaries(lad))) for lad in CLEVELAND_LADS]
    files += [
        ("lsoa_lookup", full(LSOA_LOOKUP)),
        ("lsoa_population", full(POPULATION)),
        ("imd", full(IMD)),
    ]
    files += [("police_street", p) for p in street_months(full())]
    for kind, path in files:
        batch = run_import(
            by=analyst,
            partnership=partnership,
            kind=kind,
            path=path,
            rebuild_snapshot=False,
        )
        assert batch.status == BatchStatus.SUCCEEDED, (
            path,
            batch.message,
            batch.problems[:3],
        )
    return partnership


def test_cleveland_sna_matches_an_independent_computation_from_the_raw_files(cleveland):
    snapshot = rebuild_snapshot(cleveland)
    assert snapshot.row_counts["police_street"] == 91516
    assert snapshot.row_counts["lsoa"] == 352
    assert len(snapshot.source_batches) == 18
    assert all(len(b["sha256"]) == 64 for b in snapshot.source_batches)

    result = sna_for(
        cleveland, period_from=dt.date(2022, 1, 1), period_to=dt.date(2022, 11, 1)
    )
    expected = independent("2022-01", "2022-11")
    assert result["snapshot"]["id"] == snapshot.pk
    assert result["records"] == {
        "in_area": expected["records"]["in_area"],
        "outside_area": expected["records"]["outside_area"],
        "no_location": expected["records"].get("no_location", 0),
    }
    assert result["records"] == {"in_area": 91500, "outside_area": 16, "no_location": 0}
    assert result["by_source_category"] == expected["by_category"]
    assert {
        (m["month"], m["source_category"]): m["count"] for m in result["monthly"]
    } == expected["monthly"]
    areas = {a["lsoa"]: a for a in result["areas"]}
    assert set(areas) == set(expected["lsoas"])
    for code, area in areas.items():
        assert area["count"] == expected["per_lsoa"][code], code
        assert area["population"] == expected["population"][code], code
        assert area["imd_decile"] == expected["deciles"][code], code
        assert area["rate_per_1000"] == round(
            expected["per_lsoa"][code] / expected["population"][code] * 1000, 4
        )
        assert area["name"] == expected["lsoas"][code]
    assert sum(a["population"] for a in areas.values()) == 567718
    for entry in result["deprivation"]:
        count, population = expected["by_decile"][entry["imd_decile"]]
        assert (entry["count"], entry["population"]) == (count, population)
    assert result["concentration"]["top_5pct_areas_share"] == round(expected["top5"], 4)
    assert result["concentration"]["top_10pct_areas_share"] == round(
        expected["top10"], 4
    )
    assert result["concentration"]["gini"] == round(expected["gini"], 4)
    hot = [a for a in result["areas"] if a["hotspot"] == "hot"]
    assert hot and all(a["gi_z"] > 0 and a["gi_p_fdr"] < 0.05 for a in hot)

    # A shorter period, one local authority.
    result = sna_for(
        cleveland,
        period_from=dt.date(2022, 3, 1),
        period_to=dt.date(2022, 5, 1),
        area="E06000002",
    )
    expected = independent("2022-03", "2022-05")
    middlesbrough = {
        code
        for code, name in expected["lsoas"].items()
        if name.startswith("Middlesbrough")
    }
    assert {a["lsoa"] for a in result["areas"]} == middlesbrough
    assert result["filters"]["area_name"] == "Middlesbrough"
    assert result["serious_violence"]["count"] == sum(
        expected["per_lsoa"][code] for code in middlesbrough
    )

    # The snapshot is pseudonymised.
    street = pq.read_table(snapshot.path / "police_street.parquet")
    assert "crime_id" not in street.column_names
    assert "location" not in street.column_names
    # The map point is police.uk's own published, already anonymised point (a
    # snap point shared by many records, docs/places.md): places compare incidents
    # around it. Nothing finer than the published point is kept.
    raw_points = {
        (round(float(row["Latitude"]), 6), round(float(row["Longitude"]), 6))
        for row in raw_street_rows()
        if row["Latitude"]
    }
    kept_points = {
        (round(point["latitude"], 6), round(point["longitude"], 6))
        for point in street.select(["latitude", "longitude"]).to_pylist()
        if point["latitude"] is not None
    }
    assert kept_points <= raw_points
    raw_ids = {row["Crime ID"] for row in raw_street_rows() if row["Crime ID"]}
    keys = set(street.column("record_key").drop_null().to_pylist())
    assert len(keys) == len(raw_ids)
    assert not keys & raw_ids
    assert all(len(key) == 32 for key in keys)
    manifest = json.loads((snapshot.path / "manifest.json").read_text())
    assert manifest["content_hash"] == snapshot.content_hash
