"""The whole published files in ../shared/data/real read with their documented row
counts (that folder's README). Needs the whole data (policy: tests/real_data.py)."""

from collections import Counter

from svduty.sharing.readers import get_reader
from tests.real_data import IMD, LSOA_LOOKUP, POPULATION

STREET_ROWS = {
    "2022-01": 7285,
    "2022-02": 7156,
    "2022-03": 7967,
    "2022-04": 8433,
    "2022-05": 9058,
    "2022-06": 8319,
    "2022-07": 8818,
    "2022-08": 8635,
    "2022-09": 8623,
    "2022-10": 9210,
    "2022-11": 8012,
}


def test_police_street_all_months(real_data):
    reader = get_reader("police_street", batch_size=1000)
    types: Counter = Counter()
    blank_ids_by_type: Counter = Counter()
    columns = reader.output_columns
    per_month = {}
    for path in real_data.street_months(real_data.full()):
        rows = 0
        for batch in reader.read(path):
            rows += len(batch)
            for row in batch:
                record = dict(zip(columns, row, strict=True))
                types[record["crime_type"]] += 1
                if record["crime_id"] is None:
                    blank_ids_by_type[record["crime_type"]] += 1
        assert reader.result.ok
        per_month[path.name[:7]] = rows
    assert per_month == STREET_ROWS
    assert sum(per_month.values()) == 91516
    assert types["Violence and sexual offences"] == 30647
    assert len(types) == 14
    assert blank_ids_by_type == Counter({"Anti-social behaviour": 16156})


def test_reference_files_row_counts(real_data):
    for kind, relative, expected in (
        ("imd", IMD, 32844),
        ("lsoa_population", POPULATION, 34753),
        ("lsoa_lookup", LSOA_LOOKUP, 35795),
    ):
        reader = get_reader(kind)
        assert len(reader.read_all(real_data.full(relative))) == expected
        assert reader.result.ok
