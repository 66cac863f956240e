"""Every real published file reads cleanly: the vendored samples (tests/real_data.py),
which keep whole rows of the published files unchanged. The whole files' documented
row counts are checked in tests/integration/sharing/test_real_files_full.py."""

import datetime as dt
from collections import Counter

import pytest
import shapely

from svduty.sharing.readers import get_reader
from tests.real_data import (
    CLEVELAND_LADS,
    IMD,
    LSOA_LOOKUP,
    POPULATION,
    STOP_SEARCH,
    lsoa_boundaries,
    street,
)

#: Rows in each vendored month (every 15th row of the published file).
SAMPLE_STREET_ROWS = {"2022-01": 486, "2022-02": 478}


@pytest.mark.parametrize(("month", "expected"), sorted(SAMPLE_STREET_ROWS.items()))
def test_police_street_month_row_counts(real_data, month, expected):
    reader = get_reader("police_street")
    rows = reader.read_all(real_data.sample(street(month)))
    assert len(rows) == expected
    assert reader.result.ok
    assert reader.result.rows_read == reader.result.rows_ok == expected
    year, number = map(int, month.split("-"))
    assert reader.result.facts["periods"] == {
        ("Cleveland Police", dt.date(year, number, 1))
    }


def test_police_street_months_stream_in_batches(real_data):
    reader = get_reader("police_street", batch_size=100)
    total = 0
    types: Counter = Counter()
    blank_ids_by_type: Counter = Counter()
    columns = reader.output_columns
    for path in real_data.street_months(real_data.sample()):
        for batch in reader.read(path):
            assert len(batch) <= 100
            total += len(batch)
            for row in batch:
                record = dict(zip(columns, row, strict=True))
                types[record["crime_type"]] += 1
                if record["crime_id"] is None:
                    blank_ids_by_type[record["crime_type"]] += 1
        assert reader.result.ok
    assert total == sum(SAMPLE_STREET_ROWS.values())
    assert "Violence and sexual offences" in types
    # Anti-social behaviour, and only it, has no Crime ID.
    assert set(blank_ids_by_type) == {"Anti-social behaviour"}
    assert blank_ids_by_type["Anti-social behaviour"] == types["Anti-social behaviour"]


def test_police_street_row_shape(real_data):
    reader = get_reader("police_street")
    first = next(iter(reader.read(real_data.sample(street("2022-01")))))[0]
    assert first == (
        None,
        dt.date(2022, 1, 1),
        "Cleveland Police",
        "Cleveland Police",
        -1.240734,
        54.713937,
        "On or near Speeding Drive",
        "E01011954",
        "Hartlepool 001A",
        "Anti-social behaviour",
        None,
        None,
    )


def test_stop_search_sample(real_data):
    reader = get_reader("police_stop_search")
    rows = reader.read_all(real_data.sample(STOP_SEARCH))
    assert len(rows) == 907
    assert reader.result.ok
    records = [dict(zip(reader.output_columns, r, strict=True)) for r in rows]
    assert sum(r["latitude"] is None for r in records) == 10
    first = records[0]
    assert first["searched_at"] == dt.datetime(2019, 5, 31, 23, 1, tzinfo=dt.UTC)
    assert first["part_of_policing_operation"] is False
    assert first["age_range"] == "10-17"
    # 23:01 UTC on 31 May is 00:01 on 1 June in the UK.
    assert reader.result.facts["months"] == {dt.date(2019, 6, 1)}
    assert Counter(r["object_of_search"] for r in records)["Controlled drugs"] == 505


def test_lsoa_boundaries_cleveland(real_data):
    reader = get_reader("lsoa_boundaries")
    rows = []
    for lad in CLEVELAND_LADS:
        rows += reader.read_all(real_data.sample(lsoa_boundaries(lad)))
        assert reader.result.ok
        assert reader.result.facts["vintages"] == {2011}
    assert len(rows) == 352
    assert len({r[0] for r in rows}) == 352
    geometries = shapely.from_wkb([r[4] for r in rows])
    assert all(g.is_valid and g.area > 0 for g in geometries)
    assert {r[2] for r in rows} == {2011}


def test_imd_workbook_cleveland_deciles(real_data):
    reader = get_reader("imd")
    rows = reader.read_all(real_data.sample(IMD))
    # The sample: the first three LSOAs of England and Cleveland's 352.
    assert len(rows) == 3 + 352
    assert reader.result.ok
    assert reader.result.facts["sheet"] == "IMD2019"
    assert reader.result.facts["lsoa_vintage"] == 2011
    cleveland = [r for r in rows if r[2] in CLEVELAND_LADS]
    assert len(cleveland) == 352
    deciles = Counter(r[4] for r in cleveland)
    assert deciles == {
        1: 109,
        2: 36,
        3: 32,
        4: 25,
        5: 24,
        6: 16,
        7: 26,
        8: 35,
        9: 33,
        10: 16,
    }
    assert rows[0] == ("E01000001", "City of London 001A", "E09000001", 29199, 9)


def test_population_workbook_cleveland_total(real_data):
    boundaries = get_reader("lsoa_boundaries")
    codes = set()
    for lad in CLEVELAND_LADS:
        codes |= {
            r[0] for r in boundaries.read_all(real_data.sample(lsoa_boundaries(lad)))
        }
    reader = get_reader("lsoa_population")
    rows = reader.read_all(real_data.sample(POPULATION))
    # The sample: the first three LSOAs of the table and Cleveland's 352.
    assert len(rows) == 3 + 352
    assert reader.result.ok
    assert reader.result.facts["population_year"] == 2018
    assert reader.result.facts["sheet"] == "Mid-2018 Population Density"
    assert sum(r[3] for r in rows if r[0] in codes) == 567718
    assert rows[0] == ("E01020634", "County Durham 001A", 2018, 1665, None)


def test_lookup_cleveland_rows(real_data):
    reader = get_reader("lsoa_lookup")
    rows = reader.read_all(real_data.sample(LSOA_LOOKUP))
    assert reader.result.ok
    cleveland = [r for r in rows if r[5] in CLEVELAND_LADS]
    assert len(cleveland) == len(rows) == 360
    assert Counter(r[4] for r in cleveland) == {"U": 342, "S": 16, "M": 2}
    # The byte-order mark on the first heading does not stop it matching.
    assert rows[0][0] == "E01011949"
