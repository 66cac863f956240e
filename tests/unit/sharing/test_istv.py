"""ISTV files: validation, and refusal of anything that identifies a patient."""

import csv
import datetime as dt
import io

import pytest

from svduty.sharing.readers import FileProblem, PatientIdentifierFound, get_reader
from svduty.sharing.readers.health import (
    ISTV_COLUMNS,
    contains_nhs_number,
    identifier_heading,
    is_valid_nhs_number,
)

HEADER = ",".join(ISTV_COLUMNS)


def istv_row(**changes):
    values = {
        "reporting_period_start": "2024-01-01",
        "reporting_period_end": "2024-01-31",
        "site_code": "RTD01",
        "arrival_datetime": "2024-01-06 01:40",
        "assault_datetime": "2024-01-06 00:55",
        "assault_method": "body_part",
        "assault_method_other": "",
        "assault_location_type": "licensed_premises",
        "assault_location_description": "Outside the Red Lion, Linthorpe Road",
        "lsoa_code": "",
        "postcode_district": "TS1",
    }
    values.update(changes)
    line = io.StringIO()
    csv.writer(line, lineterminator="").writerow([values[c] for c in ISTV_COLUMNS])
    return line.getvalue()


def test_valid_file_reads(write_csv):
    reader = get_reader("istv")
    rows = reader.read_all(
        write_csv(
            [HEADER, istv_row(), istv_row(assault_method="Knife or sharp object")]
        )
    )
    assert reader.result.ok
    assert len(rows) == 2
    record = dict(zip(ISTV_COLUMNS, rows[1], strict=True))
    assert record["assault_method"] == "knife_or_sharp_object"
    assert record["assault_location_type"] == "licensed_premises"
    assert record["postcode_district"] == "TS1"
    assert reader.result.facts["site_codes"] == {"RTD01"}
    assert reader.result.facts["reporting_periods"] == {
        (dt.date(2024, 1, 1), dt.date(2024, 1, 31))
    }


@pytest.mark.parametrize(
    ("heading", "what"),
    [
        ("NHS Number", "an NHS number"),
        ("nhs_no", "an NHS number"),
        ("Date of Birth", "a date of birth"),
        ("DOB", "a date of birth"),
        ("Patient Name", "a name"),
        ("Surname", "a name"),
        ("Postcode", "a postcode"),
        ("Home address", "an address"),
        ("MRN", "a hospital or patient number"),
    ],
)
def test_identifier_headings_reject_the_whole_file(write_csv, heading, what):
    path = write_csv([HEADER + "," + heading, istv_row() + ",x"])
    with pytest.raises(PatientIdentifierFound) as caught:
        get_reader("istv").read_all(path)
    problem = caught.value
    assert isinstance(problem, FileProblem)
    assert problem.column == heading
    assert problem.message.startswith(f"The column ‘{heading}’ looks like {what}.")
    assert problem.message.endswith("Nothing from this file was imported.")


def test_allowed_headings_are_not_identifiers():
    for heading in ISTV_COLUMNS + ("site_name", "hospital name", "location name"):
        assert identifier_heading(heading) is None


def test_nhs_number_checksum():
    # 943 476 5919 is the NHS's published example of a valid number.
    assert is_valid_nhs_number("9434765919")
    assert not is_valid_nhs_number("9434765918")
    assert contains_nhs_number("patient 943 476 5919 attended")
    assert contains_nhs_number("943-476-5919")
    assert not contains_nhs_number("ref 9434765918")
    assert not contains_nhs_number("2024-01-06 01:40")


def test_nhs_number_in_free_text_rejects_the_file_half_way(write_csv):
    rows = [istv_row() for _ in range(30)]
    rows[19] = istv_row(assault_location_description="NHS no 9434765919 per notes")
    path = write_csv([HEADER, *rows])
    reader = get_reader("istv", batch_size=10)
    received = []
    with pytest.raises(PatientIdentifierFound) as caught:
        for batch in reader.read(path):
            received.extend(batch)
    problem = caught.value
    assert (problem.row, problem.column) == (21, "assault_location_description")
    assert "looks like an NHS number" in problem.message
    assert "Nothing from this file was imported." in problem.message
    # The value itself is never repeated back.
    assert "9434765919" not in problem.message
    # Rows before it may have been yielded: the caller's transaction discards them.
    assert len(received) == 10


@pytest.mark.parametrize(
    ("changes", "column"),
    [
        ({"assault_location_description": "Outside 12 High St TS1 2AB"}, None),
        ({"assault_method_other": "bottle, near ts12ab"}, None),
        ({"postcode_district": "TS1 2AB"}, "postcode_district"),
    ],
)
def test_full_postcode_rejects_the_file(write_csv, changes, column):
    path = write_csv([HEADER, istv_row(**changes)])
    with pytest.raises(PatientIdentifierFound, match="looks like a full postcode"):
        get_reader("istv").read_all(path)


def test_postcode_district_and_place_names_are_fine(write_csv):
    reader = get_reader("istv")
    reader.read_all(
        write_csv(
            [
                HEADER,
                istv_row(
                    postcode_district="SW1A",
                    assault_location_description="Bus stop on the A19 near M1 café",
                ),
            ]
        )
    )
    assert reader.result.ok


def test_istv_row_problems(write_csv):
    reader = get_reader("istv")
    reader.read_all(
        write_csv(
            [
                HEADER,
                istv_row(assault_method="punched"),
                istv_row(arrival_datetime="2024-02-03 10:00"),
                istv_row(site_code="R"),
                istv_row(assault_datetime=""),
            ]
        )
    )
    problems = [(p.row, p.column) for p in reader.result.problems]
    assert problems == [
        (2, "assault_method"),
        (3, "arrival_datetime"),
        (4, "site_code"),
        (5, "assault_datetime"),
    ]
    assert reader.result.problems[1].message == (
        "Arrival date must be within the reporting period"
    )
    assert reader.result.problems[3].message == "Enter the assault date and time"
