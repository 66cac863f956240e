"""The SNA's JSON, computed on small synthetic snapshots whose answers are known by
construction (issue 5, point 5)."""

from __future__ import annotations

import datetime as dt
import math

import pyarrow as pa
import pytest

from svduty.analysis.sna import (
    DEFAULT_SV_TYPES,
    SnaError,
    SnaOptions,
    census_ethnicity,
    compute_sna,
    ethnic_group,
    parse_month,
)
from svduty.analysis.snapshot import finish_folder, write_tables
from svduty.analysis.stats import HarmWeights, relative_rate
from tests.factories.analysis import grid_tables, street_table

VSO = "Violence and sexual offences"


@pytest.fixture
def snapshot_folder(tmp_path):
    def _make(tables):
        folder = tmp_path / f"snap-{len(list(tmp_path.iterdir()))}"
        write_tables(folder, tables)
        finish_folder(folder, source_batches=[])
        return folder

    return _make


def options(start="2022-01", end="2022-03", **kwargs):
    return SnaOptions(
        period_from=parse_month(start), period_to=parse_month(end), **kwargs
    )


def basic_rows():
    return [
        ("2022-01", "E01000001", VSO),
        ("2022-01", "E01000001", VSO),
        ("2022-01", "E01000001", "Robbery"),
        ("2022-01", "E01000002", "Burglary"),
        ("2022-02", "E01000003", "Possession of weapons"),
        ("2022-02", "E01000004", "Anti-social behaviour"),
        ("2022-02", None, VSO),  # no location
        ("2022-03", "E01099999", VSO),  # another force's LSOA
        ("2022-03", "E01000007", VSO),
        ("2022-04", "E01000001", VSO),  # after the period
        ("2021-12", "E01000001", VSO),  # before the period
    ]


def test_records_split_in_area_outside_and_no_location(snapshot_folder):
    folder = snapshot_folder(grid_tables(street=basic_rows()))
    result = compute_sna(folder, options())
    assert result["records"] == {"in_area": 7, "outside_area": 1, "no_location": 1}
    assert result["period"] == {"from": "2022-01", "to": "2022-03"}


def test_by_source_category_counts_every_type_in_area(snapshot_folder):
    result = compute_sna(snapshot_folder(grid_tables(street=basic_rows())), options())
    assert result["by_source_category"] == {
        "Anti-social behaviour": 1,
        "Burglary": 1,
        "Possession of weapons": 1,
        "Robbery": 1,
        VSO: 3,
    }


def test_monthly_lists_month_and_category_counts(snapshot_folder):
    result = compute_sna(snapshot_folder(grid_tables(street=basic_rows())), options())
    assert result["monthly"] == [
        {"month": "2022-01", "source_category": "Burglary", "count": 1},
        {"month": "2022-01", "source_category": "Robbery", "count": 1},
        {"month": "2022-01", "source_category": VSO, "count": 2},
        {"month": "2022-02", "source_category": "Anti-social behaviour", "count": 1},
        {"month": "2022-02", "source_category": "Possession of weapons", "count": 1},
        {"month": "2022-03", "source_category": VSO, "count": 1},
    ]


def test_areas_include_zero_counts_with_population_rate_and_decile(snapshot_folder):
    result = compute_sna(snapshot_folder(grid_tables(street=basic_rows())), options())
    areas = {a["lsoa"]: a for a in result["areas"]}
    assert len(areas) == 12
    first = areas["E01000001"]
    assert first["count"] == 3  # 2 violence + 1 robbery; not the burglary or ASB
    assert first["population"] == 1000
    assert first["rate_per_1000"] == 3.0
    assert first["imd_decile"] == 1
    assert areas["E01000002"]["count"] == 0
    assert areas["E01000003"]["count"] == 1  # possession of weapons
    assert areas["E01000012"]["count"] == 0
    assert set(first) >= {
        "lsoa",
        "name",
        "count",
        "population",
        "rate_per_1000",
        "imd_decile",
        "gi_z",
        "gi_p_fdr",
        "hotspot",
    }


def test_2021_codes_are_mapped_through_the_lookup(snapshot_folder):
    tables = grid_tables(
        street=[("2022-01", "E01900001", VSO), ("2022-01", "E01900002", VSO)]
    )
    tables["lookup"] = pa.table(
        {
            "lsoa11_code": ["E01000005", "E01000006", "E01000007"],
            "lsoa21_code": ["E01900001", "E01900002", "E01900002"],
            "change_indicator": ["U", "M", "M"],
            "lad_code": ["E06000001"] * 3,
        }
    )
    result = compute_sna(snapshot_folder(tables), options())
    counts = {a["lsoa"]: a["count"] for a in result["areas"]}
    assert result["records"]["in_area"] == 2
    assert counts["E01000005"] == 1
    # A merge maps to several 2011 LSOAs: the lowest code takes the record.
    assert counts["E01000006"] == 1
    assert counts["E01000007"] == 0


def test_concentration_follows_the_issue_formulas(snapshot_folder):
    rows = []
    for index, n in enumerate([10, 5, 3, 1, 1, 0, 0, 0, 0, 0, 0, 0]):
        rows += [("2022-01", f"E01{index + 1:06d}", VSO)] * n
    result = compute_sna(snapshot_folder(grid_tables(street=rows)), options())
    counts = sorted(a["count"] for a in result["areas"])
    n, total = len(counts), sum(counts)
    expected_gini = sum((2 * i - n - 1) * x for i, x in enumerate(counts, 1)) / (
        n * total
    )
    concentration = result["concentration"]
    # ceil(5% of 12) = 1 area; ceil(10% of 12) = 2 areas.
    assert concentration["top_5pct_areas_share"] == round(10 / 20, 4)
    assert concentration["top_10pct_areas_share"] == round(15 / 20, 4)
    assert concentration["gini"] == round(expected_gini, 4)


def test_hot_spot_where_violence_clusters(snapshot_folder):
    rows = []
    # A cluster in the corner of a 6 x 5 grid, little elsewhere.
    cluster = {"E01000001": 40, "E01000002": 35, "E01000007": 38, "E01000008": 30}
    for code, n in cluster.items():
        rows += [("2022-01", code, VSO)] * n
    rows += [("2022-01", f"E01{i:06d}", VSO) for i in range(9, 31)]
    tables = grid_tables(columns=6, rows=5, street=rows)
    result = compute_sna(snapshot_folder(tables), options())
    areas = {a["lsoa"]: a for a in result["areas"]}
    assert areas["E01000001"]["hotspot"] == "hot"
    assert areas["E01000001"]["gi_z"] > 3
    assert areas["E01000001"]["gi_p_fdr"] < 0.05
    assert areas["E01000030"]["hotspot"] is None


def test_deprivation_sums_counts_and_population_by_decile(snapshot_folder):
    result = compute_sna(snapshot_folder(grid_tables(street=basic_rows())), options())
    by_decile = {d["imd_decile"]: d for d in result["deprivation"]}
    assert [d["imd_decile"] for d in result["deprivation"]] == list(range(1, 11))
    # Deciles cycle 1..10 over 12 LSOAs: E01000001 and E01000011 are decile 1.
    assert by_decile[1]["count"] == 3
    assert by_decile[1]["population"] == 2000
    assert by_decile[1]["rate_per_1000"] == 1.5
    assert by_decile[7]["count"] == 1  # E01000007
    assert sum(d["count"] for d in result["deprivation"]) == sum(
        a["count"] for a in result["areas"]
    )


def test_kind_and_area_filters(snapshot_folder):
    folder = snapshot_folder(grid_tables(street=basic_rows()))
    robbery = compute_sna(folder, options(kind="Robbery"))
    assert robbery["serious_violence"]["count"] == 1
    assert robbery["serious_violence"]["types"] == ["Robbery"]
    # The kind filter does not change the all-crime record counts.
    assert robbery["records"]["in_area"] == 7
    hartlepool = compute_sna(folder, options(area="E06000001"))
    # Columns 0 and 1 of the 4 x 3 grid: E01000001, 2, 5, 6, 9, 10.
    assert [a["lsoa"] for a in hartlepool["areas"]] == [
        "E01000001",
        "E01000002",
        "E01000005",
        "E01000006",
        "E01000009",
        "E01000010",
    ]
    assert hartlepool["records"]["in_area"] == 4
    assert hartlepool["records"]["outside_area"] == 4
    assert hartlepool["filters"]["area_name"] == "Hartlepool"
    with pytest.raises(SnaError):
        compute_sna(folder, options(kind="Burglary"))
    with pytest.raises(SnaError):
        compute_sna(folder, options(area="E06000099"))


def test_local_definition_types_replace_the_default(snapshot_folder):
    folder = snapshot_folder(grid_tables(street=basic_rows()))
    result = compute_sna(
        folder, options(sv_types=("Robbery", "Burglary"), sv_types_source="local")
    )
    assert result["serious_violence"]["count"] == 2
    assert "local definition" in result["method"]["serious_violence"]
    default = compute_sna(folder, options())
    assert default["serious_violence"]["types"] == list(DEFAULT_SV_TYPES)
    assert "default" in default["method"]["serious_violence"]


def test_method_writes_out_every_choice(snapshot_folder):
    result = compute_sna(snapshot_folder(grid_tables(street=basic_rows())), options())
    method = result["method"]
    for key in (
        "records",
        "areas",
        "gi_star",
        "concentration",
        "deprivation",
        "disproportionality",
        "suppression",
        "harm",
        "trend",
    ):
        assert method[key]
    assert "w_ii = 1" in method["gi_star"]
    assert "20 metres" in method["gi_star"]
    assert "Benjamini-Hochberg" in method["gi_star"]
    assert "2011 Census" in method["disproportionality"]


def test_trend_per_day_and_seasonality_needs_24_months(snapshot_folder):
    short = compute_sna(snapshot_folder(grid_tables(street=basic_rows())), options())
    series = short["trend"]["series"]
    assert [p["count"] for p in series] == [3, 1, 1]
    assert series[1]["per_day"] == round(1 / 28, 4)
    assert short["trend"]["seasonality"]["available"] is False
    rows = []
    for year in (2020, 2021, 2022):
        for month in range(1, 13):
            rows += [(f"{year}-{month:02d}", "E01000001", VSO)] * (
                30 if month == 7 else 10
            )
    long = compute_sna(
        snapshot_folder(grid_tables(street=rows)), options("2020-01", "2022-12")
    )
    index = {
        s["calendar_month"]: s["index"] for s in long["trend"]["seasonality"]["index"]
    }
    assert long["trend"]["seasonality"]["available"] is True
    assert index["July"] > 2 * index["March"]


def test_harm_uses_the_weights_table(snapshot_folder):
    weights = HarmWeights(
        name="Test weights",
        version="1",
        source="test",
        weights={
            VSO: 10,
            "Robbery": 100,
            "Burglary": 5,
            "Possession of weapons": 1,
            "Anti-social behaviour": 0,
        },
    )
    result = compute_sna(
        snapshot_folder(grid_tables(street=basic_rows())), options(harm_weights=weights)
    )
    assert result["harm"]["total"] == 3 * 10 + 100 + 5 + 1
    assert result["harm"]["serious_violence_total"] == 3 * 10 + 100 + 1
    assert result["harm"]["top_areas"][0]["lsoa"] == "E01000001"
    assert "Test weights" in result["method"]["harm"]


def extract_table(rows):
    columns = {
        "record_key": [],
        "recorded_date": [],
        "offence_date": [],
        "offence_hour": [],
        "offence_dow": [],
        "ho_offence_code": [],
        "knife_or_sharp_object": [],
        "firearm": [],
        "domestic_abuse": [],
        "lsoa_code": [],
        "victim_age_band": [],
        "victim_sex": [],
        "victim_ethnicity": [],
        "suspect_age_band": [],
        "suspect_sex": [],
        "suspect_ethnicity": [],
        "outcome": [],
    }
    for index, row in enumerate(rows):
        date, hour, dow, code, knife, lsoa, age, sex, ethnicity = row
        values = {
            "record_key": f"k{index}",
            "recorded_date": date,
            "offence_date": date,
            "offence_hour": hour,
            "offence_dow": dow,
            "ho_offence_code": code,
            "knife_or_sharp_object": knife,
            "firearm": False,
            "domestic_abuse": False,
            "lsoa_code": lsoa,
            "victim_age_band": age,
            "victim_sex": sex,
            "victim_ethnicity": ethnicity,
            "suspect_age_band": None,
            "suspect_sex": None,
            "suspect_ethnicity": "W1",
            "outcome": None,
        }
        for key, value in values.items():
            columns[key].append(value)
    return pa.table(columns)


def test_extract_gives_time_of_day_who_and_success_measures(snapshot_folder):
    jan = dt.date(2022, 1, 10)
    dec = dt.date(2021, 12, 10)
    tables = grid_tables(street=basic_rows())
    tables["crime_extract"] = extract_table(
        [
            (jan, 23, 6, "001/00", False, "E01000001", "18-24", "male", "B1"),
            (jan, 23, 6, "008/01", True, "E01000002", "10-17", "male", "W1"),
            (jan, 2, 7, "8N", True, "E01000003", "35-44", "female", "A2"),
            (jan, 14, 1, "34A", False, "E01000004", None, None, None),
            (jan, 14, 1, "045/00", False, "E01000004", "18-24", "male", "W1"),  # not SV
            (
                jan,
                14,
                1,
                "008/01",
                False,
                "E01099999",
                "18-24",
                "male",
                "W1",
            ),  # outside
            (dec, 12, 3, "008/01", True, "E01000001", "18-24", "male", "W1"),  # before
        ]
    )
    folder = snapshot_folder(tables)
    result = compute_sna(folder, options())
    grid = result["time_of_day"]["crime_extract"]
    assert grid["total"] == 4
    assert {d["day"]: d["count"] for d in grid["by_day"]}["Saturday"] == 2
    assert {h["hour"]: h["count"] for h in grid["by_hour"]}[23] == 2
    victims = result["who"]["victim"]
    assert {d["value"]: d["count"] for d in victims["age_band"]}["Not recorded"] == 1
    assert {d["value"]: d["count"] for d in victims["sex"]} == {
        "female": 1,
        "male": 2,
        "not known": 0,
        "Not recorded": 1,
    }
    measures = {m["key"]: m for m in result["success_measures"]}
    assert measures["homicide"]["count"] == 1
    assert measures["homicide"]["under_25"] == 1
    assert measures["knife_enabled_serious_violence"]["count"] == 2
    assert measures["knife_enabled_serious_violence"]["under_25"] == 1
    # The extract starts in December 2021, so October to December is not covered.
    assert measures["knife_enabled_serious_violence"]["previous_count"] is None
    january = compute_sna(folder, options("2022-01", "2022-01"))
    knife = {m["key"]: m for m in january["success_measures"]}
    assert knife["knife_enabled_serious_violence"]["previous_count"] == 1
    assert measures["hospital_admissions_sharp_object"]["available"] is False
    assert (
        "Hospital Episode Statistics"
        in measures["hospital_admissions_sharp_object"]["reason"]
    )


def test_disproportionality_against_census_residents(snapshot_folder):
    jan = dt.date(2022, 1, 10)
    tables = grid_tables(street=basic_rows())
    rows = [(jan, 1, 1, "008/01", False, "E01000001", "25-34", "male", "B1")] * 6
    rows += [(jan, 1, 1, "008/01", False, "E01000001", "25-34", "male", "W1")] * 20
    rows += [(jan, 1, 1, "008/01", False, "E01000001", "25-34", "male", "NS")] * 3
    tables["crime_extract"] = extract_table(rows)
    result = compute_sna(snapshot_folder(tables), options())
    census = census_ethnicity()
    black = census["E06000001"]["Black"] + census["E06000002"]["Black"]
    white = census["E06000001"]["White"] + census["E06000002"]["White"]
    expected = relative_rate(6, black, 20, white)
    rows_by_group = {
        r["group"]: r for r in result["disproportionality"]["victim"]["rows"]
    }
    assert rows_by_group["Black"]["relative_rate"] == round(expected.ratio, 4)
    assert rows_by_group["Black"]["ci_lower"] == round(expected.lower, 4)
    assert rows_by_group["Black"]["ci_upper"] == round(expected.upper, 4)
    assert rows_by_group["White"]["reference"] is True
    assert result["disproportionality"]["victim"]["not_stated"] == 3


def test_ethnic_groups_from_codes_and_police_uk_labels():
    assert ethnic_group("W1") == "White"
    assert ethnic_group("O1") == "Asian"
    assert ethnic_group("NS") is None
    assert ethnic_group("Black/African/Caribbean/Black British - African") == "Black"
    assert ethnic_group("Other ethnic group - Not stated") is None
    assert ethnic_group("Other ethnic group - Arab") == "Other"
    assert ethnic_group(None) is None


def test_ed_beside_police_and_share_unknown_to_police(snapshot_folder):
    tables = grid_tables(street=basic_rows())
    tables["istv"] = pa.table(
        {
            "site_code": ["RTD01"] * 5,
            "assault_date": [dt.date(2022, 1, 5)] * 4 + [dt.date(2022, 2, 1)],
            "assault_hour": [22, 23, 23, 1, 2],
            "assault_dow": [3, 3, 3, 4, 2],
            "assault_method": [
                "knife_or_sharp_object",
                "body_part",
                "body_part",
                "blunt_object",
                "body_part",
            ],
            "assault_location_type": ["street"] * 5,
            # E01000001 had 3 police SV records in January; E01000010 none.
            "lsoa_code": ["E01000001", "E01000001", "E01000010", None, "E01000010"],
            "postcode_district": [None] * 5,
        }
    )
    result = compute_sna(snapshot_folder(tables), options())
    ed = result["ed_vs_police"]
    assert ed["total"] == 5
    assert ed["knife_or_sharp_object"] == 1
    assert ed["monthly"][0] == {
        "month": "2022-01",
        "ed_assaults": 4,
        "police_recorded": 3,
    }
    assert ed["geocoded"] == 4 and ed["not_geocoded"] == 1
    # LSOA-months: E01000001 Jan 2 ED vs 3 police -> 0; E01000010 Jan 1 vs 0 -> 1;
    # E01000010 Feb 1 vs 0 -> 1: 2 of 4 placed attendances.
    assert ed["unknown_to_police_estimate"] == 0.5
    assert result["time_of_day"]["istv"]["total"] == 5
    knife = {m["key"]: m for m in result["success_measures"]}[
        "hospital_admissions_sharp_object"
    ]
    assert knife["related_indicator"]["count"] == 1


def test_stop_search_by_ethnicity(snapshot_folder):
    tables = grid_tables(street=basic_rows())
    labels = ["White - Irish"] * 10 + [
        "Black/African/Caribbean/Black British - African"
    ] * 5
    labels += ["Other ethnic group - Not stated"] * 2
    n = len(labels) + 1
    tables["stop_search"] = pa.table(
        {
            "searched_date": [dt.date(2022, 1, 3)] * n,
            "self_defined_ethnicity": labels + ["White - Irish"],
            "lsoa_code": ["E01000001"] * (n - 1) + [None],
        }
    )
    result = compute_sna(snapshot_folder(tables), options())
    assert result["stop_search"]["in_area"] == 17
    assert result["stop_search"]["no_location"] == 1
    rows = {r["group"]: r for r in result["disproportionality"]["stop_search"]["rows"]}
    assert rows["White"]["count"] == 10 and rows["Black"]["count"] == 5
    assert rows["Black"]["relative_rate"] > 1


def test_empty_period_gives_zeros_not_errors(snapshot_folder):
    result = compute_sna(
        snapshot_folder(grid_tables(street=basic_rows())), options("2023-01", "2023-02")
    )
    assert result["records"] == {"in_area": 0, "outside_area": 0, "no_location": 0}
    assert result["concentration"]["gini"] == 0.0
    assert all(a["count"] == 0 and a["hotspot"] is None for a in result["areas"])


def test_bad_period_is_refused(snapshot_folder):
    folder = snapshot_folder(grid_tables(street=basic_rows()))
    with pytest.raises(SnaError):
        compute_sna(folder, options("2022-03", "2022-01"))
    with pytest.raises(SnaError):
        parse_month("March 2022")


def test_every_area_rate_is_count_over_population(snapshot_folder):
    tables = grid_tables(street=basic_rows(), population=1234)
    result = compute_sna(snapshot_folder(tables), options())
    for area in result["areas"]:
        assert math.isclose(
            area["rate_per_1000"], round(area["count"] / 1234 * 1000, 4)
        )


def test_street_table_helper_round_trips():
    table = street_table([("2022-01", None, VSO)])
    assert table.num_rows == 1
