"""The import kinds the platform accepts, with what the upload page must show.

``KINDS`` is the single list the upload form, the data sharing agreement checks
and the documentation are driven from, so a new kind is added in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from svduty.sharing.readers.base import Reader
from svduty.sharing.readers.geography import (
    ImdReader,
    LsoaBoundariesReader,
    LsoaLookupReader,
    LsoaPopulationReader,
)
from svduty.sharing.readers.health import IstvReader
from svduty.sharing.readers.police import (
    PoliceCrimeExtractReader,
    PoliceStopSearchReader,
    PoliceStreetReader,
)
from svduty.sharing.readers.s17 import S17FiguresReader


@dataclass(frozen=True)
class ImportKind:
    """One kind of file: its label, description and reader.

    ``needs_agreement`` is True when the file holds information about people
    that may only be shared under a data sharing agreement; open reference data
    and data.police.uk files are published under the Open Government Licence.
    """

    key: str
    label: str
    description: str
    file_types: tuple[str, ...]
    needs_agreement: bool
    reader_class: type[Reader]
    #: False for kinds imported only through their own page (s.17 figures are
    #: supplied from the request they answer), never from the general upload page.
    upload_page: bool = True

    @property
    def columns(self) -> tuple[str, ...]:
        """The normalised output columns, in the order of each row tuple."""
        return self.reader_class.output_columns

    def reader(self, **options: Any) -> Reader:
        return self.reader_class(**options)


_KINDS = [
    ImportKind(
        "lsoa_boundaries",
        "LSOA boundaries",
        "Lower layer Super Output Area polygons (2011 or 2021) as GeoJSON in "
        "longitude and latitude, from the ONS Open Geography Portal.",
        ("geojson",),
        False,
        LsoaBoundariesReader,
    ),
    ImportKind(
        "lsoa_lookup",
        "LSOA 2011 to 2021 lookup",
        "The ONS lookup from 2011 LSOAs to 2021 LSOAs and local authority "
        "districts, as downloaded (CSV).",
        ("csv",),
        False,
        LsoaLookupReader,
    ),
    ImportKind(
        "lsoa_population",
        "LSOA population",
        "ONS mid-year population estimates for LSOAs: the published workbook "
        "(for example SAPE21DT11) or a CSV of lsoa_code and population.",
        ("xlsx", "csv"),
        False,
        LsoaPopulationReader,
    ),
    ImportKind(
        "imd",
        "Index of Multiple Deprivation",
        "English Indices of Deprivation File 1: IMD rank and decile for each LSOA "
        "(the published workbook, or a CSV with the same headings).",
        ("xlsx", "csv"),
        False,
        ImdReader,
    ),
    ImportKind(
        "police_street",
        "Street-level crime (data.police.uk)",
        "A monthly street-level crime file from data.police.uk, exactly as "
        "downloaded. A newer file for the same force and month replaces the "
        "older one.",
        ("csv",),
        False,
        PoliceStreetReader,
    ),
    ImportKind(
        "police_stop_search",
        "Stop and search (data.police.uk)",
        "A monthly stop and search file from data.police.uk, exactly as downloaded.",
        ("csv",),
        False,
        PoliceStopSearchReader,
    ),
    ImportKind(
        "police_crime_extract",
        "Police recorded crime extract",
        "A force's own extract of recorded crime with offence codes, flags and "
        "victim and suspect characteristics, in the svduty CSV template. Needs a "
        "data sharing agreement.",
        ("csv",),
        True,
        PoliceCrimeExtractReader,
    ),
    ImportKind(
        "istv",
        "Emergency department assaults (ISTV)",
        "Anonymous assault attendances from an emergency department, using the "
        "ISTV (Cardiff Model) minimum dataset in the svduty CSV template. Files "
        "with patient identifiers are refused. Needs a data sharing agreement.",
        ("csv",),
        True,
        IstvReader,
    ),
    ImportKind(
        "s17_figures",
        "Figures supplied under section 17",
        "Figures an authority supplies to the local policing body that asked for "
        "them under section 17 of the PCSC Act 2022, in the svduty CSV template "
        "(measure, period, area, value, notes). Supplied from the request's page, "
        "under a section 17 data sharing agreement; only that local policing body "
        "can use them.",
        ("csv",),
        True,
        S17FiguresReader,
        upload_page=False,
    ),
]

_REGISTERED: dict[str, ImportKind] = {kind.key: kind for kind in _KINDS}
#: A read-only live view: kinds registered by apps above sharing appear in it.
KINDS: MappingProxyType[str, ImportKind] = MappingProxyType(_REGISTERED)


def add_kind(kind: ImportKind) -> None:
    """Add a kind (see ``svduty.sharing.imports.register_kind``, which apps use)."""
    existing = _REGISTERED.get(kind.key)
    if existing is not None and existing != kind:
        raise ValueError(f"import kind {kind.key!r} is already registered")
    _REGISTERED[kind.key] = kind


def kind_choices() -> list[tuple[str, str]]:
    """Choices for model fields, read when asked so registered kinds are in them."""
    return [(kind.key, kind.label) for kind in KINDS.values()]


def get_reader(kind: str, **options: Any) -> Reader:
    """A fresh reader for ``kind`` (KeyError lists the known kinds)."""
    try:
        return KINDS[kind].reader(**options)
    except KeyError:
        raise KeyError(
            f"unknown import kind {kind!r}; expected one of {', '.join(KINDS)}"
        ) from None
