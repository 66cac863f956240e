"""Reader for emergency department assault data (ISTV, the Cardiff Model).

The ISTV minimum dataset (ISB 1594) is anonymous by design, and section 16 of the
PCSC Act 2022 does not authorise health bodies to share patient information. So
this reader refuses **the whole file** as soon as it sees anything that could
identify a patient:

* a column heading that looks like a name, NHS number, date of birth, address,
  hospital number or postcode (a ``postcode_district`` column, the outward code
  only, is allowed);
* a value anywhere in the file that looks like a valid NHS number (10 digits,
  optionally spaced 3-3-4, passing the modulus 11 check);
* a full UK postcode in the free-text or postcode district columns.

The message names the row and column and why, and says nothing was imported. It
never repeats the value itself, which would copy patient data into logs and
pages. ``PatientIdentifierFound`` is raised mid-stream, so the caller's
transaction must discard any batches already received.

The CSV template is documented in ``docs/data-formats.md``. The national code
lists for ASSAULT METHOD and ASSAULT LOCATION TYPE are not confirmed yet, so the
categories here are svduty's own, chosen to map onto them once confirmed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from typing import IO, Any

from svduty.partnership.codes import ED_ASSAULT_METHODS
from svduty.sharing.readers import values as v
from svduty.sharing.readers.base import (
    Column,
    FileProblem,
    PatientIdentifierFound,
    TabularReader,
)

#: One list with the local definition's emergency department rules.
ASSAULT_METHODS = ED_ASSAULT_METHODS
LOCATION_TYPES = {
    "street": "Street or other public place",
    "licensed_premises": "Pub, bar or club",
    "home": "Home (the patient's or another)",
    "school_or_college": "School or college",
    "workplace": "Workplace",
    "public_transport": "Public transport or station",
    "shop": "Shop or takeaway",
    "park_or_open_space": "Park or open space",
    "other": "Other",
    "not_known": "Not known",
}


def _options(codes: dict[str, str]) -> dict[str, str]:
    """Accept the code with spaces or underscores, in any case."""
    return {code.replace("_", " "): code for code in codes}


ISTV_COLUMNS = (
    "reporting_period_start",
    "reporting_period_end",
    "site_code",
    "arrival_datetime",
    "assault_datetime",
    "assault_method",
    "assault_method_other",
    "assault_location_type",
    "assault_location_description",
    "lsoa_code",
    "postcode_district",
)
FREE_TEXT_COLUMNS = ("assault_method_other", "assault_location_description")

SITE_CODE = re.compile(r"^[A-Z0-9]{3,12}$")
POSTCODE_DISTRICT = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?$")
#: A full UK postcode: outward code, optional space, inward code (digit + 2
#: letters). Matches inside free text.
FULL_POSTCODE = re.compile(
    r"(?<![A-Z0-9])[A-Z]{1,2}\d[A-Z\d]?\s*\d[ABD-HJLNP-UW-Z]{2}(?![A-Z0-9])",
    re.IGNORECASE,
)
#: Ten digits, optionally grouped 3-3-4 by spaces or hyphens.
NHS_NUMBER_SHAPE = re.compile(r"(?<!\d)(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?!\d)")

NOTHING_IMPORTED = "Nothing from this file was imported."


def is_valid_nhs_number(digits: str) -> bool:
    """Modulus 11 check on a 10-digit NHS number.

    The check digit is 11 - (sum of the first nine digits weighted 10..2) mod 11;
    11 becomes 0 and 10 means the number is invalid.
    """
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def contains_nhs_number(value: str) -> bool:
    return any(
        is_valid_nhs_number("".join(m.groups()))
        for m in NHS_NUMBER_SHAPE.finditer(value)
    )


def identifier_heading(heading: str) -> str | None:
    """Say what kind of patient identifier a column heading looks like, if any."""
    key = re.sub(r"[^a-z0-9]", "", heading.casefold())
    if not key:
        return None
    if "nhs" in key:
        return "an NHS number"
    if key in {"dob", "birthdate", "dateofbirth"} or "birth" in key:
        return "a date of birth"
    if "postcode" in key or "postalcode" in key or key == "zip":
        return None if key == "postcodedistrict" else "a postcode"
    if "address" in key:
        return "an address"
    if key in {"mrn", "hospitalnumber", "patientid", "patientnumber", "casenotenumber"}:
        return "a hospital or patient number"
    non_person = ("site", "hospital", "trust", "department", "location", "place")
    if key.endswith("name") and not key.startswith(non_person):
        return "a name"
    if key in {"forename", "forenames", "surname", "initials"}:
        return "a name"
    return None


class IstvReader(TabularReader):
    """ISTV assault attendances from one emergency department, as CSV.

    Output: (reporting_period_start, reporting_period_end, site_code,
    arrival_datetime, assault_datetime, assault_method, assault_method_other,
    assault_location_type, assault_location_description, lsoa_code,
    postcode_district). ``facts`` holds ``site_codes`` and ``reporting_periods``.
    """

    kind = "istv"
    label = "the ISTV (Cardiff Model) template"
    file_types = ("csv",)
    output_columns = ISTV_COLUMNS
    columns = tuple(
        Column(name, required=name not in ("lsoa_code", "postcode_district"))
        for name in ISTV_COLUMNS
    )

    def _check_headings(self, headings: Sequence[str]) -> None:
        # Runs before the generic header check, so a file with an "NHS Number"
        # column gets the identifier message, not "unexpected column".
        for heading in headings:
            what = identifier_heading(heading)
            if what:
                raise PatientIdentifierFound(
                    f"The column ‘{heading.strip()}’ looks like {what}. "
                    "ISTV files must be anonymous: remove any column that "
                    "could identify a patient and upload the file again. "
                    + NOTHING_IMPORTED,
                    row=1,
                    column=heading.strip(),
                )

    def _rows(self, handle: IO[bytes], file_type: str) -> Iterator[tuple[Any, ...]]:
        self._sites: set[str] = set()
        self._periods: set[tuple[dt.date, dt.date]] = set()
        self.result.facts["site_codes"] = self._sites
        self.result.facts["reporting_periods"] = self._periods
        yield from super()._rows(handle, file_type)
        if len(self._periods) > 1:
            self.problems.add(
                None,
                "reporting_period_start",
                "Every row must have the same reporting period. Upload one file "
                "per reporting period.",
            )

    def _scan_for_identifiers(self, row_number: int, cells: Sequence[Any]) -> None:
        for name, index in self.pos.items():
            if index >= len(cells):
                continue
            value = str(cells[index])
            if contains_nhs_number(value):
                raise PatientIdentifierFound(
                    f"Row {row_number}, column ‘{name}’ contains what looks like an "
                    "NHS number. ISTV files must be anonymous: remove it and upload "
                    "the file again. " + NOTHING_IMPORTED,
                    row=row_number,
                    column=name,
                )
            if (
                name in FREE_TEXT_COLUMNS or name == "postcode_district"
            ) and FULL_POSTCODE.search(value):
                raise PatientIdentifierFound(
                    f"Row {row_number}, column ‘{name}’ contains what looks like a "
                    "full postcode. Give only the postcode district, for example "
                    "TS1, and describe places without a postcode. " + NOTHING_IMPORTED,
                    row=row_number,
                    column=name,
                )

    def convert(self, row_number: int, cells: Sequence[Any]) -> tuple[Any, ...] | None:
        self._scan_for_identifiers(row_number, cells)
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

        check("reporting_period_start", lambda x: v.date(x, "Reporting period start"))
        check("reporting_period_end", lambda x: v.date(x, "Reporting period end"))
        site = self.cell(cells, "site_code").upper()
        if not SITE_CODE.match(site):
            self.problems.add(
                row_number,
                "site_code",
                "Site code must be 3 to 12 letters or numbers, for example RTD01"
                if site
                else "Enter the site code",
            )
            ok = False
        out["site_code"] = site
        check(
            "arrival_datetime",
            lambda x: v.datetime(x, "Arrival date and time", required=False),
        )
        check("assault_datetime", lambda x: v.datetime(x, "Assault date and time"))
        check(
            "assault_method",
            lambda x: v.choice(
                x,
                "Assault method",
                _options(ASSAULT_METHODS),
                hint=", ".join(ASSAULT_METHODS),
            ),
        )
        check(
            "assault_location_type",
            lambda x: v.choice(
                x,
                "Assault location type",
                _options(LOCATION_TYPES),
                hint=", ".join(LOCATION_TYPES),
            ),
        )
        for name in FREE_TEXT_COLUMNS:
            out[name] = self.cell(cells, name) or None
        check("lsoa_code", lambda x: v.lsoa_code(x, required=False))
        district = self.cell(cells, "postcode_district").upper()
        if district and not POSTCODE_DISTRICT.match(district):
            self.problems.add(
                row_number,
                "postcode_district",
                "Postcode district must be the first part of a postcode only, "
                "for example TS1 or SW1A",
            )
            ok = False
        out["postcode_district"] = district or None
        if ok:
            start, end = out["reporting_period_start"], out["reporting_period_end"]
            arrival = out["arrival_datetime"]
            if end < start:
                self.problems.add(
                    row_number,
                    "reporting_period_end",
                    "Reporting period end must be the same as or after the start",
                )
                ok = False
            elif arrival is not None and not (
                start <= arrival.astimezone(v.UK_TIME).date() <= end
            ):
                self.problems.add(
                    row_number,
                    "arrival_datetime",
                    "Arrival date must be within the reporting period",
                )
                ok = False
        if not ok:
            return None
        self._sites.add(site)
        self._periods.add((out["reporting_period_start"], out["reporting_period_end"]))
        return tuple(out[name] for name in ISTV_COLUMNS)


__all__ = [
    "ASSAULT_METHODS",
    "LOCATION_TYPES",
    "FileProblem",
    "IstvReader",
    "PatientIdentifierFound",
    "contains_nhs_number",
    "identifier_heading",
    "is_valid_nhs_number",
]
