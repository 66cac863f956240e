"""The ``person_extract`` import: partner person records in the svduty CSV template.

Columns (any may be empty except the first two)::

    agency_code,local_id,forenames,surname,other_names,date_of_birth,sex,ethnicity,
    postcode,address,nhs_number,upn,pnc_id,reason

An identifier that fails its check digit is kept, with ``*_valid`` false: it is
evidence of a typo (the linkage compares it leniently), never a different
person's identifier. No database here, so the reader is tested without one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError

from svduty.cases.identifiers import validate_nhs_number, validate_pnc_id, validate_upn
from svduty.cases.models.choices import Ethnicity
from svduty.sharing.readers import values as v
from svduty.sharing.readers.base import Column, TabularReader

TEMPLATE_COLUMNS = (
    "agency_code",
    "local_id",
    "forenames",
    "surname",
    "other_names",
    "date_of_birth",
    "sex",
    "ethnicity",
    "postcode",
    "address",
    "nhs_number",
    "upn",
    "pnc_id",
    "reason",
)

OUTPUT_COLUMNS = (
    "agency_code",
    "local_id",
    "forenames",
    "surname",
    "other_names",
    "date_of_birth",
    "sex",
    "ethnicity",
    "postcode",
    "address",
    "nhs_number",
    "nhs_number_valid",
    "upn",
    "upn_valid",
    "pnc_id",
    "pnc_id_valid",
    "reason",
)

LIMITS = {
    "agency_code": 20,
    "local_id": 50,
    "forenames": 100,
    "surname": 100,
    "other_names": 200,
    "address": 300,
    "reason": 300,
}

#: Census 2021 names (and our stored keys) to the stored key.
ETHNICITIES: dict[str, str] = {}
for _value, _label in Ethnicity.choices:
    ETHNICITIES[" ".join(str(_label).casefold().split())] = str(_value)
    ETHNICITIES[_value.replace("_", " ")] = str(_value)

POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$")


def normalise_postcode(value: str) -> str | None:
    """``TS1 2AB`` from any spacing and case, or None if it is not a postcode."""
    compact = re.sub(r"\s+", "", value).upper()
    match = POSTCODE.match(f"{compact[:-3]} {compact[-3:]}")
    return f"{match.group(1)} {match.group(2)}" if match else None


def checked_identifier(validate: Any, raw: str) -> tuple[str, bool | None]:
    """The identifier in canonical form if valid, else as given (upper case)."""
    if not raw:
        return "", None
    try:
        return validate(raw), True
    except ValidationError:
        return re.sub(r"\s", "", raw).upper()[:20], False


class PersonExtractReader(TabularReader):
    kind = "person_extract"
    label = "the person extract template"
    file_types = ("csv",)
    output_columns = OUTPUT_COLUMNS
    columns = tuple(Column(name) for name in TEMPLATE_COLUMNS)

    def _start(self) -> None:
        self._seen: set[tuple[str, str]] = set()

    def convert(self, row_number: int, cells: Sequence[Any]) -> tuple[Any, ...] | None:
        ok = True

        def problem(column: str, message: str) -> None:
            nonlocal ok
            self.problems.add(row_number, column, message)
            ok = False

        out: dict[str, Any] = {}
        for name, limit in LIMITS.items():
            value = " ".join(v.text(self.cell(cells, name)).split())
            if len(value) > limit:
                problem(
                    name,
                    f"{name.replace('_', ' ').capitalize()} must be "
                    f"{limit} characters or fewer",
                )
            out[name] = value
        out["agency_code"] = out["agency_code"].upper()
        if not out["agency_code"]:
            problem("agency_code", "Enter the agency code")
        if not out["local_id"]:
            problem("local_id", "Enter the agency's own identifier for the person")
        key = (out["agency_code"], out["local_id"])
        if ok and key in self._seen:
            problem(
                "local_id",
                f"{out['agency_code']} {out['local_id']} appears more than once",
            )
        self._seen.add(key)
        try:
            out["date_of_birth"] = v.date(
                self.cell(cells, "date_of_birth"), "Date of birth", required=False
            )
        except v.BadValue as error:
            problem("date_of_birth", error.message)
        sex = v.text(self.cell(cells, "sex")).upper()
        if sex not in ("", "F", "M"):
            problem("sex", "Sex must be F, M or empty")
        out["sex"] = sex
        ethnicity = " ".join(v.text(self.cell(cells, "ethnicity")).casefold().split())
        out["ethnicity"] = ETHNICITIES.get(ethnicity, "")
        if ethnicity and not out["ethnicity"]:
            problem(
                "ethnicity",
                "Ethnicity must be one of the 2021 Census ethnic groups, like "
                "‘White: Irish’, or empty",
            )
        postcode = v.text(self.cell(cells, "postcode"))
        out["postcode"] = normalise_postcode(postcode) if postcode else ""
        if postcode and out["postcode"] is None:
            problem(
                "postcode", "Enter a real postcode, like TS1 2AB, or leave it empty"
            )
        for column, validate in (
            ("nhs_number", validate_nhs_number),
            ("upn", validate_upn),
            ("pnc_id", validate_pnc_id),
        ):
            value, valid = checked_identifier(
                validate, v.text(self.cell(cells, column))
            )
            out[column] = value
            out[f"{column}_valid"] = valid
        if not ok:
            return None
        self.result.facts.setdefault("agencies", set()).add(out["agency_code"])
        return tuple(out[name] for name in OUTPUT_COLUMNS)
