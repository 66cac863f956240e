"""Reading data.police.uk stop-and-search files (15 columns, ISO dates with an
offset). The demo takes the mix of people, times and outcomes of its synthetic SVRO
searches from a genuine file (../shared/data/real/greater-manchester-stop-search-sample,
Open Government Licence v3.0: "Contains public sector information licensed under the
Open Government Licence v3.0. Source: data.police.uk."); scrutiny panels can read a
force's published file the same way to compare SVRO searches with all searches."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .models.choices import EthnicGroup, Ethnicity, SearchOutcome, Sex

ATTRIBUTION = (
    "Contains public sector information licensed under the Open Government Licence "
    "v3.0. Source: data.police.uk."
)

HEADER = [
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
]

# data.police.uk's self-defined categories (2011 Census wording) to 2021 codes.
_SELF = {
    "White - English/Welsh/Scottish/Northern Irish/British": Ethnicity.WHITE_BRITISH,
    "White - Irish": Ethnicity.WHITE_IRISH,
    "White - Gypsy or Irish Traveller": Ethnicity.WHITE_GYPSY,
    "White - Any other White background": Ethnicity.WHITE_OTHER,
    "Asian/Asian British - Bangladeshi": Ethnicity.ASIAN_BANGLADESHI,
    "Asian/Asian British - Chinese": Ethnicity.ASIAN_CHINESE,
    "Asian/Asian British - Indian": Ethnicity.ASIAN_INDIAN,
    "Asian/Asian British - Pakistani": Ethnicity.ASIAN_PAKISTANI,
    "Asian/Asian British - Any other Asian background": Ethnicity.ASIAN_OTHER,
    "Black/African/Caribbean/Black British - African": Ethnicity.BLACK_AFRICAN,
    "Black/African/Caribbean/Black British - Caribbean": Ethnicity.BLACK_CARIBBEAN,
    "Black/African/Caribbean/Black British - Any other Black/African/Caribbean "
    "background": Ethnicity.BLACK_OTHER,
    "Mixed/Multiple ethnic groups - White and Asian": Ethnicity.MIXED_WHITE_ASIAN,
    "Mixed/Multiple ethnic groups - White and Black African": (
        Ethnicity.MIXED_WHITE_AFRICAN
    ),
    "Mixed/Multiple ethnic groups - White and Black Caribbean": (
        Ethnicity.MIXED_WHITE_CARIBBEAN
    ),
    "Mixed/Multiple ethnic groups - Any other Mixed/Multiple ethnic background": (
        Ethnicity.MIXED_OTHER
    ),
    "Other ethnic group - Arab": Ethnicity.OTHER_ARAB,
    "Other ethnic group - Any other ethnic group": Ethnicity.OTHER_ANY,
}
_OFFICER = {
    "White": EthnicGroup.WHITE,
    "Black": EthnicGroup.BLACK,
    "Asian": EthnicGroup.ASIAN,
    "Mixed": EthnicGroup.MIXED,
    "Other": EthnicGroup.OTHER,
}
_SEX = {"Male": Sex.MALE, "Female": Sex.FEMALE, "Other": Sex.OTHER}


@dataclass(frozen=True)
class StopSearch:
    at: dt.datetime
    latitude: float | None
    longitude: float | None
    sex: str
    age_range: str
    self_ethnicity: str
    officer_ethnicity: str
    object_of_search: str
    outcome: str
    outcome_linked: bool


def read_stop_search(path: Path) -> Iterator[StopSearch]:
    """Rows of a data.police.uk stop-and-search CSV. Raises ValueError naming the
    line when the header or a date is not what data.police.uk publishes."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header != HEADER:
            raise ValueError("This is not a data.police.uk stop-and-search file")
        for line, row in enumerate(reader, start=2):
            if len(row) != len(HEADER):
                raise ValueError(f"Line {line} has {len(row)} columns, not 15")
            values = dict(zip(HEADER, row, strict=True))
            try:
                at = dt.datetime.fromisoformat(values["Date"])
            except ValueError as exc:
                raise ValueError(f"Line {line}: the date is not ISO 8601") from exc
            lat, lon = values["Latitude"], values["Longitude"]
            outcome = values["Outcome"]
            yield StopSearch(
                at=at,
                latitude=float(lat) if lat else None,
                longitude=float(lon) if lon else None,
                sex=_SEX.get(values["Gender"], Sex.NOT_STATED),
                age_range=values["Age range"],
                self_ethnicity=_SELF.get(
                    values["Self-defined ethnicity"], Ethnicity.NOT_STATED
                ),
                officer_ethnicity=_OFFICER.get(
                    values["Officer-defined ethnicity"], EthnicGroup.NOT_STATED
                ),
                object_of_search=values["Object of search"],
                outcome=(
                    SearchOutcome.NFA
                    if outcome == "A no further action disposal"
                    else SearchOutcome.ARREST
                    if outcome == "Arrest"
                    else SearchOutcome.OTHER
                ),
                outcome_linked=values["Outcome linked to object of search"] == "True",
            )
