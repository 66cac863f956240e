"""The common reader contract: file types, headers, row numbers, problem cap."""

import io

import pytest

from svduty.sharing.readers import KINDS, FileProblem, ImportProblem, get_reader

STREET_HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,"
    "LSOA code,LSOA name,Crime type,Last outcome category,Context"
)


def street_row(month="2022-01", lon="-1.24", lat="54.71", crime="Burglary", lsoa=""):
    lsoa = lsoa or "E01011954"
    return (
        f"abc123,{month},Cleveland Police,Cleveland Police,{lon},{lat},"
        f"On or near High Street,{lsoa},Hartlepool 001A,{crime},"
        "Under investigation,"
    )


def test_registry_lists_the_kinds_with_what_the_page_needs():
    # Sharing's own nine (s.17 figures included), and those apps above it register
    # (record linkage).
    assert set(KINDS) == {
        "person_extract",
        "lsoa_boundaries",
        "lsoa_lookup",
        "lsoa_population",
        "imd",
        "police_street",
        "police_stop_search",
        "police_crime_extract",
        "istv",
        "s17_figures",
    }
    needing = {key for key, kind in KINDS.items() if kind.needs_agreement}
    assert needing == {"police_crime_extract", "istv", "person_extract", "s17_figures"}
    for kind in KINDS.values():
        assert kind.label and kind.description and kind.file_types
        assert kind.columns
        assert kind.reader().kind == kind.key
    assert KINDS["imd"].file_types == ("xlsx", "csv")


def test_unknown_kind():
    with pytest.raises(KeyError, match="unknown import kind"):
        get_reader("fish")


def test_empty_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(FileProblem, match="The selected file is empty"):
        get_reader("police_street").read_all(path)


def test_header_only_has_no_data_rows(write_csv):
    path = write_csv([STREET_HEADER])
    with pytest.raises(FileProblem, match="no data rows"):
        get_reader("police_street").read_all(path)


def test_not_utf8(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes(
        (STREET_HEADER + "\r\n" + street_row().replace("High", "Caf\xe9")).encode(
            "latin-1"
        )
    )
    with pytest.raises(FileProblem, match="UTF-8") as caught:
        get_reader("police_street").read_all(path)
    assert "CSV UTF-8" in caught.value.message


@pytest.mark.parametrize(
    ("content", "phrase"),
    [
        (b"PK\x03\x04rest-of-zip", "It looks like an Excel workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1", "old-style Excel file (.xls)"),
        (b"%PDF-1.7", "It looks like a PDF"),
        (b'{"type": "FeatureCollection"}', "It looks like a JSON file"),
    ],
)
def test_wrong_file_type_for_csv_kind(tmp_path, content, phrase):
    path = tmp_path / "upload.csv"
    path.write_bytes(content)
    with pytest.raises(FileProblem, match="must be a CSV file") as caught:
        get_reader("police_street").read_all(path)
    assert phrase in caught.value.message


def test_csv_for_geojson_kind(write_csv):
    path = write_csv(["a,b", "1,2"])
    with pytest.raises(FileProblem, match="must be a GeoJSON file"):
        get_reader("lsoa_boundaries").read_all(path)


def test_wrong_headers_lists_missing_and_unexpected(write_csv):
    header = STREET_HEADER.replace("Month,", "Mnth,").replace(",Context", "")
    path = write_csv([header, street_row()[:-1]])
    with pytest.raises(FileProblem) as caught:
        get_reader("police_street").read_all(path)
    problem = caught.value
    assert problem.missing_columns == ("Month", "Context")
    assert problem.unexpected_columns == ("Mnth",)
    assert "Missing columns: Month, Context." in problem.message
    assert "Unexpected columns: Mnth." in problem.message


def test_duplicate_heading(write_csv):
    path = write_csv([STREET_HEADER + ",Month", street_row() + ",2022-01"])
    with pytest.raises(FileProblem, match="‘Month’ appears more than once"):
        get_reader("police_street").read_all(path)


def test_headings_ignore_case_bom_and_order(tmp_path):
    columns = STREET_HEADER.split(",")
    values = street_row().split(",")
    order = list(reversed(range(len(columns))))
    header = ",".join(columns[i].upper() for i in order)
    row = ",".join(values[i] for i in order)
    path = tmp_path / "bom.csv"
    path.write_bytes(("\ufeff" + header + "\r\n" + row + "\r\n").encode("utf-8"))
    rows = get_reader("police_street").read_all(path)
    assert rows[0][9] == "Burglary"


def test_row_numbers_are_spreadsheet_rows_and_blank_lines_count(write_csv):
    path = write_csv(
        [
            STREET_HEADER,
            street_row(),  # row 2
            "",  # row 3, blank: skipped but counted
            street_row(month="2022-13"),  # row 4
            '"abc","2022-01","Cleveland Police","Cleveland Police",,,"On or near\n'
            'the corner",,,"Robbery",,',  # row 5, with a newline inside quotes
            street_row(month="22-01"),  # row 6
        ]
    )
    reader = get_reader("police_street")
    rows = reader.read_all(path)
    assert len(rows) == 2
    assert [(p.row, p.column) for p in reader.result.problems] == [
        (4, "Month"),
        (6, "Month"),
    ]
    assert reader.result.problems[0].message == (
        "Month must be a real month in the format YYYY-MM, for example 2022-01"
    )
    assert reader.result.rows_read == 4
    assert not reader.result.ok


def test_file_that_goes_wrong_half_way_reports_the_row(write_csv):
    lines = [STREET_HEADER] + [street_row() for _ in range(25_000)]
    lines[12_346] = street_row(crime="Shoplfting")  # spreadsheet row 12,347
    path = write_csv(lines)
    reader = get_reader("police_street")
    batches = [len(batch) for batch in reader.read(path)]
    assert batches == [10_000, 10_000, 4_999]
    assert reader.result.problems == [
        ImportProblem(
            12_347,
            "Crime type",
            "Crime type ‘Shoplfting’ is not one of the 14 police.uk crime types, "
            "for example ‘Violence and sexual offences’",
        )
    ]
    assert str(reader.result.problems[0]).startswith("Row 12347, column ‘Crime type’")


def test_problems_are_capped_with_a_count_of_the_rest(write_csv):
    lines = [STREET_HEADER] + [street_row(lat="95") for _ in range(250)]
    reader = get_reader("police_street", max_problems=200)
    reader.read_all(write_csv(lines))
    assert len(reader.result.problems) == 200
    assert reader.result.problems_not_shown == 50
    assert reader.result.problem_count == 250
    assert reader.result.problems[0] == ImportProblem(
        2, "Latitude", "Latitude must be a number between -90 and 90"
    )


def test_row_with_wrong_number_of_values(write_csv):
    path = write_csv([STREET_HEADER, street_row() + ",extra", "a,b,c", street_row()])
    reader = get_reader("police_street")
    assert len(reader.read_all(path)) == 1
    messages = [p.message for p in reader.result.problems]
    assert messages[0].startswith("This row has 13 values but the header has 12")
    assert messages[1].startswith("This row has 3 values")


def test_trailing_empty_cells_from_spreadsheets_are_ignored(write_csv):
    path = write_csv([STREET_HEADER + ",,", street_row() + ",,"])
    reader = get_reader("police_street")
    assert len(reader.read_all(path)) == 1
    assert reader.result.ok


def test_reads_binary_file_objects_including_unseekable_ones():
    data = (STREET_HEADER + "\r\n" + street_row() + "\r\n").encode("utf-8")

    class Unseekable(io.RawIOBase):
        def __init__(self, payload):
            self._inner = io.BytesIO(payload)

        def readable(self):
            return True

        def readinto(self, buffer):
            chunk = self._inner.read(len(buffer))
            buffer[: len(chunk)] = chunk
            return len(chunk)

    for handle in (io.BytesIO(data), Unseekable(data)):
        reader = get_reader("police_street")
        assert len(reader.read_all(handle)) == 1
        assert not handle.closed


def test_stopping_early_closes_cleanly(write_csv):
    path = write_csv([STREET_HEADER] + [street_row() for _ in range(30)])
    generator = get_reader("police_street", batch_size=10).read(path)
    assert len(next(generator)) == 10
    generator.close()
