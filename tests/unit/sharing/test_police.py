"""Crafted police files: each validation rule and its message."""

import datetime as dt

import pytest

from svduty.sharing.readers import FileProblem, get_reader
from svduty.sharing.readers.police import (
    CRIME_EXTRACT_COLUMNS,
    POLICE_UK_CRIME_TYPES,
    ho_offence_code,
)
from svduty.sharing.readers.values import BadValue

from .test_contract import STREET_HEADER, street_row


def problems_for(write_csv, kind, header, rows):
    reader = get_reader(kind)
    good = reader.read_all(write_csv([header, *rows]))
    return good, [(p.row, p.column, p.message) for p in reader.result.problems]


def test_fourteen_police_uk_crime_types():
    assert len(POLICE_UK_CRIME_TYPES) == 14


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (street_row(month=""), "Month", "Enter a month"),
        (
            street_row(month="01/2022"),
            "Month",
            "Month must be a real month in the format YYYY-MM, for example 2022-01",
        ),
        (
            street_row(lon="-181"),
            "Longitude",
            "Longitude must be a number between -180 and 180",
        ),
        (
            street_row(lon="west"),
            "Longitude",
            "Longitude must be a number between -180 and 180",
        ),
        (
            street_row(lat="91.5"),
            "Latitude",
            "Latitude must be a number between -90 and 90",
        ),
        (
            street_row(lat=""),
            "Latitude",
            "Enter both a longitude and a latitude, or leave both blank if the "
            "location is not known",
        ),
        (
            street_row(lsoa="S01000001"),
            "LSOA code",
            "LSOA code must be E01 or W01 followed by 6 digits, for example E01011949",
        ),
        (
            street_row(crime="Knife crime"),
            "Crime type",
            "Crime type ‘Knife crime’ is not one of the 14 police.uk crime types, "
            "for example ‘Violence and sexual offences’",
        ),
    ],
)
def test_street_row_problems(write_csv, row, column, message):
    good, problems = problems_for(write_csv, "police_street", STREET_HEADER, [row])
    assert good == []
    assert problems == [(2, column, message)]


def test_street_blank_location_and_2021_lsoa_codes_are_accepted(write_csv):
    no_location = (
        ",2022-01,Cleveland Police,Cleveland Police,,,No location,,,"
        "Anti-social behaviour,,"
    )
    lsoa_2021 = street_row(lsoa="E01035379")  # a code created in 2021
    welsh = street_row(lsoa="W01001958")
    good, problems = problems_for(
        write_csv, "police_street", STREET_HEADER, [no_location, lsoa_2021, welsh]
    )
    assert problems == []
    assert good[0][0] is None  # no Crime ID for anti-social behaviour
    assert good[0][4:8] == (None, None, "No location", None)
    assert good[1][7] == "E01035379"
    assert good[2][7] == "W01001958"


def test_street_periods_list_each_force_and_month(write_csv):
    rows = [street_row(month="2022-01"), street_row(month="2022-02")]
    reader = get_reader("police_street")
    reader.read_all(write_csv([STREET_HEADER, *rows]))
    assert reader.result.facts["periods"] == {
        ("Cleveland Police", dt.date(2022, 1, 1)),
        ("Cleveland Police", dt.date(2022, 2, 1)),
    }


STOP_HEADER = (
    "Type,Date,Part of a policing operation,Policing operation,Latitude,Longitude,"
    "Gender,Age range,Self-defined ethnicity,Officer-defined ethnicity,Legislation,"
    "Object of search,Outcome,Outcome linked to object of search,"
    "Removal of more than just outer clothing"
)


def stop_row(kind="Person search", date="2019-06-01T10:00:00+00:00", age="18-24"):
    return (
        f"{kind},{date},False,,53.4,-2.1,Male,{age},White - Irish,White,"
        "Misuse of Drugs Act 1971 (section 23),Controlled drugs,Arrest,True,False"
    )


def test_stop_search_problems(write_csv):
    good, problems = problems_for(
        write_csv,
        "police_stop_search",
        STOP_HEADER,
        [
            stop_row(kind="Dog search"),
            stop_row(date="yesterday"),
            stop_row(age="35-44"),
            stop_row(),
        ],
    )
    assert len(good) == 1
    assert [(row, column) for row, column, _ in problems] == [
        (2, "Type"),
        (3, "Date"),
        (4, "Age range"),
    ]
    assert problems[2][2] == (
        "Age range must be one of: under 10, 10-17, 18-24, 25-34, over 34"
    )


def test_stop_search_date_without_offset_is_uk_time(write_csv):
    good, problems = problems_for(
        write_csv,
        "police_stop_search",
        STOP_HEADER,
        [stop_row(date="2019-06-01 10:00")],
    )
    assert problems == []
    assert good[0][1].utcoffset() == dt.timedelta(hours=1)


EXTRACT_HEADER = ",".join(CRIME_EXTRACT_COLUMNS)


def extract_row(**changes):
    values = {
        "crime_reference": "CL/22/000123",
        "recorded_date": "2022-01-03",
        "offence_from": "2022-01-01 22:30",
        "offence_to": "2022-01-01 23:00",
        "ho_offence_code": "008/01",
        "offence_description": "Assault with injury",
        "knife_or_sharp_object": "Y",
        "firearm": "no",
        "domestic_abuse": "0",
        "lsoa_code": "E01011954",
        "latitude": "",
        "longitude": "",
        "victim_age_band": "18-24",
        "victim_sex": "F",
        "victim_ethnicity": "W1",
        "suspect_age_band": "",
        "suspect_sex": "",
        "suspect_ethnicity": "",
        "outcome": "",
    }
    values.update(changes)
    return ",".join(values[c] for c in CRIME_EXTRACT_COLUMNS)


def test_crime_extract_good_row_is_normalised(write_csv):
    good, problems = problems_for(
        write_csv,
        "police_crime_extract",
        EXTRACT_HEADER,
        [extract_row(), extract_row(crime_reference="B", recorded_date="04/01/2022")],
    )
    assert problems == []
    record = dict(zip(CRIME_EXTRACT_COLUMNS, good[0], strict=True))
    assert record["recorded_date"] == dt.date(2022, 1, 3)
    assert record["offence_from"].tzinfo is not None
    assert (
        record["knife_or_sharp_object"],
        record["firearm"],
        record["domestic_abuse"],
    ) == (True, False, False)
    assert record["victim_sex"] == "female"
    assert record["victim_ethnicity"] == "W1"
    assert record["suspect_sex"] is None
    assert good[1][1] == dt.date(2022, 1, 4)


@pytest.mark.parametrize(
    ("changes", "column", "message"),
    [
        (
            {"ho_offence_code": "assault"},
            "ho_offence_code",
            "Home Office offence code must be a class and subclass like 008/01, "
            "or a Counting Rules code like 8N, 105A or 4.1",
        ),
        (
            {"knife_or_sharp_object": "maybe"},
            "knife_or_sharp_object",
            "Knife or sharp object must be Y or N (or yes, no, true, false, 1, 0)",
        ),
        (
            {"firearm": ""},
            "firearm",
            "Enter Y or N for firearm",
        ),
        (
            {"recorded_date": "2022-02-30"},
            "recorded_date",
            "Recorded date must be a real date in the format YYYY-MM-DD, for "
            "example 2022-01-31",
        ),
        (
            {"offence_to": "2022-01-01 21:00"},
            "offence_to",
            "Offence to date and time must be the same as or after the offence "
            "from date and time",
        ),
        (
            {"victim_ethnicity": "White"},
            "victim_ethnicity",
            "Ethnicity must be one of: a 16+1 code such as W1, M2, A1, B2, O9 or NS",
        ),
        (
            {"outcome": "23"},
            "outcome",
            "Outcome must be one of: a Home Office outcome number from 1 to 22 (or 1A)",
        ),
        (
            {"latitude": "54.7"},
            "longitude",
            "Enter both a longitude and a latitude, or leave both blank if the "
            "location is not known",
        ),
    ],
)
def test_crime_extract_problems(write_csv, changes, column, message):
    good, problems = problems_for(
        write_csv, "police_crime_extract", EXTRACT_HEADER, [extract_row(**changes)]
    )
    assert good == []
    assert problems == [(2, column, message)]


def test_crime_extract_duplicate_reference(write_csv):
    good, problems = problems_for(
        write_csv, "police_crime_extract", EXTRACT_HEADER, [extract_row()] * 2
    )
    assert len(good) == 1
    assert problems == [
        (3, "crime_reference", "Crime reference CL/22/000123 appears more than once")
    ]


def test_crime_extract_refuses_extra_columns(write_csv):
    path = write_csv([EXTRACT_HEADER + ",victim_name", extract_row() + ",Jane Doe"])
    with pytest.raises(FileProblem) as caught:
        get_reader("police_crime_extract").read_all(path)
    assert caught.value.unexpected_columns == ("victim_name",)


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [("008/01", "008/01"), ("8/1", None), ("8/01", "008/01"), ("105/01", "105/01")]
    + [("8n", "8N"), ("105A", "105A"), ("4.1", "4.1"), (" 37.2 ", "37.2")],
)
def test_home_office_offence_codes(raw, normalised):
    if normalised is None:
        with pytest.raises(BadValue):
            ho_offence_code(raw)
    else:
        assert ho_offence_code(raw) == normalised
