"""The person extract reader: the template, check digits kept as typo evidence."""

from __future__ import annotations

import datetime as dt

from svduty.linkage.extract import (
    OUTPUT_COLUMNS,
    TEMPLATE_COLUMNS,
    PersonExtractReader,
    normalise_postcode,
)

HEADER = ",".join(TEMPLATE_COLUMNS)


def _read(tmp_path, *lines):
    path = tmp_path / "people.csv"
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    reader = PersonExtractReader()
    rows = [
        dict(zip(OUTPUT_COLUMNS, r, strict=True)) for b in reader.read(path) for r in b
    ]
    return rows, reader.result


def test_a_full_row_is_normalised(tmp_path):
    rows, result = _read(
        tmp_path,
        "yjs,YJ1,Liz,Smith-Jones,,2010-03-04,F,White: Irish,ts1 2ab,1 High Street,"
        "485 777 3457,H801200001001,98/1234567Z,Youth justice case",
    )
    assert result.ok, result.problems
    row = rows[0]
    assert row["agency_code"] == "YJS"
    assert row["date_of_birth"] == dt.date(2010, 3, 4)
    assert row["ethnicity"] == "white_irish"
    assert row["postcode"] == "TS1 2AB"
    assert (row["nhs_number"], row["nhs_number_valid"]) == ("4857773457", True)
    assert row["upn_valid"] is True


def test_only_agency_and_local_id_are_required(tmp_path):
    rows, result = _read(tmp_path, "ED,E1,,,,,,,,,,,,")
    assert result.ok
    assert rows[0]["nhs_number_valid"] is None


def test_an_identifier_failing_its_check_digit_is_kept_as_a_typo(tmp_path):
    rows, result = _read(tmp_path, "ED,E1,Ann,Lee,,,,,,,4857773458,H801200001002,,")
    assert result.ok
    assert (rows[0]["nhs_number"], rows[0]["nhs_number_valid"]) == ("4857773458", False)
    assert rows[0]["upn_valid"] is False


def test_bad_values_are_problems_with_the_column(tmp_path):
    _, result = _read(
        tmp_path,
        ",E1,,,,2010-13-45,X,Martian,not a postcode,,,,,",
        "ED,E2,,,,,,,,,,,,",
        "ED,E2,,,,,,,,,,,,",
    )
    columns = {(p.row, p.column) for p in result.problems}
    assert {
        (2, "agency_code"),
        (2, "date_of_birth"),
        (2, "sex"),
        (2, "ethnicity"),
        (2, "postcode"),
        (4, "local_id"),
    } <= columns


def test_postcodes():
    assert normalise_postcode("ts17 6hl") == "TS17 6HL"
    assert normalise_postcode("TS176HL") == "TS17 6HL"
    assert normalise_postcode("12345") is None
