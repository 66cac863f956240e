"""The strategic needs assessment (SNA), computed from an analytic snapshot with DuckDB.

`compute_sna(folder, options)` is free of Django: it reads the snapshot's Parquet files
and returns the SNA as a JSON-ready dict whose keys and formulas are those of issue 5
(see docs/sna.md, which also lists every extra section). `svduty.analysis.service`
wraps it with the partnership's local definition, harm weights and a cache.

Speed: the street-level records (the only table that grows to millions of rows) are
read once, joined to the LSOA code map and aggregated to (month, crime type, LSOA)
counts in a single DuckDB query; every street-level figure is then derived from that
small aggregate. The other tables are small (thousands of rows per partnership).

The dict carries raw counts: it is for use inside the partnership. Everything that
can leave the partnership (CSV/XLSX downloads, the HTML and PDF report, `svduty sna
--format html|pdf`, and `--format json --suppress`)
goes through `svduty.analysis.tables` with small-number suppression.
"""

from __future__ import annotations

import calendar
import csv
import dataclasses
import datetime as dt
import hashlib
import json
import math
import os
import threading
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Literal

import duckdb
import numpy as np
import shapely

from svduty.analysis.cache import BoundedLRU, memoized
from svduty.analysis.result import (
    Area,
    Concentration,
    DecileRow,
    DefinitionInfo,
    Disproportionality,
    EdVsPolice,
    Grid,
    Harm,
    KindCount,
    Method,
    PartnershipInfo,
    RateRow,
    RelativeRates,
    Seasonality,
    Share,
    SnapshotInfo,
    SnaResult,
    StopSearch,
    SuccessMeasure,
    Trend,
    TrendPoint,
    Who,
)
from svduty.analysis.stats import (
    ILLUSTRATIVE_POLICE_UK_HARM_WEIGHTS,
    GiWeights,
    HarmWeights,
    gi_star,
    gi_weights,
    gini,
    harm_total,
    neighbour_lists,
    rate_per_1000,
    relative_rate,
    top_share,
)
from svduty.partnership.codes import DefinitionSpec, KindSpec

DEFAULT_SV_TYPES: tuple[str, ...] = (
    "Violence and sexual offences",
    "Robbery",
    "Possession of weapons",
)
#: Home Office offence classes counted as serious violence in a crime extract when the
#: local definition has no Home Office offence rules: violence against the person
#: (classes 1 to 5 and 8), possession of weapons (10) and robbery (34), plus any
#: offence flagged as involving a knife, sharp object or firearm.
DEFAULT_EXTRACT_CLASSES: tuple[int, ...] = (1, 2, 3, 4, 5, 8, 10, 34)
UNDER_25_BANDS = ("0-9", "10-17", "18-24")
ETHNIC_GROUPS = ("White", "Mixed", "Asian", "Black", "Other")
REFERENCE_GROUP = "White"
PEOPLE: Final[tuple[Literal["victim"], Literal["suspect"]]] = ("victim", "suspect")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
CENSUS_ETHNICITY = Path(__file__).parent / "fixtures" / "la-ethnic-groups-2011.csv"

SOURCES = {
    "police_street": "Police recorded crime, street-level, data.police.uk (Open "
    "Government Licence v3.0)",
    "crime_extract": "Police recorded crime extract shared by the force under a data "
    "sharing agreement",
    "istv": "Emergency department assault data (ISTV minimum dataset) shared under a "
    "data sharing agreement",
    "stop_search": "Stop and search, data.police.uk (Open Government Licence v3.0)",
    "population": "ONS mid-year LSOA population estimates",
    "imd": "English Indices of Deprivation 2019 (MHCLG)",
    "census": "ONS 2011 Census table QS201EW, ethnic group by local authority",
    "boundaries": "ONS LSOA boundaries",
}


@dataclass(frozen=True)
class SnaOptions:
    """What to compute. Months are the first day of the month; both ends included."""

    period_from: dt.date
    period_to: dt.date
    partnership: PartnershipInfo = field(default_factory=lambda: PartnershipInfo())
    snapshot: SnapshotInfo = field(default_factory=lambda: SnapshotInfo())
    kind: str | None = None
    area: str | None = None
    sv_types: tuple[str, ...] = DEFAULT_SV_TYPES
    sv_types_source: str = "default"
    extract_ho_codes: tuple[str, ...] | None = None
    extract_weapon_flags: tuple[str, ...] | None = None
    harm_weights: HarmWeights = ILLUSTRATIVE_POLICE_UK_HARM_WEIGHTS
    #: The local definition version applied (None: the svduty default). Its kinds
    #: are the kind filter's choices and the headings; its excluded offence codes
    #: keep terrorism out of the extract counts.
    definition: DefinitionSpec | None = None

    def cache_key(self) -> str:
        local = [repr(self.definition)] if self.definition is not None else []
        return json.dumps(
            local
            + [
                self.snapshot.get("id"),
                self.snapshot.get("content_hash"),
                self.period_from.isoformat(),
                self.period_to.isoformat(),
                self.kind,
                self.area,
                list(self.sv_types),
                self.extract_ho_codes,
                self.extract_weapon_flags,
                self.harm_weights.name,
                self.harm_weights.version,
                dict(self.harm_weights.weights),
            ],
            sort_keys=True,
            default=str,
        )


class SnaError(ValueError):
    """A request the SNA cannot answer (bad period, unknown area or kind)."""


def parse_month(text: str) -> dt.date:
    try:
        year, month = (int(part) for part in text.strip().split("-"))
        return dt.date(year, month, 1)
    except (ValueError, AttributeError):
        raise SnaError(
            f"Enter the month as YYYY-MM, for example 2022-01 ({text!r})"
        ) from None


def month_label(month: dt.date) -> str:
    return month.strftime("%Y-%m")


def months_between(start: dt.date, end: dt.date) -> list[dt.date]:
    months = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(dt.date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def month_end(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def _shift_months(month: dt.date, delta: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + delta
    return dt.date(index // 12, index % 12 + 1, 1)


def lad_name_from_lsoa(name: str | None) -> str | None:
    """ONS LSOA names are '<local authority name> <3 digits><letter>'."""
    if not name:
        return None
    head, _, tail = name.rpartition(" ")
    return head if head and len(tail) == 4 and tail[:3].isdigit() else None


def ethnic_group(value: str | None) -> str | None:
    """Broad (2011 Census) ethnic group of a 16+1 code or a police.uk label, or None
    when not stated. Chinese (O1) is counted as Asian, as the 2011 Census does."""
    if not value:
        return None
    text = value.strip()
    code = text.upper()
    if len(code) == 2 and code[0] in "WMABO" and code[1].isdigit():
        if code == "O1":
            return "Asian"
        return {"W": "White", "M": "Mixed", "A": "Asian", "B": "Black", "O": "Other"}[
            code[0]
        ]
    if code == "NS":
        return None
    lowered = text.casefold()
    if "not stated" in lowered:
        return None
    for prefix, group in (
        ("white", "White"),
        ("mixed", "Mixed"),
        ("asian", "Asian"),
        ("black", "Black"),
        ("other", "Other"),
    ):
        if lowered.startswith(prefix):
            return group
    if "chinese" in lowered:
        return "Asian"
    return None


@memoized(1)
def census_ethnicity() -> dict[str, dict[str, int]]:
    """LA code -> broad ethnic group -> residents (2011 Census)."""
    columns = {
        "White": "Ethnic Group: White; measures: Value",
        "Mixed": "Ethnic Group: Mixed; measures: Value",
        "Asian": "Ethnic Group: Asian; measures: Value",
        "Black": "Ethnic Group: Black; measures: Value",
        "Other": "Ethnic Group: Other; measures: Value",
    }
    result = {}
    with CENSUS_ETHNICITY.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            result[row["geography code"]] = {
                group: int(row[column]) for group, column in columns.items()
            }
    return result


@memoized(8)
def _geometries(folder: str) -> dict[str, Any]:
    """LSOA code -> shapely geometry, parsed once per snapshot and process."""
    con = duckdb.connect()
    try:
        rows = con.execute(
            "SELECT lsoa_code, geometry FROM read_parquet(?)",
            [str(Path(folder) / "lsoa.parquet")],
        ).fetchall()
    finally:
        con.close()
    return {code: shapely.from_geojson(text) for code, text in rows}


@memoized(32)
def _neighbours(folder: str, codes: tuple[str, ...]) -> list[list[int]]:
    """Neighbour lists for these LSOAs (cached per snapshot and area selection, in
    the process and in the snapshot's `cache/` for the other processes)."""
    digest = hashlib.sha256("\n".join(codes).encode()).hexdigest()[:32]
    saved = Path(folder) / "cache" / f"neighbours-{digest}.json"
    try:
        loaded: list[list[int]] = json.loads(saved.read_text(encoding="utf-8"))
        return loaded
    except (OSError, ValueError):
        pass
    lists = [[int(i) for i in near] for near in _neighbour_lists(folder, codes)]
    try:
        saved.parent.mkdir(exist_ok=True)
        partial = saved.with_name(f"{saved.name}.{os.getpid()}.{threading.get_ident()}")
        partial.write_text(json.dumps(lists), encoding="utf-8")
        os.replace(partial, saved)
    except OSError:
        pass
    return lists


@memoized(32)
def _gi_weights(folder: str, codes: tuple[str, ...]) -> GiWeights | None:
    """The Gi* weights of these LSOAs' neighbour lists (None without them), made
    once per snapshot, area selection and process rather than for every filter."""
    neighbours = _neighbours(folder, codes)
    return gi_weights(neighbours) if neighbours else None


def _neighbour_lists(folder: str, codes: tuple[str, ...]) -> list[list[int]]:
    every = _geometries(folder)
    geometries = {code: every.get(code) for code in codes}
    missing = [code for code in codes if geometries[code] is None]
    if missing:
        # Without a boundary an area cannot have neighbours; Gi* is then not computed.
        return []
    return neighbour_lists(list(codes), geometries)


def _round(value: float | None, places: int = 4) -> float | None:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return None
    return round(float(value), places)


#: Per process: one in-memory DuckDB database per snapshot folder, newest last.
#: Rows of the queries that depend only on the snapshot (`_Snapshot.fixed`).
_Memo = dict[str, list[tuple[Any, ...]]]
_DATABASES: BoundedLRU[tuple[duckdb.DuckDBPyConnection, _Memo, _StreetCounts]] = (
    BoundedLRU(4)
)
#: Held while a database is made, so that two requests do not both make it.
_DATABASES_LOCK = threading.Lock()


def _database(
    folder: Path,
) -> tuple[duckdb.DuckDBPyConnection, _Memo, _StreetCounts]:
    """A new cursor on the snapshot's DuckDB database, opened once per process.

    It has one view per snapshot table and `street_agg`: the street-level records
    counted by (month, crime type, LSOA code), about 120,000 rows however many
    records there are (24 months x 14 types x the LSOAs). Every SNA of the snapshot
    reads that instead of the records, so a new filter costs a few small queries
    rather than a scan of millions of rows. A snapshot's files never change; the key
    includes the manifest's inode and time so a folder rewritten in place (tests)
    is read afresh.
    """
    manifest = folder / "manifest.json"
    try:
        stat = manifest.stat()
    except FileNotFoundError:
        raise SnaError(f"No complete analytic snapshot at {folder}") from None
    key = (str(folder), stat.st_ino, stat.st_mtime_ns)
    with _DATABASES_LOCK:
        held = _DATABASES.get(key)
        if held is not None:
            # A cursor per request: its own connection to the shared database
            # (DuckDB connections are not for sharing between threads).
            return held[0].cursor(), held[1], held[2]
        from svduty.analysis.snapshot import TABLES

        con = duckdb.connect(config={"threads": 2})
        for name in TABLES:
            # DuckDB takes no parameters in CREATE VIEW: the relation API writes
            # the path into the view as a quoted string of its own.
            con.read_parquet(str(folder / f"{name}.parquet")).create_view(name)
        _load_street_agg(con, folder)
        street = _place_street_agg(con)
        memo: _Memo = {}
        # An evicted database is not closed: a request may still hold a cursor; it
        # goes with the last.
        _DATABASES.put(key, (con, memo, street))
        return con.cursor(), memo, street


def _load_street_agg(con: duckdb.DuckDBPyConnection, folder: Path) -> None:
    """Create `street_agg`, from the snapshot's `cache/street_agg.parquet` when an
    earlier process wrote it (a 1 MB file read in milliseconds, against 0.1 s per
    million records to count them), else counting the records and writing it."""
    saved = folder / "cache" / "street_agg.parquet"
    if saved.exists():
        try:
            con.execute(
                "CREATE TABLE street_agg AS SELECT * FROM read_parquet(?)", [str(saved)]
            )
            return
        except duckdb.Error:
            pass  # half-written by a crashed process: count again
    con.execute(
        "CREATE OR REPLACE TABLE street_agg AS SELECT month, crime_type, lsoa_code, "
        "count(*)::BIGINT AS n FROM police_street GROUP BY ALL ORDER BY ALL"
    )
    try:
        saved.parent.mkdir(exist_ok=True)
        partial = saved.with_name(f"street_agg.{os.getpid()}.{threading.get_ident()}")
        con.execute("COPY street_agg TO ? (FORMAT parquet)", [str(partial)])
        os.replace(partial, saved)
    except (OSError, duckdb.Error):
        pass  # a read-only snapshot folder: every process counts for itself


def _vintage(lsoa_vintages: Sequence[int | None]) -> int:
    """The boundaries' vintage (2011 or 2021): the commonest among the LSOAs."""
    vintages = Counter(lsoa_vintages)
    return int(vintages.most_common(1)[0][0] or 2011) if vintages else 2011


@dataclass(frozen=True)
class _StreetCounts:
    """The street-level counts by (month, crime type, partnership LSOA), as arrays
    of indexes into `months`, `types` and `lsoas` (`lsoa` 0: not one of the
    partnership's LSOAs; `nowhere`: the record has no location) and counts `n`."""

    months: list[dt.date]
    types: list[str]
    lsoas: list[str | None]
    month: np.ndarray
    crime_type: np.ndarray
    lsoa: np.ndarray
    nowhere: np.ndarray
    n: np.ndarray

    def sums(
        self, start: dt.date, end: dt.date, selected: set[str]
    ) -> tuple[list[int], dict[tuple[dt.date, str], int], dict[tuple[str, str], int]]:
        """The counts in the months from `start` to `end`: by place (0 in the
        `selected` LSOAs, 1 outside them, 2 no location), and in the selected LSOAs
        by (month, crime type) and by (crime type, LSOA); only counts above 0."""
        in_period = np.array([start <= m <= end for m in self.months], dtype=bool)
        chosen = np.array([code in selected for code in self.lsoas], dtype=bool)
        rows = in_period[self.month] if len(self.month) else self.month.astype(bool)
        month, crime, lsoa, n = (
            self.month[rows],
            self.crime_type[rows],
            self.lsoa[rows],
            self.n[rows].astype(np.float64),
        )
        place = np.where(self.nowhere[rows], 2, np.where(chosen[lsoa], 0, 1))
        by_place = np.rint(np.bincount(place, weights=n, minlength=3)).astype(np.int64)
        inside = place == 0
        n_types, n_lsoas = len(self.types), len(self.lsoas)

        def cells(index: np.ndarray, size: int) -> list[tuple[int, int]]:
            counts = np.rint(
                np.bincount(index[inside], weights=n[inside], minlength=size)
            ).astype(np.int64)
            found = np.flatnonzero(counts)
            return list(zip(found.tolist(), counts[found].tolist(), strict=True))

        by_month = {
            (self.months[cell // n_types], self.types[cell % n_types]): count
            for cell, count in cells(
                month.astype(np.int64) * n_types + crime, len(self.months) * n_types
            )
        }
        by_area = {
            (self.types[cell // n_lsoas], str(self.lsoas[cell % n_lsoas])): count
            for cell, count in cells(
                crime.astype(np.int64) * n_lsoas + lsoa, n_types * n_lsoas
            )
        }
        return by_place.tolist(), by_month, by_area


def _place_street_agg(con: duckdb.DuckDBPyConnection) -> _StreetCounts:
    """What depends only on the snapshot, made once per process:

    - `code_map` (a table): every LSOA code a record may carry (`src`) to the
      partnership's LSOA of the boundaries' vintage (`lsoa`): its own codes, and the
      other vintage's codes through the lookup;
    - the street-level counts with each record's code mapped, summed by (month,
      crime type, LSOA, no location) as arrays (`_StreetCounts`).

    A new filter then sums those arrays by month range and selected LSOAs (a few
    milliseconds) instead of joining `street_agg` to a lookup made again for every
    request and grouping it in DuckDB."""
    vintage = _vintage(
        [row[0] for row in con.execute("SELECT vintage FROM lsoa").fetchall()]
    )
    con.execute(
        """
        CREATE TABLE code_map AS
        WITH own AS (SELECT lsoa_code FROM lsoa),
        pairs AS (
            SELECT CASE WHEN ? THEN lsoa11_code ELSE lsoa21_code END AS own_code,
                   CASE WHEN ? THEN lsoa21_code ELSE lsoa11_code END AS other_code
            FROM lookup
        )
        SELECT lsoa_code AS src, lsoa_code AS lsoa FROM own
        UNION ALL
        SELECT other_code AS src, min(own_code) AS lsoa FROM pairs
        WHERE own_code IN (SELECT lsoa_code FROM own)
          AND other_code NOT IN (SELECT lsoa_code FROM own)
          AND other_code IS NOT NULL
        GROUP BY other_code
        """,
        [vintage == 2011, vintage == 2011],
    )
    rows = con.execute(
        """
        SELECT s.month, s.crime_type, m.lsoa, s.lsoa_code IS NULL AS nowhere,
               sum(s.n)::BIGINT AS n
        FROM street_agg s LEFT JOIN code_map m ON s.lsoa_code = m.src
        GROUP BY ALL ORDER BY ALL
        """
    ).fetchall()
    months = sorted({row[0] for row in rows})
    # A missing crime type is kept as its own type, as the records' GROUP BY did.
    types = sorted({row[1] for row in rows}, key=lambda t: (t is None, t or ""))
    lsoas: list[str | None] = [None, *sorted({row[2] for row in rows if row[2]})]
    month_at = {m: i for i, m in enumerate(months)}
    type_at = {t: i for i, t in enumerate(types)}
    lsoa_at = {code: i for i, code in enumerate(lsoas)}
    return _StreetCounts(
        months=months,
        types=types,
        lsoas=lsoas,
        month=np.array([month_at[row[0]] for row in rows], dtype=np.int64),
        crime_type=np.array([type_at[row[1]] for row in rows], dtype=np.int64),
        lsoa=np.array([lsoa_at[row[2]] for row in rows], dtype=np.int64),
        nowhere=np.array([row[3] for row in rows], dtype=bool),
        n=np.array([row[4] for row in rows], dtype=np.int64),
    )


class _Snapshot:
    """A DuckDB cursor on the snapshot's database (its own temporary tables)."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.con, self._memo, self.street = _database(self.folder)

    def rows(
        self, sql: str, params: Sequence[object] | None = None
    ) -> list[tuple[Any, ...]]:
        rows: list[tuple[Any, ...]] = self.con.execute(sql, params or []).fetchall()
        return rows

    def fixed(self, sql: str) -> list[tuple[Any, ...]]:
        """rows(sql) for a query that depends only on the snapshot (the LSOAs,
        lookup, population, whether a source is loaded): run once per process.
        The rows are shared: do not change them."""
        if sql not in self._memo:
            self._memo[sql] = self.rows(sql)
        return self._memo[sql]

    def close(self) -> None:
        self.con.close()


def compute_sna(folder: Path | str, options: SnaOptions) -> SnaResult:
    """The SNA for one period and filters, as a JSON-ready dict (raw counts)."""
    if options.period_to < options.period_from:
        raise SnaError("The end of the period must be the same as or after the start")
    snap = _Snapshot(Path(folder))
    try:
        return _compute(snap, options)
    finally:
        snap.close()


def _compute(snap: _Snapshot, o: SnaOptions) -> SnaResult:
    start, end = o.period_from, o.period_to
    months = months_between(start, end)

    # --- Geography: the partnership's LSOAs, their local authority and the code map.
    lsoa_rows = snap.fixed(
        "SELECT lsoa_code, name, vintage, lad_code FROM lsoa ORDER BY lsoa_code"
    )
    if not lsoa_rows:
        raise SnaError("The snapshot has no LSOA boundaries: import them first")
    vintage = _vintage([row[2] for row in lsoa_rows])
    lookup_lad = dict(
        snap.fixed(
            "SELECT lsoa11_code, min(lad_code) FROM lookup GROUP BY lsoa11_code"
            if vintage == 2011
            else "SELECT lsoa21_code, min(lad_code) FROM lookup GROUP BY lsoa21_code"
        )
    )
    names = {row[0]: row[1] for row in lsoa_rows}
    lad_of = {row[0]: row[3] or lookup_lad.get(row[0]) for row in lsoa_rows}
    lad_names: dict[str, str] = {}
    for code, lad in lad_of.items():
        if lad and lad not in lad_names:
            lad_names[lad] = lad_name_from_lsoa(names[code]) or lad
    if o.area and o.area not in lad_names:
        raise SnaError("Select an area from the list")
    selected = [code for code in names if not o.area or lad_of[code] == o.area]
    kind_rules = _kind_rules(o)
    if kind_rules is not None:
        # A kind of the local definition: its own rules select every source.
        sv_types = kind_rules.police_uk
        o = dataclasses.replace(
            o,
            extract_ho_codes=kind_rules.ho_codes,
            extract_weapon_flags=kind_rules.weapon_flags,
        )
    elif o.kind and o.kind not in o.sv_types:
        raise SnaError("Select a kind of serious violence from the list")
    else:
        sv_types = (o.kind,) if o.kind else tuple(o.sv_types)

    # The selected LSOAs, for the sources' queries (`code_map`: see
    # _place_street_agg).
    snap.con.execute(
        "CREATE TEMP TABLE sel AS SELECT unnest(?::VARCHAR[]) AS lsoa", [selected]
    )
    _extract_rows(snap, o)

    # --- The street-level counts (`_StreetCounts`, kept per process) summed by place
    # (in the selected area, outside it, no location) and, in the area, by (month,
    # crime type) and by (crime type, LSOA).
    selected_set = set(selected)
    by_place, by_month_type, by_type_area = snap.street.sums(
        start, month_end(end), selected_set
    )
    by_category: Counter[str] = Counter()
    monthly: Counter[tuple[dt.date, str]] = Counter()
    sv_by_area: Counter[str] = Counter()
    sv_by_month: Counter[dt.date] = Counter()
    sv_by_kind: Counter[str] = Counter()
    category_by_area: dict[str, Counter[str]] = defaultdict(Counter)
    for (month, crime_type), n in by_month_type.items():
        by_category[crime_type] += n
        monthly[(month, crime_type)] += n
        if crime_type in sv_types:
            sv_by_month[month] += n
            sv_by_kind[crime_type] += n
    for (crime_type, lsoa), n in by_type_area.items():
        category_by_area[lsoa][crime_type] += n
        if crime_type in sv_types:
            sv_by_area[lsoa] += n

    # --- Areas: counts, population, rates, deprivation and Gi*.
    population: dict[str, int] = {}
    population_years: dict[str, int] = {}
    for code, year, pop in snap.fixed(
        "SELECT lsoa_code, year, population FROM population ORDER BY lsoa_code, year"
    ):
        chosen = population_years.get(code)
        # The latest estimate on or before the period's end year, else the earliest
        # later one.
        if (
            chosen is None
            or (year <= end.year and (chosen > end.year or year > chosen))
            or (year > end.year and chosen > end.year and year < chosen)
        ):
            population_years[code] = year
            population[code] = pop
    decile = dict(
        snap.fixed("SELECT lsoa_code, min(decile) FROM deprivation GROUP BY 1")
    )
    counts = [sv_by_area.get(code, 0) for code in selected]
    weights = _gi_weights(str(snap.folder), tuple(selected)) if selected else None
    gi = gi_star(counts, weights) if weights else None
    areas: list[Area] = []
    for index, code in enumerate(selected):
        pop = population.get(code)
        areas.append(
            {
                "lsoa": code,
                "name": names[code],
                "local_authority": lad_of[code],
                "count": counts[index],
                "population": int(pop) if pop is not None else None,
                "rate_per_1000": _round(rate_per_1000(counts[index], pop))
                if pop is not None
                else None,
                "imd_decile": int(decile[code]) if decile.get(code) else None,
                "gi_z": _round(float(gi.z[index])) if gi else None,
                "gi_p_fdr": _round(float(gi.p_fdr[index]), 6) if gi else None,
                "hotspot": gi.hotspot[index] if gi else None,
            }
        )

    concentration: Concentration = {
        "top_5pct_areas_share": _round(top_share(counts, 5)) if counts else 0.0,
        "top_10pct_areas_share": _round(top_share(counts, 10)) if counts else 0.0,
        "gini": _round(gini(counts)) if counts else 0.0,
        "areas": len(counts),
        "top_5pct_areas": math.ceil(round(0.05 * len(counts), 9)),
        "top_10pct_areas": math.ceil(round(0.10 * len(counts), 9)),
    }

    deprivation: list[DecileRow] = []
    by_decile: dict[int | None, list[int]] = defaultdict(lambda: [0, 0, 0])
    for area in areas:
        bucket = by_decile[area["imd_decile"]]
        bucket[0] += area["count"]
        bucket[1] += area["population"] or 0
        bucket[2] += 1
    for key in [*range(1, 11), None]:
        if key is None and key not in by_decile:
            continue
        count, pop, n_areas = by_decile.get(key, [0, 0, 0])
        deprivation.append(
            {
                "imd_decile": key,
                "areas": n_areas,
                "count": count,
                "population": pop,
                "rate_per_1000": _round(rate_per_1000(count, pop)) if pop else None,
            }
        )

    sv_total = sum(counts)
    total_population = sum(a["population"] or 0 for a in areas)
    lads = sorted({lad for lad in (lad_of[code] for code in selected) if lad})
    extract_time, who, people = _extract(snap, o, start, end, lads)
    istv, istv_time = _istv(
        snap,
        start,
        end,
        months,
        o.area is not None,
        sv_types,
        sv_by_month,
        _ed_methods(o, kind_rules),
    )
    stop_search, stop_search_rates = _stop_search(snap, start, end, lads)
    disproportionality: Disproportionality
    if people is None:
        disproportionality = {"available": False, "stop_search": stop_search_rates}
    else:
        disproportionality = {
            "victim": people[0],
            "suspect": people[1],
            "missing_local_authorities": people[2],
            "available": True,
            "stop_search": stop_search_rates,
        }
    result: SnaResult = {
        "partnership": o.partnership,
        "period": {"from": month_label(start), "to": month_label(end)},
        "snapshot": o.snapshot,
        "filters": {
            "kind": o.kind,
            "area": o.area,
            "area_name": lad_names.get(o.area) if o.area else None,
        },
        "choices": {
            "kinds": [k.key for k in o.definition.kinds]
            if o.definition is not None
            else list(o.sv_types),
            "areas": [
                {"code": code, "name": name}
                for code, name in sorted(lad_names.items(), key=lambda i: i[1])
            ],
        },
        "method": _method(o, vintage, sv_types),
        "records": {
            "in_area": by_place[0],
            "outside_area": by_place[1],
            "no_location": by_place[2],
        },
        "by_source_category": dict(sorted(by_category.items())),
        "monthly": [
            {"month": month_label(month), "source_category": category, "count": n}
            for (month, category), n in sorted(monthly.items())
        ],
        "serious_violence": {
            "types": list(sv_types),
            "definition_source": o.sv_types_source,
            "count": sv_total,
            "population": total_population,
            "rate_per_1000": _round(rate_per_1000(sv_total, total_population))
            if total_population
            else None,
            "by_kind": _by_kind(o, kind_rules, sv_types, sv_by_kind, sv_total),
        },
        "areas": areas,
        "concentration": concentration,
        "deprivation": deprivation,
        "trend": _trend(months, sv_by_month),
        "harm": _harm(o.harm_weights, by_category, sv_types, category_by_area, names),
        "time_of_day": {
            "crime_extract": extract_time,
            "available": who["available"],
            "istv": istv_time,
        },
        "who": who,
        "disproportionality": disproportionality,
        "success_measures": _success_measures(snap, o, start, end, istv),
        "ed_vs_police": istv,
        "stop_search": stop_search,
        "population_years": sorted(
            {
                year
                for code, year in population_years.items()
                if code in selected_set and year
            }
        ),
    }
    if o.definition is not None:
        result["definition"] = _definition_info(o.definition)
    return result


def _kind_rules(o: SnaOptions) -> KindSpec | None:
    """The local definition's kind the SNA is filtered to, or None (no filter, or
    the default definition, whose kinds are police.uk crime types)."""
    if not o.kind or o.definition is None:
        return None
    rules = o.definition.kind(o.kind)
    if rules is None:
        raise SnaError("Select a kind of serious violence from the list")
    return rules


def _ed_methods(o: SnaOptions, kind_rules: KindSpec | None) -> tuple[str, ...] | None:
    """The ISTV assault methods counted: the kind's rules when filtered to one; the
    union of the definition's rules, or every method when it has none."""
    if kind_rules is not None:
        return kind_rules.ed_methods
    if o.definition is None:
        return None
    return o.definition.rule_union("ed_methods") or None


def _by_kind(
    o: SnaOptions,
    kind_rules: KindSpec | None,
    sv_types: tuple[str, ...],
    sv_by_kind: Counter[str],
    sv_total: int,
) -> list[KindCount]:
    """Serious violence by kind: the local definition's kinds (each the sum of the
    police.uk types its rules map; a type mapped to two kinds counts in both), or
    by police.uk type under the default definition."""
    headings: list[tuple[str, tuple[str, ...]]]
    if o.definition is None:
        headings = [(kind, (kind,)) for kind in sv_types]
    else:
        kinds = (kind_rules,) if kind_rules is not None else o.definition.kinds
        headings = [(k.label, k.police_uk) for k in kinds]
    rows: list[KindCount] = []
    for label, types in headings:
        count = sum(sv_by_kind.get(t, 0) for t in types)
        rows.append(
            {
                "kind": label,
                "count": count,
                "share": _round(count / sv_total) if sv_total else None,
            }
        )
    return rows


def _definition_info(spec: DefinitionSpec) -> DefinitionInfo:
    """Which local definition the figures follow, for every result and export (the
    default definition adds no key, so its output is unchanged)."""
    return {
        "number": spec.number,
        "agreed_on": spec.agreed_on.isoformat() if spec.agreed_on else None,
        "label": spec.label,
        "kinds": [
            {
                "key": k.key,
                "label": k.label,
                "police_uk": list(k.police_uk),
                "ho_codes": list(k.ho_codes),
                "weapon_flags": list(k.weapon_flags),
                "ed_methods": list(k.ed_methods),
            }
            for k in spec.kinds
        ],
        "excluded_offence_codes": list(spec.excluded_codes),
        "exclusions_source": spec.exclusions_source,
    }


def _trend(months: list[dt.date], sv_by_month: Counter[dt.date]) -> Trend:
    counts = [sv_by_month.get(month, 0) for month in months]
    daily = [
        _round(count / calendar.monthrange(month.year, month.month)[1])
        for month, count in zip(months, counts, strict=True)
    ]
    per_day = np.array(daily, dtype=float)
    series: list[TrendPoint] = [
        {
            "month": month_label(month),
            "count": count,
            "per_day": daily[index],
            "rolling_3_month_per_day": _round(
                float(per_day[max(0, index - 2) : index + 1].mean())
            )
            if index >= 2
            else None,
        }
        for index, (month, count) in enumerate(zip(months, counts, strict=True))
    ]
    slope = None
    change = None
    if len(series) >= 3 and per_day.mean() > 0:
        x = np.arange(len(series), dtype=float)
        slope = float(np.polyfit(x, per_day, 1)[0])
        change = slope / per_day.mean()
    seasonality: Seasonality = {"available": len(series) >= 24}
    if len(series) >= 24:
        # Ratio to the centred 12-month moving average (2x12 MA), averaged by
        # calendar month and scaled to average 1.
        ratios: dict[int, list[float]] = defaultdict(list)
        for index in range(6, len(per_day) - 6):
            window = per_day[index - 6 : index + 7]
            centred = (window[0] / 2 + window[1:-1].sum() + window[-1] / 2) / 12
            if centred > 0:
                ratios[months[index].month].append(float(per_day[index] / centred))
        means = {m: float(np.mean(r)) for m, r in ratios.items()}
        scale = float(np.mean(list(means.values()))) if means else 1.0
        seasonality["index"] = [
            {
                "calendar_month": calendar.month_name[m],
                "index": _round(means[m] / scale),
            }
            for m in sorted(means)
        ]
    else:
        seasonality["reason"] = (
            f"The period has {len(series)} months. Seasonality needs at least 24 "
            "months (two of each calendar month) to be told apart from the trend, "
            "so the monthly figures are shown as they are."
        )
    return {
        "series": series,
        "slope_per_day_per_month": _round(slope),
        "relative_change_per_month": _round(change),
        "seasonality": seasonality,
    }


def _harm(
    weights: HarmWeights,
    by_category: Counter[str],
    sv_types: tuple[str, ...],
    category_by_area: dict[str, Counter[str]],
    names: dict[str, str],
) -> Harm:
    total = harm_total(by_category, weights, unknown="skip")
    sv = harm_total(
        {k: v for k, v in by_category.items() if k in sv_types}, weights, unknown="skip"
    )
    per_area: list[tuple[float, str]] = []
    for code, categories in category_by_area.items():
        area_total = harm_total(categories, weights, unknown="skip").total
        per_area.append((area_total, code))
    per_area.sort(key=lambda item: (-item[0], item[1]))
    return {
        "weights": {
            "name": weights.name,
            "version": weights.version,
            "source": weights.source,
            "illustrative": weights.illustrative,
            "weights": dict(weights.weights),
        },
        "total": total.total,
        "serious_violence_total": sv.total,
        "by_category": [
            {
                "category": category,
                "count": by_category[category],
                "weight": weights.weights.get(category),
                "harm": total.by_category.get(category),
            }
            for category in sorted(
                by_category, key=lambda c: -total.by_category.get(c, 0)
            )
        ],
        "unweighted_categories": list(total.unweighted_categories),
        "top_areas": [
            {"lsoa": code, "name": names[code], "harm": harm}
            for harm, code in per_area[:10]
        ],
    }


def _extract_rows(snap: _Snapshot, o: SnaOptions) -> None:
    """`extract_rows`: the crime extract's records in the selected LSOAs, each marked
    whether it is serious violence (the partnership's Home Office offence code
    prefixes, else the default classes; or a weapon flag) and a homicide (class 1,
    or class 4 subclass 1, 2 or 10). Serious violence leaves out the local
    definition's excluded offence codes (terrorism, s.13(3)) and their subdivisions.
    The choices are parameters of one literal query."""
    codes = [c.strip().upper() for c in o.extract_ho_codes or () if c.strip()]
    excluded = o.definition.excluded_codes if o.definition is not None else ()
    flags = (
        o.extract_weapon_flags
        if o.extract_weapon_flags is not None
        else ("knife_or_sharp", "firearm")
    )
    snap.con.execute(
        """
        CREATE TEMP TABLE extract_rows AS
        SELECT e.*,
            (CASE WHEN ? THEN len(list_filter(?::VARCHAR[],
                    lambda c: upper(e.ho_offence_code) LIKE c || '%')) > 0
                  ELSE list_contains(?::INTEGER[], TRY_CAST(
                    regexp_extract(e.ho_offence_code, '^0*(\\d+)', 1) AS INTEGER))
             END
             OR (? AND coalesce(e.knife_or_sharp_object, FALSE))
             OR (? AND coalesce(e.firearm, FALSE)))
            AND NOT len(list_filter(?::VARCHAR[],
                    lambda c: upper(coalesce(e.ho_offence_code, '')) = c
                        OR upper(coalesce(e.ho_offence_code, '')) LIKE c || '/%'
                        OR upper(coalesce(e.ho_offence_code, '')) LIKE c || '.%')) > 0
            AS serious_violence,
            (TRY_CAST(regexp_extract(e.ho_offence_code, '^0*(\\d+)', 1) AS INTEGER) = 1
             OR (TRY_CAST(regexp_extract(e.ho_offence_code, '^0*(\\d+)', 1)
                          AS INTEGER) = 4
                 AND TRY_CAST(regexp_extract(e.ho_offence_code, '^\\d+[/.]0*(\\d+)', 1)
                     AS INTEGER) IN (1, 2, 10))) AS homicide
        FROM crime_extract e JOIN code_map m ON e.lsoa_code = m.src
        WHERE m.lsoa IN (SELECT lsoa FROM sel)
        """,
        [
            o.extract_ho_codes is not None,
            codes,
            list(DEFAULT_EXTRACT_CLASSES),
            "knife_or_sharp" in flags,
            "firearm" in flags,
            list(excluded),
        ],
    )


#: The serious violence in the extract in a period, one query per person.
_PERSON_SQL = {
    "victim": "SELECT victim_age_band, victim_sex, victim_ethnicity FROM extract_rows "
    "WHERE serious_violence AND offence_date BETWEEN ? AND ?",
    "suspect": "SELECT suspect_age_band, suspect_sex, suspect_ethnicity "
    "FROM extract_rows WHERE serious_violence AND offence_date BETWEEN ? AND ?",
}


def _distribution(
    rows: list[tuple[Any, ...]], order: Sequence[str] | None = None
) -> list[Share]:
    counts: Counter[str] = Counter(value or "Not recorded" for (value,) in rows)
    total = sum(counts.values())
    keys = list(order or []) + sorted(k for k in counts if k not in (order or []))
    return [
        {
            "value": key,
            "count": counts.get(key, 0),
            "share": _round(counts.get(key, 0) / total) if total else None,
        }
        for key in keys
        if counts.get(key, 0) or (order and key in order)
    ]


def _relative_rates(
    group_counts: Counter[str | None], denominators: dict[str, int] | None
) -> RelativeRates:
    if not denominators:
        return {"available": False, "rows": []}
    rows: list[RateRow] = []
    ref_count = group_counts.get(REFERENCE_GROUP, 0)
    ref_pop = denominators.get(REFERENCE_GROUP, 0)
    for group in ETHNIC_GROUPS:
        count = group_counts.get(group, 0)
        pop = denominators.get(group, 0)
        # More events than residents (possible for stop and search of visitors):
        # the Katz interval assumes a binomial count, so none is given.
        rr = (
            None
            if count > pop or ref_count > ref_pop
            else relative_rate(count, pop, ref_count, ref_pop)
        )
        rows.append(
            {
                "group": group,
                "count": count,
                "population": pop,
                "rate_per_1000": _round(rate_per_1000(count, pop)) if pop else None,
                "relative_rate": _round(rr.ratio) if rr else None,
                "ci_lower": _round(rr.lower) if rr else None,
                "ci_upper": _round(rr.upper) if rr else None,
                "reference": group == REFERENCE_GROUP,
            }
        )
    return {
        "available": True,
        "not_stated": group_counts.get(None, 0),
        "rows": rows,
    }


def _denominators(lads: list[str]) -> tuple[dict[str, int] | None, list[str]]:
    census = census_ethnicity()
    missing = [lad for lad in lads if lad not in census]
    found = [lad for lad in lads if lad in census]
    if not found:
        return None, missing
    totals: Counter[str] = Counter()
    for lad in found:
        totals.update(census[lad])
    return dict(totals), missing


def _extract(
    snap: _Snapshot, o: SnaOptions, start: dt.date, end: dt.date, lads: list[str]
) -> tuple[Grid, Who, tuple[RelativeRates, RelativeRates, list[str]] | None]:
    """The police crime extract's time of day, who, and the relative rates of victims
    and suspects with the local authorities missing from the Census (None without
    an extract)."""
    loaded = bool(snap.fixed("SELECT count(*) FROM crime_extract")[0][0] > 0)
    params = [start, month_end(end)]
    time_grid: list[tuple[Any, ...]] = []
    who: Who = {"available": loaded}
    people = None
    if loaded:
        time_grid = snap.rows(
            "SELECT offence_dow, offence_hour, count(*) FROM extract_rows "
            "WHERE serious_violence AND offence_date BETWEEN ? AND ? "
            "AND offence_hour IS NOT NULL GROUP BY ALL",
            params,
        )
        person_rows = {p: snap.rows(_PERSON_SQL[p], params) for p in PEOPLE}
        for person in PEOPLE:
            rows = person_rows[person]
            who[person] = {
                "age_band": _distribution(
                    [(age_band,) for age_band, _, _ in rows],
                    (
                        "0-9",
                        "10-17",
                        "18-24",
                        "25-34",
                        "35-44",
                        "45-54",
                        "55-64",
                        "65+",
                    ),
                ),
                "sex": _distribution(
                    [(sex,) for _, sex, _ in rows],
                    ("female", "male", "not known"),
                ),
                "ethnicity": _distribution([(ethnicity,) for _, _, ethnicity in rows]),
            }
        denominators, missing = _denominators(lads)
        victim, suspect = (
            _relative_rates(
                Counter(
                    ethnic_group(ethnicity) for _, _, ethnicity in person_rows[person]
                ),
                denominators,
            )
            for person in PEOPLE
        )
        people = (victim, suspect, missing)
    return _grid(time_grid), who, people


def _grid(rows: list[tuple[Any, ...]]) -> Grid:
    cells = {(int(dow), int(hour)): n for dow, hour, n in rows}
    return {
        "total": sum(cells.values()),
        "by_day": [
            {
                "day": DAYS[d - 1],
                "count": sum(n for (dd, _), n in cells.items() if dd == d),
            }
            for d in range(1, 8)
        ],
        "by_hour": [
            {"hour": h, "count": sum(n for (_, hh), n in cells.items() if hh == h)}
            for h in range(24)
        ],
        "cells": [
            {"day": DAYS[d - 1], "hour": h, "count": n}
            for (d, h), n in sorted(cells.items())
        ],
    }


def _istv(
    snap: _Snapshot,
    start: dt.date,
    end: dt.date,
    months: list[dt.date],
    area_filtered: bool,
    sv_types: tuple[str, ...],
    sv_by_month: Counter[dt.date],
    ed_methods: tuple[str, ...] | None = None,
) -> tuple[EdVsPolice, Grid]:
    """ED (ISTV) assaults beside police-recorded serious violence, and their times.
    `ed_methods` (from the local definition's rules) limits the assaults counted to
    those methods; None counts every assault."""
    loaded = snap.fixed("SELECT count(*) FROM istv")[0][0] > 0
    if not loaded:
        return {"available": False}, _grid([])
    params = [start, month_end(end)]
    # With an area filter only ED records placed in a selected LSOA count; without one
    # every record from the partnership's EDs counts, placed or not.
    snap.con.execute(
        "CREATE TEMP TABLE ed_scope AS SELECT i.*, m.lsoa FROM istv i "
        "LEFT JOIN code_map m ON i.lsoa_code = m.src "
        "WHERE i.assault_date BETWEEN ? AND ? "
        "AND (? OR list_contains(?::VARCHAR[], i.assault_method)) "
        "AND (m.lsoa IN (SELECT lsoa FROM sel) OR (? AND m.lsoa IS NULL))",
        [*params, ed_methods is None, list(ed_methods or ()), not area_filtered],
    )
    monthly = dict(
        snap.rows(
            "SELECT date_trunc('month', assault_date)::DATE, count(*) FROM ed_scope "
            "GROUP BY 1"
        )
    )
    knife = snap.rows(
        "SELECT count(*) FROM ed_scope WHERE assault_method = 'knife_or_sharp_object'"
    )[0][0]
    by_method = dict(
        snap.rows("SELECT assault_method, count(*) FROM ed_scope GROUP BY 1")
    )
    by_location = dict(
        snap.rows("SELECT assault_location_type, count(*) FROM ed_scope GROUP BY 1")
    )
    per_area_month = snap.rows(
        "SELECT lsoa, date_trunc('month', assault_date)::DATE, count(*) FROM ed_scope "
        "WHERE lsoa IS NOT NULL GROUP BY ALL"
    )
    police_cells = dict(
        ((lsoa, month), n)
        for lsoa, month, n in snap.rows(
            "SELECT m.lsoa, s.month, sum(s.n)::BIGINT FROM street_agg s "
            "JOIN code_map m ON s.lsoa_code = m.src "
            "WHERE s.month BETWEEN ? AND ? "
            "AND list_contains(?::VARCHAR[], s.crime_type) GROUP BY ALL",
            [*params, list(sv_types)],
        )
    )
    geocoded = sum(n for _, _, n in per_area_month)
    unmatched = sum(
        max(0, n - police_cells.get((lsoa, month), 0))
        for lsoa, month, n in per_area_month
    )
    grid = snap.rows(
        "SELECT assault_dow, assault_hour, count(*) FROM ed_scope "
        "WHERE assault_hour IS NOT NULL GROUP BY ALL"
    )
    total = sum(monthly.values())
    return {
        "available": True,
        "total": total,
        "police_recorded_serious_violence": sum(sv_by_month.values()),
        "knife_or_sharp_object": knife,
        "by_method": dict(sorted(by_method.items(), key=lambda i: (-i[1], str(i[0])))),
        "by_location_type": dict(
            sorted(by_location.items(), key=lambda i: (-i[1], str(i[0])))
        ),
        "monthly": [
            {
                "month": month_label(month),
                "ed_assaults": monthly.get(month, 0),
                "police_recorded": sv_by_month.get(month, 0),
            }
            for month in months
        ],
        "geocoded": geocoded,
        "not_geocoded": total - geocoded,
        "unknown_to_police_estimate": _round(unmatched / geocoded)
        if geocoded
        else None,
    }, _grid(grid)


def _success_measures(
    snap: _Snapshot, o: SnaOptions, start: dt.date, end: dt.date, istv: EdVsPolice
) -> list[SuccessMeasure]:
    n_months = len(months_between(start, end))
    previous = (_shift_months(start, -n_months), _shift_months(end, -n_months))
    loaded = snap.fixed("SELECT count(*) FROM crime_extract")[0][0] > 0
    covered = snap.fixed(
        "SELECT min(offence_date), max(offence_date) FROM crime_extract"
    )[0]

    def extract_counts(
        homicide: bool, period: tuple[dt.date, dt.date]
    ) -> tuple[int, int]:
        # Homicides, or knife or sharp object enabled serious violence.
        rows = snap.rows(
            """SELECT count(*), count(*) FILTER (WHERE
                list_contains(?::VARCHAR[], victim_age_band))
            FROM extract_rows
            WHERE CASE WHEN ? THEN homicide
                  ELSE coalesce(knife_or_sharp_object, FALSE) AND serious_violence END
              AND offence_date BETWEEN ? AND ?""",
            [list(UNDER_25_BANDS), homicide, period[0], month_end(period[1])],
        )
        return int(rows[0][0]), int(rows[0][1])

    def measure(key: str, title: str, homicide: bool) -> SuccessMeasure:
        if not loaded:
            return {
                "key": key,
                "title": title,
                "available": False,
                "reason": "Needs a police recorded crime extract with Home Office "
                "offence codes, weapon flags and victim age. data.police.uk "
                "street-level data cannot show it: its 'Violence and sexual offences' "
                "category has no offence code, weapon or victim age.",
            }
        count, under_25 = extract_counts(homicide, (start, end))
        before: int | None = None
        before_u25: int | None = None
        if covered[0] is not None and covered[0].replace(day=1) <= previous[0]:
            before, before_u25 = extract_counts(homicide, previous)
        return {
            "key": key,
            "title": title,
            "available": True,
            "count": count,
            "under_25": under_25,
            "previous_count": before,
            "previous_under_25": before_u25,
            "source": SOURCES["crime_extract"],
        }

    measures = [
        measure(
            "homicide",
            "Homicides recorded by the police",
            True,
        ),
        measure(
            "knife_enabled_serious_violence",
            "Knife or sharp object enabled serious violence recorded by the police",
            False,
        ),
    ]
    hospital: SuccessMeasure = {
        "key": "hospital_admissions_sharp_object",
        "title": "Hospital admissions for assault with a knife or sharp object",
        "available": False,
        "reason": "Needs hospital admission data (Hospital Episode Statistics, NHS "
        "England), which svduty does not import. Emergency department (ISTV) "
        "attendances are not admissions and the ISTV minimum dataset has no age.",
    }
    if istv["available"] and "knife_or_sharp_object" in istv:
        hospital["related_indicator"] = {
            "title": "Emergency department attendances for assault with a knife or "
            "sharp object (all ages)",
            "count": istv["knife_or_sharp_object"],
            "source": SOURCES["istv"],
        }
    measures.append(hospital)
    return measures


def _stop_search(
    snap: _Snapshot, start: dt.date, end: dt.date, lads: list[str]
) -> tuple[StopSearch, RelativeRates]:
    """Stop and search counts by place, and its relative rates by ethnic group."""
    total_rows = snap.fixed("SELECT count(*) FROM stop_search")[0][0]
    if not total_rows:
        return {"available": False}, {"available": False, "rows": []}
    rows = snap.rows(
        """
        SELECT s.self_defined_ethnicity, s.officer_defined_ethnicity,
               m.lsoa IN (SELECT lsoa FROM sel) AS in_area, s.lsoa_code IS NULL
        FROM stop_search s LEFT JOIN code_map m ON s.lsoa_code = m.src
        WHERE s.searched_date BETWEEN ? AND ?
        """,
        [start, month_end(end)],
    )
    in_area = [row for row in rows if row[2]]
    groups = Counter(ethnic_group(row[0]) for row in in_area)
    denominators, missing = _denominators(lads)
    rates = _relative_rates(groups, denominators)
    rates["missing_local_authorities"] = missing
    return {
        "available": True,
        "in_area": len(in_area),
        "no_location": sum(1 for row in rows if row[3]),
        "outside_area": sum(1 for row in rows if not row[2] and not row[3]),
    }, rates


def _local_rules_text(spec: DefinitionSpec) -> str:
    """How the local definition's rules select records in each source."""
    if spec.excluded_codes:
        terrorism = (
            " Terrorism is excluded by code: crime extract rows with the Home Office "
            f"offence codes {', '.join(spec.excluded_codes)} (or their subdivisions) "
            "never count, whatever the kinds' rules match. Source of the codes: "
            f"{spec.exclusions_source}."
        )
    else:
        terrorism = (
            " The definition excludes no offence codes, so crime extract rows are not "
            "screened for terrorism by code; svduty holds no list of terrorism offence "
            "codes (no published source in its reference) and none of the 14 "
            "police.uk crime types is a terrorism category."
        )
    ed = spec.rule_union("ed_methods")
    return (
        " Each kind counts the police.uk crime types, Home Office offence codes "
        "(crime extract), weapon flags (crime extract) and emergency department "
        "assault methods (ISTV) its mapping rules name; filtered to a kind, every "
        "source follows that kind's rules only."
        + (
            f" Emergency department assaults count when their method is one of "
            f"{', '.join(ed)}."
            if ed
            else " The definition has no emergency department rules, so every ED "
            "assault attendance is shown unless a kind is selected."
        )
        + terrorism
    )


def _method(o: SnaOptions, vintage: int, sv_types: tuple[str, ...]) -> Method:
    definition = (
        (
            f"the partnership's {o.definition.label}"
            if o.definition is not None
            else "the partnership's agreed local definition of serious violence"
        )
        if o.sv_types_source == "local"
        else "the svduty default, because the partnership's local definition was "
        f"agreed on {o.partnership['definition_agreed_on']}, after this period ends"
        if o.partnership.get("definition_agreed_on")
        else "the svduty default, because the partnership has no agreed local "
        "definition in force"
    )
    return {
        "serious_violence": f"Serious violence in police.uk data means the crime "
        f"types {', '.join(repr(t) for t in sv_types)}, from {definition}."
        + (f" Filtered to the kind {o.kind!r}." if o.kind else "")
        + (_local_rules_text(o.definition) if o.definition is not None else ""),
        "period": "Records whose month (police.uk 'Month'; extract offence date; ED "
        "assault date; stop and search date, all in UK local time) is in the period, "
        "both end months included.",
        "records": "All police.uk street-level records in the period (every crime type), "  # noqa: E501
        "by whether their LSOA code, after the ONS 2011/2021 LSOA lookup, is one of "
        "the partnership's LSOAs (and, with an area filter, in that local "
        "authority): in_area; another LSOA: outside_area; no LSOA: no_location.",
        "geography": f"The partnership's LSOAs are the {vintage} LSOAs in its "
        "boundaries. A record with the other vintage's code is mapped through the "
        "ONS lookup; where one code maps to several of the partnership's LSOAs "
        "(splits and merges), it is assigned to the lowest code. The local authority "
        "of an LSOA comes from its boundary file or the lookup.",
        "by_source_category": "In-area record counts per police.uk crime type, all "
        "types, ignoring the kind filter.",
        "monthly": "In-area record counts per month and police.uk crime type.",
        "areas": "One entry per partnership LSOA (zero counts included). count is "
        "serious violence as defined above; population is the latest estimate for "
        "the LSOA in a year on or before the end of the period (or the latest "
        "available); rate_per_1000 = count / population x 1000, null when the "
        "population is 0 or unknown; imd_decile from the English Indices of "
        "Deprivation (1 = most deprived 10%).",
        "gi_star": "Getis-Ord (1995) Gi* on count with binary weights that include the "
        "area itself (w_ii = 1), no row-standardisation: z_i = (sum_j w_ij x_j - "
        "xbar W_i) / (s sqrt((n S1_i - W_i^2)/(n - 1))), W_i = sum_j w_ij, S1_i = "
        "sum_j w_ij^2, xbar and s the mean and population standard deviation of the "
        "n counts (esda G_Local(y, w, transform='B', star=True)). Neighbours: two "
        "LSOAs whose polygons, projected to British National Grid (EPSG:27700) and "
        "each buffered by 20 metres, intersect; an area with no neighbour takes its "
        "nearest by centroid (both ways). gi_p_fdr is the two-sided normal p-value "
        "adjusted by Benjamini-Hochberg over all areas; hotspot is 'hot' or 'cold' "
        "by the sign of z where gi_p_fdr < 0.05, else null. With an area filter, "
        "Gi* is computed over the selected LSOAs only.",
        "concentration": "Over the areas' counts: top k% share = the share of the "
        "total in the ceil(k% x number of LSOAs) LSOAs with the highest counts; Gini "
        "= sum_i (2i - n - 1) x_i / (n sum_i x_i) with x sorted ascending, i = 1..n. "
        "Both 0 when the total is 0.",
        "deprivation": "Serious violence count, population and rate per 1,000 summed "
        "over the LSOAs in each IMD decile.",
        "trend": "Serious violence per month and per day (months differ in length), "
        "with a 3-month rolling mean of the daily rate and a least-squares linear "
        "slope of the daily rate per month (relative_change_per_month = slope / "
        "mean). Seasonal indices (ratio to the centred 2x12 moving average, by "
        "calendar month, scaled to average 1) need at least 24 months.",
        "time_of_day": "Hour and day of week in UK local time, only where times are "
        "known: the police crime extract (offence start time) and ED (ISTV) assault "
        "time. data.police.uk street-level data has months only.",
        "crime_extract_serious_violence": (
            "Extract rows count as serious violence when their Home Office offence "
            "code matches the local definition's offence codes"
            if o.extract_ho_codes
            else "Extract rows count as serious violence when their Home Office "
            "offence class is one of "
            + ", ".join(str(c) for c in DEFAULT_EXTRACT_CLASSES)
            + " (violence against the person 1-5 and 8, possession of weapons 10, "
            "robbery 34)"
        )
        + " or the row is flagged as involving a knife, sharp object or firearm. "
        "Rows are placed by their LSOA (or, without one, by their coordinates, "
        "when the snapshot is built).",
        "who": "Victim and suspect age band, sex and self-defined ethnicity of "
        "in-area serious violence in the police crime extract; blank values are "
        "'Not recorded'. data.police.uk street-level data has no victim or suspect "
        "details.",
        "disproportionality": "Relative rate = (group's count / group's residents) / "
        "(White group's count / White residents), with a 95% confidence interval by "
        "the Katz log method: SE = sqrt(1/a - 1/N_a + 1/b - 1/N_b), CI = exp(ln RR "
        "+/- 1.96 SE). Residents come from the ONS 2011 Census ethnic group table "
        "(QS201EW) for the local authorities the selected LSOAs are in, because the "
        "loaded LSOA population estimates are totals only with no ethnicity: the "
        "denominators are therefore at local authority level and from 2011. Ethnicity "
        "is grouped into the five 2011 Census groups (16+1 code O1 Chinese counts as "
        "Asian); 'not stated' is left out. Stop and search uses the person's "
        "self-defined ethnicity and searches located in the selected LSOAs.",
        "success_measures": "The Home Office Serious Violence Duty success measures "
        "(homicide; knife or sharp object enabled serious violence; hospital "
        "admissions for assault with a sharp object; each especially for under-25s) "
        "where the loaded data allows. Homicide = Home Office classes 1 (murder), 4.1 "
        "(manslaughter), 4.2 (infanticide) and 4.10 (corporate manslaughter); "
        "under 25 = victim age band 0-9, 10-17 or 18-24. Each is compared with the "
        "same number of months just before the period when the extract covers it.",
        "harm": f"Harm-weighted totals = sum of count x weight over police.uk crime "
        f"types, with the weights table '{o.harm_weights.name}' version "
        f"{o.harm_weights.version}"
        + (
            " (illustrative: review before relying on it)"
            if o.harm_weights.illustrative
            else ""
        )
        + f". Source: {o.harm_weights.source}",
        "ed_vs_police": "Emergency department assault attendances (ISTV) beside "
        "police-recorded serious violence, by month. The ISTV minimum dataset has no "
        "'reported to police' item, so the share unknown to police is estimated: for "
        "ED records placed in an LSOA, the sum over LSOA-months of max(0, ED assaults "
        "- police-recorded serious violence) divided by the placed ED assaults. It is "
        "an indicator, not a linkage of individual records.",
        "suppression": "This JSON holds raw counts for use inside the partnership. "
        "Every output that can leave the partnership (CSV and XLSX downloads, the HTML "
        "and PDF report, svduty sna --format html/pdf, and --format json --suppress) "
        "shows counts from 1 to the suppression threshold as 'fewer than N', with "
        "the rates, shares and relative rates computed from them withheld.",
        "sources": SOURCES,
    }
