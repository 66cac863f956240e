"""The police.uk street-level single-write path: polars in, one binary ``COPY`` out.

Why: the staging fast path (:mod:`.police_street`) writes every row twice, once
into the staging table and once into ``sharing_policestreetrecord``. Here the file
is read in batches with polars (all columns as text), checked and converted in
vectorised expressions to the table's own types (a date, two floats, text or
NULL), and the typed Arrow columns are encoded as PostgreSQL's binary ``COPY``
format (``pgpq``) and streamed with one ``COPY … (FORMAT binary, FREEZE)`` into the
batch's own new partition of the real table, which is then indexed once and
attached (:mod:`svduty.sharing.partitions`), all inside the publishing
transaction. Python never looks at a row, and PostgreSQL parses no text: no CSV
is written for it, and no number or date is read from text a second time
(issue 15: that was a third of the database's work, measured in
``docs/imports.md``). Where ``pgpq`` is not installed (an environment made
before it was a dependency), the same checks feed ``COPY … (FORMAT csv)`` as
before.

Reading, checking and encoding run in a thread one batch ahead of the ``COPY``
(polars and the encoder's batches are small, so the thread feeding PostgreSQL is
never kept waiting long for the GIL), so the file's Python side and the
database's side use both cores.

Guarantees, as for the staging path:

* The same byte checks first (:func:`.police_street.read_pieces`): anything on
  which a CSV parser could differ from the reader's ``csv`` module and
  ``str.strip()`` declines. Under those checks every line is one record, every
  field is plain or standard-quoted, and the only white space in a field is the
  space, so ``strip_chars(" ")`` is ``str.strip()``.
* Every line must have exactly the header's number of fields: polars refuses a
  line with more, and the commas outside quotes are counted, so a line with fewer
  (which polars would pad with nulls) declines.
* Month, force, crime type and LSOA code are checked *per distinct value* with
  the reader's own validators and converted through a mapping those validators
  built (so the stored values are the reader's by construction). Coordinates
  are checked per row: both blank, or both the reader's number pattern in ASCII
  digits and in range; they are converted by polars (correctly rounded, as
  Python's ``float`` is: ``tests/unit/sharing/test_single_write_values.py``).
* Any doubt — a bad value, an error from polars or from ``COPY`` (a value too
  long for its column) — raises :class:`Declined` inside the publishing
  transaction, which is rolled back; the caller then tries the staging path,
  which itself falls back to the reader.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import queue
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import polars as pl
import psycopg
import pyarrow as pa
from django.db import DatabaseError, connection, connections, transaction
from psycopg import sql

from svduty.sharing.fastpath.police_street import (
    CRIME_TYPES,
    MAX_DISTINCT,
    MAX_NUMBER_LENGTH,
    Declined,
    PoliceStreetFastPath,
    delete_replaced,
    read_pieces,
)
from svduty.sharing.partitions import (
    attach_partition,
    create_partition,
    partition_name,
)
from svduty.sharing.readers import values as v

try:  # binary COPY; see the module notes for an environment without it
    import pgpq
except ImportError:  # pragma: no cover - exercised by forcing BINARY off in tests
    pgpq = None

logger = logging.getLogger(__name__)

#: Bytes of the file per polars batch (and per progress report).
BATCH_BYTES = 8 * 1024 * 1024
#: Batches made ahead of the one being written.
AHEAD = 1
#: Rows per slice handed to the binary encoder. It holds the GIL while it works,
#: so slices are kept short (about a millisecond) for the thread feeding COPY.
ENCODE_ROWS = 4096
#: Progress is saved (for the batch's page) at most this often.
PROGRESS_SECONDS = 0.5
#: Send PostgreSQL's binary COPY format (False: CSV, as before pgpq).
BINARY = pgpq is not None
_QUOTED_FIELD = re.compile(rb'"(?:[^"\r\n]|"")*"')
_NUMBER = r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$"

#: The table's columns whose blank values are stored as NULL (as the reader does).
NULL_WHEN_BLANK = (
    "crime_id",
    "reported_by",
    "longitude",
    "latitude",
    "location",
    "lsoa_name",
    "last_outcome",
    "context",
)

#: Table column -> file column, for the plain text columns (trimmed, blank -> NULL).
TEXT = {
    "crime_id": "Crime ID",
    "reported_by": "Reported by",
    "location": "Location",
    "lsoa_name": "LSOA name",
    "last_outcome": "Last outcome category",
    "context": "Context",
}

#: The Arrow type of each column sent in binary (text columns are string views,
#: which polars hands over without copying).
_ARROW_TYPES = {
    "month": pa.date32(),
    "longitude": pa.float64(),
    "latitude": pa.float64(),
}


def _separators(piece: bytes) -> int:
    """Commas outside quoted fields (the piece passed ``_check_piece``)."""
    commas = _count(piece, b",")
    if b'"' in piece:
        commas -= sum(q.count(b",") for q in _QUOTED_FIELD.findall(piece))
    return commas


def _count(piece: bytes, byte: bytes) -> int:
    """``piece.count(byte)`` for one byte, a third of the time (numpy)."""
    return int(np.count_nonzero(np.frombuffer(piece, np.uint8) == ord(byte)))


def _trimmed(frame: pl.DataFrame) -> pl.DataFrame:
    """Every field without leading or trailing spaces (``str.strip()``, the only
    white space left being the space), trimming only the columns that have any:
    files often have one such column (``"On or near "``) and eleven without.
    (Found by polars on the parsed columns, which costs less than searching the
    file's bytes for a space beside a separator.)"""
    edges = frame.select(
        (pl.col(c).str.starts_with(" ") | pl.col(c).str.ends_with(" ")).any()
        for c in frame.columns
    ).row(0)
    padded = [c for c, has in zip(frame.columns, edges, strict=True) if has]
    if not padded:
        return frame
    return frame.with_columns(pl.col(padded).str.strip_chars(" "))


def _lines(piece: bytes) -> int:
    return _count(piece, b"\n") + (0 if piece.endswith(b"\n") else 1)


def arrow_schema(columns: list[str]) -> pa.Schema:
    """The Arrow schema of the converted batches sent in binary, in ``columns``'
    order: ``_ARROW_TYPES``, text otherwise."""
    return pa.schema(
        [pa.field(c, _ARROW_TYPES.get(c, pa.string_view())) for c in columns]
    )


class _SideProgress:
    """Progress saved through a second connection, so it is seen while the
    publishing transaction is open. Never waits for a lock, never fails the
    import; used only when the caller is not inside a transaction already.

    At most once per ``PROGRESS_SECONDS``: each save is a round trip made by the
    thread that feeds ``COPY`` (on a busy machine, 10–15 ms that PostgreSQL may
    spend waiting for data), and the page asks for progress once a second."""

    def __init__(self, batch_pk: int) -> None:
        self.batch_pk = batch_pk
        self.side = None
        self.saved_at: float | None = None

    def __call__(self, rows: int) -> None:
        now = time.monotonic()
        if self.saved_at is not None and now - self.saved_at < PROGRESS_SECONDS:
            return
        self.saved_at = now
        try:
            if self.side is None:
                self.side = connections.create_connection("default")
            with self.side.cursor() as cursor:
                cursor.execute(
                    "UPDATE sharing_importbatch SET progress_rows = %s WHERE id IN "
                    "(SELECT id FROM sharing_importbatch WHERE id = %s "
                    "FOR UPDATE SKIP LOCKED)",
                    [rows, self.batch_pk],
                )
        except DatabaseError as error:
            logger.info("Progress not saved: %s", error)

    def close(self) -> None:
        if self.side is not None:
            self.side.close()


class PoliceStreetSingleWrite(PoliceStreetFastPath):
    """Import one police.uk street-level file for ``batch``, or raise Declined."""

    def _frames(self, positions: dict[str, int]) -> Iterator[pl.DataFrame]:
        """A frame of text columns named as the file's headings, per batch."""
        width = len(positions)
        names = sorted(positions, key=positions.get)
        schema = {name: pl.String for name in names}
        first = True
        for pieces in read_pieces(self.path, BATCH_BYTES):
            if first:
                head = pieces[0]
                cut = head.find(b"\n") + 1
                if cut == 0:
                    raise Declined("no data rows")
                pieces = [head[cut:], *pieces[1:]]
                first = False
            data = b"".join(pieces)
            if not data:
                continue
            lines = _lines(data)
            if _separators(data) != (width - 1) * lines:
                raise Declined("a line has the wrong number of fields")
            try:
                frame = pl.read_csv(
                    data,
                    has_header=False,
                    schema=schema,
                    quote_char='"',
                    empty_string_is_null=False,
                    truncate_ragged_lines=False,
                    raise_if_empty=False,
                )
            except pl.exceptions.PolarsError as error:
                raise Declined(f"polars could not read the file: {error}") from None
            if frame.height != lines:
                raise Declined("polars read a different number of rows")
            yield frame

    def _check_and_convert(
        self,
        frame: pl.DataFrame,
        seen: dict[str, dict[str, Any]],
        periods: set[tuple[str, dt.date]],
        lsoa_counts: Counter,
        *,
        binary: bool = False,
    ) -> pl.DataFrame:
        """The batch checked and converted: the table's columns in order, typed
        for binary COPY (``binary``) or as text for CSV with ``partnership_id``
        and ``batch_id`` first."""
        stripped = _trimmed(frame)
        # Month, force, crime type: distinct combinations, checked by the reader.
        groups = stripped.select("Month", "Falls within", "Crime type").unique()
        for raw_month, falls, raw_type in groups.iter_rows():
            month = seen["month"].get(raw_month)
            if month is None:
                if not raw_month.isascii():
                    raise Declined("a month is not plain ASCII")
                try:
                    month = v.month(raw_month)
                except v.BadValue:
                    raise Declined("a month is wrong") from None
                seen["month"][raw_month] = month
            if raw_type not in seen["type"]:
                crime_type = CRIME_TYPES.get(raw_type.casefold())
                if crime_type is None:
                    raise Declined("a crime type is wrong")
                seen["type"][raw_type] = crime_type
            if not falls:
                raise Declined("a force is blank")
            periods.add((falls, month))
        codes = stripped.group_by("LSOA code").len()
        for raw, count in codes.iter_rows():
            if raw not in seen["lsoa"]:
                try:
                    code = v.lsoa_code(raw, required=False)
                except v.BadValue:
                    raise Declined("an LSOA code is wrong") from None
                if not raw.isascii():
                    raise Declined("an LSOA code is not plain ASCII")
                seen["lsoa"][raw] = code
            lsoa_counts[seen["lsoa"][raw]] += count
        if (
            len(seen["month"]) > MAX_DISTINCT
            or len(seen["type"]) > MAX_DISTINCT
            or len(seen["lsoa"]) > MAX_DISTINCT
            or len(periods) > MAX_DISTINCT
        ):
            raise Declined("too many distinct values to check one by one")
        # Coordinates: both blank, or both strict numbers in range.
        lon, lat = pl.col("Longitude"), pl.col("Latitude")
        lon_value = lon.cast(pl.Float64, strict=False)
        lat_value = lat.cast(pl.Float64, strict=False)

        def strict(c: pl.Expr) -> pl.Expr:
            return (c.str.len_bytes() <= MAX_NUMBER_LENGTH) & c.str.contains(_NUMBER)

        blank = (lon == "") & (lat == "")
        numeric = strict(lon) & strict(lat)
        good = blank | (
            numeric & lon_value.is_between(-180, 180) & lat_value.is_between(-90, 90)
        )
        if not stripped.select(good.fill_null(False).all()).item():
            raise Declined("a coordinate is wrong")

        if binary:

            def text(c: str) -> pl.Expr:
                # Blank -> NULL, as the reader stores it.
                return pl.when(pl.col(c) != "").then(pl.col(c))

            # A blank pair was checked above, and polars reads "" as null.
            lon_out, lat_out = lon_value, lat_value
            month_out = pl.col("Month").replace_strict(
                seen["month"], return_dtype=pl.Date
            )
        else:

            def text(c: str) -> pl.Expr:
                # Blank -> NULL is PostgreSQL's: the COPY names these columns in
                # FORCE_NULL, so an empty field, quoted or not, is NULL.
                return pl.col(c)

            lon_out, lat_out = text("Longitude"), text("Latitude")
            months = {raw: m.isoformat() for raw, m in seen["month"].items()}
            month_out = pl.col("Month").replace_strict(months, return_dtype=pl.String)

        expressions = {
            "crime_id": text("Crime ID"),
            "month": month_out,
            "reported_by": text("Reported by"),
            "falls_within": pl.col("Falls within"),
            "longitude": lon_out,
            "latitude": lat_out,
            "location": text("Location"),
            "lsoa_code": pl.col("LSOA code").replace_strict(
                seen["lsoa"], return_dtype=pl.String
            ),
            "lsoa_name": text("LSOA name"),
            "crime_type": pl.col("Crime type").replace_strict(
                seen["type"], return_dtype=pl.String
            ),
            "last_outcome": text("Last outcome category"),
            "context": text("Context"),
        }
        if set(expressions) != set(self.target.columns):
            raise Declined("the table's columns have changed")
        columns = [expressions[c].alias(c) for c in self.target.columns]
        if binary:
            return stripped.select(columns)
        return stripped.select(
            pl.lit(self.batch.partnership_id).alias("partnership_id"),
            pl.lit(self.batch.pk).alias("batch_id"),
            *columns,
        )

    def _encoded(self, frame: pl.DataFrame, encoder: Any, schema: pa.Schema) -> bytes:
        """The converted batch in PostgreSQL's binary COPY format (rows only)."""
        table = frame.to_arrow(compat_level=pl.CompatLevel.newest())
        if not table.schema.equals(schema):
            raise Declined(f"unexpected column types: {table.schema}")
        return b"".join(
            encoder.write_batch(part)
            for part in table.to_batches(max_chunksize=ENCODE_ROWS)
        )

    def _prepared(
        self,
        positions: dict[str, int],
        seen: dict[str, dict[str, Any]],
        periods: set[tuple[str, dt.date]],
        lsoa_counts: Counter,
        *,
        binary: bool,
    ) -> Iterator[tuple[bytes | memoryview, int]]:
        """(data for COPY, rows) per batch, made one batch ahead in a thread
        (polars and the byte checks release the GIL), so reading and converting
        overlap with PostgreSQL writing the previous batch. In binary, the first
        item is the format's header and the last its trailer, with 0 rows.
        ``seen``, ``periods`` and ``lsoa_counts`` are complete once this is
        exhausted."""
        ready: queue.Queue = queue.Queue(maxsize=AHEAD)
        stop = threading.Event()

        def put(item: Any) -> None:
            while not stop.is_set():
                try:
                    ready.put(item, timeout=0.1)
                    return
                except queue.Full:
                    continue

        def produce() -> None:
            try:
                encoder = schema = None
                if binary:
                    schema = arrow_schema(list(self.target.columns))
                    encoder = pgpq.ArrowToPostgresBinaryEncoder(schema)
                    put((encoder.write_header(), 0))
                for frame in self._frames(positions):
                    out = self._check_and_convert(
                        frame, seen, periods, lsoa_counts, binary=binary
                    )
                    if binary:
                        put((self._encoded(out, encoder, schema), out.height))
                    else:
                        buffer = io.BytesIO()
                        out.write_csv(buffer, include_header=False)
                        put((buffer.getbuffer(), out.height))
                        del buffer
                    del frame, out
                    if stop.is_set():
                        return
                if binary:
                    put((encoder.finish(), 0))
                put(None)
            except BaseException as error:  # handed to the consumer
                put(error)

        worker = threading.Thread(target=produce, name="single-write", daemon=True)
        worker.start()
        try:
            while True:
                item = ready.get()
                if item is None:
                    break
                if isinstance(item, BaseException):
                    raise item
                yield item
        finally:
            stop.set()
            worker.join()

    def _statement(self, binary: bool) -> sql.Composed:
        """COPY into the batch's own new partition, created in the same
        subtransaction, so the rows can be written frozen (docs/adr/0008)."""
        table = sql.Identifier(partition_name(self.batch.pk))
        if binary:
            # partnership_id and batch_id are the new table's defaults.
            return sql.SQL("COPY {} ({}) FROM STDIN (FORMAT binary, FREEZE)").format(
                table, sql.SQL(", ").join(map(sql.Identifier, self.target.columns))
            )
        columns = ["partnership_id", "batch_id", *self.target.columns]
        return sql.SQL(
            "COPY {} ({}) FROM STDIN (FORMAT csv, FREEZE, FORCE_NULL ({}))"
        ).format(
            table,
            sql.SQL(", ").join(map(sql.Identifier, columns)),
            sql.SQL(", ").join(map(sql.Identifier, NULL_WHEN_BLANK)),
        )

    def run(
        self, publish: Callable[..., None], area_sql: sql.Composable | None
    ) -> None:
        """Check, convert and ``COPY`` inside ``publish(None, facts, write)``."""
        positions = self._header()
        binary = BINARY and pgpq is not None
        statement = self._statement(binary)
        partnership_id = self.batch.partnership_id
        facts: dict[str, Any] = {"periods": set()}
        side = _SideProgress(self.batch.pk) if not connection.in_atomic_block else None

        def report(rows: int) -> None:
            # Not through the publishing connection: its update would hold the
            # batch row, and nobody would see it before the commit.
            if side is not None:
                side(rows)
            self.progress(rows)

        def copy_batches(raw, batches) -> int:
            rows = 0
            if binary:
                # One COPY for the file (one header, one trailer).
                with raw.cursor.copy(statement) as copy:
                    for data, height in batches:
                        copy.write(data)
                        if height:
                            rows += height
                            report(rows)
                copied = raw.cursor.rowcount
                if copied != rows:
                    raise Declined(f"COPY wrote {copied:,} rows of {rows:,}")
                return rows
            for data, height in batches:
                with raw.cursor.copy(statement) as copy:
                    copy.write(data)
                rows += height
                report(rows)
            return rows

        def write(cursor) -> tuple[dict[int, int], int | None, int]:
            seen: dict[str, dict[str, Any]] = {"month": {}, "type": {}, "lsoa": {}}
            periods: set[tuple[str, dt.date]] = facts["periods"]
            lsoa_counts: Counter = Counter()
            try:
                with transaction.atomic(), connection.cursor() as raw:
                    # COPY FREEZE needs the table created in this subtransaction.
                    create_partition(
                        raw,
                        self.batch.pk,
                        partnership_id=partnership_id if binary else None,
                    )
                    rows = copy_batches(
                        raw,
                        self._prepared(
                            positions, seen, periods, lsoa_counts, binary=binary
                        ),
                    )
                    if rows == 0:
                        raise Declined("no data rows")
                    attach_partition(raw, self.batch.pk)
            except (DatabaseError, psycopg.Error) as error:
                raise Declined(
                    f"COPY refused a value: {error}".splitlines()[0]
                ) from None
            replaced = delete_replaced(
                cursor, self.target.table, self.batch, sorted(periods)
            )
            outside = None
            if area_sql is not None:
                codes = [c for c in lsoa_counts if c is not None]
                cursor.execute(
                    sql.SQL(
                        "SELECT coalesce(sum(s.n), 0) FROM unnest(%(codes)s::text[], "
                        "%(counts)s::bigint[]) AS s (lsoa_code, n) "
                        "WHERE s.lsoa_code NOT IN ({})"
                    ).format(area_sql),
                    {
                        "codes": codes,
                        "counts": [lsoa_counts[c] for c in codes],
                        "p": partnership_id,
                    },
                )
                outside = int(cursor.fetchone()[0])
            return replaced, outside, rows

        try:
            publish(None, facts, write)
        finally:
            if side is not None:
                side.close()
