"""Crafted reference-data files: boundaries, lookup, population and IMD."""

import json

import pytest
import shapely
from openpyxl import Workbook

from svduty.sharing.readers import FileProblem, get_reader


def feature(code_key, code, name, coordinates, **extra):
    return {
        "type": "Feature",
        "properties": {code_key: code, code_key[:-2] + "NM": name, **extra},
        "geometry": {"type": "Polygon", "coordinates": [coordinates]},
    }


SQUARE = [[-1.2, 54.6], [-1.19, 54.6], [-1.19, 54.61], [-1.2, 54.61], [-1.2, 54.6]]
BOW_TIE = [[-1.2, 54.6], [-1.19, 54.61], [-1.19, 54.6], [-1.2, 54.61], [-1.2, 54.6]]


def write_geojson(tmp_path, features, **top):
    path = tmp_path / "lsoas.geojson"
    document = {"type": "FeatureCollection", **top, "features": features}
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_2021_boundaries_with_lad_code_and_repaired_geometry(tmp_path):
    path = write_geojson(
        tmp_path,
        [
            feature(
                "LSOA21CD",
                "E01035379",
                "Middlesbrough 020F",
                SQUARE,
                LAD22CD="E06000002",
            ),
            feature("LSOA21CD", "E01035380", "Middlesbrough 020G", BOW_TIE),
        ],
    )
    reader = get_reader("lsoa_boundaries")
    rows = reader.read_all(path)
    assert reader.result.ok
    assert reader.result.facts["vintages"] == {2021}
    assert rows[0][:4] == ("E01035379", "Middlesbrough 020F", 2021, "E06000002")
    assert rows[1][3] is None
    repaired = shapely.from_wkb(rows[1][4])
    assert repaired.is_valid and repaired.geom_type in ("Polygon", "MultiPolygon")


def test_boundaries_in_metres_are_refused(tmp_path):
    metres = [[450000, 520000], [451000, 520000], [451000, 521000], [450000, 520000]]
    path = write_geojson(tmp_path, [feature("LSOA11CD", "E01011949", "H 009A", metres)])
    reader = get_reader("lsoa_boundaries")
    reader.read_all(path)
    (problem,) = reader.result.problems
    assert problem.message.startswith("Feature 1 (E01011949): coordinates must be")


def test_boundaries_declared_in_british_national_grid(tmp_path):
    path = write_geojson(
        tmp_path,
        [feature("LSOA11CD", "E01011949", "H 009A", SQUARE)],
        crs={"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}},
    )
    with pytest.raises(FileProblem, match="longitude and latitude"):
        get_reader("lsoa_boundaries").read_all(path)


def test_boundaries_feature_problems(tmp_path):
    path = write_geojson(
        tmp_path,
        [
            {"type": "Feature", "properties": {"code": "x"}, "geometry": None},
            feature("LSOA11CD", "E0101194", "Bad code", SQUARE),
            feature("LSOA11CD", "E01011949", "Good", SQUARE),
            feature("LSOA11CD", "E01011949", "Again", SQUARE),
        ],
    )
    reader = get_reader("lsoa_boundaries")
    assert len(reader.read_all(path)) == 1
    messages = [p.message for p in reader.result.problems]
    assert messages[0].startswith("Feature 1 has no LSOA11CD or LSOA21CD property")
    assert messages[1].startswith("Feature 2: LSOA code must be E01 or W01")
    assert messages[2] == "Feature 4: LSOA E01011949 appears more than once"


def test_not_geojson(tmp_path):
    path = tmp_path / "broken.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    with pytest.raises(FileProblem, match="not valid GeoJSON"):
        get_reader("lsoa_boundaries").read_all(path)


LOOKUP_HEADER = (
    "\ufeffLSOA11CD,LSOA11NM,LSOA21CD,LSOA21NM,CHGIND,LAD23CD,LAD23NM,LAD23NMW,ObjectId"
)


def test_lookup_accepts_other_editions_and_checks_change_indicator(write_csv):
    reader = get_reader("lsoa_lookup")
    rows = reader.read_all(
        write_csv(
            [
                LOOKUP_HEADER,
                "E01012007,Middlesbrough 001A,E01035379,Middlesbrough 020F,S,"
                "E06000002,Middlesbrough,,1",
                "E01012008,Middlesbrough 001B,E01012008,Middlesbrough 001B,Q,"
                "E06000002,Middlesbrough,,2",
            ]
        )
    )
    assert rows == [
        (
            "E01012007",
            "Middlesbrough 001A",
            "E01035379",
            "Middlesbrough 020F",
            "S",
            "E06000002",
            "Middlesbrough",
        )
    ]
    (problem,) = reader.result.problems
    assert (problem.row, problem.column) == (3, "CHGIND")


def test_population_csv_with_age_and_sex(write_csv):
    reader = get_reader("lsoa_population")
    rows = reader.read_all(
        write_csv(
            [
                "lsoa_code,lsoa_name,year,population,females_16_24,persons_90_plus",
                "E01011949,Hartlepool 009A,2021,1500,120,8",
                "E01011950,Hartlepool 008A,2021,1,120,0",
                "E01011951,,2021,1,200",
            ]
        )
    )
    assert rows == [
        (
            "E01011949",
            "Hartlepool 009A",
            2021,
            1500,
            {"females_16_24": 120, "persons_90_plus": 8},
        )
    ]
    problems = [(p.row, p.column, p.message) for p in reader.result.problems]
    assert problems[0] == (
        3,
        "females_16_24",
        "females_16_24 cannot be more than the total population",
    )
    assert problems[1][:2] == (4, None)  # too few values


def test_population_csv_minimal_and_bad_values(write_csv):
    reader = get_reader("lsoa_population")
    rows = reader.read_all(
        write_csv(
            [
                "lsoa_code,population",
                "E01011949,1500",
                "E01011950,-3",
                "E01011951,12.5",
                "E01011949,10",
            ]
        )
    )
    assert rows == [("E01011949", None, None, 1500, None)]
    assert [p.message for p in reader.result.problems] == [
        "Population must be 0 or more",
        "Population must be a whole number",
        "LSOA E01011949 appears more than once",
    ]


def test_population_csv_unexpected_column(write_csv):
    with pytest.raises(FileProblem, match="Unexpected columns: age 16-24"):
        get_reader("lsoa_population").read_all(
            write_csv(["lsoa_code,population,age 16-24", "E01011949,1500,3"])
        )


def make_workbook(tmp_path, sheets):
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    path = tmp_path / "book.xlsx"
    workbook.save(path)
    return path


def test_population_workbook_finds_header_below_titles_and_reads_year(tmp_path):
    path = make_workbook(
        tmp_path,
        {
            "Contents": [["Contents"], ["Something"]],
            "Mid-2020 Persons": [
                ["Table title"],
                [],
                [],
                ["Code", "Name", "Mid-2020 population", "Area Sq Km"],
                ["E01011949", "Hartlepool 009A", 1496.0, 0.5],
                [None, None, None, None],
                ["E01011950", "Hartlepool 008A", "x", 0.4],
            ],
        },
    )
    reader = get_reader("lsoa_population")
    rows = reader.read_all(path)
    assert rows == [("E01011949", "Hartlepool 009A", 2020, 1496, None)]
    assert reader.result.facts["population_year"] == 2020
    (problem,) = reader.result.problems
    # Spreadsheet row 7: title on 1, header on 4, data on 5, blank 6.
    assert (problem.row, problem.column) == (7, "Population")


def test_workbook_without_the_columns_says_which_are_missing(tmp_path):
    path = make_workbook(
        tmp_path, {"Data": [["Code", "Name", "Area"], ["E01011949", "x", 1]]}
    )
    with pytest.raises(FileProblem) as caught:
        get_reader("lsoa_population").read_all(path)
    assert caught.value.missing_columns == ("Population",)


def test_not_really_a_workbook(tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"PK\x03\x04 not a zip at all")
    with pytest.raises(FileProblem, match="could not be opened as an Excel workbook"):
        get_reader("imd").read_all(path)


IMD_HEADER = (
    "LSOA code (2011),LSOA name (2011),Local Authority District code (2019),"
    "Local Authority District name (2019),Index of Multiple Deprivation (IMD) Rank,"
    "Index of Multiple Deprivation (IMD) Decile"
)


def test_imd_csv(write_csv):
    reader = get_reader("imd")
    rows = reader.read_all(
        write_csv(
            [
                IMD_HEADER,
                "E01011949,Hartlepool 009A,E06000001,Hartlepool,1234,1",
                "E01011950,Hartlepool 008A,E06000001,Hartlepool,1235,11",
            ]
        )
    )
    assert rows == [("E01011949", "Hartlepool 009A", "E06000001", 1234, 1)]
    assert reader.result.facts["lsoa_vintage"] == 2011
    assert reader.result.problems[0].message == (
        "IMD decile must be a whole number from 1 to 10"
    )
