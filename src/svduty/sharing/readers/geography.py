"""Readers for open reference data: LSOA boundaries, lookup, population and IMD.

These files are published by ONS and MHCLG, so the readers accept them exactly as
downloaded (workbooks with notes sheets and title rows, CSVs with a byte-order
mark) and do not hard-code the edition year: the year or vintage is read from
the headings and returned in ``result.facts``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from typing import IO, Any

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from svduty.sharing.readers import values as v
from svduty.sharing.readers.base import (
    Column,
    FileProblem,
    Reader,
    TabularReader,
    normalise_heading,
)

# --------------------------------------------------------------------------
# LSOA boundaries (GeoJSON)
# --------------------------------------------------------------------------


def _property(properties: dict[str, Any], pattern: str) -> tuple[str, Any] | None:
    for key, value in properties.items():
        if re.fullmatch(pattern, key, flags=re.IGNORECASE):
            return key, value
    return None


class LsoaBoundariesReader(Reader):
    """GeoJSON FeatureCollection of LSOA polygons in WGS84 longitude/latitude.

    Output: (lsoa_code, lsoa_name, vintage, lad_code, geometry_wkb). ``vintage``
    is 2011 or 2021, taken from the ``LSOA11CD``/``LSOA21CD`` property; ``lad_code``
    is filled when a ``LADyyCD`` property is present. Geometry is WKB bytes
    (``shapely.from_wkb`` reads a whole batch at once); invalid rings, common in
    generalised boundaries, are repaired with ``make_valid`` and only the polygon
    parts are kept.

    GeoJSON cannot be parsed as a stream with the standard library, so the file is
    loaded whole: the number of LSOAs is bounded (about 35,700 in England and
    Wales) and the generalised (BGC) national file is tens of megabytes. Batches
    are still yielded so the caller's code is the same as for other kinds. Rows are
    features: problems give the feature number in the message and ``row`` None.
    """

    kind = "lsoa_boundaries"
    label = "LSOA boundaries"
    file_types = ("geojson",)
    output_columns = ("lsoa_code", "lsoa_name", "vintage", "lad_code", "geometry_wkb")

    def _rows(self, handle: IO[bytes], file_type: str) -> Iterator[tuple[Any, ...]]:
        try:
            document = json.loads(handle.read().decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise FileProblem("The GeoJSON file must be saved as UTF-8") from None
        except json.JSONDecodeError:
            raise FileProblem(
                "The selected file is not valid GeoJSON. Export the boundaries "
                "again as GeoJSON."
            ) from None
        if (
            not isinstance(document, dict)
            or document.get("type") != "FeatureCollection"
        ):
            raise FileProblem("The GeoJSON file must be a FeatureCollection")
        crs_name = str(
            ((document.get("crs") or {}).get("properties") or {}).get("name", "")
        )
        if crs_name and not re.search(r"(CRS84|4326)$", crs_name):
            raise FileProblem(
                "The boundaries must use longitude and latitude (WGS84, EPSG:4326). "
                f"This file uses {crs_name}."
            )
        features = document.get("features") or []
        vintages: set[int] = set()
        seen: set[str] = set()
        for number, feature in enumerate(features, start=1):
            self.result.rows_read += 1
            row = self._feature(number, feature, seen)
            if row is not None:
                vintages.add(row[2])
                yield row
        if len(vintages) > 1:
            self.problems.add(
                None,
                None,
                "The file mixes 2011 and 2021 LSOAs. Upload each set of boundaries "
                "separately.",
            )
        self.result.facts["vintages"] = vintages

    def _feature(
        self, number: int, feature: Any, seen: set[str]
    ) -> tuple[Any, ...] | None:
        where = f"Feature {number}"
        properties = (feature or {}).get("properties") or {}
        code_item = _property(properties, r"LSOA(11|21)CD")
        if code_item is None:
            self.problems.add(
                None,
                None,
                f"{where} has no LSOA11CD or LSOA21CD property. Each feature needs "
                "an LSOA code and name.",
            )
            return None
        code_key, raw_code = code_item
        vintage = 2000 + int(code_key[4:6])
        try:
            code = v.lsoa_code(raw_code)
        except v.BadValue as error:
            self.problems.add(None, code_key, f"{where}: {error.message}")
            return None
        if code in seen:
            self.problems.add(
                None, code_key, f"{where}: LSOA {code} appears more than once"
            )
            return None
        seen.add(code)
        name_item = _property(properties, rf"LSOA{code_key[4:6]}NM")
        name = v.text(name_item[1]) if name_item else ""
        if not name:
            self.problems.add(
                None,
                f"LSOA{code_key[4:6]}NM",
                f"{where} ({code}): enter the LSOA name",
            )
            return None
        lad_item = _property(properties, r"LAD\d\dCD")
        lad = None
        if lad_item is not None:
            try:
                lad = v.lad_code(lad_item[1], required=False)
            except v.BadValue as error:
                self.problems.add(None, lad_item[0], f"{where}: {error.message}")
                return None
        geometry = self._geometry(where, code, feature.get("geometry"))
        if geometry is None:
            return None
        return (code, name, vintage, lad, shapely.to_wkb(geometry))

    def _geometry(self, where: str, code: str, raw: Any) -> BaseGeometry | None:
        if not isinstance(raw, dict) or raw.get("type") not in (
            "Polygon",
            "MultiPolygon",
        ):
            self.problems.add(
                None, None, f"{where} ({code}): the shape must be a polygon"
            )
            return None
        try:
            geometry = shape(raw)
        except (ValueError, TypeError, AttributeError, IndexError):
            self.problems.add(
                None, None, f"{where} ({code}): the polygon could not be read"
            )
            return None
        if geometry.is_empty:
            self.problems.add(None, None, f"{where} ({code}): the polygon is empty")
            return None
        minx, miny, maxx, maxy = geometry.bounds
        if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
            self.problems.add(
                None,
                None,
                f"{where} ({code}): coordinates must be longitude between -180 and "
                "180 and latitude between -90 and 90 (WGS84). The file may be in "
                "British National Grid metres.",
            )
            return None
        if not geometry.is_valid:
            repaired = shapely.make_valid(geometry)
            parts = [
                g
                for g in shapely.get_parts(repaired)
                if g.geom_type in ("Polygon", "MultiPolygon")
            ]
            geometry = shapely.union_all(parts) if parts else repaired
        return geometry


# --------------------------------------------------------------------------
# LSOA 2011 -> 2021 -> LAD lookup (ONS CSV)
# --------------------------------------------------------------------------

CHANGE_INDICATORS = {"U", "S", "M", "X"}


class LsoaLookupReader(TabularReader):
    """ONS "LSOA (2011) to LSOA (2021) to Local Authority District" lookup CSV.

    Output: (lsoa11_code, lsoa11_name, lsoa21_code, lsoa21_name, change, lad_code,
    lad_name). ``change`` is ONS CHGIND: U unchanged, S split, M merged, X
    redesigned. The LAD year in the headings (LAD22CD, LAD23CD...) is returned as
    ``facts["lad_year"]``. ONS prefixes the first heading with ``F_`` in some
    editions and writes a byte-order mark; both are accepted.
    """

    kind = "lsoa_lookup"
    label = "the LSOA 2011 to 2021 lookup"
    file_types = ("csv",)
    output_columns = (
        "lsoa11_code",
        "lsoa11_name",
        "lsoa21_code",
        "lsoa21_name",
        "change",
        "lad_code",
        "lad_name",
    )
    columns = (
        Column("LSOA11CD", pattern=r"(f_)?lsoa11cd"),
        Column("LSOA11NM", pattern=r"lsoa11nm"),
        Column("LSOA21CD", pattern=r"lsoa21cd"),
        Column("LSOA21NM", pattern=r"lsoa21nm"),
        Column("CHGIND", pattern=r"chgind"),
        Column("LADCD", pattern=r"lad\d\dcd"),
        Column("LADNM", pattern=r"lad\d\dnm"),
        Column("LADNMW", required=False, pattern=r"lad\d\dnmw"),
        Column("ObjectId", required=False, pattern=r"objectid|fid|globalid"),
    )

    def _start(self) -> None:
        self.result.facts["lad_year"] = None

    def convert(self, row_number: int, cells: Sequence[Any]) -> tuple[Any, ...] | None:
        ok = True
        out: list[Any] = []
        for name, parser in (
            ("LSOA11CD", v.lsoa_code),
            ("LSOA21CD", v.lsoa_code),
            ("LADCD", v.lad_code),
        ):
            try:
                out.append(parser(self.cell(cells, name)))
            except v.BadValue as error:
                self.problems.add(row_number, name, error.message)
                ok = False
                out.append(None)
        change = v.text(self.cell(cells, "CHGIND")).upper()
        if change not in CHANGE_INDICATORS:
            self.problems.add(
                row_number,
                "CHGIND",
                "CHGIND must be U (unchanged), S (split), M (merged) or X (redesigned)",
            )
            ok = False
        if not ok:
            return None
        lsoa11, lsoa21, lad = out
        return (
            lsoa11,
            v.text(self.cell(cells, "LSOA11NM")),
            lsoa21,
            v.text(self.cell(cells, "LSOA21NM")),
            change,
            lad,
            v.text(self.cell(cells, "LADNM")),
        )


# --------------------------------------------------------------------------
# LSOA population (ONS SAPE workbook, or a simple CSV)
# --------------------------------------------------------------------------

AGE_SEX_COLUMN = re.compile(r"^(persons|males|females)_(\d{1,2})_(\d{1,2}|plus)$")
POPULATION_HEADING = re.compile(r"mid-(\d{4}) population")


class LsoaPopulationReader(TabularReader):
    """LSOA population: the ONS SAPE workbook as published, or a CSV.

    Workbook: the sheet whose header row has ``Code``, ``Name`` and
    ``Mid-YYYY population`` (SAPE21DT11 has it on row 5 of the fourth sheet); the
    year comes from that heading. Other columns (area, density) are ignored.

    CSV: ``lsoa_code,population`` and optionally ``lsoa_name``, ``year`` and
    age/sex columns named ``{persons|males|females}_{from}_{to|plus}``, for
    example ``females_16_24`` or ``persons_90_plus``.

    Output: (lsoa_code, lsoa_name, year, population, age_sex) where ``age_sex`` is
    a dict of the age/sex column name -> count, or None.
    """

    kind = "lsoa_population"
    label = "LSOA population"
    file_types = ("xlsx", "csv")
    output_columns = ("lsoa_code", "lsoa_name", "year", "population", "age_sex")
    columns = (
        Column("Code", pattern=r"code|lsoa[ _]?code|lsoa11cd|lsoa21cd"),
        Column("Name", required=False, pattern=r"name|lsoa[ _]?name"),
        Column("Population", pattern=r"mid-\d{4} population|population|all ages"),
        Column("Year", required=False, pattern=r"year"),
    )
    strict_csv_columns = False

    def _rows(self, handle: IO[bytes], file_type: str) -> Iterator[tuple[Any, ...]]:
        self.result.facts["population_year"] = None
        self._year_from_heading: int | None = None
        self._age_sex: list[tuple[str, int]] = []
        self._seen: set[str] = set()
        yield from super()._rows(handle, file_type)

    def _start(self) -> None:
        # Recover the heading texts to read the year and the age/sex columns.
        headings = self._headings
        population_heading = normalise_heading(headings[self.pos["Population"]])
        match = POPULATION_HEADING.fullmatch(population_heading)
        if match:
            self._year_from_heading = int(match.group(1))
            self.result.facts["population_year"] = self._year_from_heading
        known = set(self.pos.values())
        unexpected = []
        for index, heading in enumerate(headings):
            name = normalise_heading(heading)
            if index in known or not name:
                continue
            if AGE_SEX_COLUMN.match(name):
                self._age_sex.append((name, index))
            elif self._file_type == "csv":
                unexpected.append(str(heading).strip())
        if unexpected:
            raise FileProblem(
                f"The column headings are not the ones expected for {self.label}. "
                "Unexpected columns: " + ", ".join(unexpected) + ". Age and sex "
                "columns must be named like females_16_24 or persons_90_plus.",
                unexpected_columns=unexpected,
            )

    def convert(self, row_number: int, cells: Sequence[Any]) -> tuple[Any, ...] | None:
        try:
            code = v.lsoa_code(self.cell(cells, "Code"))
        except v.BadValue as error:
            self.problems.add(row_number, "Code", error.message)
            return None
        if code in self._seen:
            self.problems.add(row_number, "Code", f"LSOA {code} appears more than once")
            return None
        self._seen.add(code)
        try:
            population = v.whole_number(self.cell(cells, "Population"), "Population")
        except v.BadValue as error:
            self.problems.add(row_number, "Population", error.message)
            return None
        year = self._year_from_heading
        if "Year" in self.pos:
            try:
                year = v.whole_number(self.cell(cells, "Year"), "Year", 1900, 2100)
            except v.BadValue as error:
                self.problems.add(row_number, "Year", error.message)
                return None
        age_sex = None
        if self._age_sex:
            age_sex = {}
            for name, index in self._age_sex:
                try:
                    count = v.whole_number(
                        cells[index] if index < len(cells) else "", name
                    )
                except v.BadValue as error:
                    self.problems.add(row_number, name, error.message)
                    return None
                if count > population:
                    self.problems.add(
                        row_number,
                        name,
                        f"{name} cannot be more than the total population",
                    )
                    return None
                age_sex[name] = count
        return (
            code,
            v.text(self.cell(cells, "Name")) or None,
            year,
            population,
            age_sex,
        )


# --------------------------------------------------------------------------
# Index of Multiple Deprivation (MHCLG File 1)
# --------------------------------------------------------------------------


class ImdReader(TabularReader):
    """English Indices of Deprivation File 1 (IMD rank and decile per LSOA).

    Workbook as published (sheet ``IMD2019``; any sheet with the headings is
    found), or a CSV with the same headings. Output: (lsoa_code, lsoa_name,
    lad_code, rank, decile). The LSOA vintage is read from the heading
    ``LSOA code (2011)`` into ``facts["lsoa_vintage"]``.
    """

    kind = "imd"
    label = "the Index of Multiple Deprivation"
    file_types = ("xlsx", "csv")
    output_columns = ("lsoa_code", "lsoa_name", "lad_code", "rank", "decile")
    preferred_sheets = ("IMD2019", "IMD2025")
    columns = (
        Column("LSOA code", pattern=r"lsoa code( \(\d{4}\))?"),
        Column("LSOA name", pattern=r"lsoa name( \(\d{4}\))?"),
        Column(
            "Local Authority District code",
            pattern=r"local authority district code( \(\d{4}\))?",
        ),
        Column(
            "Local Authority District name",
            required=False,
            pattern=r"local authority district name( \(\d{4}\))?",
        ),
        Column(
            "Index of Multiple Deprivation (IMD) Rank",
            pattern=r"index of multiple deprivation \(imd\) rank.*",
        ),
        Column(
            "Index of Multiple Deprivation (IMD) Decile",
            pattern=r"index of multiple deprivation \(imd\) decile.*",
        ),
    )
    strict_csv_columns = False

    def _start(self) -> None:
        heading = normalise_heading(self._headings[self.pos["LSOA code"]])
        match = re.search(r"\((\d{4})\)", heading)
        self.result.facts["lsoa_vintage"] = int(match.group(1)) if match else None
        self._seen: set[str] = set()

    def convert(self, row_number: int, cells: Sequence[Any]) -> tuple[Any, ...] | None:
        rank_col = "Index of Multiple Deprivation (IMD) Rank"
        decile_col = "Index of Multiple Deprivation (IMD) Decile"
        try:
            code = v.lsoa_code(self.cell(cells, "LSOA code"))
        except v.BadValue as error:
            self.problems.add(row_number, "LSOA code", error.message)
            return None
        if code in self._seen:
            self.problems.add(
                row_number, "LSOA code", f"LSOA {code} appears more than once"
            )
            return None
        self._seen.add(code)
        try:
            lad = v.lad_code(self.cell(cells, "Local Authority District code"))
            rank = v.whole_number(self.cell(cells, rank_col), "IMD rank", 1, 100_000)
            decile = v.whole_number(self.cell(cells, decile_col), "IMD decile", 1, 10)
        except v.BadValue as error:
            self.problems.add(row_number, None, error.message)
            return None
        return (code, v.text(self.cell(cells, "LSOA name")), lad, rank, decile)
