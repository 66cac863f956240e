"""The analytic snapshot (architecture D3): a pseudonymised Parquet copy of one
partnership's current data, which the SNA reads with DuckDB.

`rebuild_snapshot(partnership)` exports the partnership's rows from the succeeded,
non-superseded import batches with PostgreSQL's `COPY (SELECT …) TO STDOUT`, read in
blocks of whole rows by a thread while pyarrow converts the block before to Parquet
(nothing is spooled to disk), so a 5M-row table never becomes 5M Python objects.
Pseudonymisation happens in the SELECT:

- crime identifiers and crime references are replaced by a keyed SHA-256 (the key is
  derived from SECRET_KEY and the partnership, so the same crime keeps the same key
  within a partnership and keys cannot be compared across partnerships);
- no free text leaves PostgreSQL (street "Location", offence descriptions, ISTV free
  text, policing operation names), and nothing that names a person exists in any
  source;
- exact coordinates are used only to place a stop and search or an extract row without
  an LSOA in its LSOA, then dropped; street-level crimes keep data.police.uk's
  published map point, which is already anonymised (snapped to a point shared by
  several addresses); times are reduced to local date, hour and day of
  week.

Each build goes to its own folder `SNAPSHOT_DIR/<slug>/<folder>/`, written under a
temporary name and renamed when complete, so a reader never sees half a snapshot. The
`Snapshot` row records the source batches with their file hashes, row counts and a hash
of the Parquet files; every SNA figure names it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import queue
import re
import shutil
import threading
import uuid
from collections import Counter
from collections.abc import Generator, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import shapely
from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from psycopg import sql

from svduty.core.guard import writes_allowed
from svduty.partnership.models import Partnership

from .models import Snapshot

SCHEMA_VERSION = 1
#: Snapshots are derived data, not anyone's change: the rebuild after an import (and
#: the pruning of old files) records them directly; they are not audited.
PIPELINE = "the snapshot pipeline records the snapshots it builds and prunes"
KEEP_SNAPSHOTS = 3

_S = pa.string()
_TS = pa.timestamp("us", tz="UTC")

#: Every table of a snapshot and its Parquet schema. A table with no source rows is
#: written empty, so the SNA's SQL never has to ask whether a file exists.
TABLES: Mapping[str, pa.Schema] = {
    "lsoa": pa.schema(
        [
            ("lsoa_code", _S),
            ("name", _S),
            ("vintage", pa.int16()),
            ("lad_code", _S),
            ("geometry", _S),
        ]
    ),
    "lookup": pa.schema(
        [
            ("lsoa11_code", _S),
            ("lsoa21_code", _S),
            ("change_indicator", _S),
            ("lad_code", _S),
        ]
    ),
    "population": pa.schema(
        [("lsoa_code", _S), ("year", pa.int32()), ("population", pa.int64())]
    ),
    "deprivation": pa.schema(
        [("lsoa_code", _S), ("rank", pa.int32()), ("decile", pa.int16())]
    ),
    "police_street": pa.schema(
        [
            ("record_key", _S),
            ("month", pa.date32()),
            ("falls_within", _S),
            ("lsoa_code", _S),
            ("crime_type", _S),
            ("last_outcome", _S),
            # data.police.uk's own anonymised map point (a snap point shared by at
            # least eight addresses, published openly): the places app counts
            # incidents within a radius of a place with it.
            ("longitude", pa.float64()),
            ("latitude", pa.float64()),
        ]
    ),
    "stop_search": pa.schema(
        [
            ("searched_date", pa.date32()),
            ("searched_hour", pa.int16()),
            ("searched_dow", pa.int16()),
            ("search_type", _S),
            ("gender", _S),
            ("age_range", _S),
            ("self_defined_ethnicity", _S),
            ("officer_defined_ethnicity", _S),
            ("legislation", _S),
            ("object_of_search", _S),
            ("outcome", _S),
            ("lsoa_code", _S),
        ]
    ),
    "crime_extract": pa.schema(
        [
            ("record_key", _S),
            ("recorded_date", pa.date32()),
            ("offence_date", pa.date32()),
            ("offence_hour", pa.int16()),
            ("offence_dow", pa.int16()),
            ("ho_offence_code", _S),
            ("knife_or_sharp_object", pa.bool_()),
            ("firearm", pa.bool_()),
            ("domestic_abuse", pa.bool_()),
            ("lsoa_code", _S),
            ("victim_age_band", _S),
            ("victim_sex", _S),
            ("victim_ethnicity", _S),
            ("suspect_age_band", _S),
            ("suspect_sex", _S),
            ("suspect_ethnicity", _S),
            ("outcome", _S),
        ]
    ),
    "istv": pa.schema(
        [
            ("site_code", _S),
            ("assault_date", pa.date32()),
            ("assault_hour", pa.int16()),
            ("assault_dow", pa.int16()),
            ("assault_method", _S),
            ("assault_location_type", _S),
            ("lsoa_code", _S),
            ("postcode_district", _S),
        ]
    ),
}

# --- Writing snapshot folders (used by the rebuild, the test factories and the
# benchmarks alike, so there is one definition of a snapshot's files) ---------------


def conform(name: str, table: pa.Table | None) -> pa.Table:
    """Cast `table` to the snapshot schema of `name`; missing columns become nulls."""
    schema = TABLES[name]
    if table is None:
        return schema.empty_table()
    columns = []
    for field in schema:
        if field.name in table.column_names:
            columns.append(table.column(field.name).cast(field.type))
        else:
            columns.append(pa.nulls(table.num_rows, type=field.type))
    return pa.Table.from_arrays(columns, schema=schema)


def _file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def write_tables(folder: Path, tables: Mapping[str, pa.Table | None]) -> None:
    """Write whole in-memory tables (tests, benchmarks, small reference tables)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in TABLES:
        if name in tables or not (folder / f"{name}.parquet").exists():
            pq.write_table(conform(name, tables.get(name)), folder / f"{name}.parquet")


#: Summaries derived from a snapshot's tables when its folder is finished, so that
#: readers of many snapshots need not count the rows again. Not in TABLES: they are
#: never imported and hold nothing the tables do not; their file hashes are in the
#: manifest beside the tables'.
STREET_BY_FORCE = "street_by_force"
SUMMARIES: Mapping[str, pa.Schema] = {
    # Street-level records per force, month and crime type: the national roll-up
    # (svduty.analysis.national) reads these instead of every record.
    STREET_BY_FORCE: pa.schema(
        [
            ("falls_within", _S),
            ("month", pa.date32()),
            ("crime_type", _S),
            ("n", pa.int64()),
        ]
    ),
}


def _write_summaries(folder: Path) -> None:
    """Count the street-level records by force, month and crime type (DuckDB over
    the Parquet just written: seconds for millions of rows, little memory)."""
    import duckdb

    target = folder / f"{STREET_BY_FORCE}.parquet"
    con = duckdb.connect(config={"threads": 2})
    try:
        table = (
            con.read_parquet(str(folder / "police_street.parquet"))
            .aggregate(
                "falls_within, month, crime_type, count(*)::BIGINT AS n",
                "falls_within, month, crime_type",
            )
            .order("falls_within, month, crime_type")
            .to_arrow_table()
        )
    finally:
        con.close()
    pq.write_table(table.cast(SUMMARIES[STREET_BY_FORCE]), target)


def finish_folder(folder: Path, *, source_batches: list[dict]) -> tuple[dict, str]:
    """Fill any missing table with an empty one, derive the summaries, write the
    manifest and return the row counts and the content hash (SHA-256 over the
    tables' file hashes)."""
    write_tables(folder, {})
    _write_summaries(folder)
    row_counts: dict[str, int] = {}
    digest = hashlib.sha256()
    file_hashes = {}
    for name in TABLES:
        path = folder / f"{name}.parquet"
        row_counts[name] = pq.ParquetFile(path).metadata.num_rows
        file_hashes[name] = _file_hash(path)
        digest.update(f"{name}:{file_hashes[name]}\n".encode())
    content_hash = digest.hexdigest()
    manifest = {
        "schema_version": SCHEMA_VERSION,
        "row_counts": row_counts,
        "file_sha256": file_hashes,
        "summary_sha256": {
            name: _file_hash(folder / f"{name}.parquet") for name in SUMMARIES
        },
        "content_hash": content_hash,
        "source_batches": source_batches,
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, default=str))
    # The maps' simplified boundaries are made with the snapshot (issue 15 point 3,
    # issue 16 point 8): every map and report of it reads them, and no request
    # should wait for them. Kept in its cache, outside the content hash.
    from .charts import write_map_geometries

    write_map_geometries(folder)
    return row_counts, content_hash


def register_snapshot(
    partnership,
    tables: Mapping[str, pa.Table | None] | None = None,
    *,
    source_batches: list[dict] | None = None,
    build=None,
) -> Snapshot:
    """Write a snapshot folder from tables (or with `build(folder)`) and record it.

    The rebuild from PostgreSQL passes `build`; tests and benchmarks pass tables.
    """
    base = Path(settings.SNAPSHOT_DIR) / partnership.slug
    base.mkdir(parents=True, exist_ok=True)
    building = base / f".building-{uuid.uuid4().hex}"
    try:
        building.mkdir()
        if build is not None:
            source_batches = build(building)
        if tables:
            write_tables(building, tables)
        row_counts, content_hash = finish_folder(
            building, source_batches=source_batches or []
        )
        created_at = timezone.now()
        folder = f"{created_at:%Y%m%dT%H%M%S%f}-{content_hash[:8]}"
        os.replace(building, base / folder)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    with writes_allowed(PIPELINE):
        snapshot = Snapshot.objects.create(
            partnership=partnership,
            created_at=created_at,
            folder=folder,
            source_batches=source_batches or [],
            row_counts=row_counts,
            content_hash=content_hash,
        )
    return snapshot


def current_snapshot(partnership) -> Snapshot | None:
    snapshot = (
        Snapshot.objects.filter(partnership=partnership, files_kept=True)
        .order_by("-created_at", "-id")
        .first()
    )
    if snapshot is not None and isinstance(partnership, Partnership):
        snapshot.partnership = partnership  # its path needs the slug: no second query
    return snapshot


def prune(partnership, *, keep: int = KEEP_SNAPSHOTS) -> int:
    """Delete the files of old snapshots, keeping the newest `keep` and any that a
    needs assessment version cites (its figures must stay reproducible)."""
    snapshots = list(
        Snapshot.objects.filter(partnership=partnership, files_kept=True).order_by(
            "-created_at", "-id"
        )
    )
    cited = set(
        partnership.sna_versions.values_list("snapshot_id", flat=True).distinct()
    )
    pruned = 0
    for snapshot in snapshots[keep:]:
        if snapshot.pk in cited:
            continue
        shutil.rmtree(snapshot.path, ignore_errors=True)
        with writes_allowed(PIPELINE):
            Snapshot.objects.filter(pk=snapshot.pk).update(files_kept=False)
        pruned += 1
    return pruned


# --- Export from PostgreSQL -----------------------------------------------------------


@dataclass(frozen=True)
class Export:
    """How one snapshot table is selected from one sharing model.

    `select` pairs each output column with an SQL expression in which `{name}` (or
    `{name|other}`, the first that exists) stands for the model field's column,
    `%(key)s` for the pseudonymisation key and `%(tz)s` for the UK time zone.
    """

    table: str
    model: str
    select: tuple[tuple[str, str], ...]
    # Extra (longitude, latitude) columns used to place rows without an LSOA.
    locate: bool = False


def _key(value: str) -> str:
    column = "{" + value + "}"
    return (
        f"CASE WHEN {column} IS NULL OR {column} = '' THEN NULL ELSE left(encode("
        f"sha256(convert_to(%(key)s || {column}, 'UTF8')), 'hex'), 32) END"
    )


def _local(field: str, part: str) -> str:
    local = "({" + field + "} AT TIME ZONE %(tz)s)"
    if part == "date":
        return f"{local}::date"
    if part == "hour":
        return f"extract(hour FROM {local})::int"
    return f"extract(isodow FROM {local})::int"


EXPORTS: tuple[Export, ...] = (
    Export(
        "lsoa",
        "sharing.Lsoa",
        (
            ("lsoa_code", "{code|lsoa_code}"),
            ("name", "{name|lsoa_name}"),
            ("vintage", "{vintage}"),
            ("lad_code", "{lad_code}"),
            ("geometry", "{geometry}::text"),
        ),
    ),
    Export(
        "lookup",
        "sharing.LsoaLookup",
        (
            ("lsoa11_code", "{lsoa11_code}"),
            ("lsoa21_code", "{lsoa21_code}"),
            ("change_indicator", "{change_indicator|change}"),
            ("lad_code", "{lad_code}"),
        ),
    ),
    Export(
        "population",
        "sharing.LsoaPopulation",
        (
            ("lsoa_code", "{lsoa_code}"),
            ("year", "{year}"),
            ("population", "{population}"),
        ),
    ),
    Export(
        "deprivation",
        "sharing.Deprivation",
        (("lsoa_code", "{lsoa_code}"), ("rank", "{rank}"), ("decile", "{decile}")),
    ),
    Export(
        "police_street",
        "sharing.PoliceStreetRecord",
        (
            ("record_key", _key("crime_id")),
            ("month", "{month}"),
            ("falls_within", "{falls_within}"),
            ("lsoa_code", "{lsoa_code}"),
            ("crime_type", "{crime_type}"),
            ("last_outcome", "{last_outcome|last_outcome_category}"),
            ("longitude", "{longitude}"),
            ("latitude", "{latitude}"),
        ),
    ),
    Export(
        "stop_search",
        "sharing.StopSearchRecord",
        (
            ("searched_date", _local("searched_at", "date")),
            ("searched_hour", _local("searched_at", "hour")),
            ("searched_dow", _local("searched_at", "dow")),
            ("search_type", "{search_type}"),
            ("gender", "{gender}"),
            ("age_range", "{age_range}"),
            ("self_defined_ethnicity", "{self_defined_ethnicity}"),
            ("officer_defined_ethnicity", "{officer_defined_ethnicity}"),
            ("legislation", "{legislation}"),
            ("object_of_search", "{object_of_search}"),
            ("outcome", "{outcome}"),
            ("lsoa_code", "NULL::text"),
        ),
        locate=True,
    ),
    Export(
        "crime_extract",
        "sharing.CrimeExtractRecord",
        (
            ("record_key", _key("crime_reference")),
            ("recorded_date", "{recorded_date}"),
            ("offence_date", _local("offence_from", "date")),
            ("offence_hour", _local("offence_from", "hour")),
            ("offence_dow", _local("offence_from", "dow")),
            ("ho_offence_code", "{ho_offence_code}"),
            ("knife_or_sharp_object", "{knife_or_sharp_object}"),
            ("firearm", "{firearm}"),
            ("domestic_abuse", "{domestic_abuse}"),
            ("lsoa_code", "{lsoa_code}"),
            ("victim_age_band", "{victim_age_band}"),
            ("victim_sex", "{victim_sex}"),
            ("victim_ethnicity", "{victim_ethnicity}"),
            ("suspect_age_band", "{suspect_age_band}"),
            ("suspect_sex", "{suspect_sex}"),
            ("suspect_ethnicity", "{suspect_ethnicity}"),
            ("outcome", "{outcome}"),
        ),
        locate=True,
    ),
    Export(
        "istv",
        "sharing.IstvRecord",
        (
            ("site_code", "{site_code}"),
            ("assault_date", _local("assault_datetime", "date")),
            ("assault_hour", _local("assault_datetime", "hour")),
            ("assault_dow", _local("assault_datetime", "dow")),
            ("assault_method", "{assault_method}"),
            ("assault_location_type", "{assault_location_type}"),
            ("lsoa_code", "{lsoa_code}"),
            ("postcode_district", "{postcode_district}"),
        ),
    ),
)

_FIELD = re.compile(r"\{([a-z0-9_|]+)\}")
#: The export's extra column naming each row's batch (counted, never written).
_BATCH = "_svduty_batch_id"


class SnapshotSourceError(RuntimeError):
    """The sharing models do not have a column the snapshot needs."""


def _columns_of(model) -> dict[str, str]:
    columns = {}
    for field in model._meta.concrete_fields:
        columns[field.name] = field.column
        columns[field.column] = field.column
    return columns


def _resolve(model, expression: str) -> str:
    columns = _columns_of(model)

    def replace(match: re.Match) -> str:
        for candidate in match.group(1).split("|"):
            if candidate in columns:
                return connection.ops.quote_name(columns[candidate])
        raise SnapshotSourceError(
            f"{model.__name__} has no field {match.group(1)!r}, which the analytic "
            "snapshot needs"
        )

    return _FIELD.sub(replace, expression)


def pseudonym_key(partnership) -> str:
    """The per-partnership key for hashing record identifiers."""
    return hmac.new(
        settings.SECRET_KEY.encode(),
        f"svduty-snapshot-pseudonym:{partnership.pk}".encode(),
        hashlib.sha256,
    ).hexdigest()


def _current_batches(partnership) -> list:
    ImportBatch = apps.get_model("sharing", "ImportBatch")
    return list(
        ImportBatch.objects.filter(partnership=partnership).current().order_by("pk")
    )


def _batch_description(batch) -> dict:
    described = {"id": batch.pk}
    for attribute in ("kind", "file_name", "sha256", "file_hash", "content_hash"):
        value = getattr(batch, attribute, None)
        if value not in (None, ""):
            described[attribute] = str(value)
    return described


def _copy_to_parquet(export: Export, partnership, batch_ids, folder: Path, lsoas):
    model = apps.get_model(export.model)
    # The expressions are the exports' own (module constants, column names resolved
    # and quoted by _resolve); names, table and columns are composed as identifiers
    # and the values are parameters.
    select = [
        sql.SQL("{} AS {}").format(sql.SQL(_resolve(model, expr)), sql.Identifier(name))
        for name, expr in export.select
    ]
    if export.locate:
        select += [
            sql.SQL("{} AS longitude").format(sql.SQL(_resolve(model, "{longitude}"))),
            sql.SQL("{} AS latitude").format(sql.SQL(_resolve(model, "{latitude}"))),
        ]
    # Each row's batch, counted on the way and not written: the rows exported per
    # batch are checked against what the batches hold (rebuild_snapshot).
    batch_column = model._meta.get_field("batch").column
    select.append(
        sql.SQL("{} AS {}").format(sql.Identifier(batch_column), sql.Identifier(_BATCH))
    )
    query = sql.SQL(
        "COPY (SELECT {select} FROM {table} WHERE {partnership} = %(partnership)s "
        "AND {batch} = ANY(%(batches)s)) TO STDOUT WITH (FORMAT csv)"
    ).format(
        select=sql.SQL(", ").join(select),
        table=sql.Identifier(model._meta.db_table),
        partnership=sql.Identifier(model._meta.get_field("partnership").column),
        batch=sql.Identifier(model._meta.get_field("batch").column),
    )
    params = {
        "partnership": partnership.pk,
        "batches": list(batch_ids),
        "key": pseudonym_key(partnership),
        # UK local time, whatever the server's setting: the SNA reports UK hours.
        "tz": "Europe/London",
    }
    schema = TABLES[export.table]
    column_types = {name: schema.field(name).type for name, _ in export.select}
    if export.locate:
        column_types |= {"longitude": pa.float64(), "latitude": pa.float64()}
    column_types[_BATCH] = pa.int64()
    read_options = pacsv.ReadOptions(column_names=list(column_types))
    # Every row is one COPY message, so a block never splits a row and a quoted
    # line break stays inside its block.
    parse_options = pacsv.ParseOptions(newlines_in_values=True)
    convert_options = pacsv.ConvertOptions(
        column_types=column_types,
        strings_can_be_null=True,
        true_values=["t", "true"],
        false_values=["f", "false"],
    )
    exported: Counter[int] = Counter()
    with connection.cursor() as cursor:
        blocks = _copy_blocks(cursor.cursor, query, params)
        writer = pq.ParquetWriter(
            folder / f"{export.table}.parquet",
            schema,
            use_dictionary=_dictionary_columns(export, schema),
        )
        try:
            for block in blocks:
                table = pacsv.read_csv(
                    pa.BufferReader(block),
                    read_options=read_options,
                    parse_options=parse_options,
                    convert_options=convert_options,
                )
                del block
                counts = pc.value_counts(table.column(_BATCH))
                exported.update(
                    dict(
                        zip(
                            counts.field("values").to_pylist(),
                            counts.field("counts").to_pylist(),
                            strict=True,
                        )
                    )
                )
                if export.locate:
                    table = _place(table, lsoas)
                # conform keeps only the snapshot's columns (not the batch).
                writer.write_table(conform(export.table, table))
        finally:
            blocks.close()
            writer.close()
    return exported


def _dictionary_columns(export: Export, schema: pa.Schema) -> list[str]:
    """The columns worth a Parquet dictionary: text and dates, which repeat (force,
    month, LSOA, crime type), but not pseudonymised identifiers, which never do
    (pyarrow would build each block's dictionary and then give it up), nor numbers
    (coordinates rarely repeat). Only the encoding differs: the values read back
    are the same."""
    keyed = {name for name, expression in export.select if "sha256(" in expression}
    return [
        field.name
        for field in schema
        if field.name not in keyed
        and (pa.types.is_string(field.type) or pa.types.is_date(field.type))
    ]


#: Bytes of COPY output parsed and written to Parquet at a time (one row group each;
#: about 110,000 street-level rows).
BLOCK_BYTES = 16 << 20
#: Blocks read ahead of the one being converted (bounds the memory).
BLOCKS_AHEAD = 2


def _copy_blocks(raw_cursor, query, params) -> Generator[bytes, None, None]:
    """The output of ``COPY … TO STDOUT`` in blocks of whole rows, read by a thread
    while the caller converts the block before: PostgreSQL producing the rows and
    pyarrow converting them overlap, and nothing is spooled to disk. The thread
    uses the caller's connection (its transaction), which the caller leaves alone
    until the generator is exhausted or closed."""
    ready: queue.Queue = queue.Queue(maxsize=BLOCKS_AHEAD)
    stop = threading.Event()

    def put(item) -> bool:
        while not stop.is_set():
            try:
                ready.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            with raw_cursor.copy(query, params) as copy:
                parts: list[bytes] = []
                size = 0
                # PostgreSQL sends each row as one message (protocol: CopyData,
                # one per row), so joined messages are whole rows.
                for message in copy:
                    parts.append(bytes(message))
                    size += len(message)
                    if size >= BLOCK_BYTES:
                        if not put(b"".join(parts)):
                            raise _Stopped
                        parts, size = [], 0
                if parts and not put(b"".join(parts)):
                    raise _Stopped
            put(None)
        except _Stopped:
            pass
        except BaseException as error:  # handed to the consumer
            put(error)

    worker = threading.Thread(target=produce, name="snapshot-copy", daemon=True)
    worker.start()
    try:
        while True:
            item = ready.get()
            if item is None:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        worker.join()


class _Stopped(Exception):
    """The consumer of a COPY stopped early (it failed): abandon the COPY."""


def _place(table: pa.Table, lsoas: tuple[list[str], np.ndarray] | None) -> pa.Table:
    """Fill a missing LSOA from the row's coordinates (point in polygon), then drop
    the coordinates."""
    codes = table.column("lsoa_code").to_pylist()
    if lsoas is not None and any(code is None for code in codes):
        lon = table.column("longitude").to_numpy(zero_copy_only=False)
        lat = table.column("latitude").to_numpy(zero_copy_only=False)
        need = np.array([code is None for code in codes], dtype=bool) & ~np.isnan(
            lon.astype(float)
        )
        if need.any():
            names, tree = lsoas
            points = shapely.points(lon[need].astype(float), lat[need].astype(float))
            found, polygons = tree.query(points, predicate="within")
            where = np.flatnonzero(need)
            for point_index, polygon_index in zip(
                found.tolist(), polygons.tolist(), strict=True
            ):
                codes[where[point_index]] = names[polygon_index]
        table = table.set_column(
            table.column_names.index("lsoa_code"), "lsoa_code", pa.array(codes, _S)
        )
    return table.drop_columns(["longitude", "latitude"])


def _lsoa_tree(folder: Path):
    table = pq.read_table(folder / "lsoa.parquet", columns=["lsoa_code", "geometry"])
    names = table.column("lsoa_code").to_pylist()
    if not names:
        return None
    geometries = shapely.from_geojson(table.column("geometry").to_pylist())
    return names, shapely.STRtree(geometries)


def _lock(partnership) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s, %s)", [0x5D7A, int(partnership.pk)]
        )


class SnapshotIncomplete(RuntimeError):
    """The export holds a different number of a batch's rows than the batch does."""


#: The kinds whose exported rows are checked against their batches' counts.
RECONCILED = {"police_street": "police_street"}


def _reconcile(batches, exported: Mapping[str, Counter[int]]) -> None:
    """Every current batch's rows are in the export, no more, no fewer.

    A batch holds ``rows_imported - rows_replaced`` rows (newer files replace some
    of an older batch's rows, and the import counts them). Nothing in the export
    drops a row on purpose: a row without a location or an LSOA is kept, with a
    blank LSOA, and the analysis says how many it could not place. So any
    difference is a fault: the snapshot is not published, and the message names the
    batches and the counts.
    """
    wrong = []
    for batch in batches:
        table = RECONCILED.get(batch.kind)
        if table is None:
            continue
        expected = batch.rows_imported - batch.rows_replaced
        got = exported[table].get(batch.pk, 0)
        if got != expected:
            wrong.append(
                f"batch {batch.pk} ({batch.file_name}): {got:,} of {expected:,}"
            )
    if wrong:
        raise SnapshotIncomplete(
            "The snapshot was not published: rows exported differ from the rows "
            "the import batches hold: " + "; ".join(wrong)
        )


def rebuild_snapshot(partnership) -> Snapshot:
    """Export the partnership's current data to a new snapshot and record it.

    `svduty.analysis.receivers.refresh` runs it (then warms the dashboard) when the
    sharing app announces a successful import (`import_succeeded`, after the commit);
    `svduty rebuild_snapshot --partnership SLUG` runs the same by hand. Raises
    `SnapshotIncomplete`, publishing nothing, if a batch's rows do not all arrive.
    """
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost:
            # The batch list and every table's export see one state of the
            # database, even if an import commits meanwhile (imports take another
            # lock), so the counts can be reconciled.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        # One build at a time per partnership.
        _lock(partnership)
        batches = _current_batches(partnership)
        batch_ids = [batch.pk for batch in batches]

        def build(folder: Path) -> list[dict]:
            lsoas = None
            exported: dict[str, Counter[int]] = {}
            for export in EXPORTS:
                exported[export.table] = _copy_to_parquet(
                    export, partnership, batch_ids, folder, lsoas
                )
                if export.table == "lsoa":
                    lsoas = _lsoa_tree(folder)
            _reconcile(batches, exported)
            rows = Counter()
            for counts in exported.values():
                rows.update(counts)
            return [
                _batch_description(batch) | {"rows": rows.get(batch.pk, 0)}
                for batch in batches
            ]

        snapshot = register_snapshot(partnership, build=build)
    prune(partnership)
    return snapshot
