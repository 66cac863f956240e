"""Factories for the analysis app: snapshots written straight to Parquet.

- `grid_tables(...)`: a small synthetic partnership (square LSOAs on a grid) with the
  reference tables the SNA needs, so unit tests know every figure by construction.
- `real_cleveland_tables()`: the real Cleveland open data read with svduty's own import
  readers (boundaries, lookup, population, IMD, the eleven police.uk months), shaped as
  the snapshot tables the PostgreSQL export would produce.
- `make_snapshot(partnership, tables)`: write and record a snapshot.

`PartnershipFactory` is re-exported from tests.factories.partnership for convenience.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from functools import lru_cache
from pathlib import Path

import pyarrow as pa
import shapely

from svduty.analysis.models import SnaStatus, SnaVersion
from svduty.analysis.snapshot import register_snapshot
from svduty.partnership.models import PartnershipMember, StatutoryRole
from tests import real_data
from tests.factories.partnership import PartnershipFactory

CLEVELAND_LADS = real_data.CLEVELAND_LADS


def add_member(partnership, agency, role=StatutoryRole.SPECIFIED):
    return PartnershipMember.objects.get_or_create(
        partnership=partnership, agency=agency, defaults={"statutory_role": role}
    )[0]


def square(col: int, row: int, size: float = 0.01) -> dict:
    """A square LSOA polygon (about 700 m x 1.1 km) near Middlesbrough."""
    x0, y0 = -1.3 + col * size, 54.5 + row * size
    return {
        "type": "Polygon",
        "coordinates": [
            [
                [x0, y0],
                [x0 + size, y0],
                [x0 + size, y0 + size],
                [x0, y0 + size],
                [x0, y0],
            ]
        ],
    }


def grid_tables(
    *,
    columns: int = 4,
    rows: int = 3,
    lads: tuple[str, ...] = ("E06000001", "E06000002"),
    street: list[tuple] | None = None,
    population: int = 1000,
) -> dict[str, pa.Table]:
    """A columns x rows grid of LSOAs E01000001…; the left half in lads[0], the right
    in lads[1]. `street` rows are (month 'YYYY-MM', lsoa_code or None, crime_type)."""
    codes, names, lad_codes, geometries, deciles = [], [], [], [], []
    lad_names = {lads[0]: "Hartlepool", lads[-1]: "Middlesbrough"}
    for index in range(columns * rows):
        col, row = index % columns, index // columns
        code = f"E01{index + 1:06d}"
        lad = lads[0] if col < columns / 2 else lads[-1]
        codes.append(code)
        names.append(f"{lad_names[lad]} {index + 1:03d}A")
        lad_codes.append(lad)
        geometries.append(json.dumps(square(col, row)))
        deciles.append(index % 10 + 1)
    tables = {
        "lsoa": pa.table(
            {
                "lsoa_code": codes,
                "name": names,
                "vintage": [2011] * len(codes),
                "lad_code": lad_codes,
                "geometry": geometries,
            }
        ),
        "population": pa.table(
            {
                "lsoa_code": codes,
                "year": [2018] * len(codes),
                "population": [population] * len(codes),
            }
        ),
        "deprivation": pa.table(
            {
                "lsoa_code": codes,
                "rank": list(range(1, len(codes) + 1)),
                "decile": deciles,
            }
        ),
    }
    if street:
        tables["police_street"] = street_table(street)
    return tables


def street_table(rows: list[tuple]) -> pa.Table:
    months, lsoas, types = [], [], []
    for month, lsoa, crime_type in rows:
        year, mon = (int(p) for p in month.split("-"))
        months.append(dt.date(year, mon, 1))
        lsoas.append(lsoa)
        types.append(crime_type)
    return pa.table(
        {
            "record_key": [
                hashlib.sha256(str(i).encode()).hexdigest()[:32]
                for i in range(len(rows))
            ],
            "month": pa.array(months, pa.date32()),
            "falls_within": ["Test Police"] * len(rows),
            "lsoa_code": pa.array(lsoas, pa.string()),
            "crime_type": types,
            "last_outcome": [None] * len(rows),
        }
    )


def make_snapshot(partnership, tables, source_batches=None):
    return register_snapshot(partnership, tables, source_batches=source_batches or [])


def make_sna_version(
    *, partnership, snapshot, by, number=1, status=SnaStatus.DRAFT, **kwargs
):
    from django.utils import timezone

    now = timezone.now()
    values = {
        "title": "Strategic needs assessment 2022",
        "period_from": dt.date(2022, 1, 1),
        "period_to": dt.date(2022, 11, 1),
        "findings": "Violence is concentrated in the town centres.",
    } | kwargs
    signed = status == SnaStatus.SIGNED_OFF
    return SnaVersion.objects.create(
        partnership=partnership,
        snapshot=snapshot,
        number=number,
        status=status,
        created_by=by,
        created_at=now,
        updated_at=now,
        signed_off_by=by if signed else None,
        signed_off_at=now if signed else None,
        **values,
    )


# --- The real Cleveland data, read with svduty's readers ------------------------------


def _read(kind: str, path: Path) -> list[tuple]:
    from svduty.sharing.readers import get_reader

    reader = get_reader(kind)
    rows = [row for batch in reader.read(path) for row in batch]
    assert reader.result.ok, reader.result.problems[:5]
    return rows


@lru_cache(maxsize=1)
def real_cleveland_reference() -> dict[str, pa.Table]:
    """Boundaries, lookup, population and IMD for the 352 Cleveland LSOAs (the
    vendored samples keep all of them, tests/real_data.py)."""
    lsoa_rows = []
    for lad in CLEVELAND_LADS:
        for code, name, vintage, lad_code, wkb in _read(
            "lsoa_boundaries", real_data.sample(real_data.lsoa_boundaries(lad))
        ):
            geometry = shapely.to_geojson(shapely.from_wkb(wkb))
            lsoa_rows.append((code, name, vintage, lad_code, geometry))
    codes = {row[0] for row in lsoa_rows}
    lookup = [
        row
        for row in _read("lsoa_lookup", real_data.sample(real_data.LSOA_LOOKUP))
        if row[5] in CLEVELAND_LADS
    ]
    population = [
        row
        for row in _read("lsoa_population", real_data.sample(real_data.POPULATION))
        if row[0] in codes
    ]
    imd = [
        row for row in _read("imd", real_data.sample(real_data.IMD)) if row[0] in codes
    ]
    return {
        "lsoa": pa.table(
            {
                "lsoa_code": [r[0] for r in lsoa_rows],
                "name": [r[1] for r in lsoa_rows],
                "vintage": [int(r[2]) for r in lsoa_rows],
                "lad_code": [r[3] for r in lsoa_rows],
                "geometry": [r[4] for r in lsoa_rows],
            }
        ),
        "lookup": pa.table(
            {
                "lsoa11_code": [r[0] for r in lookup],
                "lsoa21_code": [r[2] for r in lookup],
                "change_indicator": [r[4] for r in lookup],
                "lad_code": [r[5] for r in lookup],
            }
        ),
        "population": pa.table(
            {
                "lsoa_code": [r[0] for r in population],
                "year": [int(r[2]) for r in population],
                "population": [int(r[3]) for r in population],
            }
        ),
        "deprivation": pa.table(
            {
                "lsoa_code": [r[0] for r in imd],
                "rank": [int(r[3]) for r in imd],
                "decile": [int(r[4]) for r in imd],
            }
        ),
    }


@lru_cache(maxsize=1)
def real_cleveland_street() -> pa.Table:
    """Every street-level month of the whole published data (../shared/data/real;
    skipped or failed without it, tests/real_data.py)."""
    months, lsoas, types, keys, outcomes, forces = [], [], [], [], [], []
    longitudes, latitudes = [], []
    for path in real_data.street_months(real_data.full()):
        for row in _read("police_street", path):
            crime_id, month, _, falls_within, *_rest = row
            keys.append(
                hashlib.sha256(crime_id.encode()).hexdigest()[:32] if crime_id else None
            )
            months.append(month)
            forces.append(falls_within)
            lsoas.append(row[7])
            types.append(row[9])
            outcomes.append(row[10])
            longitudes.append(row[4])
            latitudes.append(row[5])
    return pa.table(
        {
            "record_key": pa.array(keys, pa.string()),
            "month": pa.array(months, pa.date32()),
            "falls_within": forces,
            "lsoa_code": pa.array(lsoas, pa.string()),
            "crime_type": types,
            "last_outcome": pa.array(outcomes, pa.string()),
            "longitude": pa.array(longitudes, pa.float64()),
            "latitude": pa.array(latitudes, pa.float64()),
        }
    )


def real_cleveland_tables() -> dict[str, pa.Table]:
    return dict(real_cleveland_reference()) | {"police_street": real_cleveland_street()}


__all__ = [
    "PartnershipFactory",
    "add_member",
    "grid_tables",
    "make_sna_version",
    "make_snapshot",
    "real_cleveland_tables",
    "street_table",
]
