"""Readers for police data: data.police.uk files and a force's own crime extract.

data.police.uk files are accepted exactly as published (CRLF line endings, blank
Crime ID for anti-social behaviour, blank coordinates and LSOA when a crime has
no location). The crime extract is our own template, documented in
``docs/data-formats.md``; it holds information about victims and suspects, so it
is only accepted under a data sharing agreement.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from svduty.sharing.readers import values as v
from svduty.sharing.readers.base import Column, TabularReader

#: The 14 data.police.uk street-level crime types (since May 2013).
POLICE_UK_CRIME_TYPES = (
    "Anti-social behaviour",
    "Bicycle theft",
    "Burglary",
    "Criminal damage and arson",
    "Drugs",
    "Other crime",
    "Other theft",
    "Possession of weapons",
    "Public order",
    "Robbery",
    "Shoplifting",
    "Theft from the person",
    "Vehicle crime",
    "Violence and sexual offences",
)
_CRIME_TYPES = {t.casefold(): t for t in POLICE_UK_CRIME_TYPES}


def _coordinates(
    reader: TabularReader,
    row_number: int,
    cells: Sequence[Any],
    longitude_col: str,
    latitude_col: str,
) -> tuple[bool, float | None, float | None]:
    """Both coordinates or neither; each in range. Returns (ok, lon, lat)."""
    ok = True
    lon = lat = None
    try:
        lon = v.number(
            reader.cell(cells, longitude_col), "Longitude", -180, 180, required=False
        )
    except v.BadValue as error:
        reader.problems.add(row_number, longitude_col, error.message)
        ok = False
    try:
        lat = v.number(
            reader.cell(cells, latitude_col), "Latitude", -90, 90, required=False
        )
    except v.BadValue as error:
        reader.problems.add(row_number, latitude_col, error.message)
        ok = False
    if ok and (lon is None) != (lat is None):
        missing = longitude_col if lon is None else latitude_col
        reader.problems.add(
            row_number,
            missing,
            "Enter both a longitude and a latitude, or leave both blank if the "
            "location is not known",
        )
        ok = False
    return ok, lon, lat


class PoliceStreetReader(TabularReader):
    """data.police.uk street-level crime CSV (``YYYY-MM-force-street.csv``).

    Output: (crime_id, month, reported_by, falls_within, longitude, latitude,
    location, lsoa_code, lsoa_name, crime_type, last_outcome_category, context).
    ``month`` is a date (first of the month); blank text is None.
    ``result.facts["periods"]`` is the set of (falls_within, month) pairs in the
    file, so the caller can replace an older file for the same force and month
    (police.uk re-issues months with updated outcomes).
    """

    kind = "police_street"
    label = "a data.police.uk street-level crime file"
    file_types = ("csv",)
    output_columns = (
        "crime_id",
        "month",
        "reported_by",
        "falls_within",
        "longitude",
        "latitude",
        "location",
        "lsoa_code",
        "lsoa_name",
        "crime_type",
        "last_outcome_category",
        "context",
    )
    columns = tuple(
        Column(name)
        for name in (
            "Crime ID",
            "Month",
            "Reported by",
            "Falls within",
            "Longitude",
            "Latitude",
            "Location",
            "LSOA code",
            "LSOA name",
            "Crime type",
            "Last outcome category",
            "Context",
        )
    )

    def _start(self) -> None:
        self._periods: set[tuple[str, dt.date]] = set()
        self.result.facts["periods"] = self._periods

    def convert(self, row_number: int, cells: Sequence[Any]) -> tuple[Any, ...] | None:
        ok = True
        try:
            month = v.month(self.cell(cells, "Month"))
        except v.BadValue as error:
            self.problems.add(row_number, "Month", error.message)
            ok = False
        falls_within = self.cell(cells, "Falls within")
        if not falls_within:
            self.problems.add(
                row_number, "Falls within", "Enter the force the crime falls within"
            )
            ok = False
        coordinates_ok, lon, lat = _coordinates(
            self, row_number, cells, "Longitude", "Latitude"
        )
        ok = ok and coordinates_ok
        try:
            lsoa = v.lsoa_code(self.cell(cells, "LSOA code"), required=False)
        except v.BadValue as error:
            self.problems.add(row_number, "LSOA code", error.message)
            ok = False
        raw_type = self.cell(cells, "Crime type")
        crime_type = _CRIME_TYPES.get(raw_type.casefold())
        if crime_type is None:
            if raw_type:
                message = (
                    f"Crime type ‘{raw_type}’ is not one of the 14 police.uk crime "
                    "types, for example ‘Violence and sexual offences’"
                )
            else:
                message = "Enter the crime type"
            self.problems.add(row_number, "Crime type", message)
            ok = False
        if not ok:
            return None
        self._periods.add((falls_within, month))
        return (
            self.cell(cells, "Crime ID") or None,
            month,
            self.cell(cells, "Reported by") or None,
            falls_within,
            lon,
            lat,
            self.cell(cells, "Location") or None,
            lsoa,
            self.cell(cells, "LSOA name") or None,
            crime_type,
            self.cell(cells, "Last outcome category") or None,
            self.cell(cells, "Context") or None,
        )


SEARCH_TYPES = {
    t.casefold(): t
    for t in ("Person search", "Vehicle search", "Person and Vehicle search")
}
STOP_SEARCH_GENDERS = {g.casefold(): g for g in ("Male", "Female", "Other")}
STOP_SEARCH_AGE_RANGES = {
    a.casefold(): a for a in ("under 10", "10-17", "18-24", "25-34", "over 34")
}


class PoliceStopSearchReader(TabularReader):
    """data.police.uk stop-and-search CSV (``YYYY-MM-force-stop-and-search.csv``).

    Output: (search_type, searched_at, part_of_policing_operation,
    policing_operation, latitude, longitude, gender, age_range,
    self_defined_ethnicity, officer_defined_ethnicity, legislation,
    object_of_search, outcome, outcome_linked_to_object_of_search,
    removal_of_more_than_outer_clothing). ``searched_at`` is timezone-aware (the
    file carries a UTC offset). Ethnicity, legislation, object and outcome are
    free text because police.uk has changed their wording over the years.
    ``facts["months"]`` holds the months covered (UK local time).
    """

    kind = "police_stop_search"
    label = "a data.police.uk stop and search file"
    file_types = ("csv",)
    output_columns = (
        "search_type",
        "searched_at",
        "part_of_policing_operation",
        "policing_operation",
        "latitude",
        "longitude",
        "gender",
        "age_range",
        "self_defined_ethnicity",
        "officer_defined_ethnicity",
        "legislation",
        "object_of_search",
        "outcome",
        "outcome_linked_to_object_of_search",
        "removal_of_more_than_outer_clothing",
    )
    columns = tuple(
        Column(name)
        for name in (
            "Type",
            "Date",
            "Part of a policing operation",
            "Policing operation",
            "Latitude",
            "Longitude",
            "Gender",
            "Age range",
            "Self-defined ethnicity",
            "Officer-defined ethnicity",
            "Legislation",
            "Object of search",
            "Outcome",
            "Outcome linked to object of search",
            "Removal of more than just outer clothing",
        )
    )

    def _start(self) -> None:
        self._months: set[dt.date] = set()
        self.result.facts["months"] = self._months

    def convert(self, row_number: int, cells: Sequence[Any]) -> tuple[Any, ...] | None:
        ok = True
        values: dict[str, Any] = {}
        checks = (
            ("Type", lambda x: v.choice(x, "Type", SEARCH_TYPES)),
            ("Date", lambda x: v.datetime(x, "Date")),
            (
                "Part of a policing operation",
                lambda x: v.yes_no(x, "Part of a policing operation", required=False),
            ),
            (
                "Gender",
                lambda x: v.choice(x, "Gender", STOP_SEARCH_GENDERS, required=False),
            ),
            (
                "Age range",
                lambda x: v.choice(
                    x,
                    "Age range",
                    STOP_SEARCH_AGE_RANGES,
                    required=False,
                    hint="under 10, 10-17, 18-24, 25-34, over 34",
                ),
            ),
            (
                "Outcome linked to object of search",
                lambda x: v.yes_no(
                    x, "Outcome linked to object of search", required=False
                ),
            ),
            (
                "Removal of more than just outer clothing",
                lambda x: v.yes_no(
                    x, "Removal of more than just outer clothing", required=False
                ),
            ),
        )
        for name, parse in checks:
            try:
                values[name] = parse(self.cell(cells, name))
            except v.BadValue as error:
                self.problems.add(row_number, name, error.message)
                ok = False
        coordinates_ok, lon, lat = _coordinates(
            self, row_number, cells, "Longitude", "Latitude"
        )
        if not (ok and coordinates_ok):
            return None
        searched_at = values["Date"]
        local = searched_at.astimezone(v.UK_TIME)
        self._months.add(dt.date(local.year, local.month, 1))
        return (
            values["Type"],
            searched_at,
            values["Part of a policing operation"],
            self.cell(cells, "Policing operation") or None,
            lat,
            lon,
            values["Gender"],
            values["Age range"],
            self.cell(cells, "Self-defined ethnicity") or None,
            self.cell(cells, "Officer-defined ethnicity") or None,
            self.cell(cells, "Legislation") or None,
            self.cell(cells, "Object of search") or None,
            self.cell(cells, "Outcome") or None,
            values["Outcome linked to object of search"],
            values["Removal of more than just outer clothing"],
        )


# --------------------------------------------------------------------------
# A force's own crime extract (our template)
# --------------------------------------------------------------------------

#: Home Office offence classification, two accepted forms (see the docs):
#: class/subclass "008/01" (1-3 digits, slash, 2 digits) or the Counting Rules
#: code "8N", "105A", "4.1" (1-3 digits, optional ".digits", optional letters).
HO_CLASS_SUBCLASS = re.compile(r"^(\d{1,3})/(\d{2})$")
HO_COUNTING_RULES = re.compile(r"^(\d{1,3})(?:\.(\d{1,2}))?([A-Z]{1,2})?$")

AGE_BANDS = ("0-9", "10-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65+")
_AGE_BANDS = {a: a for a in AGE_BANDS} | {"65 and over": "65+", "65 plus": "65+"}

_SEXES = {
    "m": "male",
    "male": "male",
    "f": "female",
    "female": "female",
    "u": "not known",
    "unknown": "not known",
    "not known": "not known",
}

#: The 2001 Census "16+1" self-defined ethnicity codes used by police forces.
ETHNICITY_16_PLUS_1 = {
    "W1": "White - British",
    "W2": "White - Irish",
    "W9": "White - Any other White background",
    "M1": "Mixed - White and Black Caribbean",
    "M2": "Mixed - White and Black African",
    "M3": "Mixed - White and Asian",
    "M9": "Mixed - Any other Mixed background",
    "A1": "Asian - Indian",
    "A2": "Asian - Pakistani",
    "A3": "Asian - Bangladeshi",
    "A9": "Asian - Any other Asian background",
    "B1": "Black - Caribbean",
    "B2": "Black - African",
    "B9": "Black - Any other Black background",
    "O1": "Other - Chinese",
    "O9": "Other - Any other ethnic group",
    "NS": "Not stated",
}
_ETHNICITY = {code.casefold(): code for code in ETHNICITY_16_PLUS_1} | {
    label.casefold(): code for code, label in ETHNICITY_16_PLUS_1.items()
}

#: Home Office crime outcomes framework numbers (1A is "charged, alternative
#: offence"). Blank means no outcome yet.
OUTCOME_CODES = ("1", "1A") + tuple(str(n) for n in range(2, 23))
_OUTCOMES = {code.casefold(): code for code in OUTCOME_CODES}


def ho_offence_code(value: Any) -> str:
    """Normalise a Home Office offence code, or raise BadValue.

    ``8/1`` style is padded to ``008/01``; Counting Rules codes are upper-cased.
    """
    raw = v.text(value).upper().replace(" ", "")
    if not raw:
        raise v.BadValue("Enter the Home Office offence code")
    match = HO_CLASS_SUBCLASS.match(raw)
    if match:
        return f"{int(match.group(1)):03d}/{match.group(2)}"
    if HO_COUNTING_RULES.match(raw):
        return raw
    raise v.BadValue(
        "Home Office offence code must be a class and subclass like 008/01, or a "
        "Counting Rules code like 8N, 105A or 4.1"
    )


CRIME_EXTRACT_COLUMNS = (
    "crime_reference",
    "recorded_date",
    "offence_from",
    "offence_to",
    "ho_offence_code",
    "offence_description",
    "knife_or_sharp_object",
    "firearm",
    "domestic_abuse",
    "lsoa_code",
    "latitude",
    "longitude",
    "victim_age_band",
    "victim_sex",
    "victim_ethnicity",
    "suspect_age_band",
    "suspect_sex",
    "suspect_ethnicity",
    "outcome",
)


class PoliceCrimeExtractReader(TabularReader):
    """A force's own recorded-crime extract in the svduty CSV template.

    Every template column must be present (values may be blank where the
    template says so); columns not in the template are refused so personal
    details such as names cannot slip in. Output columns are the template
    columns in template order, normalised: dates as ``date``, date-times aware,
    flags as ``bool``, codes upper-cased, blank as None.
    """

    kind = "police_crime_extract"
    label = "the police crime extract template"
    file_types = ("csv",)
    output_columns = CRIME_EXTRACT_COLUMNS
    columns = tuple(Column(name) for name in CRIME_EXTRACT_COLUMNS)

    def _start(self) -> None:
        self._references: set[str] = set()

    def convert(self, row_number: int, cells: Sequence[Any]) -> tuple[Any, ...] | None:
        out: dict[str, Any] = {}
        ok = True

        def check(name: str, parse: Any) -> None:
            nonlocal ok
            try:
                out[name] = parse(self.cell(cells, name))
            except v.BadValue as error:
                self.problems.add(row_number, name, error.message)
                ok = False
                out[name] = None

        reference = self.cell(cells, "crime_reference")
        if not reference:
            self.problems.add(
                row_number, "crime_reference", "Enter the crime reference"
            )
            ok = False
        elif len(reference) > 50:
            self.problems.add(
                row_number,
                "crime_reference",
                "Crime reference must be 50 characters or fewer",
            )
            ok = False
        elif reference in self._references:
            self.problems.add(
                row_number,
                "crime_reference",
                f"Crime reference {reference} appears more than once",
            )
            ok = False
        out["crime_reference"] = reference
        check("recorded_date", lambda x: v.date(x, "Recorded date"))
        check("offence_from", lambda x: v.datetime(x, "Offence from date and time"))
        check(
            "offence_to",
            lambda x: v.datetime(x, "Offence to date and time", required=False),
        )
        check("ho_offence_code", ho_offence_code)
        description = self.cell(cells, "offence_description")
        if not description:
            self.problems.add(
                row_number, "offence_description", "Enter the offence description"
            )
            ok = False
        out["offence_description"] = description
        for flag, label in (
            ("knife_or_sharp_object", "Knife or sharp object"),
            ("firearm", "Firearm"),
            ("domestic_abuse", "Domestic abuse"),
        ):
            check(flag, lambda x, label=label: v.yes_no(x, label))
        check("lsoa_code", lambda x: v.lsoa_code(x, required=False))
        coordinates_ok, lon, lat = _coordinates(
            self, row_number, cells, "longitude", "latitude"
        )
        ok = ok and coordinates_ok
        out["longitude"], out["latitude"] = lon, lat
        for person in ("victim", "suspect"):
            check(
                f"{person}_age_band",
                lambda x: v.choice(
                    x,
                    "Age band",
                    _AGE_BANDS,
                    required=False,
                    hint=", ".join(AGE_BANDS),
                ),
            )
            check(
                f"{person}_sex",
                lambda x: v.choice(
                    x, "Sex", _SEXES, required=False, hint="male, female, not known"
                ),
            )
            check(
                f"{person}_ethnicity",
                lambda x: v.choice(
                    x,
                    "Ethnicity",
                    _ETHNICITY,
                    required=False,
                    hint="a 16+1 code such as W1, M2, A1, B2, O9 or NS",
                ),
            )
        check(
            "outcome",
            lambda x: v.choice(
                x,
                "Outcome",
                _OUTCOMES,
                required=False,
                hint="a Home Office outcome number from 1 to 22 (or 1A)",
            ),
        )
        if ok:
            recorded = out["recorded_date"]
            start, end = out["offence_from"], out["offence_to"]
            if end is not None and end < start:
                self.problems.add(
                    row_number,
                    "offence_to",
                    "Offence to date and time must be the same as or after the "
                    "offence from date and time",
                )
                ok = False
            elif start.astimezone(v.UK_TIME).date() > recorded:
                self.problems.add(
                    row_number,
                    "offence_from",
                    "Offence from date must be on or before the recorded date",
                )
                ok = False
        if not ok:
            return None
        self._references.add(reference)
        return tuple(out[name] for name in CRIME_EXTRACT_COLUMNS)
